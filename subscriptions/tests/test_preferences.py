"""The preference page behind the signed link in every email: topics, frequency, pausing, a new
address, leaving and coming back. No password; the link is the key."""

import re
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.models import Contributor, Topic
from core.tests.limits import all_limits_expire
from subscriptions import preferences, services
from subscriptions.models import ConsentRecord, Subscriber, Suppression
from subscriptions.tests.pages import csrf_token_in, post_form

pytestmark = pytest.mark.django_db

ADDRESS = "reader@example.org"
NEW_ADDRESS = "new-home@example.org"


@pytest.fixture
def browser():
    """A browser that gets no CSRF pass for free."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")


@pytest.fixture
def topics(topic):
    return [
        topic,
        Topic.objects.create(name="Breast cancer", slug="breast-cancer"),
        Topic.objects.create(name="Lung cancer", slug="lung-cancer"),
    ]


def subscribed(email=ADDRESS):
    """A subscriber who asked and confirmed, built with the services a reader's clicks call."""
    services.request_subscription(email, ip_hash="")
    subscriber = Subscriber.objects.get(email=email)
    services.confirm_subscription(subscriber, ip_hash="")
    subscriber.refresh_from_db()
    return subscriber


@pytest.fixture
def subscriber(site_tree):
    return subscribed()


def manage_url(subscriber):
    return reverse("subscriptions:manage", args=[services.make_token("manage", subscriber)])


def manage_link_of(text):
    """The subscriber named by the first preference page link in a text (tokens carry a
    timestamp, so two links to one page need not be the same)."""
    found = re.search(r"/subscribe/manage/([^/\s\"]+)/", text)
    assert found, text
    return services.subscriber_for_token("manage", found.group(1), max_age=None)


def follow(browser, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return browser.get(response["Location"]).content.decode()


def ledger(action):
    return list(ConsentRecord.objects.filter(action=action))


def address_link(message):
    found = re.search(r"/subscribe/address/[^\s]+/", message.body)
    assert found, message.body
    return found.group(0)


def state(subscriber):
    """Everything a bad request must leave as it was."""
    row = Subscriber.objects.filter(pk=subscriber.pk).values().first()
    fresh = Subscriber.objects.get(pk=subscriber.pk)
    chosen = sorted(fresh.topics.values_list("pk", flat=True))
    authors = sorted(fresh.contributors.values_list("pk", flat=True))
    return row, chosen, authors, ConsentRecord.objects.count()


# The page


def test_the_link_in_every_email_opens_the_page_without_a_password(subscriber, topics, browser):
    url = manage_url(subscriber)
    response = browser.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="page-title">Your email alerts</h1>' in html
    assert ADDRESS in html and "Alerts are on." in html
    assert '<meta name="robots" content="noindex">' in html
    for topic in topics:
        assert f'<label for="topic-{topic.pk}">{topic.name}</label>' in html
    assert 'value="all" checked' in html  # no topics chosen means all of them
    assert 'id="frequency-instant" value="instant" checked' in html
    assert "covered by the explicit consent you gave" in html
    for button in (
        "Save my choices",
        "Pause all emails",
        "Send a confirmation link",
        "Unsubscribe",
        "Download my data",
    ):
        assert f">{button}</button>" in html
    assert f'href="{url}erase/"' in html
    assert csrf_token_in(response)


def test_the_page_is_personal_and_never_cached(subscriber, browser):
    response = browser.get(manage_url(subscriber))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_page_costs_the_same_queries_however_many_topics_and_authors(
    subscriber, topics, browser, django_assert_num_queries, settings
):
    # New topics move the page cache's generation on: every fragment of the page (header,
    # footer: core/fragments.py) would be rendered again on the second count only.
    settings.FRAGMENT_CACHE = False
    url = manage_url(subscriber)
    browser.get(url)  # warm up: the site root, settings
    with django_assert_num_queries(6) as few:
        browser.get(url)
    for n in range(20):
        Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}")
        Contributor.objects.create(name=f"Author {n}", slug=f"author-{n}", kind="staff")
        Contributor.objects.create(name=f"Guest {n}", slug=f"guest-{n}", kind="guest")
    subscriber.choose(
        topics=Topic.objects.all()[:10], contributors=Contributor.objects.filter(kind="guest")[:5]
    )
    with django_assert_num_queries(len(few.captured_queries)):
        browser.get(url)


