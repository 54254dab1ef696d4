"""Publishing the post made from a guest submission: the submission follows (scheduled, then
published), the author hears once if they asked, and the post renders what the author sent."""

import time

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from blog import body as post_body
from blog.models import PostPage
from submissions import privacy, publishing
from submissions.models import Submission
from submissions.tests import docx_files
from submissions.tests.submitting import docx_upload, submitted

pytestmark = pytest.mark.django_db

PUBLISHED_SUBJECT = "Your guest post is published on The Cancer Blog"


@pytest.fixture
def accepted(client, editor, django_capture_on_commit_callbacks):
    """Accept a submission made with the form; keyword arguments override form fields."""

    def make(**overrides):
        overrides.setdefault("notify_on_publish", "on")
        submission, _ = submitted(client, django_capture_on_commit_callbacks, **overrides)
        submission.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            post = publishing.accept(submission, by=editor)
        submission.refresh_from_db()
        mail.outbox.clear()
        return submission, PostPage.objects.get(pk=post.pk)

    return make


def publish(post, user, capture):
    with capture(execute=True):
        post.save_revision(user=user).publish(user=user)
    post.refresh_from_db()


def published_emails():
    return [m for m in mail.outbox if m.subject == PUBLISHED_SUBJECT]


def test_publishing_the_post_marks_the_submission_published_and_tells_the_author_once(
    accepted, editor, django_capture_on_commit_callbacks
):
    submission, post = accepted()
    publish(post, editor, django_capture_on_commit_callbacks)
    assert post.live

    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED
    assert submission.notified_published_at is not None
    event = submission.events.latest("pk")
    assert (event.status_from, event.status_to, event.actor) == ("accepted", "published", editor)
    [email] = published_emails()
    assert email.to == ["lena@example.org"]
    assert f"{django_settings.BASE_URL}/blog/{post.slug}/" in email.body

    post.title = "What the day unit taught me, edited"
    publish(post, editor, django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED
    assert submission.events.filter(status_to="published").count() == 1
    assert len(published_emails()) == 1


def test_an_author_who_did_not_ask_gets_no_email_but_the_status_still_moves(
    accepted, editor, django_capture_on_commit_callbacks
):
    submission, post = accepted(notify_on_publish=None)
    publish(post, editor, django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED
    assert submission.notified_published_at is None
    assert published_emails() == []


def test_a_scheduled_post_marks_the_submission_scheduled_then_published_when_it_goes_live(
    accepted, editor, django_capture_on_commit_callbacks
):
    submission, post = accepted()
    go_live_at = timezone.now() + timezone.timedelta(seconds=1.5)
    post.go_live_at = go_live_at
    publish(post, editor, django_capture_on_commit_callbacks)
    assert not post.live
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCHEDULED
    event = submission.events.latest("pk")
    assert (event.status_to, event.actor) == ("scheduled", editor)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)  # too early: nothing changes
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCHEDULED

    time.sleep(max(0, (go_live_at - timezone.now()).total_seconds()) + 0.1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)
    post.refresh_from_db()
    assert post.live
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED
    event = submission.events.latest("pk")
    assert (event.status_from, event.status_to, event.actor) == ("scheduled", "published", editor)
    assert len(published_emails()) == 1


def test_rescheduling_a_scheduled_post_writes_no_second_event(
    accepted, editor, django_capture_on_commit_callbacks
):
    submission, post = accepted()
    for days in (1, 2):
        post.go_live_at = timezone.now() + timezone.timedelta(days=days)
        publish(post, editor, django_capture_on_commit_callbacks)
    assert submission.events.filter(status_to="scheduled").count() == 1


@pytest.mark.parametrize("status", ["withdrawn", "declined"])
def test_a_withdrawn_or_declined_submission_is_left_alone(
    accepted, editor, status, django_capture_on_commit_callbacks
):
    submission, post = accepted()
    Submission.objects.filter(pk=submission.pk).update(status=status)
    events = submission.events.count()
    publish(post, editor, django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.status == status
    assert submission.events.count() == events
    assert published_emails() == []


def test_an_erased_submission_is_left_alone(accepted, editor, django_capture_on_commit_callbacks):
    submission, post = accepted()
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase(submission)
    events = submission.events.count()
    publish(post, editor, django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    assert submission.events.count() == events
    assert mail.outbox == []


def test_publishing_a_post_that_came_from_no_submission_changes_nothing(
    make_post, django_assert_num_queries
):
    post = make_post()
    revision = post.live_revision
    with django_assert_num_queries(1):
        assert publishing.post_published(post, revision) == []


def test_the_published_post_shows_the_authors_headings_table_image_and_notes(
    client, accepted, editor, django_capture_on_commit_callbacks
):
    submission, post = accepted(body_text="", document=docx_upload(docx_files.full_docx()))
    publish(post, editor, django_capture_on_commit_callbacks)
    response = client.get(post.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 class="body-heading">Living with the diagnosis</h2>' in html
    assert '<h3 class="body-heading">What helped</h3>' in html
    assert "<b>hard</b>" in html and "<sup>[1]</sup>" in html
    assert '<th scope="col">Week</th><th scope="col">Appointments</th>' in html
    assert "<td>1</td><td>3</td>" in html
    assert 'alt="A red square"' in html and 'alt="A blue photo"' in html
    assert '<h2 class="body-heading">Notes</h2>' in html
    assert "<li>Survey of 212 patients, 2024.</li>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Dr Lena Novak" in html


def test_merged_cells_and_header_cells_render_with_their_spans_and_scopes():
    from blog.blocks import PostBodyBlock

    [(kind, value)] = post_body.html_to_blocks(
        "<table><thead><tr><th colspan='2'>Arm</th></tr></thead>"
        "<tbody><tr><th>A</th><td rowspan='2'>&lt;b&gt;12</td></tr><tr><th>B</th></tr></tbody>"
        "</table>"
    )
    assert value["table_header_choice"] == "both"
    html = PostBodyBlock().child_blocks["table"].render(value)
    assert '<th scope="col" colspan="2">Arm</th>' in html
    assert '<tr><th scope="row">A</th><td rowspan="2">&lt;b&gt;12</td></tr>' in html
    assert '<tr><th scope="row">B</th></tr>' in html
    assert 'role="region" tabindex="0" aria-label="Table"' in html


def test_the_status_page_links_to_the_post_once_it_is_live_not_before(
    client, accepted, editor, django_capture_on_commit_callbacks
):
    from submissions.services import status_path

    submission, post = accepted()
    page = client.get(status_path(submission)).content.decode()
    assert f'href="{post.url}"' not in page, "a draft's address is not the author's to see"
    publish(post, editor, django_capture_on_commit_callbacks)
    page = client.get(status_path(submission)).content.decode()
    assert f'<a href="{post.url}">read it on the blog</a>' in page


def test_between_acceptance_and_publication_the_author_previews_the_edited_version(
    client, accepted, editor, django_capture_on_commit_callbacks
):
    from submissions.services import status_path

    submission, post = accepted()
    status = status_path(submission)
    preview = f"{status}preview/"
    assert 'preview/">See the edited version</a>' in client.get(status).content.decode()

    # The editor edits the draft; the author sees the latest saved revision, marked as a preview.
    draft = post.get_latest_revision_as_object()
    draft.standfirst = "Edited by the desk: shorter and clearer."
    draft.save_revision(user=editor)
    response = client.get(preview)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Edited by the desk: shorter and clearer." in page
    assert "not yet published" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert client.get(post.url).status_code == 404, "the draft itself is still not public"

    # Once published, there is nothing left to preview: the status page links the post instead.
    publish(post, editor, django_capture_on_commit_callbacks)
    assert client.get(preview).status_code == 404
    assert "See the edited version" not in client.get(status).content.decode()


def test_no_preview_before_acceptance_or_with_a_forged_link(
    client, editor, django_capture_on_commit_callbacks
):
    from submissions.services import status_path
    from submissions.tests.submitting import submitted

    submission, _ = submitted(client, django_capture_on_commit_callbacks)
    assert client.get(status_path(submission) + "preview/").status_code == 404
    assert client.get("/submissions/forged-token/preview/").status_code == 404
