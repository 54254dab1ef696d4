"""The editors' dashboard says which posts need them: reviews coming due, posts scheduled to go
live and drafts sent for review, each counted and linked; writers without page rights see none."""

from django.utils import timezone
from wagtail.models import Workflow

from blog.services import schedule_post


def test_the_posts_panel_counts_reviews_due_scheduled_posts_and_links_them(
    client, make_user, make_post
):
    today = timezone.localdate()
    due = make_post(
        title="Immunotherapy <b>basics</b>", next_review_due=today + timezone.timedelta(days=10)
    )
    make_post(title="Not due yet", next_review_due=today + timezone.timedelta(days=90))
    later = make_post(title="Autumn congress preview", publish=False)
    schedule_post(later, timezone.now() + timezone.timedelta(days=3))
    draft = make_post(title="Draft for the nurses", publish=False)
    editor = make_user("editor", "Editors")
    Workflow.objects.get(name="Moderators approval").start(draft, editor)
    client.force_login(editor)

    html = client.get("/admin/").content.decode()

    start = html.index('id="editorial-section"')
    panel = html[start : html.index("</section>", start)]
    assert 'href="/admin/reports/review-due/">Medical reviews due in 30 days</a>' in panel
    assert (
        f'href="/admin/pages/{due.pk}/edit/">Immunotherapy &lt;b&gt;basics&lt;/b&gt;</a>' in panel
    )
    assert "Not due yet" not in panel
    assert f'href="/admin/pages/{later.pk}/edit/">Autumn congress preview</a>' in panel
    assert f'href="/admin/pages/{draft.pk}/edit/">Draft for the nurses</a>' in panel
    assert panel.count("<strong>1</strong>") == 3  # one due, one scheduled, one in review


def test_moderators_without_page_rights_see_no_posts_panel(client, make_user, make_post):
    make_post(next_review_due=timezone.localdate())
    client.force_login(make_user("moderator", "Moderators"))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert 'id="editorial-section"' not in response.content.decode()
