"""On a 390 x 844 phone the first screen shows what was published: the lead story's title (home)
or the post's title starts above y = 300, under a one-row header and a one-line alerts box;
in light and dark, and axe finds nothing to fix."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible

PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=["light", "dark"])
def phone(browser, request):
    context = browser.new_context(viewport=PHONE, color_scheme=request.param)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_one_line_alerts_box(page):
    address = page.locator("#subscribe-email").bounding_box()
    button = page.locator("#subscribe").get_by_role("button", name="Subscribe").bounding_box()
    assert abs(address["y"] - button["y"]) < 8, "address and button share one line"
    assert button["x"] > address["x"] + address["width"] - 1
    expect(page.locator("#subscribe").get_by_role("textbox", name="Email address")).to_be_visible()


def test_the_lead_story_and_a_post_title_start_on_the_first_phone_screen(demo_site, phone, axe):
    phone.goto(demo_site + "/")
    nav = phone.get_by_role("navigation", name="Main")
    assert nav.bounding_box()["height"] < 60, "the main links sit on one row"
    assert_one_line_alerts_box(phone)
    lead = phone.locator(".card--featured .card__title")
    assert lead.bounding_box()["y"] < 300
    assert_accessible(axe, phone)

    lead.get_by_role("link").click()
    title = phone.get_by_role("heading", level=1)
    expect(title).to_be_visible()
    assert title.bounding_box()["y"] < 300
    assert_one_line_alerts_box(phone)
    assert_accessible(axe, phone)


def test_every_main_link_stays_reachable_on_a_phone(demo_site, phone):
    phone.goto(demo_site + "/")
    search = phone.get_by_role("navigation", name="Main").get_by_role("link", name="Search")
    search.focus()  # the row scrolls sideways to the focused link
    box = search.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
    search.click()
    expect(phone).to_have_url(demo_site + "/search/")
