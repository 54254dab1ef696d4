"""WordPress's default category, in whatever language the blog was installed, is not a topic."""

import pytest

from blog.models import PostPage, Topic
from imports import importer
from imports.importer.uncategorized import is_default_category
from imports.models import ImportedObject

from .conftest import wxr_item

pytestmark = pytest.mark.django_db

CYRILLIC = "%d0%b1%d0%b5%d0%b7-%d1%80%d1%83%d0%b1%d1%80%d0%b8%d0%ba%d0%b8"  # без-рубрики


def post(wp_id):
    row = ImportedObject.objects.get(wp_type="post", wp_id=str(wp_id))
    return PostPage.objects.get(pk=row.object_id)


@pytest.mark.parametrize(
    ("slug", "name", "term_id"),
    [
        ("non-classe", "Non classé", 1),
        ("sin-categoria", "Sin categoría", 1),
        ("senza-categoria", "Senza categoria", 7),  # renumbered, still WordPress's name
        ("uncategorised", "Uncategorised", 12),
        (CYRILLIC, "Без рубрики", 1),
        ("%e6%9c%aa%e5%88%86%e9%a1%9e", "未分類", 1),
        ("allgemein", "Allgemein", 1),  # German WordPress's default is "General"
        ("non-classe-2", "Non classé", 1),  # a slug made unique, the name still says it
    ],
)
def test_a_localised_default_category_gives_no_topic(site_tree, write_export, slug, name, term_id):
    categories = ((slug, name, "", term_id), ("recherche", "Recherche", "", 2))
    terms = [("category", slug, name), ("category", "recherche", "Recherche")]

    report = importer.run(
        write_export([wxr_item(1, terms=terms)], categories=categories), download_images=False
    )

    assert list(Topic.objects.values_list("slug", flat=True)) == ["recherche"]
    assert [t.slug for t in post(1).topics.all()] == ["recherche"]
    assert any(f"“{name}” category" in n and "without a topic" in n for n in report.notes)


def test_a_default_category_missing_from_the_channel_is_known_by_its_name(site_tree, write_export):
    terms = [("category", "sem-categoria", "Sem categoria")]

    report = importer.run(write_export([wxr_item(1, terms=terms)]), download_images=False)

    assert not Topic.objects.exists() and not post(1).topics.exists()
    assert any("without a topic" in note for note in report.notes)


@pytest.mark.parametrize(
    ("slug", "name", "term_id"),
    [
        ("allgemein", "Allgemein", 5),  # "General" made by hand: a real category
        ("news", "News", 1),  # the default category renamed to something that means a topic
        ("classe", "Classé", 1),
        ("uncategorized-research", "Uncategorized research", 3),
    ],
)
def test_a_category_that_only_looks_like_it_stays_a_topic(
    site_tree, write_export, slug, name, term_id
):
    terms = [("category", slug, name)]

    importer.run(
        write_export([wxr_item(1, terms=terms)], categories=((slug, name, "", term_id),)),
        download_images=False,
    )

    assert post(1).topics.count() == 1


def test_the_default_categorys_archive_leads_to_the_blog(site_tree, write_export, client):
    categories = (("non-classe", "Non classé", "", 1),)
    terms = [("category", "non-classe", "Non classé")]
    importer.run(write_export([wxr_item(1, terms=terms)], categories=categories))

    for old in ("/category/non-classe/", "/?cat=1"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/blog/")


@pytest.mark.parametrize("hostile", ["", "%", "%ff%fe", "-" * 300, "<script>", "\u202e"])
def test_odd_slugs_and_names_are_simply_not_the_default(hostile):
    assert not is_default_category(hostile, hostile, None)
