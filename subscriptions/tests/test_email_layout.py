"""Alerts and digests on the shared email layout: the organisation's name, logo and postal
address, the post's image and topics, a preheader, CSS inlined once per mailing; and no mailing
at all while the postal address is missing."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Site

from core import email as core_email
from core.models import SiteSettings
from subscriptions import alerts, sending
from subscriptions.compose import AlertComposer
from subscriptions.models import Delivery, Mailing, Subscriber
from subscriptions.outlook import alert_outlook
from subscriptions.tests.test_publish_outlook import publish, said

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site_settings(site_tree):
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def editor(client, make_user):
    user = make_user("editor", "Editors")
    client.force_login(user)
    return user


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what `make` enqueues on commit (prepare, then send), as a worker would."""

    def run(make):
        with django_capture_on_commit_callbacks(execute=True):
            return make()

    return run


def make_image(title="A nurse at a day unit", size=(1600, 900)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 110, 140)).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="photo.jpg"))


def subscribe(*emails, frequency="instant"):
    for email in emails:
        Subscriber.objects.create(email=email, frequency=frequency, status="confirmed")


def html_of(message):
    return message.alternatives[0].content


def test_an_alert_is_inlined_once_for_all_its_recipients_and_personalised_after(
    postal_address, make_post, run_tasks, mailoutbox, monkeypatch
):
    inlined = []
    real = core_email.inline_css
    monkeypatch.setattr(core_email, "inline_css", lambda html: inlined.append(1) or real(html))
    subscribe("ana@example.org", "ben@example.org", "chloe@example.org")

    run_tasks(lambda: make_post(at=None, title="Screening saves lives"))

    assert len(mailoutbox) == 3 and len(inlined) == 1
    for message in mailoutbox:
        html = html_of(message)
        # The stylesheet went into the elements; only the small-screen rules stay in a block.
        assert re.search(r'<td class="email-body" style="[^"]*padding: 28px 32px 8px', html)
        assert re.search(
            r'<a class="email-button__link" href="[^"]+" style="[^"]*display: inline', html
        )
        outside_comments = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # Outlook's own
        styles = re.findall(r"<style>(.*?)</style>", outside_comments, re.S)
        assert len(styles) == 1 and styles[0].lstrip().startswith("@media")
        assert message.to[0] in html and message.extra_headers["List-Unsubscribe"][1:-1] in html
        assert "__CB_" not in html and "__CB_" not in message.body


def test_the_alert_carries_the_organisation_image_topics_and_a_preheader(
    postal_address, site_settings, make_post, topic, run_tasks, mailoutbox, settings
):
    settings.BASE_URL = "https://blog.example.org"
    site_settings.organisation_name = "Oncology Education Foundation"
    site_settings.logo = make_image("Foundation logo", size=(800, 200))
    site_settings.save()
    subscribe("ana@example.org")

    post = run_tasks(
        lambda: make_post(
            at=None,
            title="Survivorship clinics across Europe",
            standfirst="Where survivors find care after treatment, and where they do not.",
            hero_image=make_image(),
            hero_alt="A nurse at a day unit",
        )
    )

    html = html_of(mailoutbox[0])
    logo = re.search(r'<img class="email-logo"[^>]*>', html).group(0)
    assert 'alt="Oncology Education Foundation"' in logo
    assert re.search(r'src="https://blog\.example\.org/media/images/[^"]+"', logo)
    assert 'width="200" height="50"' in logo
    image = re.search(r'<img class="email-image"[^>]*>', html).group(0)
    assert 'alt="A nurse at a day unit"' in image and 'width="600" height="315"' in image
    assert re.search(r'src="https://blog\.example\.org/media/images/[^"]+\.jpg"', image)
    assert f'href="https://blog.example.org/topics/{topic.slug}/"' in html
    assert f">{topic.name}</a>" in html
    assert f'href="https://blog.example.org{post.url}"' in html
    assert "Read the post</a>" in html and "v:roundrect" in html  # Outlook's own button
    preheader = re.search(r'<div class="email-preheader" style="([^"]*)">(.*?)</div>', html, re.S)
    assert "display: none" in preheader.group(1)
    assert "Where survivors find care after treatment" in preheader.group(2)
    assert "Rue de l'Exemple 1<br>1000 Brussels<br>Belgium" in html
    assert "published by Oncology Education Foundation" in html


def test_without_a_logo_the_organisation_name_is_the_mark(
    postal_address, make_post, run_tasks, mailoutbox
):
    subscribe("ana@example.org")
    run_tasks(lambda: make_post(at=None))

    html = html_of(mailoutbox[0])
    assert "email-logo" not in html
    assert re.search(r'<p class="email-mark"[^>]*>\s*European Oncology Education Foundation', html)


