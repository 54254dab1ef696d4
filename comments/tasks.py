"""Background work for comments: every email is sent here, never in a request."""

from django.contrib.auth import get_user_model
from django.tasks import task
from django.urls import reverse

from comments.models import Comment
from core.email import send_email


def _absolute(path):
    from django.conf import settings

    return settings.BASE_URL + path


@task()
def send_confirmation(comment_id):
    """Ask the writer to confirm their address; the link also publishes or queues the comment."""
    from comments.services import make_token

    comment = Comment.objects.select_related("commenter", "post").filter(pk=comment_id).first()
    if comment is None or comment.commenter is None or comment.status != Comment.Status.UNCONFIRMED:
        return 0
    token = make_token("confirm", comment.pk)
    edit_token = make_token("edit", comment.pk)
    return send_email(
        "comment_confirm",
        comment.commenter.email,
        {
            "comment": comment,
            "post": comment.post,
            "confirm_url": _absolute(reverse("comments:confirm", args=[token])),
            "edit_url": _absolute(reverse("comments:edit", args=[comment.pk, edit_token])),
        },
    )


def moderators():
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name__in=["Moderators", "Editors"]).exclude(
        email=""
    ).distinct() | User.objects.filter(is_active=True, is_superuser=True).exclude(email="")


@task()
def alert_moderators_of_distress(comment_id):
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is None:
        return 0
    sent = 0
    for user in moderators().distinct():
        sent += send_email(
            "comment_distress_alert",
            user.email,
            {
                "comment": comment,
                "post": comment.post,
                "queue_url": _absolute(reverse("comments_admin:queue")),
            },
        )
    return sent


@task()
def notify_of_publication(comment_id):
    """Tell the writer of the comment replied to, if they asked, that a reply was published."""
    from comments.services import make_token

    comment = (
        Comment.objects.select_related("parent__commenter", "post", "commenter")
        .filter(pk=comment_id, status=Comment.Status.APPROVED)
        .first()
    )
    if comment is None or comment.parent is None:
        return 0
    parent = comment.parent
    if not (parent.notify_replies and parent.commenter and parent.commenter.is_confirmed):
        return 0
    if comment.commenter_id and comment.commenter_id == parent.commenter_id:
        return 0
    stop_url = _absolute(reverse("comments:stop_replies", args=[make_token("stop", parent.pk)]))
    return send_email(
        "comment_reply",
        parent.commenter.email,
        {
            "comment": comment,
            "parent": parent,
            "post": comment.post,
            "comment_url": _absolute(comment.get_absolute_url()),
            "stop_url": stop_url,
        },
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
