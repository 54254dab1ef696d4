"""The `media` object: finds attachments, fetches images safely, stores each once."""

import pytest
from wagtail.images import get_image_model

from imports import media as media_module
from imports.media import Attachment, ImportMedia
from imports.models import ImportedObject

from .conftest import image_bytes

Image = get_image_model()
UPLOADS = "/wp-content/uploads/2024/05"


def attachment(server, wp_id, name, *, alt="", caption="", title=None):
    return Attachment(
        id=wp_id,
        url=f"{server.url}{UPLOADS}/{name}",
        title=title or name.rsplit(".", 1)[0],
        alt=alt,
        caption=caption,
        parent_id=None,
        link="",
    )


def make_media(server, *attachments, **kwargs):
    return ImportMedia(
        {a.id: a for a in attachments}, source="old.example.org", site_url=server.url, **kwargs
    )


@pytest.fixture
def cleanup_files():
    made = []
    yield made
    for m in made:
        m.delete_stored_files()


@pytest.mark.django_db
class TestFetching:
    def test_it_downloads_an_attachment_once_and_keeps_its_alt_and_caption(
        self, http_server, cleanup_files
    ):
        http_server.serve(f"{UPLOADS}/cells.png", image_bytes("PNG"))
        cells = attachment(http_server, 21, "cells.png", alt="Cells, stained", caption="Cells.")
        media = make_media(http_server, cells)
        cleanup_files.append(media)

        ref = media.image(attachment_id=21)
        again = media.image(f"{http_server.url}{UPLOADS}/cells.png")

        assert ref.alt == "Cells, stained" and ref.caption == "Cells."
        assert ref.image.title == "cells" and ref.image.description == "Cells, stained"
        assert again.image.pk == ref.image.pk
        assert http_server.hits == [f"{UPLOADS}/cells.png"]
        assert (
            ImportedObject.objects.get(wp_type="attachment", wp_id="21").object_id == ref.image.pk
        )

    def test_a_resized_copy_in_content_maps_to_the_original_attachment(
        self, http_server, cleanup_files
    ):
        http_server.serve(f"{UPLOADS}/chart.jpg", image_bytes("JPEG"))
        media = make_media(http_server, attachment(http_server, 22, "chart.jpg"))
        cleanup_files.append(media)

        ref = media.image(f"https://www.old.example.org{UPLOADS}/chart-300x200.jpg")

        assert ref is not None and ref.image.width == 40
        assert http_server.hits == [f"{UPLOADS}/chart.jpg"]
        assert media.used == {22}

    def test_a_rerun_reuses_the_image_from_the_ledger_without_downloading(
        self, http_server, cleanup_files
    ):
        http_server.serve(f"{UPLOADS}/a.png", image_bytes())
        first = make_media(http_server, attachment(http_server, 5, "a.png"))
        image = first.image(attachment_id=5).image
        second = make_media(http_server, attachment(http_server, 5, "a.png"))
        cleanup_files.extend([first, second])

        assert second.image(attachment_id=5).image.pk == image.pk
        assert len(http_server.hits) == 1 and second.created == 0 and second.reused == 1

    def test_two_attachments_with_the_same_bytes_make_one_image(self, http_server, cleanup_files):
        data = image_bytes()
        http_server.serve(f"{UPLOADS}/one.png", data)
        http_server.serve(f"{UPLOADS}/two.png", data)
        media = make_media(
            http_server,
            attachment(http_server, 1, "one.png"),
            attachment(http_server, 2, "two.png"),
        )
        cleanup_files.append(media)

        assert media.image(attachment_id=1).image.pk == media.image(attachment_id=2).image.pk
        assert Image.objects.count() == 1

    def test_it_follows_a_redirect_or_two(self, http_server, cleanup_files):
        http_server.serve(f"{UPLOADS}/real.gif", image_bytes("GIF"), content_type="image/gif")
        http_server.serve(
            f"{UPLOADS}/moved.gif", status=301, headers={"Location": f"{UPLOADS}/real.gif"}
        )
        media = make_media(http_server, attachment(http_server, 3, "moved.gif"))
        cleanup_files.append(media)

        assert media.image(attachment_id=3).image.file.name.endswith(".gif")

    def test_it_deletes_the_files_it_stored_when_asked(self, http_server):
        http_server.serve(f"{UPLOADS}/a.webp", image_bytes("WEBP"), content_type="image/webp")
        media = make_media(http_server, attachment(http_server, 4, "a.webp"))
        image = media.image(attachment_id=4).image
        storage = image.file.storage

        assert storage.exists(image.file.name)
        media.delete_stored_files()
        assert not storage.exists(image.file.name)


