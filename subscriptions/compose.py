"""Writing each recipient's copy of a mailing.

Templates are rendered once per mailing (once per choice of topics for a digest) with
placeholders where the personal parts go; each message then only swaps in the recipient's
address and signed links. Rendering a template per message would cost more than sending it.
"""

import logging
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import escape

from blog.models import PostPage
from core.email import render_email, sender
from core.links import absolute
from subscriptions import services
from subscriptions.models import Mailing, Subscriber

logger = logging.getLogger(__name__)

EMAIL = "__CB_EMAIL__"
EMAIL_HTML = "__CB_EMAIL_HTML__"
STOP_URL = "__CB_STOP_URL__"
MANAGE_URL = "__CB_MANAGE_URL__"


# Room left on a line for the longest personal value that replaces a placeholder in it.
PERSONAL_ROOM = 400
PLACEHOLDERS = (STOP_URL, MANAGE_URL, EMAIL, EMAIL_HTML)


def wire_template(subject, text, html, *, eight_bit_ok):
    """The message as bytes, minus the per-recipient headers, with its placeholders intact.
    Bodies go as 7bit (or 8bit, where the server takes it) so that nothing is re-encoded and
    a placeholder can never be split; when that is not possible, None."""
    ascii_only = text.isascii() and html.isascii()
    if not ascii_only and not eight_bit_ok:
        return None
    longest = max(len(line) for line in (text + "\n" + html).splitlines())
    if longest + PERSONAL_ROOM > 998:  # SMTP's line limit
        return None
    cte = "7bit" if ascii_only else "8bit"
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    message["From"] = settings.DEFAULT_FROM_EMAIL
    message.set_content(text, cte=cte)
    message.add_alternative(html, subtype="html", cte=cte)
    data = message.as_bytes()
    expected = [(text + html).count(p) for p in PLACEHOLDERS]
    if [data.count(p.encode()) for p in PLACEHOLDERS] != expected:
        return None
    return data


def _domain():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


# Twice the 600 px an email is wide, for sharp high-density screens; the crop of link previews.
IMAGE_RENDITION = "fill-1200x630|format-jpeg"
EMAIL_WIDTH = 600


def post_image(post):
    """The post's hero image for an email (absolute URL, size as shown, alt text), or None."""
    if not post.hero_image_id:
        return None
    try:
        rendition = post.hero_image.get_rendition(IMAGE_RENDITION)
    except OSError:  # its file is gone or unreadable: the alert goes without it
        logger.warning("post %s: no image in the email", post.pk, exc_info=True)
        return None
    width = min(EMAIL_WIDTH, rendition.width)  # a small original is not stretched
    return {
        "url": absolute(rendition.url),
        "width": width,
        "height": round(rendition.height * width / rendition.width),
        "alt": "" if post.hero_decorative else post.hero_alt,
    }


def post_summary(post):
    return {
        "title": post.title,
        "standfirst": post.standfirst,
        "kind": post.get_kind_display(),
        "url": absolute(post.url),
        "contributors": ", ".join(c.name for c in post.contributors),
        "minutes": post.reading_minutes,
        "topics": [
            {"name": topic.name, "url": absolute(topic.get_absolute_url())}
            for topic in post.topics.all()
        ],
        "image": post_image(post),
    }


