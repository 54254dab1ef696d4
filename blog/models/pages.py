"""The page tree: home, blog index with its posts, and standard pages."""

import html
import math

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from blog.blocks import PostBodyBlock, ReferenceBlock, StandardBodyBlock
from blog.forms import PostPageForm
from core.pages import CommentMode, PublicOriginMixin

from .home import home_sections
from .readability_panel import ReadabilityPanel
from .snippets import Audience, Contributor, Topic

WORDS_PER_MINUTE = 230
LISTING_PAGE_SIZE = 12


class PostKind(models.TextChoices):
    NEWS = "news", "News"
    FEATURE = "feature", "Feature"
    INTERVIEW = "interview", "Interview"
    COLUMN = "column", "Column"
    GUEST = "guest", "Guest post"


# What apps above the blog add to every post card: name -> function building the annotate()
# expression (comments adds comment_count), registered from their AppConfig.ready().
CARD_ANNOTATIONS = {}


class PostQuerySet(PageQuerySet):
    def published(self):
        return self.live().public().order_by("-first_published_at", "-pk")

    def for_listing(self):
        """What a list of post cards needs, in a fixed number of queries."""
        return (
            self.annotate(**{name: build() for name, build in CARD_ANNOTATIONS.items()})
            .select_related("hero_image")
            .prefetch_related(
                "hero_image__renditions",
                Prefetch(
                    "post_contributors",
                    queryset=PostContributor.objects.select_related("contributor").order_by(
                        "sort_order"
                    ),
                ),
                "topics",
            )
        )

    def with_topic(self, topic):
        return self.filter(topics=topic)

    def by_contributor(self, contributor):
        return self.filter(post_contributors__contributor=contributor).distinct()

    def due_for_review(self, within_days=30):
        horizon = timezone.localdate() + timezone.timedelta(days=within_days)
        return self.filter(next_review_due__isnull=False, next_review_due__lte=horizon).order_by(
            "next_review_due"
        )


PostManager = PageManager.from_queryset(PostQuerySet)


