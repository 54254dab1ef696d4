"""The editor's desk in the Wagtail admin: the list by status, one submission rendered safely
with its disclosures and private files, the actions, and erasure on request."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import PostPage
from submissions.models import Submission
from submissions.tests import docx_files
from submissions.tests.submitting import docx_upload, submitted

pytestmark = pytest.mark.django_db

LIST = "/admin/guest-posts/"
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def review_url(submission):
    return f"{LIST}inspect/{submission.pk}/"


@pytest.fixture
def writer(make_user):
    return make_user("writer", "Writers")


@pytest.fixture
def sent(client, django_capture_on_commit_callbacks):
    submission, _ = submitted(client, django_capture_on_commit_callbacks)
    return submission


@pytest.fixture
def sent_docx(client, django_capture_on_commit_callbacks):
    """A Word document with headings, a table, two images and a footnote, converted."""
    upload = docx_upload(docx_files.full_docx())
    submission, _ = submitted(
        client, django_capture_on_commit_callbacks, body_text="", document=upload
    )
    submission.refresh_from_db()
    assert submission.conversion == "done", submission.conversion_messages
    return submission


@pytest.fixture
def as_editor(client, editor):
    client.logout()
    client.force_login(editor)
    return client


def act(client, submission, action, message="", capture=None):
    data = {"action": action, "message": message}
    if capture is None:
        return client.post(review_url(submission), data)
    with capture(execute=True):
        return client.post(review_url(submission), data)


# --- Who may look ---------------------------------------------------------------------------


def test_the_menu_counts_what_waits_for_the_editor(as_editor, sent):
    response = as_editor.get("/admin/")
    assert "Guest posts (1)" in response.content.decode()
    Submission.objects.filter(pk=sent.pk).update(status=Submission.Status.DECLINED)
    response = as_editor.get("/admin/")
    assert "Guest posts (1)" not in response.content.decode()
    assert "Guest posts" in response.content.decode()


def test_staff_outside_the_editors_group_cannot_see_submissions(client, writer, sent_docx):
    client.logout()
    client.force_login(writer)
    assert "Guest posts" not in client.get("/admin/").content.decode()
    image = sent_docx.images.first()
    for url in (
        LIST,
        review_url(sent_docx),
        f"{LIST}original/{sent_docx.pk}/",
        f"{LIST}image/{sent_docx.pk}/{image.pk}/",
        f"{LIST}erase/{sent_docx.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"What the day unit taught me" not in response.content
    response = client.post(review_url(sent_docx), {"action": "decline", "message": "No"})
    assert response.status_code in (302, 403)
    sent_docx.refresh_from_db()
    assert sent_docx.status == Submission.Status.RECEIVED


def test_readers_without_an_account_are_sent_to_the_login(client, sent):
    client.logout()
    response = client.get(review_url(sent))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_nobody_adds_or_edits_a_submission_in_the_admin(as_editor, sent):
    assert as_editor.get(f"{LIST}new/").status_code == 404
    assert as_editor.get(f"{LIST}edit/{sent.pk}/").status_code == 404


# --- The list -------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_searches(
    as_editor, client, django_capture_on_commit_callbacks
):
    first, _ = submitted(client, django_capture_on_commit_callbacks, title="First of two")
    second, _ = submitted(
        client, django_capture_on_commit_callbacks, title="Second of two", email="b@example.org"
    )
    second.set_status(Submission.Status.DECLINED, message="Not for us")
    page = as_editor.get(LIST).content.decode()
    assert "First of two" in page and "Second of two" in page
    page = as_editor.get(LIST, {"status": "declined"}).content.decode()
    assert "Second of two" in page and "First of two" not in page
    page = as_editor.get(LIST, {"q": "First"}).content.decode()
    assert "First of two" in page and "Second of two" not in page


def test_the_list_escapes_what_authors_typed(as_editor, client, django_capture_on_commit_callbacks):
    submitted(client, django_capture_on_commit_callbacks, title=HOSTILE[:150], name=HOSTILE[:120])
    page = as_editor.get(LIST).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


# --- One submission -------------------------------------------------------------------------


def test_the_review_page_shows_the_post_the_author_and_the_history(as_editor, sent):
    page = as_editor.get(review_url(sent)).content.decode()
    assert "What the day unit taught me" in page
    assert "<h2>A first morning</h2>" in page
    assert "<strong>early</strong>" in page
    assert "University Hospital Ljubljana" in page
    assert "lena@example.org" in page
    assert "doi:10.1000/xyz123" in page
    assert "Start review" in page and "Request changes" in page and "Decline" in page


def test_declared_conflicts_stand_out_and_none_does_not(
    as_editor, client, django_capture_on_commit_callbacks, sent
):
    page = as_editor.get(review_url(sent)).content.decode()
    assert 'class="gs-disclosures gs-disclosures--declared"' not in page
    declared, _ = submitted(
        client,
        django_capture_on_commit_callbacks,
        email="c@example.org",
        conflicts_of_interest="Speaker fees from Acme Pharma (2025).",
    )
    page = as_editor.get(review_url(declared)).content.decode()
    assert 'class="gs-disclosures gs-disclosures--declared"' in page
    assert "the author declares something" in page
    assert "Speaker fees from Acme Pharma (2025)." in page


def test_stored_html_that_is_not_clean_is_cleaned_on_the_way_out(as_editor, sent):
    Submission.objects.filter(pk=sent.pk).update(
        body_html='<p>Fine</p><script>alert(1)</script><img src="x" onerror="alert(2)">'
        '<a href="javascript:alert(3)">link</a><iframe src="https://evil.example"></iframe>',
        standfirst=HOSTILE,
        bio=HOSTILE,
        references=HOSTILE,
        conflicts_of_interest=HOSTILE,
    )
    page = as_editor.get(review_url(sent)).content.decode()
    assert "<p>Fine</p>" in page
    for bad in ("alert(1)</script>", 'onerror="', 'href="javascript', "<iframe", "<img src=x"):
        assert bad not in page, bad


def test_word_images_are_shown_from_the_admin_only(as_editor, client, sent_docx):
    page = as_editor.get(review_url(sent_docx)).content.decode()
    images = list(sent_docx.images.all())
    assert len(images) == 2
    for image in images:
        url = f"{LIST}image/{sent_docx.pk}/{image.pk}/"
        assert f'src="{url}"' in page
        response = as_editor.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] in ("image/png", "image/jpeg")
        assert "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content)[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0")
    assert "submission-image:" not in page


def test_an_image_of_another_submission_is_not_found(
    as_editor, client, django_capture_on_commit_callbacks, sent_docx
):
    other, _ = submitted(client, django_capture_on_commit_callbacks, email="o@example.org")
    image = sent_docx.images.first()
    assert as_editor.get(f"{LIST}image/{other.pk}/{image.pk}/").status_code == 404


def test_the_original_word_document_downloads_as_sent(as_editor, sent_docx):
    response = as_editor.get(f"{LIST}original/{sent_docx.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "wordprocessingml" in response["Content-Type"]
    with sent_docx.original.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()
    assert as_editor.get(f"{LIST}original/{sent_docx.pk}/9/").status_code == 404


def test_a_typed_submission_has_no_document_to_download(as_editor, sent):
    assert as_editor.get(f"{LIST}original/{sent.pk}/").status_code == 404
    assert "Download the Word document" not in as_editor.get(review_url(sent)).content.decode()


def test_the_review_page_costs_the_same_queries_however_long_the_history(as_editor, sent):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert as_editor.get(review_url(sent)).status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        sent.events.create(message=f"Note {n}", internal=True)
    assert count() == few


# --- Acting on it ---------------------------------------------------------------------------


def test_start_review_records_who_and_tells_the_author_page(as_editor, editor, sent):
    response = act(as_editor, sent, "start_review")
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Submission.Status.IN_REVIEW
    event = sent.events.latest("pk")
    assert event.actor == editor and event.status_to == Submission.Status.IN_REVIEW
    page = as_editor.get(review_url(sent)).content.decode()
    assert "Eva Editor" in page
    assert "Start review" not in page


def test_request_changes_needs_a_message_and_changes_nothing_without_one(
    as_editor, sent, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    response = act(as_editor, sent, "request_changes", "   ", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == Submission.Status.RECEIVED
    assert mail.outbox == []


def test_request_changes_emails_the_author_the_message(
    as_editor, sent, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    message = "Please shorten the <b>second</b> half."
    response = act(as_editor, sent, "request_changes", message, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Submission.Status.CHANGES_REQUESTED
    [email] = mail.outbox
    assert email.to == ["lena@example.org"]
    assert message in email.body
    page = as_editor.get(review_url(sent)).content.decode()
    assert "Please shorten the &lt;b&gt;second&lt;/b&gt; half." in page


def test_an_oversized_message_is_refused(as_editor, sent, django_capture_on_commit_callbacks):
    response = act(as_editor, sent, "decline", "x" * 5001, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == Submission.Status.RECEIVED


def test_an_unknown_action_is_refused(as_editor, sent):
    response = act(as_editor, sent, "publish_now", "hi")
    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == Submission.Status.RECEIVED


def test_declining_twice_sends_one_email(as_editor, sent, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    assert act(as_editor, sent, "decline", "Not for us.", django_capture_on_commit_callbacks)
    second = act(as_editor, sent, "decline", "Not for us.", django_capture_on_commit_callbacks)
    assert second.status_code == 400
    assert len(mail.outbox) == 1
    assert sent.events.filter(status_to=Submission.Status.DECLINED).count() == 1


def test_a_note_stays_with_the_editors(as_editor, client, sent, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    act(
        as_editor, sent, "note", "Ask Dr K to check the dosing.", django_capture_on_commit_callbacks
    )
    assert mail.outbox == []
    assert "Ask Dr K to check the dosing." in as_editor.get(review_url(sent)).content.decode()
    event = sent.events.latest("pk")
    assert event.internal


def test_accepting_makes_one_draft_post_and_links_both_ways(
    as_editor, sent, django_capture_on_commit_callbacks
):
    response = act(as_editor, sent, "accept", "Welcome aboard.", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Submission.Status.ACCEPTED
    post = PostPage.objects.get(pk=sent.post_id)
    assert response["Location"] == f"/admin/pages/{post.pk}/edit/"
    assert not post.live and post.kind == "guest"
    edit_page = as_editor.get(response["Location"]).content.decode()
    assert review_url(sent) in edit_page
    review = as_editor.get(review_url(sent)).content.decode()
    assert f"/admin/pages/{post.pk}/edit/" in review
    again = act(as_editor, sent, "accept", "", django_capture_on_commit_callbacks)
    assert again.status_code == 400
    assert PostPage.objects.filter(title=post.title).count() == 1


# --- Erasure --------------------------------------------------------------------------------


def test_erasing_asks_first_then_removes_the_personal_data(
    as_editor, sent_docx, django_capture_on_commit_callbacks
):
    erase = f"{LIST}erase/{sent_docx.pk}/"
    assert "Yes, erase" in as_editor.get(erase).content.decode()
    sent_docx.refresh_from_db()
    assert sent_docx.erased_at is None
    original = sent_docx.original
    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.post(erase)
    assert response.status_code == 302
    sent_docx.refresh_from_db()
    assert sent_docx.erased_at and sent_docx.email == "" and sent_docx.title == ""
    assert not original.storage.exists(original.name)
    page = as_editor.get(review_url(sent_docx)).content.decode()
    assert "was erased" in page
    assert "Lena" not in page and "Request changes" not in page
    assert as_editor.get(f"{LIST}original/{sent_docx.pk}/").status_code == 404
