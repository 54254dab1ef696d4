"""One mailing in the admin: its deliveries by status and a progress bar that follows the
sending (static/js/progress.js asks `mailing_status` until the mailing is done)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from core import progress
from subscriptions.admin_views.report import DELIVERY_GROUPS, delivery_counts
from subscriptions.admin_views.subscribers import can_view_subscribers, post_edit_url
from subscriptions.models import Mailing

STATES = {
    Mailing.Status.PREPARING: progress.QUEUED,
    Mailing.Status.SENDING: progress.RUNNING,
    Mailing.Status.DONE: progress.DONE,
    Mailing.Status.SKIPPED: progress.DONE,
}


def mailing_status(mailing):
    """The mailing's progress in core.progress's shape; `figures` has a count per group of
    DELIVERY_GROUPS. One query."""
    counts = delivery_counts(mailing.deliveries.all())
    total = sum(counts.values())
    waiting = counts["queued"]
    done = total - waiting
    state = STATES[mailing.status]
    if mailing.status == Mailing.Status.PREPARING:
        label = "Preparing the recipient list."
    elif mailing.status == Mailing.Status.SKIPPED:
        label = f"Not sent: {mailing.note}" if mailing.note else "Not sent."
    else:
        parts = [f"{counts['sent']:,} of {total:,} sent", f"{counts['failed']:,} failed"]
        parts += [f"{counts[key]:,} {key}" for key in ("bounced", "skipped") if counts[key]]
        label = ", ".join(parts) + "."
    message = ""
    if state == progress.DONE:
        message = f"The mailing is finished: {label}"
    return {
        **progress.status(state, done=done, total=total or None, label=label, message=message),
        "figures": counts,
    }


class MailingView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "subscriptions/admin/mailing.html"
    page_title = "Mailing"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_subscribers(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("subscriptions_alerts_report"), "label": "Email alerts"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mailing = get_object_or_404(Mailing.objects.select_related("post"), pk=kwargs["pk"])
        status = mailing_status(mailing)
        context.update(
            mailing=mailing,
            title=mailing.post.title if mailing.post else "",
            edit_url=post_edit_url(mailing),
            status=status,
            percent=progress.percent(status["done"], status["total"]),
            figures=[(key, label, status["figures"][key]) for key, label, _, _ in DELIVERY_GROUPS],
            status_url=reverse("subscriptions_mailing_status", args=[mailing.pk]),
            poll_seconds=progress.POLL_SECONDS,
        )
        return context


def mailing_status_view(request, pk):
    """The mailing's progress as JSON, for static/js/progress.js."""
    if not can_view_subscribers(request.user):
        return progress.forbidden()
    mailing = get_object_or_404(Mailing, pk=pk)
    return progress.status_response(mailing_status(mailing))
