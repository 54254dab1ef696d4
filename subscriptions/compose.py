"""Writing each recipient's copy of a mailing.

Templates are rendered once per mailing (once per choice of topics for a digest) with
placeholders where the personal parts go; each message then only swaps in the recipient's
address and signed links. Rendering a template per message would cost more than sending it.
"""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.html import escape

from blog.models import PostPage
from core.email import render_email
from core.links import absolute
from subscriptions import services
from subscriptions.models import Mailing, Subscriber

EMAIL = "__CB_EMAIL__"
STOP_URL = "__CB_STOP_URL__"
MANAGE_URL = "__CB_MANAGE_URL__"


def _domain():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def post_summary(post):
    return {
        "title": post.title,
        "standfirst": post.standfirst,
        "kind": post.get_kind_display(),
        "url": absolute(post.url),
        "contributors": ", ".join(c.name for c in post.contributors),
        "minutes": post.reading_minutes,
    }


class Composer:
    """Builds the message for one delivery of a mailing."""

    template = ""

    def __init__(self, mailing):
        self.mailing = mailing
        self.domain = _domain()
        label = mailing.get_kind_display().lower()
        self.list_id = f"The Cancer Blog {label} <{mailing.kind}.{self.domain}>"

    def prepare(self, subscribers):
        """Called once per batch with its subscribers, before message()."""

    def rendered(self, subscriber):
        """(subject, text, html) with placeholders for the personal parts."""
        raise NotImplementedError

    def message(self, delivery, subscriber):
        """The EmailMessage for this delivery, or None when there is nothing for them."""
        rendered = self.rendered(subscriber)
        if rendered is None:
            return None
        subject, text, html = rendered
        stop_url = absolute(
            reverse("subscriptions:stop", args=[services.make_token("stop", subscriber)])
        )
        manage_url = absolute(
            reverse("subscriptions:manage", args=[services.make_token("manage", subscriber)])
        )
        for placeholder, value in ((STOP_URL, stop_url), (MANAGE_URL, manage_url)):
            text = text.replace(placeholder, value)
            html = html.replace(placeholder, value)
        text = text.replace(EMAIL, subscriber.email)
        html = html.replace(EMAIL, escape(subscriber.email))
        message_id = f"<{self.mailing.kind}.{self.mailing.pk}.{delivery.pk}@{self.domain}>"
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[subscriber.email],
            headers={
                # The same delivery always has the same Message-ID, even if sent again.
                "Message-ID": message_id,
                "List-Id": self.list_id,
                "List-Unsubscribe": f"<{stop_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(html, "text/html")
        # django-anymail passes this to the provider, whose bounce webhooks hand it back.
        message.metadata = {"delivery": str(delivery.pk)}
        return message

    def _render(self, name, context):
        context = {
            "email": EMAIL,
            "stop_url": STOP_URL,
            "manage_url": MANAGE_URL,
            **context,
        }
        return render_email(name, context)


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
    """A digest lists the period's posts in the subscriber's topics (all, if they chose none)."""

    def __init__(self, mailing):
        super().__init__(mailing)
        posts = list(
            digest_posts(mailing.period_start, mailing.period_end).prefetch_related(
                "topics", "post_contributors__contributor"
            )
        )
        self.posts = [(set(t.pk for t in post.topics.all()), post_summary(post)) for post in posts]
        self.topics_of = {}
        self._by_topics = {}

    def prepare(self, subscribers):
        through = Subscriber.topics.through
        self.topics_of = {s.pk: set() for s in subscribers}
        for subscriber_id, topic_id in through.objects.filter(
            subscriber_id__in=list(self.topics_of)
        ).values_list("subscriber_id", "topic_id"):
            self.topics_of[subscriber_id].add(topic_id)

    def rendered(self, subscriber):
        chosen = frozenset(self.topics_of.get(subscriber.pk, ()))
        if chosen not in self._by_topics:
            posts = [s for topics, s in self.posts if not chosen or topics & chosen]
            self._by_topics[chosen] = posts and self._render(
                "digest",
                {
                    "posts": posts,
                    "period_start": self.mailing.period_start,
                    "period_end": self.mailing.period_end,
                },
            )
        return self._by_topics[chosen] or None


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
