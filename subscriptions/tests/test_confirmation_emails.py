"""The three confirmation emails (subscribe, follow a topic or author, new address) are on the
shared layout the alerts use: the organisation's mark and postal address, a preheader, a
bulletproof button, CSS inlined; names from the database stay text."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from blog.models import Topic
from subscriptions import tasks
from subscriptions.models import Subscriber
from subscriptions.services import email_hash

pytestmark = pytest.mark.django_db

HOSTILE = 'Lung <script>alert("x")</script> & chest'


def only_message():
    (message,) = mail.outbox
    html = message.alternatives[0].content
    return message, html, BeautifulSoup(html, "html.parser")


def assert_on_the_layout(soup, postal_address, *, button, href_part):
    assert soup.select_one("table.email-shell"), "the shared layout's table"
    assert soup.select_one(".email-preheader").get_text(strip=True)
    footer = soup.select_one(".email-footer").get_text(" ", strip=True)
    assert postal_address.splitlines()[0] in footer
    link = soup.select_one("a.email-button__link")
    assert link.get_text(strip=True) == button and href_part in link["href"]
    assert "padding" in soup.select_one("td.email-body")["style"], "CSS is inlined"
    assert not soup.find("script")


def test_the_subscription_link_email_is_on_the_layout(postal_address):
    subscriber = Subscriber.objects.create(email="reader@example.org")
    assert tasks.send_confirmation.call(subscriber.pk) == 1
    message, html, soup = only_message()
    assert_on_the_layout(
        soup, postal_address, button="Confirm my subscription", href_part="/subscribe/confirm/"
    )
    assert "reader@example.org" in soup.select_one(".email-footer").get_text()
    assert "/subscribe/confirm/" in message.body, "the text part keeps the link"


def test_a_confirmed_reader_is_told_nothing_changed_without_a_button(postal_address):
    subscriber = Subscriber.objects.create(email="reader@example.org", status="confirmed")
    tasks.send_confirmation.call(subscriber.pk)
    _, html, soup = only_message()
    assert soup.select_one("table.email-shell") and not soup.select_one("a.email-button__link")
    assert "already subscribed" in soup.get_text()


def test_the_follow_email_is_on_the_layout_and_a_hostile_name_stays_text(postal_address, site_tree):
    topic = Topic.objects.create(name=HOSTILE, slug="lung-cancer")
    subscriber = Subscriber.objects.create(email="reader@example.org")
    assert tasks.send_follow_confirmation.call(subscriber.pk, "topic", topic.pk) == 1
    _, html, soup = only_message()
    assert_on_the_layout(
        soup, postal_address, button="Confirm my subscription", href_part="/subscribe/follow/"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert soup.select_one("h1").get_text(strip=True) == f"Alerts about {HOSTILE}"


def test_adding_a_topic_to_chosen_ones_names_it_on_the_button(postal_address, site_tree):
    chosen = Topic.objects.create(name="Breast cancer", slug="breast-cancer")
    topic = Topic.objects.create(name=HOSTILE, slug="lung-cancer")
    subscriber = Subscriber.objects.create(email="reader@example.org", status="confirmed")
    subscriber.choose(topics=[chosen])
    tasks.send_follow_confirmation.call(subscriber.pk, "topic", topic.pk)
    _, html, soup = only_message()
    assert_on_the_layout(
        soup, postal_address, button=f"Add {HOSTILE} to my alerts", href_part="/subscribe/follow/"
    )
    assert "<script>" not in html


def test_the_new_address_email_is_on_the_layout_and_goes_to_the_new_address(postal_address):
    subscriber = Subscriber.objects.create(
        email="old@example.org", new_email="new@example.org", status="confirmed"
    )
    key = email_hash(subscriber.new_email)[:32]
    assert tasks.send_address_confirmation.call(subscriber.pk, key) == 1
    message, html, soup = only_message()
    assert message.to == ["new@example.org"]
    assert_on_the_layout(
        soup, postal_address, button="Use this address for my alerts", href_part="/address/"
    )
    assert "old@example.org" not in html, "the old address is not shown to the new one"
