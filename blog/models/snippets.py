"""Topics, contributors and audiences: the things posts are about, by and for."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet


class Audience(models.Model):
    """Who a post is written for; a fixed list created by migration."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


@register_snippet
class Topic(index.Indexed, models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=False)
    description = models.TextField(blank=True, max_length=1000)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The broader topic this one belongs to, if any. Its page links both ways; "
        "posts stay on their own topic's page.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:topic", args=[self.slug])

    def clean(self):
        super().clean()
        if self.parent_id is not None and self.pk is not None and self.pk in self.ancestor_ids():
            raise ValidationError(
                {"parent": "A topic cannot sit under itself or its own subtopic."}
            )

    def ancestor_ids(self):
        """Primary keys from the parent upwards; stops at a loop already in the database."""
        seen = []
        parent_id = self.parent_id
        while parent_id is not None and parent_id not in seen:
            seen.append(parent_id)
            parent_id = (
                Topic.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
            )
        return seen


orcid_validator = RegexValidator(
    r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$", "An ORCID iD looks like 0000-0002-1825-0097."
)


class ContributorKind(models.TextChoices):
    STAFF = "staff", "Staff journalist"
    COLUMNIST = "columnist", "Columnist"
    GUEST = "guest", "Guest author"


@register_snippet
class Contributor(index.Indexed, models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(
        max_length=20, choices=ContributorKind.choices, default=ContributorKind.GUEST
    )
    role = models.CharField(
        max_length=150, blank=True, help_text="e.g. Consultant medical oncologist"
    )
    affiliation = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, max_length=2000)
    email = models.EmailField(blank=True, help_text="Never shown on the site.")
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    website = models.URLField(blank=True)
    linkedin = models.URLField("LinkedIn", blank=True)
    x = models.URLField("X (Twitter)", blank=True)
    orcid = models.CharField("ORCID iD", max_length=19, blank=True, validators=[orcid_validator])

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("role"),
        FieldPanel("affiliation"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("email"),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("linkedin"), FieldPanel("x"), FieldPanel("orcid")],
            heading="Links",
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("affiliation"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:contributor", args=[self.slug])

    @property
    def orcid_url(self):
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""

    def links(self):
        """(label, url) pairs for the profile links that are set."""
        pairs = [
            ("Website", self.website),
            ("LinkedIn", self.linkedin),
            ("X", self.x),
            ("ORCID", self.orcid_url),
        ]
        return [(label, url) for label, url in pairs if url]

    @property
    def description_line(self):
        return ", ".join(part for part in (self.role, self.affiliation) if part)
