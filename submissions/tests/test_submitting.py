"""The submission form: what it accepts, what it refuses, and what a submission leaves behind."""

import io

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from submissions.forms import started_token
from submissions.models import BodySource, Conversion, Submission, SubmissionEvent
from submissions.tests import docx_files
from submissions.tests.submitting import (
    SUBMIT_URL,
    author_email,
    docx_upload,
    editor_emails,
    photo_upload,
    submit,
    submitted,
)

pytestmark = pytest.mark.django_db


def nothing_stored():
    return not Submission.objects.exists() and not SubmissionEvent.objects.exists()


def test_the_form_page_shows_every_field_with_its_label_and_the_text_syntax(client):
    response = client.get(SUBMIT_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    for label in (
        "Your name",
        "Email address",
        "Affiliation",
        "Short biography",
        "Photo",
        "Title",
        "Standfirst",
        "Your post",
        "Or upload a Word document (.docx)",
        "Suggested topics",
        "References",
        "Conflicts of interest",
        "Funding",
        "Email me when my post is published",
    ):
        assert label in html, label
    assert 'accept=".docx,' in html
    assert "<code>## Subheading</code>" in html
    assert html.count("<legend") >= 4


def test_a_typed_post_is_stored_formatted_and_confirmed_to_author_and_editor(
    client, django_capture_on_commit_callbacks, topic
):
    submission, path = submitted(
        client, django_capture_on_commit_callbacks, topics=[topic.pk], notify_on_publish="on"
    )
    assert submission.status == Submission.Status.RECEIVED
    assert submission.email == "lena@example.org"
    assert submission.body_source == BodySource.TYPED
    assert submission.conversion == Conversion.NOT_NEEDED
    assert "<h2>A first morning</h2>" in submission.body_html
    assert "<strong>early</strong>" in submission.body_html
    assert list(submission.topics.all()) == [topic]
    assert submission.notify_on_publish and submission.consent_guidelines
    assert submission.consent_editing and submission.consent_wording_version
    assert submission.ip_hash and "127.0.0.1" not in submission.ip_hash
    assert submission.events.get().status_to == Submission.Status.RECEIVED
    assert author_email().to == ["lena@example.org"]
    [editor] = editor_emails()
    assert "What the day unit taught me" in editor.subject
    assert "lena@example.org" in editor.body and "University Hospital Ljubljana" in editor.body
    page = client.get(path)
    assert page.status_code == 200
    assert "we have received your submission" in page.content.decode()


def test_the_confirmation_shows_once_then_the_page_is_the_plain_status(
    client, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks)
    first = client.get(response.url).content.decode()
    again = client.get(response.url).content.decode()
    assert "we have received your submission" in first
    assert "we have received your submission" not in again
    assert "Received" in again


def test_a_word_document_is_checked_stored_privately_and_converted_with_its_images(
    client, django_capture_on_commit_callbacks, settings
):
    submission, path = submitted(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=docx_upload(docx_files.full_docx()),
    )
    submission.refresh_from_db()
    assert submission.body_source == BodySource.DOCX
    assert submission.original.name.startswith("submissions/originals/")
    assert "my post" not in submission.original.name
    assert (settings.PRIVATE_MEDIA_ROOT / submission.original.name).exists()
    assert not (settings.MEDIA_ROOT / submission.original.name).exists()
    assert submission.conversion == Conversion.DONE
    assert "<h2>Living with the diagnosis</h2>" in submission.body_html
    assert "<script" not in submission.body_html and "javascript:" not in submission.body_html
    images = list(submission.images.all())
    assert [image.alt for image in images] == ["A red square", "A blue photo"]
    html = client.get(path).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    image_url = f"{path}images/{images[0].pk}/"
    assert f'src="{image_url}"' in html
    served = client.get(image_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_a_photo_is_re_encoded_as_a_small_jpeg_without_its_metadata(
    client, django_capture_on_commit_callbacks, settings
):
    submission, _ = submitted(client, django_capture_on_commit_callbacks, photo=photo_upload())
    assert submission.photo.name.startswith("submissions/photos/")
    assert submission.photo.name.endswith(".jpg")
    with Image.open(settings.MEDIA_ROOT / submission.photo.name) as photo:
        assert photo.format == "JPEG"
        assert max(photo.size) == 1200
        assert not photo.getexif()


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(
    client, django_capture_on_commit_callbacks
):
    fake = io.BytesIO(b"<svg onload=alert(1)></svg>")
    fake.name = "me.png"
    response = submit(client, django_capture_on_commit_callbacks, photo=fake)
    assert response.status_code == 400
    assert "We could not read this photo" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize(
    "field",
    ["name", "email", "bio", "title", "standfirst", "conflicts_of_interest", "funding"],
)
def test_each_required_field_left_empty_is_refused_and_nothing_is_stored(
    client, django_capture_on_commit_callbacks, field
):
    response = submit(client, django_capture_on_commit_callbacks, **{field: "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}-error"' in html
    assert f'aria-describedby="id_{field}-help id_{field}-error"' in html or (
        f'aria-describedby=" id_{field}-error"' in html
    )
    assert nothing_stored() and not mail.outbox


def test_none_is_an_answer_to_the_disclosures(client, django_capture_on_commit_callbacks):
    submission, _ = submitted(
        client, django_capture_on_commit_callbacks, conflicts_of_interest="none", funding="None."
    )
    assert submission.conflicts_of_interest == "none" and submission.funding == "None."


@pytest.mark.parametrize("consent", ["consent_guidelines", "consent_editing"])
def test_both_consents_are_required(client, django_capture_on_commit_callbacks, consent):
    response = submit(client, django_capture_on_commit_callbacks, **{consent: None})
    assert response.status_code == 400
    assert f'id="id_{consent}-error"' in response.content.decode()
    assert nothing_stored()


def test_a_post_is_needed_typed_or_uploaded_but_not_both(
    client, django_capture_on_commit_callbacks
):
    neither = submit(client, django_capture_on_commit_callbacks, body_text="")
    assert "Please type or paste your post, or upload a document." in neither.content.decode()
    both = submit(
        client,
        django_capture_on_commit_callbacks,
        document=docx_upload(docx_files.simple_docx()),
    )
    assert "not both" in both.content.decode()
    assert both.status_code == 400 and nothing_stored()


def test_a_pdf_renamed_docx_gets_a_clear_message_and_creates_nothing(
    client, django_capture_on_commit_callbacks, settings
):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=docx_upload(docx_files.pdf_file(), name="post.docx"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "This file is a PDF" in html and "not a Word document (.docx)" in html
    assert "choose them again" in html
    assert nothing_stored() and not mail.outbox
    assert not (settings.PRIVATE_MEDIA_ROOT / "submissions").exists()


def test_a_file_not_named_docx_is_refused(client, django_capture_on_commit_callbacks):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=docx_upload(docx_files.simple_docx(), name="post.doc"),
    )
    assert "ending in .docx" in response.content.decode()
    assert nothing_stored()


def test_a_document_over_the_size_limit_is_refused(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SUBMISSIONS_MAX_DOCX_BYTES = 1000
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        body_text="",
        document=docx_upload(docx_files.simple_docx()),
    )
    assert response.status_code == 400
    assert "at most 1 KB" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("name", 120),
        ("affiliation", 200),
        ("role", 150),
        ("bio", 1000),
        ("title", 150),
        ("standfirst", 400),
        ("body_text", 30_000),
        ("references", 5000),
        ("conflicts_of_interest", 2000),
        ("funding", 2000),
    ],
)
def test_every_text_field_has_a_size_limit(
    client, django_capture_on_commit_callbacks, field, limit
):
    response = submit(client, django_capture_on_commit_callbacks, **{field: "a" * (limit + 1)})
    assert response.status_code == 400
    assert f"under {limit:,} characters" in response.content.decode()
    assert nothing_stored()


def test_a_filled_in_honeypot_stores_nothing(client, django_capture_on_commit_callbacks):
    response = submit(client, django_capture_on_commit_callbacks, website="http://spam.example")
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert nothing_stored() and not mail.outbox


@pytest.mark.parametrize("started", ["", "forged", "now"])
def test_a_form_sent_too_quickly_or_without_a_genuine_start_is_refused(
    client, django_capture_on_commit_callbacks, started
):
    token = started_token(timezone.now()) if started == "now" else started
    response = submit(client, django_capture_on_commit_callbacks, started=token)
    html = response.content.decode()
    assert response.status_code == 400
    assert "quicker than we expect" in html
    assert nothing_stored()
    # The page comes back with a fresh start time, so a person can simply send it again.
    assert 'name="started"' in html and f'value="{token}"' not in html


def test_submissions_are_limited_per_email_address(client, django_capture_on_commit_callbacks):
    for n in range(3):
        submitted(client, django_capture_on_commit_callbacks, title=f"Post {n}")
    response = submit(client, django_capture_on_commit_callbacks, title="One too many")
    assert response.status_code == 429
    assert "Several submissions" in response.content.decode()
    assert Submission.objects.count() == 3


def test_submissions_are_limited_per_connection(client, django_capture_on_commit_callbacks):
    for n in range(5):
        submitted(client, django_capture_on_commit_callbacks, email=f"author{n}@example.org")
    response = submit(client, django_capture_on_commit_callbacks, email="sixth@example.org")
    assert response.status_code == 429
    assert Submission.objects.count() == 5


def test_the_guidelines_page_ends_with_a_link_to_the_form(client, site_tree):
    from blog.models import StandardPage

    home, _ = site_tree
    page = StandardPage(title="How to write a blog post for us", slug="write-for-us")
    home.add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/write-for-us/").content.decode()
    assert f'href="{SUBMIT_URL}">Submit a guest post</a>' in html


def test_the_demo_guidelines_link_to_the_form():
    from blog.standard_pages import WRITE_FOR_US

    last_block = WRITE_FOR_US["body"][-1][1]
    assert f'<a href="{SUBMIT_URL}">Submit a guest post</a>' in last_block
