"""Steps the comment tests share: fill in the form, post it, follow the emailed links."""

import re

from django.utils import timezone
from wagtail.models import Site

from comments.forms import started_token
from comments.models import Comment, CommentSettings


def form_data(**overrides):
    data = {
        "name": "Maria",
        "email": "maria@example.org",
        "body": "Thank you for this clear explanation.",
        "started": started_token(timezone.now() - timezone.timedelta(seconds=30)),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def comment_url(post):
    return f"/comments/post/{post.pk}/"


def rules(**changes):
    """The comment settings of the default site, with `changes` saved."""
    settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def link_in(message, pattern):
    found = re.search(pattern, message.body)
    assert found, f"no {pattern} in {message.body}"
    return found.group(0)


def confirm_path(message):
    return link_in(message, r"/comments/confirm/[^\s]+/")


def edit_path(message):
    return link_in(message, r"/comments/\d+/edit/[^\s]+/")


def html_part(message):
    return next(content for content, kind in message.alternatives if kind == "text/html")


def published(post, body="A published comment.", name="Reader", **fields):
    """An approved comment stored directly, for tests about showing comments."""
    now = timezone.now()
    fields.setdefault("created_at", now)
    fields.setdefault("status", Comment.Status.APPROVED)
    if fields["status"] == Comment.Status.APPROVED:
        fields.setdefault("approved_at", now)
    return Comment.objects.create(post=post, author_name=name, body=body, **fields)


def post_confirm_and_approve(client, post, capture, **data):
    """The whole path of a first comment: post, confirm by email, approved by a moderator."""
    from django.core import mail

    from comments.services import moderate

    with capture(execute=True):
        response = client.post(comment_url(post), form_data(**data))
    assert response.status_code == 302, response.content.decode()[:2000]
    comment = Comment.objects.latest("pk")
    with capture(execute=True):
        client.post(confirm_path(mail.outbox[-1]))
        moderate(Comment.objects.filter(pk=comment.pk), "approve")
    comment.refresh_from_db()
    return comment
