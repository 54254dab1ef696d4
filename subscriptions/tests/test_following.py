"""Following one topic or one author by email from its page: the same consent page and double
opt-in as the alerts box, the choice carried in the signed link and applied when it is used."""

import re

import pytest
from django.core import signing
from django.test import Client

from blog.models import Contributor, Topic
from core import tokens
from core.tests.limits import all_limits_expire
from subscriptions import following, services
from subscriptions.forms import FOLLOW_GONE
from subscriptions.models import ConsentRecord, Subscriber
from subscriptions.tests.pages import csrf_token_in

pytestmark = pytest.mark.django_db

ADDRESS = "reader@example.org"
EXPIRED = "This link does not work"


@pytest.fixture
def browser():
    """A browser that gets no CSRF pass for free."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")


@pytest.fixture
def lung(db):
    return Topic.objects.create(name="Lung & chest cancer", slug="lung-cancer")


@pytest.fixture
def guest(db):
    return Contributor.objects.create(name="Dr Élise O'Brien", slug="elise-obrien", kind="guest")


def ask(browser, follow, email=ADDRESS, source="/topics/immunotherapy/"):
    """The form on the page, then the consent page: returns (consent page, its answer)."""
    page = browser.post("/subscribe/", {"email": email, "source": source, "follow": follow})
    assert page.status_code == 200, page.content.decode()
    answer = browser.post(
        "/subscribe/consent/",
        {
            "email": email,
            "source": source,
            "follow": follow,
            "wording_version": services.WORDING_VERSION,
            "consent": "yes",
            "csrfmiddlewaretoken": csrf_token_in(page),
        },
    )
    return page, answer


def follow_link(message):
    found = re.search(r"/subscribe/follow/[^\s/]+/", message.body)
    assert found, message.body
    return found.group(0)


def csrf_token(browser):
    """A CSRF token for this browser, from the consent page (a follow page may have no form)."""
    return csrf_token_in(browser.post("/subscribe/", {"email": ADDRESS}))


def use(browser, link):
    """Press the link's button."""
    return browser.post(link, {"csrfmiddlewaretoken": csrf_token(browser)})


def confirmed(email=ADDRESS, topics=(), contributors=()):
    services.request_subscription(email, ip_hash="")
    subscriber = Subscriber.objects.get(email=email)
    services.confirm_subscription(subscriber, ip_hash="")
    subscriber.choose(topics=topics, contributors=contributors)
    all_limits_expire()
    return subscriber


def choices(subscriber):
    return (
        sorted(subscriber.topics.values_list("name", flat=True)),
        sorted(subscriber.contributors.values_list("name", flat=True)),
    )


# The form on the pages


@pytest.mark.parametrize("which", ["topic", "author"])
def test_the_page_has_an_email_me_form_without_token_or_cookie(
    site_tree, make_post, topic, contributor, which
):
    make_post()
    target = topic if which == "topic" else contributor
    response = Client().get(target.get_absolute_url())
    html = response.content.decode()
    form = html[html.index('class="follow-email"') :]
    form = form[: form.index("</section>")]
    heading = "this topic" if which == "topic" else contributor.name
    assert f">Email me about {heading}</h2>" in form
    assert 'action="/subscribe/"' in form
    assert f'name="follow" value="{which}:{target.pk}"' in form
    assert 'for="follow-email-address">Email address</label>' in form
    assert ">Email me</button>" in form
    assert "csrfmiddlewaretoken" not in form
    assert not response.cookies
    assert Client().get(target.get_absolute_url()).content == response.content


def test_the_form_leads_to_the_consent_page_naming_the_topic_and_stores_nothing(
    site_tree, browser, topic, mailoutbox
):
    page = browser.post("/subscribe/", {"email": ADDRESS, "follow": f"topic:{topic.pk}"})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Subscribe {ADDRESS} to alerts about Immunotherapy?" in html
    assert f'name="follow" value="topic:{topic.pk}"' in html
    assert not Subscriber.objects.exists() and not ConsentRecord.objects.exists()
    assert mailoutbox == []


