"""Background emails for moderators."""

from datetime import datetime

from django.tasks import task
from django.urls import reverse

from comments.moderation import moderator_users, waiting_summary
from core.email import send_email
from core.links import absolute


@task()
def send_waiting_alert(cutoff, minutes):
    """Tell each moderator how many comments have waited since before `cutoff` (ISO time)."""
    summary = waiting_summary(datetime.fromisoformat(cutoff))
    if not summary["count"]:
        return 0  # cleared between the check and this task
    queue_url = absolute(reverse("comments_admin:queue"))
    context = {**summary, "minutes": minutes, "queue_url": queue_url}
    sent = 0
    for user in moderator_users():
        sent += send_email("comments_waiting", user.email, context)
    return sent
