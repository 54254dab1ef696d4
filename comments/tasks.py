"""Background work for comments: every email is sent here, never in a request."""

from django.tasks import task
from django.urls import reverse

from comments import follow as following
from comments import notices, privacy
from comments.models import Comment, CommentNotice, ConversationFollow
from comments.moderation import moderator_users
from comments.services import make_token
from core.email import send_email
from core.links import absolute


@task()
def send_confirmation(comment_id):
    """Ask the writer to confirm their address; the link also publishes or queues the comment."""
    comment = Comment.objects.select_related("commenter", "post").filter(pk=comment_id).first()
    if comment is None or comment.commenter is None or comment.status != Comment.Status.UNCONFIRMED:
        return 0
    token = make_token("confirm", comment.pk)
    edit_token = make_token("edit", comment.pk)
    # Anyone can type any address: the email carries nothing the writer chose (no name, no text,
    # no link of theirs). The confirmation page shows the comment, on our site.
    return send_email(
        "comment_confirm",
        comment.commenter.email,
        {
            "post": comment.post,
            "confirm_url": absolute(reverse("comments:confirm", args=[token])),
            "edit_url": absolute(reverse("comments:edit", args=[comment.pk, edit_token])),
        },
    )


@task()
def alert_moderators_of_distress(comment_id):
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is None:
        return 0
    sent = 0
    for user in moderator_users():
        sent += send_email(
            "comment_distress_alert",
            user.email,
            {
                "comment": comment,
                "post": comment.post,
                "queue_url": absolute(reverse("comments_admin:queue")),
            },
        )
    return sent


@task()
def notify_of_publication(comment_id):
    """A comment is published: tell the writer replied to (if they asked) and the followers."""
    comment = (
        Comment.objects.visible()
        .select_related("parent__commenter", "post", "commenter")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    # The reply notice first: a follower who is also the writer replied to gets that one only.
    return _notify_parent_writer(comment) + _notify_followers(comment)


def _notify_parent_writer(comment):
    """1 if the writer replied to was told of the reply now, else 0."""
    parent = comment.parent
    if parent is None:
        return 0
    if not (parent.notify_replies and parent.commenter and parent.commenter.is_confirmed):
        return 0
    if comment.commenter_id and comment.commenter_id == parent.commenter_id:
        return 0
    stop_url = absolute(reverse("comments:stop_replies", args=[make_token("stop", parent.pk)]))
    return notices.send_once(
        comment,
        parent.commenter.email,
        CommentNotice.Kind.REPLY,
        lambda: send_email(
            "comment_reply",
            parent.commenter.email,
            {
                "comment": comment,
                "parent": parent,
                "post": comment.post,
                "comment_url": absolute(comment.get_absolute_url()),
                "stop_url": stop_url,
            },
            headers=_one_click_headers(stop_url),
        ),
    )


def _notify_followers(comment):
    sent = 0
    comment_url = absolute(comment.get_absolute_url())
    for follow in following.followers_to_tell(comment):
        token = make_token("unfollow", following.follow_token_value(follow))
        stop_url = absolute(reverse("comments:unfollow", args=[token]))
        sent += notices.send_once(
            comment,
            follow.email,
            CommentNotice.Kind.FOLLOW,
            lambda follow=follow, stop_url=stop_url: send_email(
                "follow_new_comment",
                follow.email,
                {
                    "comment": comment,
                    "post": comment.post,
                    "comment_url": comment_url,
                    "stop_url": stop_url,
                },
                headers=_one_click_headers(stop_url),
            ),
        )
    return sent


def _one_click_headers(stop_url):
    return {
        "List-Unsubscribe": f"<{stop_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@task()
def send_follow_confirmation(follow_id):
    """Ask the owner of the address to confirm they want emails about the conversation."""
    follow = ConversationFollow.objects.select_related("post").filter(pk=follow_id).first()
    if follow is None:
        return 0
    value = following.follow_token_value(follow)
    context = {
        "post": follow.post,
        "post_url": absolute(follow.post.url),
        "already": follow.confirmed_at is not None,
        "confirm_url": absolute(
            reverse("comments:follow_confirm", args=[make_token("follow", value)])
        ),
        "stop_url": absolute(reverse("comments:unfollow", args=[make_token("unfollow", value)])),
    }
    return send_email("follow_confirm", follow.email, context)


@task()
def send_data_link(kind, pk):
    """Email the owner of an address a link to see, download or erase what we hold about it."""
    email = privacy.email_of(kind, pk)
    if not email:
        return 0
    token = privacy.data_token(kind, pk, email)
    return send_email(
        "comment_data_link",
        email,
        {
            "data_url": absolute(reverse("comments:my_data_manage", args=[token])),
            "hours": privacy.DATA_LINK_MAX_AGE // 3600,
        },
    )
