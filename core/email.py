"""One way to send email: templates emails/<name>_subject.txt, <name>.txt and <name>.html.

The HTML part's stylesheet is inlined into style attributes as it is rendered (css-inline), for
mail clients that drop <style> blocks; only the @media rules stay in one. A mailing renders its
HTML once and personalises the inlined copy (subscriptions.compose)."""

import logging
from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from core.links import absolute

logger = logging.getLogger(__name__)

# Never fetch a stylesheet over the network: every rule an email needs is in its template.
INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
# Twice the size the logo is shown at, for sharp high-density screens.
LOGO_RENDITION = "max-400x112"


@dataclass(frozen=True)
class Sender:
    """Who the emails come from, as Settings › Site settings say now."""

    name: str
    postal_address: str
    logo: dict | None  # url (absolute), width, height, as shown


def site_settings():
    """The default site's settings (unsaved defaults when there is no site yet)."""
    from wagtail.models import Site

    from core.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site) if site else SiteSettings()


def has_postal_address():
    """Whether mailings may go out: EU law wants the sender's postal address in each one."""
    return bool(site_settings().postal_address.strip())


def sender():
    site_settings_ = site_settings()
    logo = None
    if site_settings_.logo_id:
        try:
            rendition = site_settings_.logo.get_rendition(LOGO_RENDITION)
        except OSError:  # its file is gone or unreadable: the name stands in, mail still goes
            logger.warning("email logo: cannot make its rendition", exc_info=True)
        else:
            logo = {
                "url": absolute(rendition.url),
                "width": max(rendition.width // 2, 1),
                "height": max(rendition.height // 2, 1),
            }
    return Sender(
        name=site_settings_.organisation_name,
        postal_address=site_settings_.postal_address.strip(),
        logo=logo,
    )


def inline_css(html):
    return INLINER.inline(html)


def render_email(name, context):
    # Looked up only by templates that show it (the shared layout does).
    context = {"BASE_URL": settings.BASE_URL, "sender": SimpleLazyObject(sender), **context}
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    # A subject is one line: a newline in it would let text reach the headers.
    subject = " ".join(subject.split())
    text = render_to_string(f"emails/{name}.txt", context)
    try:
        html = inline_css(render_to_string(f"emails/{name}.html", context))
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