def paginate(request, queryset, per_page=LISTING_PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class HomePage(PublicOriginMixin, Page):
    intro = models.TextField(blank=True, max_length=500)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.BlogIndexPage", "blog.StandardPage"]
    template = "pages/home_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each list is fetched when the template first reads it: not at all when the home
        # page's fragment is in the cache (core/fragments.py).
        posts = PostPage.objects.published().for_listing()
        topics = SimpleLazyObject(lambda: list(Topic.objects.all()))
        context["sections"] = SimpleLazyObject(
            lambda: home_sections(posts, topics, column_kind=PostKind.COLUMN)
        )
        context["topics"] = topics
        context["blog_index"] = SimpleLazyObject(lambda: BlogIndexPage.objects.live().first())
        return context


class BlogIndexPage(PublicOriginMixin, Page):
    intro = models.TextField(blank=True, max_length=500)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["blog.HomePage"]
    subpage_types = ["blog.PostPage"]
    template = "pages/blog_index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        posts = PostPage.objects.child_of(self).published()
        kind = request.GET.get("kind", "")
        audience = request.GET.get("audience", "")
        if kind in PostKind.values:
            posts = posts.filter(kind=kind)
        else:
            kind = ""
        audiences = list(Audience.objects.all())
        if audience in {a.slug for a in audiences}:
            posts = posts.filter(audiences__slug=audience)
        else:
            audience = ""
        context["posts"] = paginate(request, posts.for_listing())
        context["kinds"] = PostKind.choices
        context["audiences"] = audiences
        context["selected_kind"] = kind
        context["selected_audience"] = audience
        return context


class PostTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.PostPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PostPage(PublicOriginMixin, Page):
    base_form_class = PostPageForm
    kind = models.CharField(max_length=20, choices=PostKind.choices, default=PostKind.NEWS)
    standfirst = models.TextField(
        max_length=400,
        help_text="One or two sentences under the title, also used in lists and feeds.",
    )
    plain_language_summary = models.TextField(
        blank=True, max_length=1500, help_text="Optional summary for patients, in everyday words."
    )
    topics = ParentalManyToManyField(Topic, blank=True, related_name="posts")
    tags = ClusterTaggableManager(through=PostTag, blank=True)
    audiences = ParentalManyToManyField(Audience, blank=True, related_name="posts")
    featured = models.BooleanField(default=False, help_text="Show at the top of the home page.")
    send_alert = models.BooleanField(
        "Email subscribers when first published",
        default=True,
        help_text="Untick for posts that should not go to subscribers' inboxes, e.g. a "
        "correction. Alerts go out once, on first publication, never on later edits.",
    )
    comments_closed = models.BooleanField(
        default=False, help_text="Readers can no longer comment; existing comments stay."
    )

    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt = models.CharField(
        "hero image alt text",
        max_length=250,
        blank=True,
        help_text="Required with a hero image: describe it for people who cannot see it.",
    )
    hero_decorative = models.BooleanField(
        "hero image is decoration only",
        default=False,
        help_text="Nothing to describe: screen readers skip it (empty alt).",
    )
    hero_caption = models.CharField(max_length=300, blank=True)
    hero_credit = models.CharField(max_length=200, blank=True)

    body = StreamField(PostBodyBlock())
    references = StreamField([("reference", ReferenceBlock())], blank=True)

    conflicts_of_interest = models.TextField(
        blank=True,
        max_length=2000,
        help_text=(
            "Shown only when filled in. Write “None declared” when the authors declared none; "
            "leave empty when nothing was asked or declared."
        ),
    )
    funding = models.TextField(blank=True, max_length=2000)

    medical_reviewer = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_posts"
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)

    objects = PostManager()

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("standfirst"),
        InlinePanel("post_contributors", label="Contributors", min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldRowPanel([FieldPanel("hero_alt"), FieldPanel("hero_decorative")]),
                FieldRowPanel([FieldPanel("hero_caption"), FieldPanel("hero_credit")]),
            ],
            heading="Hero image",
        ),
        FieldPanel("plain_language_summary"),
        FieldPanel("body"),
        ReadabilityPanel(),
        FieldPanel("references"),
        MultiFieldPanel(
            [FieldPanel("conflicts_of_interest"), FieldPanel("funding")], heading="Disclosures"
        ),
        MultiFieldPanel(
            [
                FieldPanel("medical_reviewer"),
                FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review_due")]),
            ],
            heading="Medical review",
        ),
        InlinePanel("corrections", label="Corrections"),
    ]
    promote_panels = Page.promote_panels + [
        FieldPanel("featured"),
        FieldPanel("comments_closed"),
        FieldPanel("send_alert"),
        FieldPanel("publish_anyway"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("plain_language_summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("featured"),
    ]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []
    template = "pages/post_page.html"
    # The site's "close comments after N days" rule is for posts only, as in WordPress.
    comments_close_with_age = True

    class Meta:
        verbose_name = "post"

    def clean(self):
        super().clean()
        errors = {}
        if self.hero_decorative:
            self.hero_alt = ""
        elif self.hero_image_id and not self.hero_alt.strip():
            errors["hero_alt"] = (
                "Describe the hero image for readers who cannot see it, or mark it decorative."
            )
        if self.last_reviewed and not self.medical_reviewer_id:
            errors["medical_reviewer"] = "Name the medical reviewer for a review date."
        if (
            self.next_review_due
            and self.last_reviewed
            and self.next_review_due <= self.last_reviewed
        ):
            errors["next_review_due"] = "The next review must be after the last one."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.reading_minutes = reading_minutes(self.body)
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Fetched only if the related posts' fragment is not in the cache (core/fragments.py).
        context["related"] = SimpleLazyObject(lambda: list(self.related_posts()))
        return context

    def prefetch_for_display(self):
        """Fetch once what the page, its metadata and JSON-LD all read (topics, tags,
        audiences, corrections, contributors with their photos), and only when one of them is
        first read: a page whose fragments are all cached reads none of them."""
        if getattr(self, "_prefetched_for_display", False):
            return
        self._prefetched_for_display = True
        prefetch_related_objects(
            [self],
            "topics",
            "tags",
            "audiences",
            "corrections",
            Prefetch(
                "post_contributors",
                queryset=PostContributor.objects.select_related("contributor__photo").order_by(
                    "sort_order"
                ),
            ),
        )

    @cached_property
    def display_contributors(self):
        """The contributors, with everything else the page shows fetched in the same go."""
        self.prefetch_for_display()
        return self.contributors

    @cached_property
    def contributors(self):
        links = self.post_contributors.all()
        if not getattr(self, "_prefetched_objects_cache", {}).get("post_contributors"):
            links = links.select_related("contributor__photo")
        return [link.contributor for link in links]

    @property
    def comment_mode(self):
        return CommentMode.CLOSED if self.comments_closed else CommentMode.OPEN

    @cached_property
    def standfirst_repeats_body(self):
        """Whether the standfirst only repeats the body's opening words (as one taken from the
        first paragraph, an imported post's or a guest post's, does): shown in lists and feeds,
        not twice over the post."""
        first = next(iter(self.body), None)
        if first is None or first.block_type != "paragraph":
            return False
        opening = " ".join(strip_tags(first.value.source).split())
        standfirst = " ".join(self.standfirst.split()).removesuffix("…").rstrip(" .")
        return bool(standfirst) and html.unescape(opening).startswith(standfirst)

    @property
    def is_medically_reviewed(self):
        return bool(self.medical_reviewer_id and self.last_reviewed)

    @property
    def was_updated(self):
        first, last = self.first_published_at, self.last_published_at
        return bool(first and last and last.date() > first.date())

    def related_posts(self, limit=3):
        topic_ids = [topic.pk for topic in self.topics.all()]
        return (
            PostPage.objects.published()
            .filter(topics__in=topic_ids)
            .exclude(pk=self.pk)
            .distinct()
            .for_listing()[:limit]
        )


def reading_minutes(body):
    """Minutes to read a post body at an unhurried adult pace, at least one."""
    words = 0
    for block in body:
        if block.block_type == "paragraph":
            words += len(strip_tags(block.value.source).split())
        elif block.block_type == "heading":
            words += len(block.value["text"].split())
        elif block.block_type == "pull_quote":
            words += len(block.value["quote"].split())
        elif block.block_type == "key_points":
            words += sum(len(point.split()) for point in block.value["points"])
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class PostContributor(Orderable):
    post = ParentalKey(PostPage, on_delete=models.CASCADE, related_name="post_contributors")
    contributor = models.ForeignKey(
        Contributor, on_delete=models.CASCADE, related_name="post_links"
    )

    panels = [FieldPanel("contributor")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["post", "contributor"], name="unique_post_contributor")
        ]


class PostCorrection(Orderable):
    post = ParentalKey(PostPage, on_delete=models.CASCADE, related_name="corrections")
    date = models.DateField(default=timezone.localdate)
    note = models.TextField(max_length=2000, help_text="What was wrong and what it now says.")

    panels = [FieldPanel("date"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        ordering = ["date", "sort_order"]


class StandardPage(PublicOriginMixin, Page):
    intro = models.TextField(blank=True, max_length=500)
    body = StreamField(StandardBodyBlock(), blank=True)
    comment_mode = models.CharField(
        "comments",
        max_length=10,
        choices=CommentMode.choices,
        default=CommentMode.OFF,
        help_text="Off: no comment section (an About page). Open: readers comment as under a "
        "post, with the same moderation. Closed: the comments stay shown, no new ones.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    promote_panels = Page.promote_panels + [FieldPanel("comment_mode")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["blog.HomePage", "blog.StandardPage"]
    subpage_types = ["blog.StandardPage"]
    template = "pages/standard_page.html"
