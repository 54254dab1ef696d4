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
            ],
            heading="Organisation",
        ),
        FieldPanel("editor_email"),
        FieldPanel("daily_subscriber_summary"),
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


class LimitCounter(models.Model):
    """How many times an action was done under a key since its window opened (core.ratelimit).
    In the database, so every process and host counts together and a restart forgets nothing."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
