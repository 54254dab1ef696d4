"""Editors publish, writers submit for review, scheduled posts go live on time."""

import time

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from blog.models import PostPage
from blog.services import add_post, schedule_post


@pytest.fixture
def make_user(db, django_user_model):
    def make(username, group):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", "pw-123456"
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


def edit_form_data(post, **overrides):
    data = {
        "title": post.title,
        "slug": post.slug,
        "kind": post.kind,
        "standfirst": post.standfirst,
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": '{"blocks":[{"key":"a","type":"unstyled","depth":0,"text":"Edited text.",'
        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "body-0-deleted": "",
        "body-0-order": "0",
        "references-count": "0",
        "post_contributors-TOTAL_FORMS": "1",
        "post_contributors-INITIAL_FORMS": "1",
        "post_contributors-MIN_NUM_FORMS": "1",
        "post_contributors-MAX_NUM_FORMS": "1000",
        "post_contributors-0-id": str(post.post_contributors.first().pk),
        "post_contributors-0-contributor": str(post.post_contributors.first().contributor_id),
        "post_contributors-0-ORDER": "1",
        "post_contributors-0-DELETE": "",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_a_writer_cannot_publish(make_post, make_user):
    post = make_post(title="Original title")
    writer = make_user("writer", "Writers")
    assert post.permissions_for_user(writer).can_edit()
    assert not post.permissions_for_user(writer).can_publish()


def test_an_editor_can_publish(make_post, make_user):
    post = make_post()
    editor = make_user("editor", "Editors")
    assert post.permissions_for_user(editor).can_publish()


def test_a_writers_publish_request_through_the_admin_changes_nothing_live(
    client, make_post, make_user
):
    post = make_post(title="Original title")
    writer = make_user("writer", "Writers")
    client.force_login(writer)
    response = client.post(
        f"/admin/pages/{post.pk}/edit/",
        edit_form_data(post, title="Hijacked title", **{"action-publish": "action-publish"}),
    )
    assert response.status_code in (200, 302, 403)
    post.refresh_from_db()
    assert post.title == "Original title"
    assert client.get(post.url).content.count(b"Hijacked title") == 0


def test_a_writer_submits_for_moderation_and_an_editor_approves(client, make_post, make_user):
    post = make_post(title="Original title")
    writer = make_user("writer", "Writers")
    editor = make_user("editor", "Editors")
    client.force_login(writer)
    response = client.post(
        f"/admin/pages/{post.pk}/edit/",
        edit_form_data(post, title="Reviewed title", **{"action-submit": "action-submit"}),
    )
    assert response.status_code == 302, response.content[:2000]
    post.refresh_from_db()
    assert post.title == "Original title"
    workflow_state = post.current_workflow_state
    assert workflow_state is not None and workflow_state.status == "in_progress"

    client.force_login(editor)
    task_state = workflow_state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{post.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    post.refresh_from_db()
    assert post.title == "Reviewed title"
    assert post.live


def test_a_scheduled_post_goes_live_when_its_time_comes(blog_index, contributor):
    post = add_post(
        blog_index,
        title="Embargoed news",
        standfirst="Soon.",
        contributors=[contributor],
        publish=False,
    )
    schedule_post(post, timezone.now() + timezone.timedelta(seconds=2))
    post.refresh_from_db()
    assert not post.live
    assert post.get_latest_revision().approved_go_live_at is not None

    call_command("run_scheduler", "--once")
    post.refresh_from_db()
    assert not post.live, "published before its time"

    time.sleep(2.1)
    call_command("run_scheduler", "--once")
    post.refresh_from_db()
    assert post.live
    assert PostPage.objects.published().filter(pk=post.pk).exists()


def test_a_scheduled_post_is_not_served_before_its_time(client, blog_index, contributor):
    post = add_post(
        blog_index, title="Embargoed", standfirst="Soon.", contributors=[contributor], publish=False
    )
    schedule_post(post, timezone.now() + timezone.timedelta(days=1))
    assert client.get("/blog/embargoed/").status_code == 404


def test_editors_see_posts_due_for_review(client, make_post, make_user, contributor):
    today = timezone.localdate()
    make_post(
        title="Due soon",
        medical_reviewer=contributor,
        last_reviewed=today - timezone.timedelta(days=300),
        next_review_due=today + timezone.timedelta(days=5),
    )
    make_post(
        title="Reviewed lately",
        medical_reviewer=contributor,
        last_reviewed=today,
        next_review_due=today + timezone.timedelta(days=365),
    )
    editor = make_user("editor", "Editors")
    client.force_login(editor)
    response = client.get("/admin/reports/review-due/")
    assert response.status_code == 200
    assert b"Due soon" in response.content
    assert b"Reviewed lately" not in response.content


def test_readers_cannot_see_the_review_report(client, make_user, db, django_user_model):
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw-123456")
    client.force_login(reader)
    response = client.get("/admin/reports/review-due/")
    assert response.status_code in (302, 403)


def test_an_editor_schedules_a_draft_through_the_admin(client, make_post, make_user):
    post = make_post(title="Embargoed interview", publish=False)
    editor = make_user("editor", "Editors")
    client.force_login(editor)
    go_live = timezone.localtime() + timezone.timedelta(days=2)
    response = client.post(
        f"/admin/pages/{post.pk}/edit/",
        edit_form_data(
            post,
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "action-publish"},
        ),
    )
    assert response.status_code == 302, response.content[:3000]
    post.refresh_from_db()
    assert not post.live
    revision = post.get_latest_revision()
    assert revision.approved_go_live_at is not None
    assert abs((revision.approved_go_live_at - go_live).total_seconds()) < 60
    assert client.get("/blog/embargoed-interview/").status_code == 404
