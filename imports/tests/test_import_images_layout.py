"""A whole import keeps what its images meant: galleries stay galleries, small images small,
no placeholder goes live as alt text, and each image without a description is listed."""

from wagtail.images import get_image_model

from blog.blocks import PLACEHOLDER_ALT
from imports import importer

from .conftest import image_bytes, wxr_item
from .test_importer import attachment_item, hands, post

Image = get_image_model()


def test_a_blogs_galleries_small_images_audio_and_undescribed_images(
    site_tree, write_export, http_server, client
):
    for name, color in (("a.png", (10, 20, 30)), ("b.png", (40, 50, 60)), ("c.png", (7, 8, 9))):
        http_server.serve(f"/wp-content/uploads/{name}", image_bytes(color=color, size=(300, 200)))
    base = http_server.url
    content = (
        "<p>Our day unit, before the move.</p>[gallery]"
        f'<p><img class="alignright size-thumbnail" src="{base}/wp-content/uploads/c.png" '
        'width="150" height="150" alt="The garden"></p>'
        f'<p><img src="{base}/wp-content/uploads/b.png"></p>'
        f"[audio {base}/wp-content/uploads/talk.mp3]"
    )
    items = [
        attachment_item(20, http_server, "a.png", alt="Beds by a window", parent=1),
        attachment_item(21, http_server, "b.png", parent=1),
        attachment_item(22, http_server, "c.png", alt="The garden"),
        wxr_item(1, "Moving day", content=content, base=base),
    ]

    report = importer.run(write_export(items, base=base))

    page = post(1)
    kinds = [block.block_type for block in page.body]
    assert kinds == ["paragraph", "gallery", "image", "image", "audio"]
    gallery = page.body[1].value
    assert [image["alt"] for image in gallery["images"]] == ["Beds by a window", ""]
    assert [image["decorative"] for image in gallery["images"]] == [False, True]
    small = page.body[2].value
    assert (small["size"], small["align"]) == ("small", "right")
    assert page.body[4].value["url"] == f"{base}/wp-content/uploads/talk.mp3"
    # Nothing shown to readers as alt text that nobody wrote, and each one is listed by id.
    assert PLACEHOLDER_ALT not in str(page.body.raw_data)
    undescribed = [reason for reason in hands(report, 1) if "no alt text" in reason]
    assert len(undescribed) == 2
    assert page.standfirst == "Our day unit, before the move."

    html = client.get(page.url).content.decode()
    assert html.count('class="gallery') >= 1 and 'alt=""' in html
    assert "<audio" in html and "talk.mp3" in html
    assert "Conflicts of interest" not in html and PLACEHOLDER_ALT not in html
    for image in Image.objects.all():
        image.file.delete(save=False)


def test_a_standfirst_is_made_of_prose_only(site_tree, write_export):
    content = (
        "<h2>Background</h2><p>https://old.example.org/wp-content/uploads/x.png</p>"
        '[caption id="attachment_1"]A caption[/caption]'
        "<p>Immunotherapy after surgery lowered relapses in the trial.</p>"
    )

    importer.run(write_export([wxr_item(1, content=content)]), download_images=False)

    assert post(1).standfirst == "Immunotherapy after surgery lowered relapses in the trial."