def test_a_logo_or_image_whose_file_is_gone_does_not_stop_the_alert(
    postal_address, site_settings, make_post, run_tasks, mailoutbox
):
    site_settings.logo = make_image("Foundation logo")
    site_settings.save()
    image = make_image()
    subscribe("ana@example.org")
    for lost in (site_settings.logo, image):
        lost.file.storage.delete(lost.file.name)

    run_tasks(lambda: make_post(at=None, hero_image=image, hero_alt="A clinic"))

    html = html_of(mailoutbox[0])
    assert "email-logo" not in html and "email-image" not in html
    assert "European Oncology Education Foundation" in html


def test_the_text_part_says_it_all_without_markup(
    postal_address, make_post, topic, run_tasks, mailoutbox, settings
):
    subscribe("ana@example.org")
    post = run_tasks(lambda: make_post(at=None, title="Screening saves lives"))

    text = mailoutbox[0].body
    assert text.startswith(f"{topic.name} · News · ")
    assert "Screening saves lives" in text and post.standfirst in text
    assert f"Read it: {settings.BASE_URL}{post.url}" in text
    assert "Unsubscribe: http" in text and "ana@example.org" in text
    assert "published by European Oncology Education Foundation." in text
    assert postal_address in text
    assert "<" not in text


def test_hostile_names_addresses_and_titles_stay_text(
    postal_address, site_settings, make_post, run_tasks, mailoutbox
):
    site_settings.organisation_name = "<script>alert(1)</script> & Co"
    site_settings.postal_address = '<img src=x onerror="alert(2)">\nRue "du" Test'
    site_settings.save()
    subscribe("ana@example.org")

    run_tasks(
        lambda: make_post(
            at=None,
            title='<script>alert("x")</script>\r\nBcc: all@example.org',
            hero_image=make_image(),
            hero_alt='"><script>alert(3)</script>',
        )
    )

    message = mailoutbox[0]
    document = BeautifulSoup(html_of(message), "html.parser")
    assert not document.find_all("script")
    assert not [
        tag for tag in document.find_all(True) if any(a.startswith("on") for a in tag.attrs)
    ]
    assert (
        document.find(class_="email-mark").get_text(strip=True) == "<script>alert(1)</script> & Co"
    )
    address = document.find(class_="email-address").get_text("|", strip=True)
    assert address == '<img src=x onerror="alert(2)">|Rue "du" Test'
    assert document.find(class_="email-image")["alt"] == '"><script>alert(3)</script>'
    assert document.find(class_="email-title").get_text(strip=True).startswith("<script>")
    assert (
        message.subject
        == 'New on The Cancer Blog: <script>alert("x")</script> Bcc: all@example.org'
    )
    assert "\n" not in message.subject and "\r" not in message.subject


def test_a_digest_shows_each_posts_image_topics_and_button(
    postal_address, make_post, topic, mailoutbox
):
    subscribe("weekly@example.org", frequency="weekly")
    now = timezone.now()
    make_post(
        title="First",
        at=now - timezone.timedelta(days=2),
        hero_image=make_image(),
        hero_alt="A clinic",
    )
    make_post(title="Second", at=now - timezone.timedelta(days=1))
    mailing = Mailing.objects.create(
        key="digest:test",
        kind=Mailing.Kind.DIGEST,
        period_start=now - timezone.timedelta(days=7),
        period_end=now,
    )
    alerts.prepare(mailing.pk)
    sending.send_mailing(mailing.pk)

    html = html_of(mailoutbox[0])
    assert html.count("Read the post</a>") == 2
    assert html.count(f">{topic.name}</a>") == 2
    assert html.count('<img class="email-image"') == 1 and 'alt="A clinic"' in html
    assert re.search(r'<div class="email-preheader"[^>]*>\s*Second · First', html)
    assert "Rue de l'Exemple 1" in html
    assert postal_address in mailoutbox[0].body


def test_the_inlined_alert_still_goes_the_fast_way_on_the_wire(postal_address, make_post):
    """Each message is the mailing's encoded bytes with the personal parts swapped in: the
    inlined layout keeps its lines short enough for that."""
    from blog.models import Topic

    subscriber = Subscriber.objects.create(email="ana@example.org", status="confirmed")
    topics = [
        Topic.objects.create(name=f"A rather long topic name number {n}", slug=f"topic-{n}")
        for n in range(5)
    ]
    post = make_post(
        at=None,
        hero_image=make_image(),
        hero_alt="A clinic " * 27,
        standfirst="x" * 400,
        topics=topics,
        title="T" * 255,
    )
    mailing = Mailing.objects.get(post=post)
    delivery = Delivery.objects.create(mailing=mailing, subscriber=subscriber)

    assert AlertComposer(mailing).wire(delivery, subscriber, eight_bit_ok=True) is not None


# --- no postal address, no mailing --------------------------------------------------------


