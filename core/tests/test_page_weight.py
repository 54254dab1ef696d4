"""A post page stays light for readers on slow phone connections: under 100 kB before images
(HTML and every stylesheet, script and icon it references, gzip-compressed as served), nothing
render-blocking from another host, and its images offered as AVIF and WebP with a JPEG
fallback."""

import gzip
import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import features
from wagtail.images.models import Image

from comments.models import Comment, Commenter

BUDGET = 100_000  # bytes on the wire before images
COMMENTS = 200
HOSTILE = (
    '<script src="https://evil.example/x.js"></script>'
    '<link rel="stylesheet" href="https://evil.example/x.css">'
)


class Page(HTMLParser):
    """The elements of a page that cost a request, and its <picture> elements."""

    def __init__(self, html):
        super().__init__()
        self.head = True
        self.scripts, self.links, self.pictures = [], [], []
        self.picture = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.head = False
        elif tag == "script" and attrs.get("src"):
            self.scripts.append({**attrs, "in_head": self.head})
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "picture":
            self.picture = {"sources": [], "img": None}
            self.pictures.append(self.picture)
        elif tag == "source" and self.picture is not None:
            self.picture["sources"].append(attrs)
        elif tag == "img" and self.picture is not None:
            self.picture["img"] = attrs

    def handle_endtag(self, tag):
        if tag == "picture":
            self.picture = None

    def fetched(self):
        """URLs the browser fetches before any image: scripts, stylesheets, preloads, icons."""
        rels = {"stylesheet", "preload", "modulepreload", "icon"}
        links = [a["href"] for a in self.links if rels & set(a.get("rel", "").split())]
        return [s["src"] for s in self.scripts] + links


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_image(title):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (30, 110, 140)).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="photo.jpg"))


@pytest.fixture
def post(make_post):
    """A long post with a hero image, a body image and 200 published comments, one of them
    trying to smuggle in a third-party script and stylesheet."""
    body = [
        ("paragraph", "<p>" + "What the trial found, in plain words. " * 40 + "</p>"),
        ("image", {"image": make_image("Body"), "alt": "Nurse preparing an infusion"}),
        ("paragraph", "<p>" + "What it means for patients and carers. " * 40 + "</p>"),
    ]
    post = make_post(
        title="A long read with a long conversation",
        body=body,
        hero_image=make_image("Hero"),
        hero_alt="Researchers looking at a scan",
    )
    now = timezone.now()
    people = [
        Commenter.objects.create(email=f"reader{n}@example.org", name=f"Reader {n}")
        for n in range(10)
    ]
    Comment.objects.bulk_create(
        Comment(
            post=post,
            commenter=people[n % 10],
            author_name=people[n % 10].name,
            body=HOSTILE if n == 7 else f"Comment {n}: thank you, this helped me understand. " * 3,
            status=Comment.Status.APPROVED,
            created_at=now - timezone.timedelta(minutes=COMMENTS - n),
            approved_at=now,
        )
        for n in range(COMMENTS)
    )
    return post


def served_size(url):
    """Bytes a static file costs on the wire: WhiteNoise serves the gzip copy it made at
    collectstatic time (level 9)."""
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not one of our static files"
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    assert found, f"{url} is referenced by the page but does not exist"
    with open(found, "rb") as file:
        return len(gzip.compress(file.read(), compresslevel=9))


@pytest.mark.django_db
def test_a_post_page_with_200_comments_weighs_under_100_kb_before_images(client, post):
    response = client.get(post.url)
    assert response.status_code == 200
    html = response.content
    assert html.count(b'class="comment') >= COMMENTS  # the comments really are on the page
    page = Page(html.decode())
    assets = page.fetched()
    assert any(url.endswith(".css") for url in assets) and any(
        url.endswith(".js") for url in assets
    )

    # nginx compresses the HTML at gzip level 5 (deploy/nginx/cancerblog.conf).
    weights = {"html": len(gzip.compress(html, compresslevel=5))}
    weights.update({url: served_size(url) for url in assets})
    assert sum(weights.values()) < BUDGET, weights


@pytest.mark.django_db
def test_a_post_page_fetches_nothing_render_blocking_from_another_host(client, post):
    page = Page(client.get(post.url).content.decode())

    for url in page.fetched():
        assert not urlsplit(url).netloc, f"{url} is fetched from another host"
    for link in page.links:
        if "stylesheet" in link.get("rel", "").split():
            assert not urlsplit(link["href"]).netloc, link
    for script in page.scripts:
        assert not urlsplit(script["src"]).netloc, script
        if script["in_head"]:
            assert {"defer", "async"} & set(script) or script.get("type") == "module", script
    # The comment that carried the tags shows them as text.
    assert b"&lt;script src=" in client.get(post.url).content


def test_pillow_on_this_machine_encodes_avif_and_webp():
    assert features.check("avif"), "Pillow was built without libavif: pages ask for AVIF"
    assert features.check("webp")


@pytest.mark.django_db
def test_hero_and_body_images_are_offered_as_avif_and_webp_with_a_jpeg_fallback(client, post):
    page = Page(client.get(post.url).content.decode())
    alts = [p["img"]["alt"] for p in page.pictures]
    assert "Researchers looking at a scan" in alts and "Nurse preparing an infusion" in alts

    for picture in page.pictures:
        if picture["img"]["alt"] not in (
            "Researchers looking at a scan",
            "Nurse preparing an infusion",
        ):
            continue
        types = [source["type"] for source in picture["sources"]]
        assert types == ["image/avif", "image/webp"], types  # best first; the browser picks
        img = picture["img"]
        assert img["src"].endswith(".jpg") and img.get("width") and img.get("height")
        for source in picture["sources"]:
            assert source["sizes"] == "(max-width: 800px) 100vw, 800px"
            candidates = [c.split() for c in source["srcset"].split(",")]
            assert [width for _, width in candidates] == ["400w", "800w", "1200w"]
            for url, _ in candidates:
                # The file really is in the format announced.
                with PILImage.open(settings.MEDIA_ROOT / url.removeprefix(settings.MEDIA_URL)) as f:
                    assert f.format == source["type"].removeprefix("image/").upper()
