"""The alert and the digest, as composed for subscribers, rendered by Chromium at a desktop mail
pane's 600 px and a small phone's 320 px: nothing runs off the side, the image fits, the button
is big enough to tap, no text is too small to read, and the postal address and the unsubscribe
link are there. Also with the <style> block stripped, as some webmail does: the inlined styles
must carry the layout on their own."""

import io
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from subscriptions import alerts, sending
from subscriptions.models import Mailing, Subscriber

WIDTHS = [600, 320]
# Set to a folder to keep a screenshot of every rendering, for a person to look at.
SCREENSHOTS = os.environ.get("EMAIL_SCREENSHOTS")

MEASURE = """() => {
    const visible = (el) => {
        const style = getComputedStyle(el);
        return style.display !== "none" && style.visibility !== "hidden"
            && el.getClientRects().length > 0 && parseFloat(style.opacity) > 0;
    };
    const tooSmall = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || !visible(el)) continue;
        if (el.closest(".email-preheader")) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 14) tooSmall.push([node.textContent.trim().slice(0, 40), size]);
    }
    const box = (el) => {
        const r = el.getBoundingClientRect();
        return [r.left, r.right, r.width, r.height];
    };
    return {
        viewport: window.innerWidth,
        scrollWidth: document.documentElement.scrollWidth,
        tooSmall,
        logo: [...document.querySelectorAll("img.email-logo")].map(
            (img) => [...box(img), img.naturalWidth, img.alt]),
        images: [...document.querySelectorAll("img.email-image")].map(
            (img) => [...box(img), img.naturalWidth, img.alt]),
        buttons: [...document.querySelectorAll("a.email-button__link")].map(
            (a) => [...box(a), visible(a), a.textContent.trim()]),
        footer: document.querySelector(".email-footer").innerText,
        unsubscribe: [...document.querySelectorAll("a")].filter(
            (a) => a.textContent.trim() === "Unsubscribe" && visible(a)).map((a) => a.href),
    };
}"""


def make_image(title, colour, size=(1600, 1000), name="photo.jpg"):
    buffer = io.BytesIO()
    picture = PILImage.new("RGB", size, colour)
    ImageDraw.Draw(picture).rectangle((20, 20, size[1] - 20, size[1] - 20), fill=(139, 30, 79))
    picture.save(buffer, "PNG" if name.endswith(".png") else "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=name))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def composed(media, postal_address, make_post, topic, mailoutbox):
    """{"alert": html, "digest": html} as the subscribers got them, with a wide logo."""
    from wagtail.models import Site

    from core.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.logo = make_image("Logo", (255, 255, 255), size=(900, 200), name="logo.png")
    site_settings.save()
    Subscriber.objects.create(email="instant@example.org", status="confirmed")
    Subscriber.objects.create(email="weekly@example.org", status="confirmed", frequency="weekly")
    now = timezone.now()
    make_post(
        title="Living with cancer at work: what employers across Europe get right and wrong",
        standfirst="Four in ten people of working age keep their job through treatment. "
        "Survivors, nurses and employers say what made the difference.",
        at=now - timezone.timedelta(days=3),
        hero_image=make_image("An office", (120, 60, 80)),
        hero_alt="A survivor back at her desk",
    )
    make_post(
        title="Immunotherapy before surgery for melanoma: a new standard of care?",
        standfirst="Giving checkpoint inhibitors before the operation halved relapses in a "
        "phase 3 trial. What it means for patients now.",
        at=None,  # the alert goes out now (tasks run at once in tests)
        hero_image=make_image("A clinic", (30, 110, 140)),
        hero_alt="A nurse prepares an infusion",
    )
    mailing = Mailing.objects.create(
        key="digest:render",
        kind=Mailing.Kind.DIGEST,
        period_start=now - timezone.timedelta(days=7),
        period_end=now + timezone.timedelta(seconds=1),
    )
    alerts.prepare(mailing.pk)
    sending.send_mailing(mailing.pk)
    by_address = {m.to[0]: m.alternatives[0].content for m in mailoutbox}
    composed = {
        "alert": by_address["instant@example.org"],
        "digest": by_address["weekly@example.org"],
    }
    if SCREENSHOTS:
        for kind, html in composed.items():
            (Path(SCREENSHOTS) / f"{kind}.html").write_text(html)
    return composed


def serve_media(page, media):
    """The email's images come from BASE_URL's /media/: answer them from the test's files,
    and let nothing else reach the network."""

    def answer(route):
        path = urlsplit(route.request.url).path
        if route.request.url.startswith(settings.BASE_URL + "/media/"):
            return route.fulfill(path=str(Path(media) / path.removeprefix("/media/")))
        return route.abort()

    page.route("**/*", answer)


@pytest.mark.parametrize("kind", ["alert", "digest"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("webmail", [False, True], ids=["with-style", "style-stripped"])
def test_the_email_fits_and_reads_well(browser, composed, media, kind, width, webmail):
    html = composed[kind]
    if webmail:
        html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    serve_media(page, media)
    page.set_content(html, wait_until="load")
    if SCREENSHOTS:
        name = f"{kind}-{width}{'-webmail' if webmail else ''}.png"
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=True)
    found = page.evaluate(MEASURE)
    context.close()

    assert found["scrollWidth"] <= width, found
    assert found["tooSmall"] == []
    assert found["images"], "the post's image is shown"
    for left, right, shown_width, height, natural_width, alt in found["images"]:
        assert natural_width > 0, "the image loaded"
        assert left >= 0 and right <= width and shown_width <= 600
        assert height == pytest.approx(shown_width * 630 / 1200, abs=1)  # not squashed
        assert alt
    [(left, right, _, _, natural_width, alt)] = found["logo"]
    assert natural_width > 0 and left >= 0 and right <= width
    assert alt == "European Oncology Education Foundation"
    assert found["buttons"]
    for left, right, button_width, height, visible, label in found["buttons"]:
        assert visible and label == "Read the post"
        assert height >= 44 and button_width >= 44 and left >= 0 and right <= width
    assert "Rue de l'Exemple 1" in found["footer"] and "Brussels" in found["footer"]
    assert "published by European Oncology Education Foundation" in found["footer"]
    assert len(found["unsubscribe"]) == 1
    assert found["unsubscribe"][0].startswith(settings.BASE_URL + "/subscribe/stop/")