class Composer:
    """Builds the message for one delivery of a mailing."""

    def __init__(self, mailing):
        self.mailing = mailing
        self.domain = _domain()
        label = mailing.get_kind_display().lower()
        self.list_id = f"The Cancer Blog {label} <{mailing.kind}.{self.domain}>"
        self._wire = {}
        # Each link is the same URL around a personal token: resolve it once per mailing.
        self._links = {
            purpose: absolute(reverse(f"subscriptions:{purpose}", args=["__TOKEN__"]))
            for purpose in ("stop", "manage")
        }
        self.sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

    def prepare(self, subscribers):
        """Called once per batch with its subscribers, before message()."""

    def rendered(self, subscriber):
        """(subject, text, html) with placeholders for the personal parts."""
        raise NotImplementedError

    def _personal(self, delivery, subscriber):
        return {
            "stop_url": self._link("stop", subscriber),
            "manage_url": self._link("manage", subscriber),
            # The same delivery always has the same Message-ID, even if sent again.
            "message_id": f"<{self.mailing.kind}.{self.mailing.pk}.{delivery.pk}@{self.domain}>",
        }

    def _link(self, purpose, subscriber):
        return self._links[purpose].replace("__TOKEN__", services.make_token(purpose, subscriber))

    def _fill(self, template, personal, placeholder, email):
        return (
            template.replace(STOP_URL, personal["stop_url"])
            .replace(MANAGE_URL, personal["manage_url"])
            .replace(placeholder, email)
        )

    def _list_headers(self, stop_url):
        return {
            "List-Id": self.list_id,
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        }

    def message(self, delivery, subscriber):
        """The EmailMessage for this delivery, or None when there is nothing for them."""
        rendered = self.rendered(subscriber)
        if rendered is None:
            return None
        subject, text, html = rendered
        personal = self._personal(delivery, subscriber)
        message = EmailMultiAlternatives(
            subject=subject,
            body=self._fill(text, personal, EMAIL, subscriber.email),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers={
                "Message-ID": personal["message_id"],
                **self._list_headers(personal["stop_url"]),
            },
        )
        html = self._fill(html, personal, EMAIL_HTML, escape(subscriber.email))
        message.attach_alternative(html, "text/html")
        # django-anymail passes this to the provider, whose bounce webhooks hand it back.
        message.metadata = {"delivery": str(delivery.pk)}
        return message

    def wire(self, delivery, subscriber, eight_bit_ok):
        """The finished bytes of this delivery for an SMTP server, made from a copy encoded
        once per mailing; None when that cannot be done safely (a non-ASCII address, 8-bit
        text for a server without 8BITMIME, very long lines): then use message()."""
        rendered = self.rendered(subscriber)
        if rendered is None or not subscriber.email.isascii():
            return None
        key = (rendered, eight_bit_ok)
        if key not in self._wire:
            self._wire[key] = wire_template(*rendered, eight_bit_ok=eight_bit_ok)
        template = self._wire[key]
        if template is None:
            return None
        personal = self._personal(delivery, subscriber)
        headers = {
            "To": subscriber.email,
            "Date": formatdate(),
            "Message-ID": personal["message_id"],
            **self._list_headers(personal["stop_url"]),
        }
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        body = template.replace(STOP_URL.encode(), personal["stop_url"].encode())
        body = body.replace(MANAGE_URL.encode(), personal["manage_url"].encode())
        body = body.replace(EMAIL_HTML.encode(), escape(subscriber.email).encode())
        body = body.replace(EMAIL.encode(), subscriber.email.encode())
        return head.encode() + body

    @cached_property
    def _sender(self):
        return sender()

    def _render(self, name, context):
        """Rendered, its CSS inlined, once per mailing (per choice of topics for a digest):
        the messages only swap the personal parts into this copy."""
        subject, text, html = render_email(
            name,
            {
                "email": EMAIL,
                "stop_url": STOP_URL,
                "manage_url": MANAGE_URL,
                "sender": self._sender,
                **context,
            },
        )
        # The HTML part gets the address escaped: mark its place apart from the text part's.
        return subject, text, html.replace(EMAIL, EMAIL_HTML)


class AlertComposer(Composer):
    def __init__(self, mailing):
        super().__init__(mailing)
        self._rendered = None

    def rendered(self, subscriber):
        if self._rendered is None:
            post = PostPage.objects.get(pk=self.mailing.post_id)
            self._rendered = self._render("alert", {"post": post_summary(post)})
        return self._rendered


class DigestComposer(Composer):
    """A digest lists the period's posts in the subscriber's topics or by their contributors
    (all posts, for those who get everything)."""

    def __init__(self, mailing):
        super().__init__(mailing)
        posts = list(
            digest_posts(mailing.period_start, mailing.period_end)
            .select_related("hero_image")
            .prefetch_related("topics", "post_contributors__contributor")
        )
        self.posts = [
            (
                {t.pk for t in post.topics.all()},
                {link.contributor_id for link in post.post_contributors.all()},
                post_summary(post),
            )
            for post in posts
        ]
        self.chosen_of = {}
        self._by_choice = {}

    def prepare(self, subscribers):
        topics_of = {s.pk: set() for s in subscribers}
        authors_of = {pk: set() for pk in topics_of}
        for through, field, chosen in (
            (Subscriber.topics.through, "topic_id", topics_of),
            (Subscriber.contributors.through, "contributor_id", authors_of),
        ):
            for subscriber_id, pk in through.objects.filter(
                subscriber_id__in=list(topics_of)
            ).values_list("subscriber_id", field):
                chosen[subscriber_id].add(pk)
        self.chosen_of = {
            s.pk: (s.everything, frozenset(topics_of[s.pk]), frozenset(authors_of[s.pk]))
            for s in subscribers
        }

    def rendered(self, subscriber):
        chosen = self.chosen_of.get(subscriber.pk, (True, frozenset(), frozenset()))
        if chosen not in self._by_choice:
            everything, topics, authors = chosen
            posts = [
                summary
                for post_topics, post_authors, summary in self.posts
                if everything or post_topics & topics or post_authors & authors
            ]
            self._by_choice[chosen] = posts and self._render(
                "digest",
                {
                    "posts": posts,
                    "preheader": " · ".join(post["title"] for post in posts),
                    "period_start": self.mailing.period_start,
                    "period_end": self.mailing.period_end,
                },
            )
        return self._by_choice[chosen] or None


def digest_posts(start, end):
    return (
        PostPage.objects.live()
        .public()
        .filter(first_published_at__gte=start, first_published_at__lt=end, send_alert=True)
        .order_by("-first_published_at", "-pk")
    )


def composer_for(mailing):
    return {Mailing.Kind.ALERT: AlertComposer, Mailing.Kind.DIGEST: DigestComposer}[mailing.kind](
        mailing
    )
