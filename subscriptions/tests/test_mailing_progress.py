"""A mailing's admin page: queued, sent, failed and bounced, and a progress bar that follows
the sending through a small JSON status endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from subscriptions.models import Delivery, Mailing, Subscriber

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/email-alerts/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def editor(make_user):
    return make_user("editor", "Editors")


def make_mailing(status=Mailing.Status.SENDING, key="alert:progress", **deliveries):
    mailing = Mailing.objects.create(key=key, kind=Mailing.Kind.ALERT, status=status)
    for delivery_status, n in deliveries.items():
        for i in range(n):
            subscriber = Subscriber.objects.create(
                email=f"{delivery_status}{i}-{key}@example.org",
                status="confirmed",
                confirmed_at=timezone.now(),
            )
            Delivery.objects.create(mailing=mailing, subscriber=subscriber, status=delivery_status)
    return mailing


def page_url(mailing):
    return f"{REPORT}mailings/{mailing.pk}/"


def status_url(mailing):
    return f"{REPORT}mailings/{mailing.pk}/status/"


def test_while_it_sends_the_status_counts_each_kind_of_delivery(client, editor):
    mailing = make_mailing(sent=3, queued=1, sending=1, failed=1, bounced=1)
    client.force_login(editor)

    response = client.get(status_url(mailing), **XHR)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["state"] == "running" and data["finished"] is False
    assert (data["done"], data["total"]) == (5, 7)
    assert data["figures"] == {"sent": 3, "queued": 2, "failed": 1, "bounced": 1, "skipped": 0}
    assert data["label"] == "3 of 7 sent, 1 failed, 1 bounced."
    assert data["message"] == ""  # said once, at the end


def test_once_done_the_status_says_so_and_asks_to_stop(client, editor):
    mailing = make_mailing(status=Mailing.Status.DONE, sent=4, failed=1)
    client.force_login(editor)

    data = client.get(status_url(mailing), **XHR).json()

    assert data["state"] == "done" and data["finished"] is True
    assert data["message"] == "The mailing is finished: 4 of 5 sent, 1 failed."


def test_a_mailing_still_preparing_has_no_total_yet(client, editor):
    mailing = make_mailing(status=Mailing.Status.PREPARING)
    client.force_login(editor)

    data = client.get(status_url(mailing), **XHR).json()

    assert data["state"] == "queued" and data["total"] is None
    assert data["label"] == "Preparing the recipient list."


def test_the_page_shows_the_figures_and_a_bar_without_javascript(client, editor):
    mailing = make_mailing(sent=3, queued=1)
    client.force_login(editor)

    page = client.get(page_url(mailing)).content.decode()

    assert (
        '<label class="cb-progress__label" for="sa-mailing-progress-bar">Emails sent</label>'
        in page
    )
    assert 'max="4" value="3"' in page
    assert 'data-progress-figure="sent">3<' in page
    assert 'data-progress-figure="queued">1<' in page
    assert "refresh the page" in page
    assert 'aria-live="polite" data-progress-announce' in page
    assert "js/progress.js" in page


def test_a_finished_mailing_page_does_not_poll(client, editor):
    mailing = make_mailing(status=Mailing.Status.DONE, sent=2)
    client.force_login(editor)

    page = client.get(page_url(mailing)).content.decode()

    assert "data-progress-finished" in page
    assert "refresh the page" not in page


def test_the_alerts_report_links_each_mailing_to_its_page(client, editor):
    mailing = make_mailing(sent=1)
    client.force_login(editor)

    assert f'href="{page_url(mailing)}"' in client.get(REPORT).content.decode()


def test_the_status_costs_the_same_queries_for_ten_or_a_hundred_deliveries(client, editor):
    small = make_mailing(key="alert:small", sent=10)
    large = make_mailing(key="alert:large", sent=60, queued=40)
    client.force_login(editor)
    client.get(status_url(small), **XHR)  # the session and user, once

    with CaptureQueriesContext(connection) as few:
        client.get(status_url(small), **XHR)
    with CaptureQueriesContext(connection) as many:
        client.get(status_url(large), **XHR)

    assert len(few) == len(many)


@pytest.mark.parametrize("who", ["anonymous", "not staff", "writer"])
def test_only_those_who_see_subscribers_see_a_mailing(client, make_user, who):
    mailing = make_mailing(sent=1)
    if who == "not staff":
        client.force_login(make_user("reader"))
    elif who == "writer":
        client.force_login(make_user("writer", "Writers"))

    status = client.get(status_url(mailing), **XHR)
    plain = client.get(status_url(mailing))
    page = client.get(page_url(mailing))

    if who == "anonymous":
        assert plain.status_code == 302 and "/admin/login/" in plain.url
    else:
        assert status.status_code == 403
    assert page.status_code == 302
    assert "figures" not in plain.content.decode()


def test_an_unknown_mailing_is_not_found(client, editor):
    client.force_login(editor)
    assert client.get(f"{REPORT}mailings/999999/status/", **XHR).status_code == 404
    assert client.get(f"{REPORT}mailings/999999/").status_code == 404
