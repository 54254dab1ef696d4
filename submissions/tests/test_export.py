"""The author's data download: reached by the status link, everything but the editors' notes."""

import json

import pytest
from django.core import signing

from submissions import editorial, services
from submissions.models import Submission
from submissions.tests import docx_files
from submissions.tests.submitting import docx_upload, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(client, django_capture_on_commit_callbacks, topic):
    return submitted(
        client,
        django_capture_on_commit_callbacks,
        topics=[topic.pk],
        bio="Nurse — Ljubljana 🏥 <b>not bold</b>",
        notify_on_publish="on",
    )


def download(client, path):
    response = client.get(path + "data/")
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_the_status_page_links_to_the_download(client, sent):
    _, path = sent
    html = client.get(path).content.decode()
    assert f'href="{path}data/"' in html
    assert "Download my data" in html


def test_it_downloads_everything_the_author_sent_and_consented_to(client, sent, make_user):
    submission, path = sent
    editor = make_user("maria")
    editorial.start_review(submission, by=editor)
    editorial.add_note(submission, by=editor, message="Editors only: check figure 2.")
    editorial.request_changes(submission, by=editor, message="Please add a reference.")
    response, data = download(client, path)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="cancer-blog-submission-{submission.pk}.json"'
    )
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert data["author"]["name"] == "Dr Lena Novak"
    assert data["author"]["email"] == submission.email
    assert data["author"]["bio"] == "Nurse — Ljubljana 🏥 <b>not bold</b>"
    assert data["post"]["title"] == "What the day unit taught me"
    assert "A first morning" in data["post"]["body_text"]
    assert data["post"]["topics"] == ["Immunotherapy"]
    assert data["post"]["references"] == "doi:10.1000/xyz123"
    assert data["consent"]["wording_version"] == services.WORDING_VERSION
    assert data["consent"]["editing_wording"] == services.CONSENT_EDITING
    assert data["consent"]["guidelines"] is True
    assert data["consent"]["email_when_published"] is True
    assert data["consent"]["given_at"] == submission.created_at.isoformat()
    assert data["submission"]["status"] == "changes_requested"
    history = data["history"]
    assert [line["status_to"] for line in history] == [
        "received",
        "in_review",
        "changes_requested",
    ]
    assert history[-1]["message"] == "Please add a reference."
    assert history[0]["by"] == "you" and history[-1]["by"] == "the editor"
    assert "Editors only" not in response.content.decode()
    assert "maria" not in response.content.decode()


def test_files_are_named_not_embedded(client, django_capture_on_commit_callbacks):
    document = docx_files.simple_docx("Converted text.")
    submission, path = submitted(
        client, django_capture_on_commit_callbacks, body_text="", document=docx_upload(document)
    )
    response, data = download(client, path)
    name = data["post"]["word_document_file"]
    assert name.endswith(".docx") and "/" not in name
    assert len(response.content) < 20_000
    assert data["post"]["body_source"] == "docx"


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        signing.dumps([1, "0" * 32], salt="submissions.status"),
        signing.dumps([1, "0" * 32], salt="comments.status"),
    ],
)
def test_a_tampered_token_gets_not_found(client, sent, token):
    submission, _ = sent
    response = client.get(f"/submissions/{token}/data/")
    assert response.status_code == 404
    assert submission.email not in response.content.decode()


def test_a_token_with_a_changed_signature_gets_not_found(client, sent):
    _, path = sent
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.get(forged + "data/").status_code == 404


def test_the_link_stops_working_once_the_submission_is_erased(client, sent):
    submission, path = sent
    client.post(path + "withdraw/")
    assert Submission.objects.get(pk=submission.pk).erased_at is not None
    assert client.get(path + "data/").status_code == 404


def test_only_get_is_allowed(client, sent):
    _, path = sent
    assert client.post(path + "data/").status_code == 405
