"""A reader finds, reads, follows and searches posts; axe-core finds nothing to fix on the way."""

import re

from playwright.sync_api import expect

from e2e.conftest import assert_accessible


def test_reader_goes_from_home_to_a_post_to_its_topic_to_search(demo_site, page, axe):
    assert page.goto(demo_site + "/").ok
    expect(page.locator("h1").first).to_be_visible()
    expect(page.get_by_role("complementary").locator("#subscribe")).to_be_attached()
    assert_accessible(axe, page)

    # The home page leads to a post.
    page.locator("main article a[href^='/blog/']").first.click()
    expect(page).to_have_url(re.compile(r"/blog/[\w-]+/$"))
    post_title = page.locator("h1").inner_text()
    assert post_title
    share = page.get_by_role("navigation", name=re.compile("Share", re.I))
    for network in ("LinkedIn", "X", "Facebook", "Bluesky", "Email"):
        expect(share.get_by_role("link", name=re.compile(network))).to_have_count(1)
    assert_accessible(axe, page)

    # From the post to one of its topics.
    page.locator("main a[href^='/topics/']").first.click()
    expect(page).to_have_url(re.compile(r"/topics/[\w-]+/$"))
    expect(page.locator("main")).to_contain_text(post_title)
    assert_accessible(axe, page)

    # Search for a word of the post's title, through the form.
    word = max(re.findall(r"[A-Za-z]{5,}", post_title), key=len)
    page.goto(demo_site + "/search/")
    page.get_by_label("Search the blog").fill(word)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator("main")).to_contain_text(post_title)
    expect(page.locator("main mark").first).to_be_visible()
    assert_accessible(axe, page)


def test_a_video_loads_only_when_the_reader_asks(demo_site, page):
    from blog.models import PostPage

    post = next(p for p in PostPage.objects.live() if any(b.block_type == "embed" for b in p.body))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(demo_site + post.url)
    assert not any("youtube" in url or "vimeo" in url for url in requests)
    expect(page.locator("iframe")).to_have_count(0)
    page.get_by_role("button", name=re.compile("Load video")).first.click()
    expect(page.locator("iframe").first).to_be_attached()


def test_the_subscribe_slot_is_near_the_top_on_a_phone(demo_site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    assert page.goto(demo_site + "/").ok
    box = page.locator("#subscribe").bounding_box()
    assert box is not None and box["y"] < 844, "subscribe box should be on the first screen"
    context.close()