def test_without_a_postal_address_an_alert_is_refused_and_says_why(
    make_post, run_tasks, mailoutbox
):
    subscribe("ana@example.org")

    post = run_tasks(lambda: make_post(at=None))

    assert mailoutbox == []
    mailing = Mailing.objects.get(post=post)
    assert mailing.status == Mailing.Status.SKIPPED and mailing.note == alerts.NO_ADDRESS_NOTE
    assert not Delivery.objects.exists()
    assert alert_outlook(post).startswith(
        "No email alert: add the organisation's postal address in Settings › Site settings first"
    )


def test_once_the_address_is_set_publishing_again_sends_the_held_alert_once(
    site_settings, make_post, run_tasks, mailoutbox
):
    subscribe("ana@example.org", "ben@example.org")
    post = run_tasks(lambda: make_post(at=None))
    assert mailoutbox == []

    site_settings.postal_address = "Rue de l'Exemple 1\n1000 Brussels"
    site_settings.save()
    run_tasks(lambda: post.save_revision().publish())
    run_tasks(lambda: post.save_revision().publish())

    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "ben@example.org"]
    assert Mailing.objects.get(post=post).status == Mailing.Status.DONE
    assert "Rue de l'Exemple 1" in html_of(mailoutbox[0])


def test_an_address_removed_mid_way_holds_the_rest_without_losing_it(
    site_settings, postal_address, make_post, mailoutbox
):
    subscribe("ana@example.org", "ben@example.org")
    mailing = Mailing.objects.get(post=make_post(at=None))  # tasks not run yet
    alerts.prepare(mailing.pk)
    site_settings.postal_address = "  "
    site_settings.save()

    assert sending.send_mailing(mailing.pk) == 0
    assert mailoutbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.QUEUED}

    site_settings.postal_address = postal_address
    site_settings.save()
    assert sending.send_mailing(mailing.pk) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "ben@example.org"]


def test_the_weekly_digest_waits_for_the_address_and_loses_no_post(
    site_settings, make_post, mailoutbox, settings
):
    subscribe("weekly@example.org", frequency="weekly")
    make_post(at=timezone.now() - timezone.timedelta(days=2))
    now = timezone.now()
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY = timezone.localtime(now).weekday()
    settings.SUBSCRIPTIONS_DIGEST_HOUR = 0

    assert alerts.start_weekly_digest(now=now) is None
    assert not Mailing.objects.exists()

    site_settings.postal_address = "Rue de l'Exemple 1\n1000 Brussels"
    site_settings.save()
    mailing = alerts.start_weekly_digest(now=now + timezone.timedelta(minutes=1))
    assert mailing is not None and mailing.status == Mailing.Status.PREPARING


def test_publishing_without_an_address_tells_the_editor_plainly(
    client,
    editor,
    make_post,
):
    post = make_post(title="New trial opens", publish=False)

    response = publish(client, post)

    assert (
        "No email alert: add the organisation's postal address in Settings › Site settings "
        "first, then publish the post again (within a day of its first publication) to send it."
    ) in said(response)
    preview = client.get(f"/admin/email-alerts/preview/{post.pk}/").content.decode()
    assert "No alert goes out until the organisation's postal address is set" in preview
    assert 'href="/admin/settings/core/sitesettings/"' in preview


def test_the_dashboard_asks_for_the_address_until_it_is_set(
    client, make_user, site_settings, postal_address
):
    client.force_login(make_user("admin", is_superuser=True))
    site_settings.postal_address = ""
    site_settings.save()

    html = client.get("/admin/").content.decode()
    assert "Email alerts are on hold" in html
    assert 'href="/admin/settings/core/sitesettings/">Add the postal address</a>' in html

    site_settings.postal_address = postal_address
    site_settings.save()
    assert "Email alerts are on hold" not in client.get("/admin/").content.decode()


@pytest.mark.parametrize(
    ("label", "width", "height"),
    [
        ("Read the post", 220, 48),  # short labels keep a comfortable button
        ("Add Immunotherapy to my alerts", 386, 48),  # as wide as its label
        ("Add " + "Complementary and integrative medicine " * 2 + "to my alerts", 536, 96),
    ],
)
def test_outlooks_button_is_as_wide_as_its_label_and_wraps_within_the_column(label, width, height):
    """Outlook draws the button as a VML shape of a fixed size: a label longer than the
    shape would be cut off there, not on the link other clients show."""
    from django.template.loader import render_to_string

    html = render_to_string(
        "emails/layout/button.html", {"url": "https://blog.example.org/x/", "label": label}
    )
    shape = re.search(r'<v:roundrect[^>]*style="([^"]*)"', html).group(1)
    assert f"width:{width}px" in shape and f"height:{height}px" in shape
    assert html.count(label) == 2  # in the shape and in the link
