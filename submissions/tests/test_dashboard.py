"""The dashboard lists the guest posts waiting for an editor, by status, titles escaped."""

import pytest

from submissions.models import Submission
from submissions.tests.submitting import submitted

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>'


def test_the_dashboard_counts_guest_posts_waiting_by_status(
    client, make_user, django_capture_on_commit_callbacks
):
    first, _ = submitted(client, django_capture_on_commit_callbacks, title=HOSTILE)
    second, _ = submitted(client, django_capture_on_commit_callbacks, email="b@example.org")
    Submission.objects.filter(pk=second.pk).update(status=Submission.Status.IN_REVIEW)
    client.logout()
    client.force_login(make_user("editor", "Editors"))

    html = client.get("/admin/").content.decode()

    start = html.index('id="guest-posts-waiting-section"')
    panel = html[start : html.index("</section>", start)]
    assert 'href="/admin/guest-posts/?status=received">Received</a>' in panel
    assert 'href="/admin/guest-posts/?status=in_review">In review</a>' in panel
    assert f'href="/admin/guest-posts/inspect/{first.pk}/"' in panel
    assert "<script>alert(1)" not in panel and "&lt;script&gt;alert(1)" in panel
    assert panel.count("<strong>1</strong>") == 2


def test_writers_see_no_guest_posts_panel(client, make_user):
    client.force_login(make_user("writer", "Writers"))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "guest-posts-waiting" not in response.content.decode()