# A new subscriber


def test_a_new_reader_follows_just_the_topic_once_the_link_is_used(
    site_tree, browser, lung, topic, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, answer = ask(browser, f"topic:{lung.pk}", source="/topics/lung-cancer/")
    assert answer.status_code == 302 and answer["Location"] == "/subscribe/sent/"
    [message] = mailoutbox
    assert message.subject == "Confirm your email alerts about Lung & chest cancer"
    assert "each time we publish a\npost about Lung & chest cancer" in message.body
    html = message.alternatives[0][0]
    assert "Lung &amp; chest cancer" in html and "Lung & chest" not in html
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert choices(subscriber) == ([], [])
    assert ConsentRecord.objects.get().source_path == "/topics/lung-cancer/"

    link = follow_link(message)
    page = browser.get(link)
    assert ">Confirm my subscription</button>" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # a GET changes nothing

    response = use(browser, link)
    assert response.status_code == 302 and response["Location"] == link
    assert "You follow Lung &amp; chest cancer" in browser.get(link).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert choices(subscriber) == (["Lung & chest cancer"], [])
    assert list(ConsentRecord.objects.values_list("action", flat=True)) == [
        "subscribe",
        "confirm",
        "preferences",
    ]

    use(browser, link)  # pressed again: nothing more
    assert ConsentRecord.objects.count() == 3


def test_a_new_reader_follows_just_the_author(
    site_tree, browser, guest, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(browser, f"author:{guest.pk}", source="/authors/elise-obrien/")
    [message] = mailoutbox
    assert message.subject == "Confirm your email alerts for posts by Dr Élise O'Brien"
    use(browser, follow_link(message))
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert choices(subscriber) == ([], ["Dr Élise O'Brien"])


# Someone already subscribed


def test_a_subscriber_with_choices_is_asked_to_add_the_topic_and_the_page_says_the_same(
    site_tree, browser, topic, lung, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, first = ask(browser, f"topic:{lung.pk}", email="someone-new@example.org")
    subscriber = confirmed(topics=[topic])
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        _, answer = ask(Client(enforce_csrf_checks=True), f"topic:{lung.pk}")
    assert (answer.status_code, answer["Location"]) == (first.status_code, first["Location"])
    [message] = mailoutbox[sent:]
    assert message.subject == "Confirm to add Lung & chest cancer to your email alerts"
    assert "Your other choices stay as they are." in message.body
    assert choices(subscriber) == (["Immunotherapy"], [])  # nothing before the link is used

    link = follow_link(message)
    assert ">Add Lung &amp; chest cancer</button>" in browser.get(link).content.decode()
    use(browser, link)
    assert choices(subscriber) == (["Immunotherapy", "Lung & chest cancer"], [])
    assert ConsentRecord.objects.filter(subscriber=subscriber, action="preferences").count() == 1


def test_a_subscriber_who_gets_every_post_keeps_getting_every_post(
    site_tree, browser, guest, mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = confirmed()
    with django_capture_on_commit_callbacks(execute=True):
        ask(browser, f"author:{guest.pk}")
    [message] = mailoutbox[-1:]
    assert message.subject == "You already get every post from The Cancer Blog by email"
    assert "nothing has changed" in message.body
    assert "/subscribe/manage/" in message.body

    assert "/subscribe/follow/" not in message.body  # nothing to confirm
    token = following.make_token(subscriber, following.Follow("author", guest))
    url = f"/subscribe/follow/{token}/"
    assert "You already get every post" in browser.get(url).content.decode()
    use(browser, url)
    assert choices(subscriber) == ([], [])  # following one author never narrows "everything"


def test_a_subscriber_already_following_is_told_so(
    site_tree, browser, topic, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed(topics=[topic])
    with django_capture_on_commit_callbacks(execute=True):
        ask(browser, f"topic:{topic.pk}")
    assert mailoutbox[-1].subject == "You already get email alerts about Immunotherapy"


def test_repeated_requests_send_at_most_one_email_every_ten_minutes(
    site_tree, browser, topic, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            _, answer = ask(browser, f"topic:{topic.pk}")
            assert answer["Location"] == "/subscribe/sent/"
    assert len(mailoutbox) == 1
    assert Subscriber.objects.count() == 1


def test_following_another_topic_at_once_sends_its_link_but_an_inbox_cannot_be_flooded(
    site_tree, topic, mailoutbox, django_capture_on_commit_callbacks
):
    others = [Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}") for n in range(8)]
    with django_capture_on_commit_callbacks(execute=True):
        for target in [topic, *others]:
            _, answer = ask(Client(enforce_csrf_checks=True), f"topic:{target.pk}")
            assert answer["Location"] == "/subscribe/sent/"
    assert len(mailoutbox) == services.LINKS_PER_HOUR == 6
    assert "about Immunotherapy" in mailoutbox[0].subject
    assert "about Topic 0" in mailoutbox[1].subject


# Hostile input


@pytest.mark.parametrize(
    "value",
    [
        "topic:999999",
        "author:999999",
        "topic:abc",
        "topic:-1",
        "topic:0",
        "topic:1.5",
        "topic:١",  # an Arabic-Indic digit
        "page:1",
        "topic:1;author:1",
        " topic:1",
        "topic:" + "9" * 40,
        "<script>alert(1)</script>",
        "x" * 100_000,
    ],
)
def test_a_hostile_or_stale_follow_value_gets_a_clear_error_and_stores_nothing(
    site_tree, browser, topic, value, mailoutbox
):
    page = browser.post("/subscribe/", {"email": ADDRESS, "follow": value})
    html = page.content.decode()
    assert page.status_code == 400
    assert FOLLOW_GONE.replace("'", "&#x27;") in html
    assert 'name="follow"' not in html  # sending it again subscribes to every post, as it says
    assert "<script>alert" not in html

    consent = browser.post(
        "/subscribe/consent/",
        {
            "email": ADDRESS,
            "follow": value,
            "wording_version": services.WORDING_VERSION,
            "consent": "yes",
            "csrfmiddlewaretoken": csrf_token(browser),
        },
    )
    assert consent.status_code == 400
    assert FOLLOW_GONE.replace("'", "&#x27;") in consent.content.decode()
    assert not Subscriber.objects.exists() and not ConsentRecord.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "email",
    ["", "not-an-address", "a" * 250 + "@example.org", "<script>@example.org", "x@exa mple.org"],
)
def test_a_mistyped_address_keeps_the_topic_it_was_for(site_tree, browser, topic, email):
    page = browser.post("/subscribe/", {"email": email, "follow": f"topic:{topic.pk}"})
    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="id_email-error"' in html
    assert "Subscribe to email alerts about Immunotherapy</h1>" in html
    assert f'name="follow" value="topic:{topic.pk}"' in html
    assert "<script>@" not in html
    assert not Subscriber.objects.exists()


def test_a_topic_deleted_before_consent_gets_a_clear_error(site_tree, browser, lung, mailoutbox):
    page = browser.post("/subscribe/", {"email": ADDRESS, "follow": f"topic:{lung.pk}"})
    gone = lung.pk
    lung.delete()
    answer = browser.post(
        "/subscribe/consent/",
        {
            "email": ADDRESS,
            "follow": f"topic:{gone}",
            "wording_version": services.WORDING_VERSION,
            "consent": "yes",
            "csrfmiddlewaretoken": csrf_token_in(page),
        },
    )
    assert answer.status_code == 400
    assert "no longer on the blog" in answer.content.decode()
    assert not Subscriber.objects.exists() and mailoutbox == []


def test_unicode_and_markup_in_a_name_stay_text(
    site_tree, browser, mailoutbox, django_capture_on_commit_callbacks
):
    topic = Topic.objects.create(name='<b>Ünïcode</b> "&" 肺癌', slug="unicode")
    with django_capture_on_commit_callbacks(execute=True):
        page, _ = ask(browser, f"topic:{topic.pk}")
    assert "<b>Ünïcode" not in page.content.decode()
    assert "&lt;b&gt;Ünïcode&lt;/b&gt;" in page.content.decode()
    [message] = mailoutbox
    assert '<b>Ünïcode</b> "&" 肺癌' in message.subject  # plain text stays as typed
    assert "<b>Ünïcode" not in message.alternatives[0][0]
    assert "&lt;b&gt;Ünïcode&lt;/b&gt;" in message.alternatives[0][0]


# The link


@pytest.fixture
def pending(site_tree, browser, lung, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(browser, f"topic:{lung.pk}")
    return Subscriber.objects.get(), follow_link(mailoutbox[-1])


def unchanged(subscriber):
    subscriber.refresh_from_db()
    return (
        subscriber.status == Subscriber.Status.PENDING
        and choices(subscriber) == ([], [])
        and ConsentRecord.objects.count() == 1
    )


def signed(value):
    return f"/subscribe/follow/{tokens.make_token('subscriptions.follow', value)}/"


@pytest.mark.parametrize(
    "make_link",
    [
        lambda s, link, other: link[:-6] + "xx/",
        lambda s, link, other: "/subscribe/follow/nonsense/",
        lambda s, link, other: f"/subscribe/follow/{'A' * 5000}/",
        lambda s, link, other: f"/subscribe/follow/{services.make_token('confirm', s)}/",
        lambda s, link, other: f"/subscribe/follow/{services.make_token('manage', s)}/",
        # Another topic's or author's id, or another subscriber, in an otherwise genuine value
        # signed with another salt: the signature does not hold.
        lambda s, link, other: (
            "/subscribe/follow/"
            + signing.dumps([s.pk, services.email_hash(s.email)[:32], "author", other.pk])
            + "/"
        ),
        # Signed values of the wrong shape never pass for a link.
        lambda s, link, other: signed([s.pk, services.email_hash(s.email)[:32], "topic", "1"]),
        lambda s, link, other: signed([s.pk, services.email_hash(s.email)[:32], "page", 1]),
        lambda s, link, other: signed([s.pk, services.email_hash(s.email)[:32], "topic", True]),
        lambda s, link, other: signed([s.pk, "0" * 32, "author", other.pk]),
        lambda s, link, other: signed([s.pk, services.email_hash(s.email)[:32]]),
        lambda s, link, other: signed({"pk": s.pk}),
    ],
    ids=[
        "tampered",
        "nonsense",
        "huge",
        "confirm-token",
        "manage-token",
        "unsalted",
        "string-id",
        "unknown-kind",
        "boolean-id",
        "wrong-address",
        "pair",
        "dict",
    ],
)
def test_a_forged_or_foreign_link_gets_the_link_expired_page_and_changes_nothing(
    pending, browser, guest, make_link
):
    subscriber, link = pending
    bad = make_link(subscriber, link, guest)
    page = browser.get(bad)
    assert page.status_code == 404
    assert EXPIRED in page.content.decode()
    assert use(browser, bad).status_code == 404
    assert unchanged(subscriber)


def test_a_link_to_a_deleted_topic_says_so_and_changes_nothing(pending, browser, lung):
    subscriber, link = pending
    lung.delete()
    page = browser.get(link)
    assert page.status_code == 404
    assert "This topic is no longer on the blog" in page.content.decode()
    assert use(browser, link).status_code == 404
    assert unchanged(subscriber)


def test_a_link_for_an_unsubscribed_or_changed_address_no_longer_works(pending, browser):
    subscriber, link = pending
    Subscriber.objects.filter(pk=subscriber.pk).update(email="someone-else@example.org")
    assert browser.get(link).status_code == 404
    Subscriber.objects.filter(pk=subscriber.pk).update(
        email=ADDRESS, status=Subscriber.Status.UNSUBSCRIBED
    )
    assert browser.get(link).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert choices(subscriber) == ([], [])


# Who gets the alert: topics or authors, the same count before and after publishing


@pytest.fixture
def readers(topic, lung, contributor, guest):
    """Instant subscribers: one for everything, one per topic, one per author, one for both."""

    def make(email, topics=(), contributors=()):
        subscriber = Subscriber.objects.create(email=email, status=Subscriber.Status.CONFIRMED)
        subscriber.choose(topics=topics, contributors=contributors)

    make("everything@example.org")
    make("immuno@example.org", topics=[topic])
    make("lung@example.org", topics=[lung])
    make("ana@example.org", contributors=[contributor])
    make("elise@example.org", contributors=[guest])
    make("lung-or-elise@example.org", topics=[lung], contributors=[guest])
    return make


def alerted(post):
    from subscriptions import alerts

    return sorted(alerts.alert_recipients(post).values_list("email", flat=True))


def test_an_alert_goes_to_who_follows_one_of_its_topics_or_authors(
    readers, make_post, topic, lung, contributor, guest
):
    by_ana_on_immuno = make_post(topics=[topic], contributors=[contributor], at=None)
    by_elise_on_immuno = make_post(topics=[topic], contributors=[guest], at=None)
    by_ana_on_lung = make_post(topics=[lung], contributors=[contributor], at=None)
    untagged_by_elise = make_post(topics=[], contributors=[guest], at=None)

    assert alerted(by_ana_on_immuno) == [
        "ana@example.org",
        "everything@example.org",
        "immuno@example.org",
    ]
    assert alerted(by_elise_on_immuno) == [
        "elise@example.org",
        "everything@example.org",
        "immuno@example.org",
        "lung-or-elise@example.org",
    ]
    assert alerted(by_ana_on_lung) == [
        "ana@example.org",
        "everything@example.org",
        "lung-or-elise@example.org",
        "lung@example.org",
    ]
    assert alerted(untagged_by_elise) == [
        "elise@example.org",
        "everything@example.org",
        "lung-or-elise@example.org",
    ]


def test_the_recipients_query_costs_the_same_however_many_follow_what(
    readers, make_post, topic, contributor, django_assert_num_queries
):
    from subscriptions import alerts

    post = make_post(topics=[topic], contributors=[contributor], at=None)
    post = type(post).objects.get(pk=post.pk)
    # The post's topics, its contributors, then one count.
    with django_assert_num_queries(3):
        few = alerts.alert_recipients(post).count()
    for n in range(30):
        extra_topic = Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}")
        extra_author = Contributor.objects.create(name=f"Author {n}", slug=f"author-{n}")
        readers(f"reader{n}@example.org", topics=[extra_topic, topic], contributors=[extra_author])
    post = type(post).objects.get(pk=post.pk)
    with django_assert_num_queries(3):
        many = alerts.alert_recipients(post).count()
    assert many == few + 30


def test_the_editors_count_before_publishing_is_who_the_alert_then_goes_to(
    readers, make_post, guest, lung, mailoutbox, django_capture_on_commit_callbacks, postal_address
):
    from subscriptions.models import Delivery
    from subscriptions.outlook import alert_outlook

    draft = make_post(title="Draft by Élise", topics=[lung], contributors=[guest], publish=False)
    assert "will go to 4 subscribers" in alert_outlook(draft)
    with django_capture_on_commit_callbacks(execute=True):
        draft.get_latest_revision().publish()
    assert Delivery.objects.count() == 4
    assert sorted(address for m in mailoutbox for address in m.to) == [
        "elise@example.org",
        "everything@example.org",
        "lung-or-elise@example.org",
        "lung@example.org",
    ]


def test_a_weekly_digest_lists_the_posts_of_the_followed_authors(
    settings, make_post, topic, lung, contributor, guest, mailoutbox, postal_address
):
    import datetime

    from django.utils import timezone

    from subscriptions import alerts, sending

    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY = timezone.localtime().weekday()
    settings.SUBSCRIPTIONS_DIGEST_HOUR = 0
    for email, topics, authors in [
        ("all@example.org", [], []),
        ("elise@example.org", [], [guest]),
        ("immuno-or-elise@example.org", [topic], [guest]),
        ("ana@example.org", [], [contributor]),
    ]:
        subscriber = Subscriber.objects.create(
            email=email, status=Subscriber.Status.CONFIRMED, frequency="weekly"
        )
        subscriber.choose(topics=topics, contributors=authors)
    day = datetime.timedelta(days=1)
    make_post(title="Elise on lungs", topics=[lung], contributors=[guest], at=timezone.now() - day)
    make_post(title="Ana on immunotherapy", at=timezone.now() - 2 * day)

    mailing = alerts.start_weekly_digest()
    alerts.prepare(mailing.pk)
    sending.send_mailing(mailing.pk)

    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert set(bodies) == {
        "all@example.org",
        "elise@example.org",
        "immuno-or-elise@example.org",
        "ana@example.org",
    }
    assert "Elise on lungs" in bodies["elise@example.org"]
    assert "Ana on immunotherapy" not in bodies["elise@example.org"]
    assert "Elise on lungs" in bodies["immuno-or-elise@example.org"]
    assert "Ana on immunotherapy" in bodies["immuno-or-elise@example.org"]
    assert "Elise on lungs" not in bodies["ana@example.org"]
    assert "Ana on immunotherapy" in bodies["all@example.org"]


# The preference page and the subscriber's data


def manage_url(subscriber):
    return f"/subscribe/manage/{services.make_token('manage', subscriber)}/"


def test_the_preference_page_lists_regular_writers_and_followed_authors(
    site_tree, browser, topic, contributor, guest
):
    other_guest = Contributor.objects.create(name="Unfollowed guest", slug="g2", kind="guest")
    subscriber = confirmed(contributors=[guest])
    html = browser.get(manage_url(subscriber)).content.decode()
    assert "<legend>Authors I follow</legend>" in html
    assert f'id="author-{contributor.pk}" value="{contributor.pk}" aria-describedby' in html
    assert f'id="author-{guest.pk}" value="{guest.pk}" checked' in html
    assert other_guest.name not in html
    assert 'id="which-topics-chosen" value="chosen" checked' in html


def test_choosing_only_authors_saves_them_and_all_topics_forgets_them(
    site_tree, browser, topic, contributor, guest
):
    from subscriptions.tests.pages import post_form

    subscriber = confirmed(topics=[topic])
    url = manage_url(subscriber)
    data = {"action": "preferences", "which_topics": "chosen", "frequency": "instant"}
    response = post_form(browser, url, {**data, "contributors": [contributor.pk, guest.pk]})
    assert response.status_code == 302
    assert choices(subscriber) == ([], ["Dr Ana Ribeiro", "Dr Élise O'Brien"])
    assert ConsentRecord.objects.filter(subscriber=subscriber, action="preferences").count() == 1

    response = post_form(browser, url, {**data, "which_topics": "all", "contributors": [guest.pk]})
    assert response.status_code == 302
    assert choices(subscriber) == ([], [])


def test_the_download_names_the_followed_authors_and_erasure_forgets_them(
    site_tree, topic, contributor
):
    from subscriptions import privacy

    subscriber = confirmed(contributors=[contributor])
    data = privacy.export_data(subscriber)
    assert data["topics"] == [] and data["authors"] == ["Dr Ana Ribeiro"]
    subscriber.choose(topics=[topic], contributors=[contributor])
    assert privacy.export_data(subscriber)["topics"] == ["Immunotherapy"]
    subscriber.choose()
    everything = privacy.export_data(subscriber)
    assert everything["topics"] == "all" and everything["authors"] == []

    subscriber.choose(contributors=[contributor])
    privacy.erase(subscriber)
    assert not Subscriber.contributors.through.objects.exists()
    assert Contributor.objects.filter(pk=contributor.pk).exists()
