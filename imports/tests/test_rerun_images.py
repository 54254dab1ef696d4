"""A run that could not have the images (--no-images, the old site down) is made good by the
next run that can: unchanged posts get their images, and the report counts attachments true."""

import pytest
from wagtail.images import get_image_model

from blog.models import PostPage
from imports import importer
from imports.models import ImportedObject

from .conftest import image_bytes, wxr_item

pytestmark = pytest.mark.django_db

Image = get_image_model()
OLD = "https://old.example.org"


def attachment(wp_id, name, parent=0):
    return wxr_item(
        wp_id,
        name,
        post_type="attachment",
        status="inherit",
        content="",
        parent=parent,
        attachment_url=f"{OLD}/wp-content/uploads/2024/05/{name}",
        meta={"_wp_attachment_image_alt": f"Alt of {name}"},
    )


def export(write_export):
    body = (
        f'<p>Before.</p><img class="wp-image-21" src="{OLD}/wp-content/uploads/2024/05/b.png">'
        f'<p>After.</p><img src="{OLD}/wp-content/uploads/2024/05/c-300x200.png" alt="C">'
    )
    return write_export(
        [
            attachment(20, "a.png", parent=1),
            attachment(21, "b.png", parent=1),
            attachment(22, "c.png", parent=1),
            attachment(23, "unused.png"),
            attachment(24, "gone.png"),
            wxr_item(1, "With images", meta={"_thumbnail_id": "20"}, content=body),
            wxr_item(2, "Plain"),
            wxr_item(3, "Gone", meta={"_thumbnail_id": "24"}),
            wxr_item(4, "Page", post_type="page", content=body),
        ]
    )


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2024" / "05"
    folder.mkdir(parents=True)
    for n, name in enumerate(["a.png", "b.png", "c.png", "unused.png"]):
        (folder / name).write_bytes(image_bytes(color=(n * 40, 10, 10)))
    yield tmp_path / "uploads"
    for image in Image.objects.all():
        image.file.delete(save=False)


def page(wp_id, kind="post"):
    row = ImportedObject.objects.get(wp_type=kind, wp_id=str(wp_id))
    return PostPage.objects.get(pk=row.object_id) if kind == "post" else row


def image_blocks(post):
    return [block.value["image"] for block in post.body if block.block_type == "image"]


def test_a_rerun_with_the_uploads_brings_in_what_a_run_without_images_could_not(
    site_tree, write_export, uploads
):
    path = export(write_export)
    first = importer.run(path, download_images=False)
    assert first.images["unused_attachments"] == 1  # unused.png: a.png to c.png are wanted
    assert page(1).hero_image is None and image_blocks(page(1)) == []

    again = importer.run(path, download_images=False, uploads_dir=uploads)

    post = page(1)
    assert post.hero_image is not None and post.hero_alt == "Alt of a.png"
    assert [image.title for image in image_blocks(post)] == ["b.png", "c.png"]
    assert again.images["created"] == 3 and again.images["unused_attachments"] == 1
    assert again.counts["post"]["updated"] == 1  # the post that lacked images
    assert again.counts["post"]["unchanged"] == 2  # nothing to add to the others
    assert again.counts["page"]["updated"] == 1
    assert [i["url"] for i in again.images["not_imported"]] == [
        f"{OLD}/wp-content/uploads/2024/05/gone.png"
    ]
    assert ImportedObject.objects.get(wp_type="post", wp_id="1").missing_images == []
    assert ImportedObject.objects.get(wp_type="post", wp_id="3").missing_images == [24]


def test_a_third_run_leaves_everything_alone(site_tree, write_export, uploads):
    path = export(write_export)
    importer.run(path, download_images=False)
    importer.run(path, download_images=False, uploads_dir=uploads)
    revisions = {p.pk: p.revisions.count() for p in PostPage.objects.all()}

    third = importer.run(path, download_images=False, uploads_dir=uploads)

    assert third.counts["post"]["updated"] == 0  # gone.png is still gone: nothing to redo
    assert {p.pk: p.revisions.count() for p in PostPage.objects.all()} == revisions
    assert third.images["created"] == 0 and third.images["unused_attachments"] == 1


def test_a_rerun_still_without_images_counts_the_wanted_attachments_as_used(
    site_tree, write_export
):
    path = export(write_export)
    importer.run(path, download_images=False)

    again = importer.run(path, download_images=False)

    assert again.counts["post"]["unchanged"] == 3 and again.counts["post"]["updated"] == 0
    assert again.images["unused_attachments"] == 1


def test_a_post_edited_here_meanwhile_is_not_overwritten_and_is_listed(
    site_tree, write_export, uploads, admin_user
):
    path = export(write_export)
    importer.run(path, download_images=False)
    post = page(1)
    post.title = "Edited here"
    post.save_revision(user=admin_user)

    again = importer.run(path, download_images=False, uploads_dir=uploads)

    assert page(1).get_latest_revision_as_object().title == "Edited here"
    assert any(
        h["wp_id"] == 1 and "images can be imported now" in h["reason"] for h in again.needs_a_hand
    )
