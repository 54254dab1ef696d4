"""One public origin: every absolute address the site emits starts with BASE_URL, whatever the
Wagtail Site record says, and `migrate` / `setup_site` keep that record in step."""

import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from blog.models import BlogIndexPage, HomePage, PostPage, StandardPage
from core.models import SiteSettings
from core.sites import check_default_site, sync_default_site

PUBLIC = "https://blog.example.org"
ABSOLUTE = re.compile(r"""(?:href|src|content|srcset)="(https?://[^"\s]+)""")
# Share buttons point at the networks; the address they share is checked on its own.
SHARE_HOSTS = {"www.linkedin.com", "x.com", "twitter.com", "www.facebook.com", "bsky.app"}


@pytest.fixture
def public(settings):
    settings.BASE_URL = PUBLIC
    settings.WAGTAILADMIN_BASE_URL = PUBLIC


def origins_in(text):
    found = set()
    for url in ABSOLUTE.findall(text) + re.findall(r'"(?:url|@id)": "(https?://[^"]+)"', text):
        parts = urlsplit(url.replace("&amp;", "&"))
        if parts.hostname in SHARE_HOSTS:
            for values in parse_qs(parts.query).values():
                found.update(v for v in values if v.startswith("http"))
            continue
        found.add(url)
    return {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in found}


def test_a_post_page_names_only_base_url_whatever_the_site_record_says(
    public, client, make_post, site_tree
):
    # The site record (testserver:80, as on a database made before BASE_URL was set) disagrees.
    post = make_post(title="Screening saves lives")

    html = client.get(post.url).content.decode()

    assert f'<link rel="canonical" href="{PUBLIC}/blog/{post.slug}/">' in html
    assert origins_in(html) == {PUBLIC}
    assert post.full_url == f"{PUBLIC}/blog/{post.slug}/"


def test_feeds_and_the_sitemap_name_only_base_url(public, client, make_post):
    post = make_post(title="A post in every feed")

    for path in ("/feed/", "/feed/atom/", "/sitemap.xml"):
        text = client.get(path).content.decode()
        urls = set(re.findall(r"https?://[^<\"\s]+", text)) - {
            "http://www.sitemaps.org/schemas/sitemap/0.9",
            "http://www.w3.org/2005/Atom",
            "http://www.w3.org/1999/xhtml",
            "http://purl.org/dc/elements/1.1/",
            "http://purl.org/rss/1.0/modules/content/",
        }
        assert urls and all(url.startswith(PUBLIC + "/") for url in urls), (path, urls)
    items = json.loads(client.get("/feed/json/").content)["items"]
    assert items[0]["url"] == f"{PUBLIC}/blog/{post.slug}/"


def test_with_several_sites_each_keeps_its_own_address(public, site_tree):
    home, _ = site_tree
    other_root = Page.get_first_root_node().add_child(title="Other", slug="other")
    Site.objects.create(hostname="other.example.net", port=443, root_page=other_root)

    assert other_root.full_url == "https://other.example.net/"
    assert home.full_url == "http://testserver/"  # several sites: the record decides


def test_migrate_gives_the_default_site_base_urls_address(public, site_tree):
    sync_default_site()

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("blog.example.org", 443, PUBLIC)


def test_the_deploy_check_fails_when_the_only_site_disagrees_until_migrate(public, site_tree):
    assert [error.id for error in check_default_site()] == ["core.E001"]
    sync_default_site()
    assert check_default_site() == []


def test_the_deploy_check_fails_when_the_default_site_disagrees_among_several(public, site_tree):
    other_root = Page.get_first_root_node().add_child(title="Other", slug="other")
    Site.objects.create(hostname="other.example.net", port=443, root_page=other_root)

    errors = check_default_site()

    assert [error.id for error in errors] == ["core.E001"]
    assert "http://testserver" in errors[0].msg and PUBLIC in errors[0].msg
    sync_default_site()
    assert check_default_site() == []


def test_setup_site_makes_the_tree_pages_and_settings_without_demo_posts(public, db):
    first, second = io.StringIO(), io.StringIO()
    call_command("setup_site", stdout=first)
    call_command("setup_site", stdout=second)  # and again: nothing twice

    assert "home and blog index 1, site settings 1, standard pages 5" in first.getvalue()
    assert "already in place" in second.getvalue()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("blog.example.org", 443)
    home = HomePage.objects.get()
    assert site.root_page_id == home.pk
    assert BlogIndexPage.objects.child_of(home).live().count() == 1
    slugs = set(StandardPage.objects.child_of(home).live().values_list("slug", flat=True))
    assert slugs == {
        "about",
        "write-for-us",
        "community-guidelines",
        "privacy",
        "accessibility",
    }
    assert PostPage.objects.count() == 0
    assert SiteSettings.objects.filter(site=site).count() == 1
    # Wagtail's placeholder welcome page is gone.
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()
