import re

from django.core.validators import MaxValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """What the organisation can change without a developer: names, addresses, social links."""

    organisation_name = models.CharField(
        max_length=200, default="European Oncology Education Foundation"
    )
    organisation_url = models.URLField(blank=True)
    tagline = models.CharField(
        max_length=250,
        default="Getting clinicians, researchers, patients and policy makers talking.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the header and in emails. Without one, the organisation's name is "
        "set as a text mark.",
    )
    postal_address = models.TextField(
        max_length=400,
        blank=True,
        help_text="The organisation's postal address, printed at the foot of every email. "
        "Required before any email alert or digest goes out.",
    )
    readability_target = models.PositiveSmallIntegerField(
        "readability target for patients and carers",
        default=60,
        validators=[MaxValueValidator(100)],
        help_text="Flesch reading ease a post for patients or carers should reach (0–100, "
        "higher is easier; 60–70 is plain English).",
    )
    editor_email = models.EmailField(
        "editor's contact address",
        default="editor@example.org",
        help_text="Where guest authors send posts and readers send corrections.",
    )
    daily_subscriber_summary = models.BooleanField(
        "Email the editor a daily summary of new subscribers",
        default=False,
        help_text="Sent to the editor's contact address once a day after 7:00 when something "
        "changed: counts only, no addresses.",
    )
    support_heading = models.CharField(
        max_length=120,
        blank=True,
        help_text='Shown near the end of every post, e.g. "Questions about cancer?". The box is '
        "hidden while the heading, text and helpline are all empty.",
    )
    support_text = models.TextField(
        max_length=500,
        blank=True,
        help_text="e.g. Talk to a specialist nurse, free and in confidence.",
    )
    support_phone = models.CharField("helpline number", max_length=40, blank=True)
    support_hours = models.CharField(
        "helpline opening hours",
        max_length=120,
        blank=True,
        help_text="e.g. Monday to Friday, 9:00–17:00",
    )
    support_link_url = models.URLField("support link", blank=True)
    support_link_label = models.CharField(
        "support link text", max_length=80, blank=True, help_text="e.g. Find support near you"
    )
    donate_url = models.URLField(
        "donation page",
        blank=True,
        help_text="Shown as a link in the header of every page when set.",
    )
    donate_label = models.CharField(
        "donation link text", max_length=40, default="Support our work", blank=True
    )
    linkedin_group_url = models.URLField("LinkedIn group", blank=True)
    x_url = models.URLField("X (Twitter)", blank=True)
    facebook_url = models.URLField("Facebook", blank=True)
    mastodon_url = models.URLField("Mastodon", blank=True)
    bluesky_url = models.URLField("Bluesky", blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("organisation_url"),
                FieldPanel("tagline"),
                FieldPanel("logo"),
                FieldPanel("postal_address"),
            ],
            heading="Organisation",
        ),
        FieldPanel("editor_email"),
        FieldPanel("daily_subscriber_summary"),
        FieldPanel("readability_target"),
        MultiFieldPanel(
            [
                FieldPanel("support_heading"),
                FieldPanel("support_text"),
                FieldPanel("support_phone"),
                FieldPanel("support_hours"),
                FieldPanel("support_link_url"),
                FieldPanel("support_link_label"),
            ],
            heading="Support box under every post",
        ),
        MultiFieldPanel(
            [FieldPanel("donate_url"), FieldPanel("donate_label")], heading="Donations"
        ),
        MultiFieldPanel(
            [
                FieldPanel("linkedin_group_url"),
                FieldPanel("x_url"),
                FieldPanel("facebook_url"),
                FieldPanel("mastodon_url"),
                FieldPanel("bluesky_url"),
            ],
            heading="Social accounts",
        ),
    ]

    class Meta:
        verbose_name = "site settings"

    def social_links(self):
        """(label, url) pairs for the accounts that are set, in display order."""
        pairs = [
            ("LinkedIn", self.linkedin_group_url),
            ("X", self.x_url),
            ("Facebook", self.facebook_url),
            ("Mastodon", self.mastodon_url),
            ("Bluesky", self.bluesky_url),
        ]
        return [(label, url) for label, url in pairs if url]

    @property
    def shows_support(self):
        return bool(self.support_heading or self.support_text or self.support_phone)

    @property
    def support_phone_href(self):
        """The helpline as a tel: address (digits and a leading +), or "" when it has no digits."""
        digits = re.sub(r"[^\d+]", "", self.support_phone)
        digits = digits[:1] + digits[1:].replace("+", "")
        return f"tel:{digits}" if re.search(r"\d", digits) else ""

    @property
    def donate_link_label(self):
        return self.donate_label.strip() or "Support our work"


class LimitCounter(models.Model):
    """How many times an action was done under a key since its window opened (core.ratelimit).
    In the database, so every process and host counts together and a restart forgets nothing."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