@pytest.mark.parametrize(
    "make_path",
    [
        lambda s: "/subscribe/manage/nonsense/",
        lambda s: manage_url(s)[:-4] + "xx/",
        lambda s: f"/subscribe/manage/{services.make_token('stop', s)}/",
        lambda s: f"/subscribe/manage/{services.make_token('confirm', s)}/",
        lambda s: f"/subscribe/manage/{'A' * 5000}/",
        lambda s: f"/subscribe/manage/{services.make_token('manage', s)}%3Cscript%3E/",
    ],
    ids=["nonsense", "tampered", "stop-token", "confirm-token", "huge", "script"],
)
def test_a_tampered_or_foreign_token_gets_the_link_expired_page(subscriber, make_path):
    path = make_path(subscriber)
    before = state(subscriber)
    for response in (
        Client().get(path),
        Client().post(path, {"action": "leave"}),
        Client().post(path, {"action": "download"}),
    ):
        assert response.status_code == 404
        html = response.content.decode()
        assert "This link does not work" in html and "<script>" not in html
        assert ADDRESS not in html
    assert state(subscriber) == before


def test_the_link_dies_when_the_address_changes(subscriber):
    url = manage_url(subscriber)
    Subscriber.objects.filter(pk=subscriber.pk).update(email="someone-else@example.org")
    assert Client().get(url).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(subscriber, topics, browser):
    before = state(subscriber)
    response = browser.post(manage_url(subscriber), {"action": "leave"})
    assert response.status_code == 403
    assert state(subscriber) == before


