"""An alert as subscribers would get it, before it goes out: for the editor's eyes (preview)
or inbox (a test copy, marked as one, with links that unsubscribe nobody)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from core.email import render_email
from subscriptions.compose import post_summary

# In a preview or a test copy the personal links lead to the subscription page itself.
NOBODY_LINK = "/subscribe/"


def render_alert(post, email):
    """(subject, text, html) of the alert about `post` (its latest draft) addressed to `email`."""
    return render_email(
        "alert",
        {
            "post": post_summary(post),
            "email": email,
            "stop_url": settings.BASE_URL + NOBODY_LINK,
            "manage_url": settings.BASE_URL + NOBODY_LINK,
        },
    )


def send_test_alert(post, email):
    subject, text, html = render_alert(post, email)
    message = EmailMultiAlternatives(
        subject=f"[Test] {subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
