"""The editorial design (issue 17, item 1) as a reader gets it, at 1280 and 390 pixels wide, in
light and dark: the self-hosted serif really draws the headings, the masthead shows the
organisation's logo or its name, the home page shows each post once, running-text links are
underlined and navigation is not, nothing comes from another host, and axe finds nothing."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible

SERIF = "Source Serif 4"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=[(size, scheme) for size in SIZES for scheme in ("light", "dark")])
def reader(browser, request):
    size, scheme = request.param
    context = browser.new_context(viewport=SIZES[size], color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(90_000)  # the first views make the renditions
    page.requested = []
    page.on("request", lambda req: page.requested.append(req.url))
    yield page
    context.close()


def rendering_fonts(page, selector):
    """The fonts Chromium actually drew the element's text with (not what the CSS asked)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {font["familyName"]: font["isCustomFont"] for font in fonts}


def assert_serif_drawn(page, selector):
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any(family.strip('"') == SERIF for family in loaded), loaded
    assert rendering_fonts(page, selector) == {SERIF: True}


def assert_only_own_host(page, site):
    own = urlsplit(site).netloc
    others = [url for url in page.requested if urlsplit(url).netloc not in (own, "")]
    assert others == [], others
    font = [url for url in page.requested if url.endswith(".woff2")]
    assert font and all(urlsplit(url).path.startswith("/static/fonts/") for url in font)


def assert_body_reads_comfortably(page, selector):
    size, line = page.eval_on_selector(
        selector,
        "el => [parseFloat(getComputedStyle(el).fontSize), "
        "parseFloat(getComputedStyle(el).lineHeight)]",
    )
    assert size >= 18 and line / size >= 1.5


def test_home_post_and_topic_read_as_a_publication(demo_site, reader, axe):
    from blog.models import PostPage

    page = reader
    phone = page.viewport_size["width"] < 500

    # Home: the masthead with the text mark, a lead story, then each post once.
    page.goto(demo_site + "/")
    expect(page.locator(".brand__mark")).to_have_text("European Oncology Education Foundation")
    lead = page.locator(".card--featured .card__title")
    expect(lead).to_be_visible()
    assert lead.bounding_box()["y"] < (300 if phone else 500)
    assert_serif_drawn(page, ".card--featured .card__title")
    links = page.locator("main .card__link").evaluate_all("els => els.map(e => e.pathname)")
    assert len(links) == len(set(links)) > 8, links
    expect(page.locator("#columns-heading")).to_be_visible()
    assert page.locator("main section[aria-labelledby^='topic-']").count() >= 2
    ratio = page.locator(".card-list .card__image img").first.evaluate(
        "img => img.getBoundingClientRect().width / img.getBoundingClientRect().height"
    )
    assert abs(ratio - 1.5) < 0.02
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Topics")
    assert nav_link.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    assert_accessible(axe, page)

    # A post: the title in the serif, the author's portrait, underlined links in the text.
    post = next(p for p in PostPage.objects.live() if p.hero_image_id and p.references)
    page.goto(demo_site + post.url)
    assert_serif_drawn(page, "h1")
    expect(page.locator(".contributor__photo").first).to_be_visible()
    assert_body_reads_comfortably(page, ".post__body p")
    prose_link = page.locator(".references__list a").first
    assert prose_link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
    assert_accessible(axe, page)

    # A topic: its posts as cards, the title in the serif.
    topic = post.topics.first()
    page.goto(demo_site + topic.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(topic.name)
    assert_serif_drawn(page, "h1")
    assert_accessible(axe, page)

    assert_only_own_host(page, demo_site)


def test_an_uploaded_logo_takes_the_place_of_the_text_mark(demo_site, page, axe):
    from wagtail.models import Site

    from blog.tests.test_rendering import make_image
    from core.models import SiteSettings

    org = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    org.logo = make_image("Foundation logo", size=(480, 160))
    org.save()

    page.set_default_navigation_timeout(90_000)  # the first view makes the home's renditions
    page.goto(demo_site + "/")
    logo = page.get_by_role("link", name=org.organisation_name).get_by_role("img")
    expect(logo).to_be_visible()
    assert logo.get_attribute("alt") == org.organisation_name
    assert 40 <= logo.bounding_box()["height"] <= 56
    expect(page.locator(".brand__mark")).to_have_count(0)
    assert_accessible(axe, page)
