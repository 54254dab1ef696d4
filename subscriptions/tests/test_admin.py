"""The editor's side of email alerts: subscribers in the Wagtail admin, their history, the CSV
exports, erasure on request, and the report of how the list grows and what alerts did."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from subscriptions import admin_views
from subscriptions.models import ConsentRecord, Delivery, Mailing, Subscriber
from subscriptions.services import email_hash

pytestmark = pytest.mark.django_db

LIST = "/admin/subscribers/"
LEDGER = "/admin/subscribers/consent-ledger/"
REPORT = "/admin/reports/email-alerts/"
HOSTILE = '"><script>alert(1)</script>'


@pytest.fixture
def editor(make_user):
    return make_user("editor", "Editors")


@pytest.fixture
def make_subscriber():
    def make(email, status=Subscriber.Status.CONFIRMED, topics=(), created_at=None, **fields):
        now = timezone.now()
        if status == Subscriber.Status.CONFIRMED:
            fields.setdefault("confirmed_at", now)
        subscriber = Subscriber.objects.create(email=email, status=status, **fields)
        if created_at:
            Subscriber.objects.filter(pk=subscriber.pk).update(created_at=created_at)
        subscriber.choose(topics=topics)
        return subscriber

    return make


def consent(subscriber, action, **fields):
    return ConsentRecord.objects.create(
        subscriber=subscriber, email_hash=email_hash(subscriber.email), action=action, **fields
    )


@pytest.fixture
def make_alert():
    """An alert mailing for a post with deliveries in the given statuses. Publishing a post
    already starts a real alert: it is replaced so the counts are the test's own."""

    def make(post, **statuses):
        Mailing.objects.filter(key=f"alert:{post.pk}").delete()
        mailing = Mailing.objects.create(
            key=f"alert:{post.pk}", kind=Mailing.Kind.ALERT, post=post, status="done"
        )
        for status, n in statuses.items():
            for i in range(n):
                subscriber = Subscriber.objects.create(
                    email=f"{status}{i}-{post.pk}@example.org",
                    status="confirmed",
                    confirmed_at=timezone.now(),
                )
                Delivery.objects.create(mailing=mailing, subscriber=subscriber, status=status)
        return mailing

    return make


def read_csv(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


# The list --------------------------------------------------------------------------------


def test_an_editor_sees_the_subscribers_with_status_frequency_and_topics(
    client, editor, make_subscriber, topic
):
    make_subscriber("ana@example.org", topics=[topic])
    make_subscriber("ben@example.org", status="pending", frequency="weekly")
    client.force_login(editor)

    response = client.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "ana@example.org" in html and "ben@example.org" in html
    assert "Immunotherapy" in html and "All topics" in html
    assert "Waiting for confirmation" in html and "A weekly digest" in html
    assert "Signed up" in html and "Confirmed" in html


def test_a_subscriber_who_follows_only_an_author_is_not_listed_as_getting_everything(
    client, editor, make_subscriber, contributor
):
    subscriber = make_subscriber("cleo@example.org")
    subscriber.choose(contributors=[contributor])
    client.force_login(editor)
    html = client.get(LIST).content.decode()
    assert f"author: {contributor.name}" in html
    assert "All topics" not in html


def test_the_menu_offers_subscribers_to_editors_only(client, editor, make_user):
    client.force_login(editor)
    assert LIST in client.get("/admin/").content.decode()
    client.force_login(make_user("writer", "Writers"))
    assert LIST not in client.get("/admin/").content.decode()


def test_it_searches_by_email(client, editor, make_subscriber):
    make_subscriber("alice@clinic.example")
    make_subscriber("bob@example.org")
    client.force_login(editor)

    html = client.get(LIST, {"q": "clinic"}).content.decode()

    assert "alice@clinic.example" in html
    assert "bob@example.org" not in html


def test_it_filters_by_status_and_frequency(client, editor, make_subscriber):
    make_subscriber("instant@example.org")
    make_subscriber("weekly@example.org", frequency="weekly")
    make_subscriber("gone@example.org", status="unsubscribed", frequency="weekly")
    client.force_login(editor)

    weekly = client.get(LIST, {"frequency": "weekly"}).content.decode()
    confirmed_weekly = client.get(
        LIST, {"frequency": "weekly", "status": "confirmed"}
    ).content.decode()

    assert "weekly@example.org" in weekly and "gone@example.org" in weekly
    assert "instant@example.org" not in weekly
    assert "weekly@example.org" in confirmed_weekly
    assert "gone@example.org" not in confirmed_weekly


def test_the_list_costs_the_same_queries_for_2_or_30_subscribers(
    client, editor, make_subscriber, topic
):
    client.force_login(editor)
    for n in range(2):
        make_subscriber(f"first{n}@example.org", topics=[topic])
    client.get(LIST)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(28):
        make_subscriber(f"more{n}@example.org", topics=[topic])
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert "more27@example.org" in response.content.decode()
    assert len(many) == len(few)


def test_nobody_adds_or_edits_a_subscriber_by_hand(client, django_user_model, make_subscriber):
    subscriber = make_subscriber("ana@example.org")
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))

    html = client.get(LIST).content.decode()

    assert "Add subscriber" not in html
    assert client.get(f"{LIST}new/").status_code == 404
    assert client.get(f"{LIST}edit/{subscriber.pk}/").status_code == 404


