"""Links into the old blog are stored as page links or root-relative paths, never as this
site's absolute address: an import under one BASE_URL must not pin them to that host."""

import json

import pytest
from wagtail.models import ReferenceIndex

from blog.models import PostPage, StandardPage
from imports import importer
from imports.models import ImportedObject

from .conftest import wxr_item

pytestmark = pytest.mark.django_db

OLD = "https://old.example.org"


def run(path, **kwargs):
    kwargs.setdefault("download_images", False)
    return importer.run(path, **kwargs)


def page(wp_id, kind="post"):
    row = ImportedObject.objects.get(wp_type=kind, wp_id=str(wp_id))
    model = PostPage if kind == "post" else StandardPage
    return model.objects.get(pk=row.object_id)


def stored(page_):
    """The body as stored on the page row and in its latest revision."""
    page_.refresh_from_db()
    body = json.dumps(page_.body.get_prep_value())
    revision = json.loads(page_.latest_revision.content["body"])
    return body, json.dumps(revision)


LINKS = (
    f'<p><a href="{OLD}/2021/03/earlier/">earlier post</a>, '
    f'<a href="{OLD}/2021/03/later/">later post</a>, '
    '<a href="/about-us/">relative page</a>, '
    f'<a href="{OLD}/?p=1">plain earlier</a>, '
    f'<a href="{OLD}/category/research/page/2/">archive</a>, '
    f'<a href="//old.example.org/tag/car-t/?x=1&amp;y=2">tag</a>, '
    f'<a href="{OLD}/2021/03/earlier/#results">anchor</a>, '
    f'<a href="{OLD}/wp-content/uploads/2021/03/leaflet.pdf">file</a>, '
    '<a href="https://elsewhere.example.com/2021/03/later/">elsewhere</a>, '
    '<a href="https://blog.example.eu/already-here/">this site</a>, '
    f'<a href="{OLD}">old home</a></p>'
)


def export(write_export, *, links=LINKS, later_title="Later"):
    return write_export(
        [
            wxr_item(1, "Earlier", slug="earlier"),
            wxr_item(2, "Links", slug="links", content=links),
            wxr_item(
                4,
                "Page linking",
                post_type="page",
                slug="page-linking",
                status="draft",
                content=f'<p><a href="{OLD}/2021/03/later/">see the later post</a></p>',
            ),
            wxr_item(3, later_title, slug="later"),
            wxr_item(5, "About us", post_type="page", slug="about-us", link=f"{OLD}/about-us/"),
        ]
    )


def test_links_to_posts_and_pages_become_page_links_even_to_posts_later_in_the_file(
    site_tree, write_export, settings
):
    settings.BASE_URL = "https://blog.example.eu"

    run(export(write_export))

    earlier, later, about = page(1), page(3), page(5, "page")
    for body in stored(page(2)):
        assert f'<a linktype=\\"page\\" id=\\"{earlier.pk}\\">earlier post' in body
        assert f'<a linktype=\\"page\\" id=\\"{later.pk}\\">later post' in body
        assert f'<a linktype=\\"page\\" id=\\"{about.pk}\\">relative page' in body
        assert f'<a linktype=\\"page\\" id=\\"{earlier.pk}\\">plain earlier' in body
        assert "old.example.org/2021" not in body and "blog.example.eu/20" not in body
    draft = page(4, "page")
    assert f'id=\\"{later.pk}\\">see the later post' in stored(draft)[1]
    assert not draft.live


def test_other_old_addresses_become_paths_that_the_redirects_lead_on(site_tree, write_export):
    run(export(write_export))

    body = stored(page(2))[0]
    assert 'href=\\"/category/research/page/2/\\">archive' in body
    assert 'href=\\"/tag/car-t/?x=1&amp;y=2\\">tag' in body
    assert 'href=\\"/2021/03/earlier/#results\\">anchor' in body
    assert f'href=\\"{OLD}/wp-content/uploads/2021/03/leaflet.pdf\\">file' in body
    assert 'href=\\"https://elsewhere.example.com/2021/03/later/\\">elsewhere' in body
    assert 'href=\\"/\\">old home' in body


def test_the_page_links_render_to_the_pages_and_are_in_the_reference_index(
    site_tree, write_export, client
):
    run(export(write_export))
    links, later = page(2), page(3)

    html = client.get(links.url).content.decode()

    assert f'<a href="{later.url}">later post</a>' in html
    assert f'<a href="{page(1).url}">earlier post</a>' in html
    assert 'href="/category/research/page/2/"' in html
    referenced = ReferenceIndex.get_references_to(later).values_list("object_id", flat=True)
    assert str(links.pk) in referenced


def test_an_import_run_again_under_another_base_url_never_leaves_the_first_host(
    site_tree, write_export, settings, client
):
    settings.BASE_URL = "https://first.example.eu"
    run(export(write_export))
    settings.BASE_URL = "https://second.example.eu"
    changed = LINKS.replace("earlier post", "the earlier post")

    report = run(export(write_export, links=changed, later_title="Later, retitled"))

    assert report.counts["post"]["updated"] == 2
    for wp_id in (2, 4):
        for body in stored(page(wp_id, "post" if wp_id == 2 else "page")):
            assert "first.example.eu" not in body and "second.example.eu" not in body
    html = client.get(page(2).url).content.decode()
    assert f'<a href="{page(1).url}">the earlier post</a>' in html
    assert "first.example.eu" not in html


def test_an_item_linking_to_itself_and_hostile_hrefs_are_safe(site_tree, write_export):
    hostile = (
        f'<p><a href="{OLD}/2021/03/self/">me</a> '
        f'<a href="{OLD}/x/&quot;onmouseover=&quot;alert(1)">quote</a> '
        f'<a href="{OLD}/%3Cscript%3E/">script</a> '
        f'<a href="{OLD}/ünïcode/">unicode</a></p>'
    )
    path = write_export([wxr_item(1, "Self", slug="self", content=hostile)])

    run(path)

    me = page(1)
    body = stored(me)[0]
    assert f'<a linktype=\\"page\\" id=\\"{me.pk}\\">me' in body
    assert "onmouseover=\\" not in body.replace("&quot;onmouseover", "")
    assert "<script" not in body


def test_a_blog_in_a_folder_has_its_plain_links_made_page_links(site_tree, write_export):
    base = "https://old.example.org/news"
    content = f'<p><a href="{base}/?p=1">plain</a> <a href="/news/2021/03/first/">path</a></p>'
    path = write_export(
        [
            wxr_item(1, "First", slug="first", base=base),
            wxr_item(2, "Second", slug="second", base=base, content=content),
        ],
        base=base,
    )

    run(path)

    body = stored(page(2))[0]
    assert body.count(f'<a linktype=\\"page\\" id=\\"{page(1).pk}\\">') == 2


def test_a_link_to_a_post_deleted_here_since_stays_a_path(site_tree, write_export):
    run(export(write_export))
    page(3).delete()
    changed = LINKS.replace("later post", "the later post")

    run(export(write_export, links=changed))

    body = stored(page(2))[0]
    assert 'href=\\"/2021/03/later/\\">the later post' in body
