"""Two WordPress blogs never share ledger rows, even when their exports name the same site
(every WordPress.com blog, every blog of a multisite network, has one base_site_url)."""

import pytest
from django.core.management import CommandError, call_command

from blog.models import PostPage
from imports import importer
from imports.models import ImportedObject
from imports.records import WXRError

from .conftest import image_bytes
from .wxr_factory import WXR, attachment, channel, item

pytestmark = pytest.mark.django_db


def wordpress_com(name, title):
    blog = f"https://{name}.wordpress.com"
    return channel(title=title, link=blog, base_site_url="http://wordpress.com", base_blog_url=blog)


def export(tmp_path, name, post_title, **kwargs):
    path = tmp_path / f"{name}.xml"
    link = f"https://{name}.wordpress.com/post-1/"
    items = [item(id=1, title=post_title, link=link, content="<p>What we know today.</p>")]
    return WXR(channel=wordpress_com(name, name.title()), items=items, **kwargs).write(path)


def run(path, **kwargs):
    return importer.run(path, download_images=False, **kwargs)


def test_a_second_wordpress_com_blog_adds_its_posts_and_overwrites_none(site_tree, tmp_path):
    run(export(tmp_path, "lungnotes", "Screening for lung cancer"))
    report = run(export(tmp_path, "skinclinic", "Sun and skin"))

    assert report.counts["post"]["created"] == 1 and report.counts["post"]["updated"] == 0
    titles = sorted(PostPage.objects.values_list("title", flat=True))
    assert titles == ["Screening for lung cancer", "Sun and skin"]
    sources = set(ImportedObject.objects.filter(wp_type="post").values_list("source", flat=True))
    assert sources == {"lungnotes.wordpress.com", "skinclinic.wordpress.com"}


def test_running_the_same_blog_again_updates_its_own_posts(site_tree, tmp_path):
    run(export(tmp_path, "lungnotes", "Screening for lung cancer"))
    report = run(export(tmp_path, "lungnotes", "Screening for lung cancer, revised"))

    assert report.counts["post"]["created"] == 0
    assert list(PostPage.objects.values_list("title", flat=True)) == [
        "Screening for lung cancer, revised"
    ]


@pytest.fixture
def earlier_import(site_tree, tmp_path):
    """An import made by the version that keyed blogs on the shared site address."""
    run(export(tmp_path, "lungnotes", "Screening for lung cancer"))
    ImportedObject.objects.update(source="wordpress.com")


def test_it_refuses_to_guess_whose_posts_an_earlier_import_under_the_shared_address_holds(
    earlier_import, tmp_path
):
    with pytest.raises(WXRError, match="--earlier-import adopt") as refused:
        run(export(tmp_path, "skinclinic", "Sun and skin"))

    assert "skinclinic.wordpress.com" in str(refused.value)
    assert list(PostPage.objects.values_list("title", flat=True)) == ["Screening for lung cancer"]
    assert set(ImportedObject.objects.values_list("source", flat=True)) == {"wordpress.com"}


def test_another_blog_is_imported_beside_the_earlier_one_when_told_separate(
    earlier_import, tmp_path
):
    report = run(export(tmp_path, "skinclinic", "Sun and skin"), earlier_import="separate")

    assert report.counts["post"]["created"] == 1
    assert PostPage.objects.count() == 2
    assert any("belong to another blog" in note for note in report.notes)


def test_the_same_blog_takes_over_the_earlier_rows_when_told_adopt(earlier_import, tmp_path):
    report = run(export(tmp_path, "lungnotes", "Screening, revised"), earlier_import="adopt")

    assert report.counts["post"]["created"] == 0
    assert list(PostPage.objects.values_list("title", flat=True)) == ["Screening, revised"]
    assert set(ImportedObject.objects.values_list("source", flat=True)) == {
        "lungnotes.wordpress.com"
    }
    # From now on the rows are this blog's: no question asked again.
    run(export(tmp_path, "lungnotes", "Screening, revised twice"))
    assert PostPage.objects.get().title == "Screening, revised twice"


def test_the_command_says_what_to_do_and_imports_nothing(earlier_import, tmp_path):
    path = export(tmp_path, "skinclinic", "Sun and skin")

    with pytest.raises(CommandError, match="nothing was: posts were imported earlier"):
        call_command("import_wordpress", str(path), "--no-images", stdout=open("/dev/null", "w"))
    assert PostPage.objects.count() == 1

    call_command(
        "import_wordpress",
        str(path),
        "--no-images",
        "--earlier-import",
        "separate",
        stdout=open("/dev/null", "w"),
    )
    assert PostPage.objects.count() == 2


def test_a_wordpress_com_blogs_images_are_found_in_its_uploads_folder(
    site_tree, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "05").mkdir(parents=True)
    (uploads / "2024" / "05" / "scan.png").write_bytes(image_bytes())
    files = "https://lungnotes.files.wordpress.com/2024/05"
    photo = attachment(id=9, file="scan.png", attachment_url=f"{files}/scan.png")
    post = item(
        id=1,
        title="What a scan shows",
        content=f'<p>Before.</p><img src="{files}/scan.png" alt="A CT scan"><p>After.</p>',
    )
    path = WXR(channel=wordpress_com("lungnotes", "Lung notes"), items=[photo, post]).write(
        tmp_path / "export.xml"
    )

    report = importer.run(path, uploads_dir=uploads, download_images=False)

    assert report.as_dict()["images"]["not_imported"] == []
    body = PostPage.objects.get().body
    assert [block.block_type for block in body].count("image") == 1