# One subscriber's history ----------------------------------------------------------------


def test_inspect_shows_the_consent_ledger_and_the_latest_emails(
    client, editor, make_subscriber, make_post
):
    post = make_post(title="Proton therapy explained")
    subscriber = make_subscriber("ana@example.org")
    consent(subscriber, "subscribe", wording_version="2025-01", source_path="/blog/x/")
    consent(subscriber, "confirm", wording_version="2025-01")
    mailing = Mailing.objects.create(key="alert:test", kind="alert", post=post, status="done")
    Delivery.objects.create(
        mailing=mailing, subscriber=subscriber, status="sent", attempts=1, sent_at=timezone.now()
    )
    client.force_login(editor)

    response = client.get(f"{LIST}inspect/{subscriber.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "ana@example.org" in html
    assert "Asked to subscribe" in html and "Confirmed by the emailed link" in html
    assert "/blog/x/" in html and "2025-01" in html
    assert "Proton therapy explained" in html and f"/admin/pages/{post.pk}/edit/" in html
    assert "Sent" in html
    assert f"/admin/subscribers/erase/{subscriber.pk}/" in html


# CSV exports -----------------------------------------------------------------------------


def test_the_list_exports_as_csv(client, editor, make_subscriber, topic):
    make_subscriber("ana@example.org", topics=[topic], frequency="weekly")
    make_subscriber("ben@example.org", status="pending")
    client.force_login(editor)

    response = client.get(LIST, {"export": "csv", "status": "confirmed"})

    assert response["Content-Type"] == "text/csv"
    assert 'filename="subscribers.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:4] == ["Email", "Status", "Frequency", "Topics"]
    assert rows[1][:4] == ["ana@example.org", "confirmed", "weekly", "Immunotherapy"]
    assert len(rows) == 2


def test_exported_cells_cannot_run_as_spreadsheet_formulas(client, editor, make_subscriber):
    make_subscriber('=HYPERLINK("http://evil.example","x")@example.org')
    make_subscriber("+1@example.org")
    make_subscriber("-2@example.org")
    make_subscriber("@3@example.org")
    client.force_login(editor)

    emails = [row[0] for row in read_csv(client.get(LIST, {"export": "csv"}))[1:]]

    assert sorted(emails) == sorted(
        ["'=HYPERLINK(\"http://evil.example\",\"x\")@example.org", "'+1@example.org",
         "'-2@example.org", "'@3@example.org"]
    )  # fmt: skip


def test_the_consent_ledger_exports_as_csv_without_addresses(client, editor, make_subscriber):
    ana = make_subscriber("ana@example.org")
    ben = make_subscriber("ben@example.org")
    consent(ana, "subscribe", wording_version="2025-01", source_path="/blog/a/")
    consent(ben, "subscribe", source_path="=cmd|' /C calc'!A0")
    client.force_login(editor)

    everything = client.get(LEDGER)
    rows = read_csv(everything)
    anas = read_csv(client.get(LEDGER, {"subscriber": ana.pk}))

    assert 'filename="consent-ledger.csv"' in everything["Content-Disposition"]
    assert rows[0] == [
        "Time",
        "Action",
        "Consent wording version",
        "Page",
        "Address hash",
        "Connection hash",
        "Subscriber number",
    ]
    body = "\n".join(",".join(row) for row in rows)
    assert "ana@example.org" not in body and "ben@example.org" not in body
    assert email_hash("ana@example.org") in body
    assert ["subscribe", "2025-01", "/blog/a/"] == rows[1][1:4]
    assert rows[2][3] == "'=cmd|' /C calc'!A0"
    assert len(anas) == 2 and anas[1][6] == str(ana.pk)


# Who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, LEDGER, REPORT, "inspect", "erase"])
def test_readers_writers_and_moderators_get_no_access(client, make_user, make_subscriber, url):
    subscriber = make_subscriber("ana@example.org")
    if url in ("inspect", "erase"):
        url = f"{LIST}{url}/{subscriber.pk}/"
    for user in (
        make_user("reader"),
        make_user("writer", "Writers"),
        make_user("moderator", "Moderators"),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in (302, 403), user
        assert b"ana@example.org" not in response.content
    response = client.post(f"{LIST}erase/{subscriber.pk}/")
    assert response.status_code in (302, 403)
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# Erasure ---------------------------------------------------------------------------------


def test_an_editor_erases_a_subscriber_after_confirming(client, editor, make_subscriber):
    subscriber = make_subscriber("ana@example.org")
    consent(subscriber, "subscribe")
    mailing = Mailing.objects.create(key="alert:erase", kind="alert", status="done")
    Delivery.objects.create(mailing=mailing, subscriber=subscriber, status="sent")
    client.force_login(editor)
    url = f"{LIST}erase/{subscriber.pk}/"

    confirm_page = client.get(url)
    assert confirm_page.status_code == 200
    assert "ana@example.org" in confirm_page.content.decode()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    response = client.post(url)

    assert response.status_code == 302 and response["Location"] == LIST
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    lines = ConsentRecord.objects.filter(email_hash=email_hash("ana@example.org"))
    assert list(lines.values_list("action", "subscriber")) == [
        ("subscribe", None),
        ("erase", None),
    ]
    assert Delivery.objects.get(mailing=mailing).subscriber is None


# The email alerts report -----------------------------------------------------------------


def test_the_report_renders_with_no_data(client, editor):
    client.force_login(editor)

    response = client.get(REPORT)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Confirmed subscribers at the end of each week" in html
    assert "No alerts yet" in html
    assert "<details" in html and "Week starting" in html


def test_the_report_charts_the_list_and_each_alert(client, editor, make_post, make_alert):
    first = make_post(title="Immunotherapy at ASCO")
    second = make_post(title="Living with lymphoma")
    Mailing.objects.all().delete()
    make_alert(first, sent=3, failed=1)
    make_alert(second, sent=2, bounced=1, queued=1, skipped=1)
    client.force_login(editor)

    html = client.get(REPORT).content.decode()

    assert html.count('<svg class="sa-chart"') == 2
    assert "Immunotherapy at ASCO" in html and "Living with lymphoma" in html
    assert f"/admin/pages/{first.pk}/edit/" in html
    assert "Failed: 1" in html and "Bounced: 1" in html and "Sent: 3" in html
    assert '<td class="sa-num">5</td>' in html  # the second alert's total
    # Nine confirmed subscribers this week, in the chart's data table.
    assert '<td class="sa-num">9</td>' in html


def test_the_report_filters_to_one_post(client, editor, make_post, make_alert):
    first = make_post(title="Immunotherapy at ASCO")
    second = make_post(title="Living with lymphoma")
    Mailing.objects.all().delete()
    make_alert(first, sent=1)
    make_alert(second, sent=1)
    client.force_login(editor)

    html = client.get(REPORT, {"post": second.pk}).content.decode()

    assert "Alerts for “Living with lymphoma”" in html
    assert "Immunotherapy at ASCO" not in html


def test_the_report_costs_the_same_queries_for_few_or_many(
    client, editor, make_post, make_alert, make_subscriber
):
    posts = [make_post() for _ in range(8)]
    Mailing.objects.all().delete()
    client.force_login(editor)
    make_alert(posts[0], sent=1)
    client.get(REPORT)
    with CaptureQueriesContext(connection) as few:
        client.get(REPORT)
    for post in posts[1:]:
        make_alert(post, sent=3, failed=1, bounced=1)
    for n in range(20):
        make_subscriber(f"s{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        html = client.get(REPORT).content.decode()

    assert html.count("<rect") > 8
    assert len(many) == len(few)


def test_weekly_growth_counts_who_was_on_the_list_at_each_weeks_end(make_subscriber):
    now = timezone.now()
    weeks = timezone.timedelta(weeks=1)
    make_subscriber("old@example.org", confirmed_at=now - 10 * weeks)
    make_subscriber(
        "left@example.org",
        status="unsubscribed",
        confirmed_at=now - 10 * weeks,
        unsubscribed_at=now - 3 * weeks,
    )
    make_subscriber("new@example.org", confirmed_at=now)
    make_subscriber("waiting@example.org", status="pending")

    growth = admin_views.weekly_growth(now=now, weeks=26)

    assert len(growth) == 26
    assert [on_list for _, on_list, _ in growth][:10] == [0] * 10
    assert (growth[-12][1], growth[-11][1]) == (0, 2)  # both confirmed ten weeks ago
    assert (growth[-5][1], growth[-4][1]) == (2, 1)  # "left" left three weeks ago
    assert growth[-1][1] == 2  # "left" is gone, "new" arrived
    assert growth[-1][2] == 1
    assert sum(new for _, _, new in growth) == 3


def test_the_post_edit_page_shows_its_alert_counts_to_editors(
    client, editor, make_user, make_post, make_alert
):
    post = make_post(title="Proton therapy explained")
    make_alert(post, sent=3, failed=1)
    client.force_login(editor)

    html = client.get(f"/admin/pages/{post.pk}/edit/").content.decode()

    assert "Alerts: 3 sent, 1 failed" in html
    assert f"{REPORT}?post={post.pk}" in html
    client.force_login(make_user("writer", "Writers"))
    assert "Alerts: 3 sent" not in client.get(f"/admin/pages/{post.pk}/edit/").content.decode()


# Hostile input ---------------------------------------------------------------------------


def test_markup_in_addresses_and_titles_is_shown_as_text(
    client, editor, make_subscriber, make_post, make_alert
):
    subscriber = make_subscriber(f"{HOSTILE}@example.org")
    post = make_post(title=f"Bad {HOSTILE} title")
    mailing = make_alert(post, sent=1)
    Delivery.objects.create(mailing=mailing, subscriber=subscriber, status="failed")
    client.force_login(editor)

    pages = [
        client.get(LIST),
        client.get(f"{LIST}inspect/{subscriber.pk}/"),
        client.get(f"{LIST}erase/{subscriber.pk}/"),
        client.get(REPORT),
        client.get(REPORT, {"post": post.pk}),
    ]

    for response in pages:
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html, response.request["PATH_INFO"]
        assert "&lt;script&gt;" in html, response.request["PATH_INFO"]


@pytest.mark.parametrize("value", ["9999999999999999999999999", "\u00b2", "0"])
def test_a_ledger_for_a_subscriber_no_row_can_be_is_the_whole_ledger(
    client, editor, make_subscriber, value
):
    subscriber = make_subscriber("reader@example.org")
    consent(subscriber, "subscribe")
    client.force_login(editor)

    response = client.get(LEDGER, {"subscriber": value})

    assert response.status_code == 200
    assert len(read_csv(response)) == 2  # the heading and the one line
    assert "consent-ledger.csv" in response["Content-Disposition"]


def test_the_report_shows_an_alert_that_went_to_nobody(client, editor, make_post, make_alert):
    make_alert(make_post())  # no deliveries at all
    client.force_login(editor)

    assert client.get(REPORT).status_code == 200


def test_a_search_too_long_for_sqlite_is_cut_short(client, editor, make_subscriber):
    make_subscriber("reader@example.org")
    client.force_login(editor)

    response = client.get("/admin/subscribers/", {"q": "reader" + "x" * 100_000})

    assert response.status_code == 200