def test_an_unknown_action_changes_nothing_and_says_so(subscriber, browser):
    before = state(subscriber)
    response = post_form(browser, manage_url(subscriber), {"action": "<script>x</script>"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "That request was not understood. Nothing was changed." in html
    assert "<script>x" not in html
    assert state(subscriber) == before


# Topics and frequency


def test_choosing_topics_saves_them_and_records_the_consent_it_relies_on(
    subscriber, topics, browser
):
    url = manage_url(subscriber)
    chosen = [topics[1].pk, topics[2].pk]
    response = post_form(
        browser,
        url,
        {
            "action": "preferences",
            "which_topics": "chosen",
            "topics": chosen,
            "frequency": "instant",
        },
    )
    assert response["Location"] == url  # post, redirect, get
    html = follow(browser, response)
    assert "Your choices are saved." in html
    assert f'id="topic-{topics[1].pk}" value="{topics[1].pk}" checked' in html
    assert f'id="topic-{topics[0].pk}" value="{topics[0].pk}" checked' not in html
    assert 'value="chosen" checked' in html
    assert sorted(subscriber.topics.values_list("pk", flat=True)) == sorted(chosen)

    [record] = ledger(ConsentRecord.Action.PREFERENCES)
    assert record.subscriber == subscriber
    assert record.wording_version == services.WORDING_VERSION
    assert record.email_hash == services.email_hash(ADDRESS)
    assert record.ip_hash and "203.0.113.7" not in record.ip_hash


def test_all_topics_forgets_the_chosen_ones(subscriber, topics, browser):
    subscriber.choose(topics=topics[:2])
    response = post_form(
        browser,
        manage_url(subscriber),
        # Boxes left ticked under "All topics" do not count.
        {
            "action": "preferences",
            "which_topics": "all",
            "topics": [topics[0].pk],
            "frequency": "instant",
        },
    )
    assert "Your choices are saved." in follow(browser, response)
    assert not subscriber.topics.exists()
    assert len(ledger(ConsentRecord.Action.PREFERENCES)) == 1


def test_a_weekly_digest_instead_of_instant_alerts(subscriber, browser):
    response = post_form(
        browser,
        manage_url(subscriber),
        {"action": "preferences", "which_topics": "all", "frequency": "weekly"},
    )
    html = follow(browser, response)
    assert 'id="frequency-weekly" value="weekly" checked' in html
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.WEEKLY
    assert len(ledger(ConsentRecord.Action.PREFERENCES)) == 1


def test_saving_the_same_choices_again_changes_and_records_nothing(subscriber, topics, browser):
    data = {
        "action": "preferences",
        "which_topics": "chosen",
        "topics": [topics[0].pk],
        "frequency": "weekly",
    }
    url = manage_url(subscriber)
    follow(browser, post_form(browser, url, data))
    html = follow(browser, post_form(browser, url, data))
    assert "Nothing changed." in html
    assert len(ledger(ConsentRecord.Action.PREFERENCES)) == 1


def test_only_some_topics_needs_at_least_one_ticked(subscriber, topics, browser):
    before = state(subscriber)
    response = post_form(
        browser,
        manage_url(subscriber),
        {"action": "preferences", "which_topics": "chosen", "frequency": "instant"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    error = "Choose at least one topic or author, or choose All topics."
    assert f'id="topics-error">{error}</p>' in html
    assert 'aria-describedby="topics-error"' in html
    assert 'value="chosen" checked' in html  # the reader's answer is kept on the page
    assert state(subscriber) == before


@pytest.mark.parametrize(
    "data, field",
    [
        ({"which_topics": "chosen", "topics": ["999999"]}, "topics"),
        ({"which_topics": "chosen", "topics": ["abc"]}, "topics"),
        ({"which_topics": "chosen", "topics": ["1.5"]}, "topics"),
        ({"which_topics": "chosen", "topics": ["-1"]}, "topics"),
        ({"which_topics": "chosen", "topics": ["9" * 40]}, "topics"),
        ({"which_topics": "chosen", "topics": ["<script>alert(1)</script>"]}, "topics"),
        ({"which_topics": "chosen", "topics": ["١"]}, "topics"),  # an Arabic-Indic digit
        ({"which_topics": "chosen", "topics": [str(n) for n in range(1, 800)]}, "topics"),
        ({"which_topics": "chosen", "contributors": ["999999"]}, "authors"),
        ({"which_topics": "chosen", "contributors": ["<script>alert(1)</script>"]}, "authors"),
        ({"which_topics": "chosen", "contributors": [str(n) for n in range(900)]}, "authors"),
        ({"which_topics": "<script>alert(1)</script>"}, "which-topics"),
        ({"which_topics": "some" * 1000}, "which-topics"),
        ({"which_topics": "all", "frequency": "hourly"}, "frequency"),
        ({"which_topics": "all", "frequency": "<b>weekly</b>"}, "frequency"),
        ({"which_topics": "all", "frequency": ""}, "frequency"),
    ],
)
def test_hostile_preferences_get_a_clear_error_and_change_nothing(
    subscriber, topics, contributor, browser, data, field
):
    data = {"action": "preferences", "frequency": "weekly", **data}
    if "topics" in data and data["topics"] == ["999999"]:
        assert not Topic.objects.filter(pk=999999).exists()
    before = state(subscriber)
    response = post_form(browser, manage_url(subscriber), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="field__error" id="{field}-error">' in html
    assert f'aria-describedby="{field}-error"' in html or f'-help {field}-error"' in html
    assert "<script>alert" not in html and "<b>weekly" not in html
    assert state(subscriber) == before


# Pausing


def test_pausing_holds_every_email_and_resuming_brings_them_back(subscriber, browser):
    url = manage_url(subscriber)
    html = follow(browser, post_form(browser, url, {"action": "pause"}))
    assert "Emails are paused. Resume them here whenever you like." in html
    assert ">Resume emails</button>" in html
    subscriber.refresh_from_db()
    assert subscriber.paused and subscriber.status == Subscriber.Status.CONFIRMED

    html = follow(browser, post_form(browser, url, {"action": "pause"}))  # a stale tab
    assert "Emails were already paused." in html
    assert Subscriber.objects.get().paused

    html = follow(browser, post_form(browser, url, {"action": "resume"}))
    assert "Emails are on again." in html and ">Pause all emails</button>" in html
    assert not Subscriber.objects.get().paused
    html = follow(browser, post_form(browser, url, {"action": "resume"}))
    assert "Emails were not paused." in html


# Leaving and coming back


def test_leaving_unsubscribes_once_and_offers_a_way_back(subscriber, browser):
    url = manage_url(subscriber)
    html = follow(browser, post_form(browser, url, {"action": "leave"}))
    assert "You are unsubscribed: we will send no more alerts." in html
    assert ">Subscribe again</button>" in html and services.CONSENT_WORDING in html
    assert ">Save my choices</button>" not in html
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert len(ledger(ConsentRecord.Action.UNSUBSCRIBE)) == 1

    # A second press, from a tab left open, changes nothing.
    response = browser.post(
        url, {"action": "leave", "csrfmiddlewaretoken": csrf_token_in(browser.get(url))}
    )
    assert "That is not possible now" in follow(browser, response)
    assert len(ledger(ConsentRecord.Action.UNSUBSCRIBE)) == 1


def test_after_leaving_choices_cannot_be_changed_from_an_old_tab(subscriber, topics, browser):
    url = manage_url(subscriber)
    token = csrf_token_in(browser.get(url))
    services.unsubscribe(subscriber, ip_hash="")
    before = state(subscriber)
    for action in ("preferences", "pause", "address"):
        response = browser.post(
            url,
            {
                "action": action,
                "which_topics": "all",
                "frequency": "weekly",
                "new_email": NEW_ADDRESS,
                "csrfmiddlewaretoken": token,
            },
        )
        assert "That is not possible now: see below. Nothing was changed." in follow(
            browser, response
        )
    assert state(subscriber) == before


def test_coming_back_gives_consent_again_and_confirms_by_email(
    subscriber, topics, browser, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber.choose(topics=[topics[1]])
    preferences.pause(subscriber)
    services.unsubscribe(subscriber, ip_hash="")
    url = manage_url(subscriber)
    all_limits_expire()  # ten minutes after the last confirmation email

    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            browser,
            url,
            {
                "action": "resubscribe",
                "consent": "yes",
                "wording_version": services.WORDING_VERSION,
            },
        )
    html = follow(browser, response)
    assert f"We have emailed {ADDRESS} a link to confirm." in html
    assert "Waiting for you to confirm." in html
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    subscribe_lines = ledger(ConsentRecord.Action.SUBSCRIBE)
    assert subscribe_lines[-1].wording_version == services.WORDING_VERSION

    [message] = mailoutbox
    assert message.to == [ADDRESS]
    confirm = re.search(r"/subscribe/confirm/[^\s]+/", message.body).group(0)
    page = browser.get(confirm)
    browser.post(confirm, {"csrfmiddlewaretoken": csrf_token_in(page)})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert not subscriber.paused  # coming back means getting emails
    assert list(subscriber.topics.all()) == [topics[1]]  # the old choices are kept


def test_coming_back_soon_after_a_confirmation_email_says_to_use_that_one(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    services.unsubscribe(subscriber, ip_hash="")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            browser,
            manage_url(subscriber),
            {
                "action": "resubscribe",
                "consent": "yes",
                "wording_version": services.WORDING_VERSION,
            },
        )
    assert f"We sent a link to {ADDRESS} a few minutes ago" in follow(browser, response)
    assert mailoutbox == []
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_flood_of_form_fields_is_refused_before_anything_is_read(subscriber, topics, browser):
    before = state(subscriber)
    data = {"action": "preferences", "which_topics": "chosen", "frequency": "weekly"}
    response = post_form(browser, manage_url(subscriber), {**data, "topics": list(range(5000))})
    assert response.status_code == 400
    assert state(subscriber) == before


def test_coming_back_needs_the_consent_tick(subscriber, browser, mailoutbox):
    services.unsubscribe(subscriber, ip_hash="")
    before = state(subscriber)
    response = post_form(
        browser,
        manage_url(subscriber),
        {"action": "resubscribe", "wording_version": services.WORDING_VERSION},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_consent-error">Please tick the box to agree' in html
    assert 'aria-describedby="id_consent-error"' in html
    assert state(subscriber) == before and mailoutbox == []

    response = post_form(
        browser,
        manage_url(subscriber),
        {"action": "resubscribe", "consent": "yes", "wording_version": "1999-01"},
    )
    assert response.status_code == 400
    assert "The wording changed while this page was open." in response.content.decode()
    assert state(subscriber) == before and mailoutbox == []


# A new address


def change_address(browser, subscriber, new_email, capture):
    with capture(execute=True):
        return post_form(
            browser, manage_url(subscriber), {"action": "address", "new_email": new_email}
        )


def test_a_new_address_gets_a_link_and_nothing_changes_until_it_is_used(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    response = change_address(
        browser, subscriber, " New-Home@Example.org ", django_capture_on_commit_callbacks
    )
    html = follow(browser, response)
    assert f"If {NEW_ADDRESS} can receive email, we have sent it a link" in html
    assert f"Until it is used, alerts go to {ADDRESS}." in html
    assert ">Cancel this change</button>" in html

    subscriber.refresh_from_db()
    assert subscriber.email == ADDRESS and subscriber.new_email == NEW_ADDRESS
    assert not ledger(ConsentRecord.Action.ADDRESS)
    [message] = mailoutbox
    assert message.to == [NEW_ADDRESS]
    assert "works for 7 days" in message.body
    assert ADDRESS not in message.body  # the new inbox learns nothing about the old one
    assert address_link(message)
    # The old links still work.
    assert Client().get(manage_url(subscriber)).status_code == 200


def test_the_address_link_shows_a_button_and_only_the_post_applies_it(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    old_manage = manage_url(subscriber)
    old_stop = f"/subscribe/stop/{services.make_token('stop', subscriber)}/"
    change_address(browser, subscriber, NEW_ADDRESS, django_capture_on_commit_callbacks)
    link = address_link(mailoutbox[0])

    page = Client().get(link)  # what a mail scanner does
    assert page.status_code == 200
    assert ">Use this address</button>" in page.content.decode()
    assert NEW_ADDRESS in page.content.decode()
    assert Subscriber.objects.get().email == ADDRESS

    reader = Client(enforce_csrf_checks=True)
    page = reader.get(link)
    response = reader.post(link, {"csrfmiddlewaretoken": csrf_token_in(page)})
    subscriber.refresh_from_db()
    assert subscriber.email == NEW_ADDRESS and subscriber.new_email == ""
    assert manage_link_of(response["Location"]) == subscriber
    html = follow(reader, response)
    assert f"Your alerts now go to {NEW_ADDRESS}." in html

    [record] = ledger(ConsentRecord.Action.ADDRESS)
    assert record.subscriber == subscriber
    assert record.email_hash == services.email_hash(NEW_ADDRESS)
    assert record.ip_hash
    # Links that named the old address die with it.
    assert Client().get(old_manage).status_code == 404
    assert Client().post(old_stop).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    # Pressing again, or a scanner opening the link later, changes nothing more.
    again = Client().get(link)
    assert manage_link_of(again["Location"]) == subscriber
    assert len(ledger(ConsentRecord.Action.ADDRESS)) == 1


def test_the_answer_does_not_tell_whether_the_new_address_is_taken(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    taken = subscribed("taken@example.org")
    mailoutbox.clear()

    def answer(email):
        response = change_address(browser, subscriber, email, django_capture_on_commit_callbacks)
        html = follow(browser, response)
        notice = re.search(r'<div class="notice" role="status">(.*?)</div>', html).group(1)
        return response.status_code, notice.replace(email, "ADDRESS")

    assert answer(taken.email) == answer("free@example.org")
    assert [m.to for m in mailoutbox] == [[taken.email], ["free@example.org"]]
    assert Subscriber.objects.get(pk=taken.pk).email == taken.email


def test_confirming_an_address_that_has_a_subscription_keeps_it_and_erases_this_one(
    subscriber, topics, browser, mailoutbox, django_capture_on_commit_callbacks
):
    taken = subscribed(NEW_ADDRESS)
    taken.choose(topics=[topics[0]])
    subscriber.choose(topics=[topics[2]])
    change_address(browser, subscriber, NEW_ADDRESS, django_capture_on_commit_callbacks)
    link = address_link(mailoutbox[-1])

    reader = Client(enforce_csrf_checks=True)
    response = reader.post(link, {"csrfmiddlewaretoken": csrf_token_in(reader.get(link))})
    assert manage_link_of(response["Location"]) == taken
    html = follow(reader, response)
    assert f"{NEW_ADDRESS} already had a subscription. We kept it, with its own choices" in html
    assert "erased the subscription of your old address" in html

    assert list(Subscriber.objects.values_list("email", flat=True)) == [NEW_ADDRESS]
    assert list(Subscriber.objects.get().topics.all()) == [topics[0]]
    [erased] = ledger(ConsentRecord.Action.ERASE)
    assert erased.email_hash == services.email_hash(ADDRESS) and erased.subscriber is None
    assert Client().post(link).status_code == 404  # the old subscription is gone


def test_confirming_an_address_whose_sign_up_ended_moves_this_subscription_there(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    services.request_subscription(NEW_ADDRESS, ip_hash="")  # never confirmed
    ended = Subscriber.objects.get(email=NEW_ADDRESS)
    change_address(browser, subscriber, NEW_ADDRESS, django_capture_on_commit_callbacks)
    link = address_link(mailoutbox[-1])

    reader = Client(enforce_csrf_checks=True)
    html = follow(
        reader, reader.post(link, {"csrfmiddlewaretoken": csrf_token_in(reader.get(link))})
    )
    assert f"Your alerts now go to {NEW_ADDRESS}." in html
    assert list(Subscriber.objects.values_list("pk", "email")) == [(subscriber.pk, NEW_ADDRESS)]
    # The waiting sign-up's ledger lines stay, now with the subscription they belong to.
    assert (
        ConsentRecord.objects.filter(
            email_hash=services.email_hash(NEW_ADDRESS), action=ConsentRecord.Action.SUBSCRIBE
        )
        .get()
        .subscriber_id
        == subscriber.pk
    )
    assert not Subscriber.objects.filter(pk=ended.pk).exists()


def test_a_newer_request_or_a_cancel_voids_the_older_link(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    change_address(browser, subscriber, "first@example.org", django_capture_on_commit_callbacks)
    change_address(browser, subscriber, NEW_ADDRESS, django_capture_on_commit_callbacks)
    first, second = (address_link(m) for m in mailoutbox)
    assert Client().post(first).status_code == 404
    assert Subscriber.objects.get().email == ADDRESS

    html = follow(browser, post_form(browser, manage_url(subscriber), {"action": "cancel_address"}))
    assert "The address change is cancelled; its link no longer works." in html
    assert Client().get(second).status_code == 404
    assert Subscriber.objects.get().new_email == ""
    html = follow(browser, post_form(browser, manage_url(subscriber), {"action": "cancel_address"}))
    assert "There was no address change waiting." in html


def test_an_address_link_works_for_seven_days(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    eight_days_ago = timezone.now().timestamp() - 8 * 86400
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        change_address(browser, subscriber, NEW_ADDRESS, django_capture_on_commit_callbacks)
    link = address_link(mailoutbox[0])
    response = Client().post(link)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert Subscriber.objects.get().email == ADDRESS


def test_tampered_address_links_change_nothing(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    change_address(browser, subscriber, NEW_ADDRESS, django_capture_on_commit_callbacks)
    token = address_link(mailoutbox[0]).split("/")[-2]
    forged = [
        token[:-3] + "abc",
        services.make_token("manage", subscriber),  # another purpose
        signing.dumps([subscriber.pk, "0" * 32, "1" * 32], salt="subscriptions.address"),
        signing.dumps({"pk": subscriber.pk}, salt="subscriptions.address"),
        signing.dumps(["x", "y", "z"], salt="subscriptions.address"),
        "<script>",
    ]
    before = state(subscriber)
    for value in forged:
        response = Client().post(f"/subscribe/address/{value}/")
        assert response.status_code == 404, value
    assert state(subscriber) == before


def test_the_same_address_is_refused_with_a_clear_message(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    before = state(subscriber)
    response = change_address(
        browser, subscriber, ADDRESS.upper(), django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert "That is already the address your alerts go to." in response.content.decode()
    assert state(subscriber) == before and mailoutbox == []


@pytest.mark.parametrize(
    "email",
    [
        "a" * 250 + "@example.org",
        "<script>alert(1)</script>@example.org",
        "new@example.org<script>",
        "\u202enew@example.org",
        "ne\x00w@example.org",
        "",
        "not an address",
        "new@example.org\r\nBcc: victim@example.org",
    ],
)
def test_a_malformed_new_address_gets_a_clear_error_and_changes_nothing(
    subscriber, browser, email, mailoutbox, django_capture_on_commit_callbacks
):
    before = state(subscriber)
    response = change_address(browser, subscriber, email, django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_new_email-error"' in html
    assert 'aria-describedby="id_new_email-help id_new_email-error"' in html
    assert "<script>alert" not in html
    assert state(subscriber) == before and mailoutbox == []


def test_address_change_emails_are_limited_per_subscriber(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    for n in range(preferences.ADDRESS_CHANGES_PER_HOUR):
        change_address(
            browser, subscriber, f"try{n}@example.org", django_capture_on_commit_callbacks
        )
    assert len(mailoutbox) == preferences.ADDRESS_CHANGES_PER_HOUR
    before = state(subscriber)

    response = change_address(
        browser, subscriber, "one-more@example.org", django_capture_on_commit_callbacks
    )
    assert response.status_code == 429
    assert "Please try again later." in response.content.decode()
    assert len(mailoutbox) == preferences.ADDRESS_CHANGES_PER_HOUR
    assert state(subscriber) == before
    # Another subscriber is not held back.
    other = subscribed("other@example.org")
    change_address(browser, other, "other-new@example.org", django_capture_on_commit_callbacks)
    assert mailoutbox[-1].to == ["other-new@example.org"]


def test_a_suppressed_new_address_gets_no_mail_and_the_same_answer(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    Suppression.objects.create(email_hash=services.email_hash(NEW_ADDRESS), reason="hard bounce")
    response = change_address(browser, subscriber, NEW_ADDRESS, django_capture_on_commit_callbacks)
    assert f"If {NEW_ADDRESS} can receive email, we have sent it a link" in follow(
        browser, response
    )
    assert mailoutbox == []
    assert Subscriber.objects.get().email == ADDRESS


def test_a_link_sent_before_leaving_does_not_move_the_address(
    subscriber, browser, mailoutbox, django_capture_on_commit_callbacks
):
    change_address(browser, subscriber, NEW_ADDRESS, django_capture_on_commit_callbacks)
    services.unsubscribe(subscriber, ip_hash="")
    assert Client().post(address_link(mailoutbox[0])).status_code == 404
    assert Subscriber.objects.get().email == ADDRESS


# Where the page is linked from


def test_a_confirmed_subscriber_signing_up_again_gets_the_link_to_their_page(
    subscriber, mailoutbox, django_capture_on_commit_callbacks
):
    all_limits_expire()  # ten minutes after the first confirmation email
    with django_capture_on_commit_callbacks(execute=True):
        services.request_subscription(ADDRESS, ip_hash="")
    [message] = mailoutbox
    assert "already subscribed" in message.body
    assert manage_link_of(message.body) == subscriber
    assert manage_link_of(message.alternatives[0][0]) == subscriber


def test_the_confirmation_email_of_a_new_sign_up_has_no_preference_link(
    site_tree, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_subscription(ADDRESS, ip_hash="")
    assert "/subscribe/manage/" not in mailoutbox[0].body


def test_the_confirmed_page_links_to_the_preferences(site_tree, browser):
    services.request_subscription(ADDRESS, ip_hash="")
    subscriber = Subscriber.objects.get()
    link = f"/subscribe/confirm/{services.make_token('confirm', subscriber)}/"
    page = browser.get(link)
    assert "/subscribe/manage/" not in page.content.decode()  # not before confirming
    browser.post(link, {"csrfmiddlewaretoken": csrf_token_in(page)})
    html = browser.get(link).content.decode()
    assert "You are subscribed" in html
    assert '">your preferences page</a>' in html
    assert manage_link_of(html) == subscriber
