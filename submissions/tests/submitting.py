"""Steps the submission tests share: fill in the form, post it, follow the emailed link."""

import io
import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from submissions.forms import started_token
from submissions.models import Submission

SUBMIT_URL = "/write-for-us/submit/"


def form_data(**overrides):
    data = {
        "name": "Dr Lena Novak",
        "email": "Lena@Example.org",
        "affiliation": "University Hospital Ljubljana",
        "role": "Oncology nurse",
        "bio": "Lena has worked on a chemotherapy day unit for twelve years.",
        "title": "What the day unit taught me",
        "standfirst": "Twelve years of small kindnesses, and what they add up to.",
        "body_text": "## A first morning\n\nPatients arrive **early**.\n\n- tea\n- blankets",
        "references": "doi:10.1000/xyz123",
        "conflicts_of_interest": "None",
        "funding": "None",
        "consent_guidelines": "on",
        "consent_editing": "on",
        "started": started_token(timezone.now() - timezone.timedelta(minutes=5)),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def docx_upload(data, name="my post.docx"):
    return SimpleUploadedFile(
        name,
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def photo_upload(kind="PNG", size=(1600, 1000)):
    out = io.BytesIO()
    image = Image.new("RGB", size, (10, 120, 90))
    exif = Image.Exif()
    exif[0x0110] = "SecretCam 3000"
    image.save(out, kind, exif=exif.tobytes())
    return SimpleUploadedFile(f"me.{kind.lower()}", out.getvalue(), content_type="image/png")


def submit(client, capture, **overrides):
    with capture(execute=True):
        response = client.post(SUBMIT_URL, form_data(**overrides))
    return response


def submitted(client, capture, **overrides):
    """Submit a valid form and return (submission, status path from the author's email)."""
    response = submit(client, capture, **overrides)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Submission.objects.latest("pk"), status_path(author_email())


def author_email():
    return next(m for m in mail.outbox if "received your guest post" in m.subject)


def editor_emails():
    return [m for m in mail.outbox if m.to == ["editor@example.org"]]


def status_path(message):
    found = re.search(r"/submissions/[^\s/]+/", message.body)
    assert found, message.body
    return found.group(0)


def html_part(message):
    return next(content for content, kind in message.alternatives if kind == "text/html")


def request_changes(submission, message="Please shorten the second half."):
    submission.set_status(Submission.Status.CHANGES_REQUESTED, message=message)
