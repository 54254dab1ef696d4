"""One way to send email: templates emails/<name>_subject.txt, <name>.txt and <name>.html."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string


def render_email(name, context):
    context = {"BASE_URL": settings.BASE_URL, **context}
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    # A subject is one line: a newline in it would let text reach the headers.
    subject = " ".join(subject.split())
    text = render_to_string(f"emails/{name}.txt", context)
    try:
        html = render_to_string(f"emails/{name}.html", context)
    except TemplateDoesNotExist:
        html = None
    return subject, text, html


def send_email(name, to, context, headers=None, reply_to=None):
    """Render and send one message to one address; returns the number sent (0 or 1)."""
    subject, text, html = render_email(name, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
        reply_to=reply_to,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send(using="default")