@pytest.mark.django_db
class TestRefusing:
    def reason(self, media, url):
        assert media.image(url) is None
        return media.failures[url]

    def test_a_missing_file_is_none_with_the_reason(self, http_server):
        media = make_media(http_server, attachment(http_server, 1, "gone.png"))
        assert self.reason(media, f"{http_server.url}{UPLOADS}/gone.png") == (
            "the server answered 404"
        )

    def test_a_file_that_is_not_an_image_is_refused(self, http_server):
        http_server.serve(
            f"{UPLOADS}/fake.png", b"<html><script>x</script></html>", content_type="text/html"
        )
        media = make_media(http_server, attachment(http_server, 1, "fake.png"))
        assert self.reason(media, f"{http_server.url}{UPLOADS}/fake.png") == "not an image"
        assert Image.objects.count() == 0

    def test_an_image_format_we_do_not_take_is_refused(self, http_server):
        http_server.serve(f"{UPLOADS}/old.png", image_bytes("BMP"))
        media = make_media(http_server, attachment(http_server, 1, "old.png"))
        assert "format we do not take (BMP)" in self.reason(
            media, f"{http_server.url}{UPLOADS}/old.png"
        )

    def test_a_file_too_big_is_refused(self, http_server, monkeypatch):
        monkeypatch.setattr(media_module, "MAX_BYTES", 50)
        http_server.serve(f"{UPLOADS}/big.png", image_bytes())
        media = make_media(http_server, attachment(http_server, 1, "big.png"))
        assert self.reason(media, f"{http_server.url}{UPLOADS}/big.png") == "larger than 20 MB"

    def test_a_slow_server_times_out(self, http_server, monkeypatch):
        monkeypatch.setattr(media_module, "TIMEOUT_SECONDS", 0.2)
        http_server.serve(f"{UPLOADS}/slow.png", image_bytes(), delay=1)
        media = make_media(http_server, attachment(http_server, 1, "slow.png"))
        assert "could not be downloaded" in self.reason(
            media, f"{http_server.url}{UPLOADS}/slow.png"
        )

    def test_after_three_unanswered_downloads_in_a_row_the_old_site_is_not_tried_again(
        self, http_server, monkeypatch
    ):
        monkeypatch.setattr(media_module, "TIMEOUT_SECONDS", 0.2)
        for n in range(5):
            http_server.serve(f"{UPLOADS}/slow{n}.png", image_bytes(), delay=1)
        media = make_media(http_server)

        reasons = [self.reason(media, f"{http_server.url}{UPLOADS}/slow{n}.png") for n in range(5)]

        assert all("could not be downloaded" in reason for reason in reasons[:3])
        assert reasons[3:] == ["not tried: the old site did not answer 3 times in a row"] * 2
        assert len(http_server.hits) == 3

    def test_an_answer_in_between_starts_the_count_again(self, http_server, monkeypatch):
        monkeypatch.setattr(media_module, "TIMEOUT_SECONDS", 0.2)
        for n in range(4):
            http_server.serve(f"{UPLOADS}/slow{n}.png", image_bytes(), delay=1)
        http_server.serve(f"{UPLOADS}/fine.png", image_bytes())
        media = make_media(http_server)
        url = f"{http_server.url}{UPLOADS}/"

        for name in ("slow0.png", "slow1.png", "fine.png", "slow2.png", "slow3.png"):
            media.image(url + name)

        assert "could not be downloaded" in media.failures[url + "slow3.png"]
        media.delete_stored_files()

    def test_too_many_redirects_are_refused(self, http_server):
        for n in range(5):
            http_server.serve(f"/r{n}", status=302, headers={"Location": f"/r{n + 1}"})
        http_server.serve("/r5", image_bytes())
        media = make_media(http_server)
        assert self.reason(media, f"{http_server.url}/r0") == "the server answered 302"

    def test_a_redirect_away_from_http_is_refused(self, http_server):
        http_server.serve(
            "/to-file", status=302, headers={"Location": "ftp://127.0.0.1/etc/passwd"}
        )
        media = make_media(http_server)
        assert self.reason(media, f"{http_server.url}/to-file") == "redirected away from http(s)"

    def test_an_image_on_another_site_is_not_fetched(self, http_server):
        media = make_media(http_server)
        assert self.reason(media, "https://tracker.example.com/pixel.png") == (
            "an image on another site, not copied"
        )

    def test_no_images_and_dry_run_download_nothing(self, http_server):
        http_server.serve(f"{UPLOADS}/a.png", image_bytes())
        for options in ({"download": False}, {"dry_run": True}):
            media = make_media(http_server, attachment(http_server, 1, "a.png"), **options)
            assert media.image(attachment_id=1) is None
        assert http_server.hits == []


@pytest.mark.django_db
class TestUploadsFolder:
    def test_it_reads_images_from_a_local_copy_of_the_uploads(self, tmp_path, http_server):
        uploads = tmp_path / "uploads"
        (uploads / "2024" / "05").mkdir(parents=True)
        (uploads / "2024" / "05" / "café.jpg").write_bytes(image_bytes("JPEG"))
        media = make_media(
            http_server, attachment(http_server, 9, "caf%C3%A9.jpg"), uploads_dir=uploads
        )

        ref = media.image(attachment_id=9)
        media.delete_stored_files()

        assert ref is not None and http_server.hits == []

    def test_it_never_reads_outside_the_uploads_folder(self, tmp_path, http_server):
        uploads = tmp_path / "uploads"
        uploads.mkdir()
        (tmp_path / "secret.png").write_bytes(image_bytes())
        media = make_media(http_server, uploads_dir=uploads)

        for path in ("/wp-content/uploads/../secret.png", "/wp-content/uploads/%2e%2e/secret.png"):
            url = f"{http_server.url}{path}"
            assert media.image(url) is None
            assert media.failures[url] == "a path outside the uploads folder"
        assert Image.objects.count() == 0
