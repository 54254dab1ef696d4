"""Hostile file names and paths: uploads are stored under random names inside MEDIA_ROOT or
PRIVATE_MEDIA_ROOT only, whatever the name sent; no URL path reads a file outside the place it
serves from."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.test import Client, RequestFactory
from django.views.static import serve

from submissions import services as submission_services
from submissions.models import Submission
from submissions.tests import docx_files, submitting

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    "../../etc/passwd.docx",
    "../../../../../../../../tmp/owned.docx",
    "..\\..\\owned.docx",
    "/etc/owned.docx",
    "C:\\Windows\\owned.docx",
    "owned\x00.png.docx",
    "%2e%2e%2f%2e%2e%2fowned.docx",
    "a" * 5000 + ".docx",
    "\u202eowned\u202c.docx",
    ".docx",
]
RANDOM_NAME = re.compile(r"submissions/(photos|originals|images)/[0-9a-f]{32}\.(jpg|png|docx)")


@pytest.fixture(autouse=True)
def _deep_roots(settings, tmp_path):
    """Roots two levels below tmp_path, so a name that climbs out lands somewhere we look."""
    settings.MEDIA_ROOT = tmp_path / "a" / "b" / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "a" / "b" / "private"
    return tmp_path


def stored_files(root):
    """Every file written under `root`, as paths relative to it."""
    return sorted(str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file())


def assert_only_random_names_inside_the_roots(tmp_path):
    for name in stored_files(tmp_path):
        assert name.startswith(("a/b/media/", "a/b/private/")), name
        inside = name.split("/", 3)[3]
        assert RANDOM_NAME.fullmatch(inside), name
    assert not Path("/tmp/owned.docx").exists()


def upload(data, name):
    return submitting.docx_upload(data, name=name)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_document_name_is_not_used_to_store_it(
    client, site_tree, django_capture_on_commit_callbacks, tmp_path, name
):
    response = submitting.submit(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=upload(docx_files.simple_docx(), name),
    )
    # Refused (a name not ending in .docx) or stored under a random name: never under its own.
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        submission = Submission.objects.get()
        assert RANDOM_NAME.fullmatch(submission.original.name), submission.original.name
    assert_only_random_names_inside_the_roots(tmp_path)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_photo_name_is_not_used_to_store_it(
    client, site_tree, django_capture_on_commit_callbacks, tmp_path, name
):
    photo = submitting.photo_upload()
    photo.name = name.replace(".docx", ".png")
    response = submitting.submit(client, django_capture_on_commit_callbacks, photo=photo)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        submission = Submission.objects.get()
        assert RANDOM_NAME.fullmatch(submission.photo.name), submission.photo.name
    assert_only_random_names_inside_the_roots(tmp_path)


@pytest.mark.parametrize("name", HOSTILE_NAMES[:6])
def test_a_hostile_name_on_a_revised_document_is_not_used_to_store_it(
    client, site_tree, django_capture_on_commit_callbacks, tmp_path, name
):
    submission, status_url = submitting.submitted(client, django_capture_on_commit_callbacks)
    submission.set_status(Submission.Status.CHANGES_REQUESTED, message="Send a new version.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            status_url, {"document": upload(docx_files.simple_docx("Revised."), name)}
        )
    assert response.status_code in (302, 400)
    submission.refresh_from_db()
    if response.status_code == 302:
        assert RANDOM_NAME.fullmatch(submission.original.name), submission.original.name
    assert_only_random_names_inside_the_roots(tmp_path)


@pytest.mark.parametrize(
    "member", ["../../owned.txt", "/tmp/owned.txt", "word/../../owned.txt", "..\\owned.txt"]
)
def test_a_document_whose_parts_climb_out_of_the_archive_is_refused(
    client, site_tree, django_capture_on_commit_callbacks, tmp_path, member
):
    data = docx_files.rewrite(docx_files.simple_docx(), add={member: b"owned"})
    response = submitting.submit(
        client, django_capture_on_commit_callbacks, body_text="", document=upload(data, "a.docx")
    )
    assert response.status_code == 400
    assert not Submission.objects.exists()
    assert stored_files(tmp_path) == []
    assert not Path("/tmp/owned.txt").exists()


@pytest.mark.parametrize(
    "target",
    [
        b'Target="../../../../../../../../etc/passwd"',
        b'TargetMode="External" Target="file:///etc/passwd"',
        b'TargetMode="External" Target="/etc/passwd"',
    ],
)
def test_an_image_that_points_outside_the_document_reads_nothing(
    client, site_tree, django_capture_on_commit_callbacks, tmp_path, target
):
    original = docx_files.full_docx()
    rels = "word/_rels/document.xml.rels"
    data = docx_files.rewrite(original, replace={rels: (b'Target="media/image1.png"', target)})
    assert data != original
    response = submitting.submit(
        client, django_capture_on_commit_callbacks, body_text="", document=upload(data, "a.docx")
    )
    if response.status_code == 302:
        submission = Submission.objects.get()
        assert "root:" not in submission.body_html
        for image in submission.images.all():
            with image.file.open("rb") as stored:
                assert b"root:" not in stored.read()
    for name in stored_files(tmp_path):
        assert b"root:x:0:0" not in (tmp_path / name).read_bytes(), name
    assert_only_random_names_inside_the_roots(tmp_path)


# --- URL paths --------------------------------------------------------------------------------

SECRETS = (b"root:x:0:0", b"SECRET_KEY", b"import environ", b"[project]")


def assert_nothing_read(response, path):
    assert response.status_code in (301, 302, 400, 403, 404), (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for secret in SECRETS:
        assert secret not in body, (path, secret)


@pytest.mark.parametrize(
    "path",
    [
        "/media/../../../../etc/passwd",
        "/media/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/media/..%2f..%2f..%2fetc%2fpasswd",
        "/static/../cancerblog/settings.py",
        "/static/%2e%2e/cancerblog/settings.py",
        "/static/..%2fcancerblog%2fsettings.py",
        "/static/....//....//pyproject.toml",
        "/static//etc/passwd",
        "/documents/1/../../../etc/passwd",
        "/documents/1/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/admin/guest-posts/original/../../../../etc/passwd",
        "/admin/guest-posts/original/1/..%2f..%2fetc%2fpasswd",
        "/admin/guest-posts/image/1/../../etc/passwd",
        "/submissions/forged/images/../../../../etc/passwd",
        "/submissions/forged/images/..%2f..%2fetc%2fpasswd/",
        "/sitemap.xml/../../pyproject.toml",
    ],
)
def test_paths_that_climb_out_read_nothing(client, site_tree, make_user, path):
    assert_nothing_read(Client().get(path), path)
    client.force_login(make_user("sec-editor", "Editors"))
    assert_nothing_read(client.get(path), path + " (editor)")


def test_a_private_image_link_only_reads_that_submissions_own_rows(
    client, site_tree, django_capture_on_commit_callbacks
):
    """The status page's image URL takes an id, never a path; another submission's id or a
    token of another submission is not found."""
    first, first_url = submitting.submitted(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=upload(docx_files.full_docx(), "a.docx"),
    )
    mail.outbox.clear()
    second, _ = submitting.submitted(
        client, django_capture_on_commit_callbacks, email="other@example.org"
    )
    image = first.images.filter(version=None).first()
    assert image is not None
    token = submission_services.make_token(first)
    other_token = submission_services.make_token(second)
    assert Client().get(f"/submissions/{token}/images/{image.pk}/").status_code == 200
    assert Client().get(f"/submissions/{other_token}/images/{image.pk}/").status_code == 404


@pytest.mark.parametrize(
    "name", ["../../../../etc/passwd", "..%2f..%2fetc/passwd", "/etc/passwd", "..\\..\\x"]
)
def test_the_debug_media_view_refuses_to_climb_out(settings, name):
    """With DEBUG on, `make run` serves MEDIA_ROOT through Django's static view."""
    Path(settings.MEDIA_ROOT).mkdir(parents=True)
    request = RequestFactory().get("/media/" + name)
    with pytest.raises((Http404, SuspiciousFileOperation)):
        serve(request, name, document_root=settings.MEDIA_ROOT)
