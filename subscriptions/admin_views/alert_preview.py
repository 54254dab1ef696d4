"""'Preview email' and 'Send me a test' in a post's menu: the alert as it would go out now."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.models import Page

from blog.models import PostPage
from core.email import has_postal_address
from subscriptions.outlook import alert_outlook
from subscriptions.preview import render_alert, send_test_alert


def editable_post(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, PostPage) or not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page.get_latest_revision_as_object()


def preview_alert(request, page_id):
    post = editable_post(request, page_id)
    subject, text, html = render_alert(post, request.user.email or "you@example.org")
    return TemplateResponse(
        request,
        "subscriptions/admin/alert_preview.html",
        {
            "page": post,
            "subject": subject,
            "text": text,
            "html": html,
            "outlook": alert_outlook(post),
            "postal_address_missing": not has_postal_address(),
            "settings_url": reverse("wagtailsettings:edit", args=["core", "sitesettings"]),
            "test_url": reverse("subscriptions_alert_test", args=[page_id]),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page_id]),
        },
    )


@require_POST
def send_test(request, page_id):
    post = editable_post(request, page_id)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page_id])
    if not request.user.email:
        messages.error(request, "Your account has no email address: add one under Account.")
        return redirect(edit_url)
    send_test_alert(post, request.user.email)
    messages.success(request, f"A test copy of the alert went to {request.user.email}.")
    return redirect(edit_url)
