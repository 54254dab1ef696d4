"""The old addresses no single stored redirect can answer: the comments feed, replies to a
comment, date archives and every page of a paginated archive."""

import pytest
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory

from comments.models import Comment
from imports import importer
from imports.middleware import WordPressRedirectMiddleware
from imports.models import ImportedObject

from .conftest import wxr_comment, wxr_item

pytestmark = pytest.mark.django_db

BASE = "https://old.example.org"


def items(base=BASE):
    return [
        wxr_item(
            1,
            "Trial news",
            slug="trial-news",
            base=base,
            terms=[("category", "research", "Research"), ("post_tag", "car-t", "CAR-T cells")],
            comments=[wxr_comment(11, "Thanks"), wxr_comment(12, "Held", approved="0")],
        ),
        # A permalink that looks like a day's archive (/%year%/%monthnum%/%post_id%/).
        wxr_item(15, "Numbered", slug="numbered", link=f"{base}/2021/03/15/", base=base),
        wxr_item(16, "Archived", slug="archived", link=f"{base}/archives/16", base=base),
    ]


@pytest.fixture
def imported(site_tree, write_export):
    path = write_export(
        items(), categories=(("research", "Research", "", 2),), tags=(("car-t", "CAR-T cells"),)
    )
    importer.run(path, download_images=False)


def comment_pk(wp_id):
    return ImportedObject.objects.get(wp_type="comment", wp_id=str(wp_id)).object_id


def location(client, path):
    response = client.get(path)
    return response.status_code, response.get("Location")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/comments/feed/", "/feed/"),
        ("/comments/feed/atom/", "/feed/atom/"),
        ("/?feed=comments-rss2", "/feed/"),
        ("/2021/", "/blog/"),
        ("/2021/03/", "/blog/"),
        ("/2021/03/04/", "/blog/"),
        ("/2021/03/page/2/", "/blog/"),
        ("/?m=202103", "/blog/"),
        ("/page/2/", "/blog/?page=2"),
        ("/page/1/", "/blog/"),
        ("/?paged=3", "/blog/?page=3"),
        ("/category/research/page/2/", "/topics/research/?page=2"),
        ("/?cat=2&paged=2", "/topics/research/?page=2"),
        ("/tag/car-t/page/2/", "/search/?q=CAR-T+cells&page=2"),
        ("/author/ana/page/4/", "/authors/ana-ribeiro/?page=4"),
        # Permalinks of every shape still lead to their post.
        ("/2021/03/trial-news/", "/blog/trial-news/"),
        ("/2021/03/15/", "/blog/numbered/"),
        ("/archives/16", "/blog/archived/"),
        ("/?p=16", "/blog/archived/"),
    ],
)
def test_an_old_archive_address_answers_301_to_the_listing(imported, client, old, new):
    assert location(client, old) == (301, new)
    assert client.get(new).status_code == 200


def test_a_reply_to_a_comment_leads_to_that_comment_on_its_post(imported, client):
    anchor = f"/blog/trial-news/#comment-{comment_pk(11)}"

    assert location(client, "/2021/03/trial-news/?replytocom=11") == (301, anchor)
    assert location(client, "/blog/trial-news/?replytocom=11") == (301, anchor)


@pytest.mark.parametrize("value", ["12", "999", "abc", "9" * 40, "", "<script>"])
def test_a_reply_to_a_comment_not_shown_here_leads_to_the_post(imported, client, value):
    status, target = location(client, f"/2021/03/trial-news/?replytocom={value}&x=1")

    assert (status, target) == (301, "/2021/03/trial-news/?x=1")
    assert location(client, "/2021/03/trial-news/?x=1") == (301, "/blog/trial-news/")


def test_the_same_comment_id_in_two_blogs_leads_to_the_one_on_the_post_asked_for(
    imported, site_tree, write_export, client
):
    other = "https://other.example.net"
    importer.run(write_export(items(other), base=other), download_images=False)
    [mine, theirs] = Comment.objects.filter(body__contains="Thanks").order_by("pk")

    assert location(client, f"{mine.post.url}?replytocom=11")[1] == mine.get_absolute_url()
    assert location(client, f"{theirs.post.url}?replytocom=11")[1] == theirs.get_absolute_url()


def test_a_blog_that_lived_in_a_folder_has_its_archives_there(site_tree, write_export, client):
    base = "https://old.example.org/news"
    importer.run(write_export(items(base), base=base), download_images=False)

    assert location(client, "/news/page/2/") == (301, "/blog/?page=2")
    assert location(client, "/news/2021/03/") == (301, "/blog/")
    assert client.get("/2021/03/").status_code == 404


def test_without_an_import_archive_addresses_are_not_found(site_tree, client):
    for path in ("/2021/", "/page/2/", "/2021/03/04/", "/?paged=2"):
        assert client.get(path).status_code in (200, 404)
        assert "Location" not in client.get(path)


def test_addresses_that_only_look_like_archives_are_left_alone(imported, client):
    for path in ("/2021/13/", "/1850/", "/page/x/", "/page/2/extra/", "/blog/2021-03/"):
        assert client.get(path).status_code == 404


def test_a_found_page_or_a_post_costs_the_middleware_no_query(django_assert_num_queries):
    factory = RequestFactory()
    found = WordPressRedirectMiddleware(lambda request: HttpResponse("page"))
    missing = WordPressRedirectMiddleware(lambda request: HttpResponseNotFound("no"))
    with django_assert_num_queries(0):
        assert found(factory.get("/2021/03/")).status_code == 200
        assert missing(factory.get("/blog/nothing-here/")).status_code == 404
        assert missing(factory.post("/page/2/")).status_code == 404
