"""Create the demo site: settings, topics, contributors, posts and standard pages. Idempotent."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.models import Site

from blog.markup import clean
from blog.models import Audience, Contributor, PostCorrection, PostPage, StandardPage, Topic
from blog.services import add_post, ensure_site_tree, schedule_post
from blog.setup import ensure_standard_pages
from core.models import SiteSettings

from . import images
from .comments import seed_comments
from .glossary import seed_glossary
from .people import CONTRIBUTORS, SITE_SETTINGS, TOPICS
from .posts import DRAFT, FIGURES, POSTS, SCHEDULED

KIND_NOUNS = {
    "news": "news story",
    "feature": "feature",
    "interview": "interview",
    "column": "column",
    "guest": "guest post",
}
HERO_CREDIT = "Generated illustration, The Cancer Blog demo"


@dataclass
class SeedResult:
    created: Counter = field(default_factory=Counter)
    totals: dict = field(default_factory=dict)


class ImageLibrary:
    """Wagtail images found by title, drawn and stored only when missing."""

    def __init__(self, created):
        self.created = created
        self.by_title = {
            image.title: image for image in Image.objects.filter(title__startswith="Demo ")
        }

    def get(self, title, draw, alt):
        image = self.by_title.get(title)
        if image is None:
            data = draw()
            image = Image(
                title=title,
                description=alt,  # Wagtail's default alt text wherever the image is used
                file=ImageFile(BytesIO(data), name=f"{slugify(title)[:80]}.jpg"),
                file_size=len(data),
                file_hash=hashlib.sha1(data).hexdigest(),  # the digest Wagtail itself stores
            )
            image.save()
            self.by_title[title] = image
            self.created["images"] += 1
        return image


@transaction.atomic
def seed_demo(hostname=None, port=None):
    result = SeedResult()
    created = result.created
    home, blog_index = ensure_site_tree(hostname=hostname, port=port)
    library = ImageLibrary(created)
    _ensure_site_settings(Site.objects.get(is_default_site=True))
    topics = _ensure_topics(created)
    contributors = _ensure_contributors(library, created)
    audiences = {audience.slug: audience for audience in Audience.objects.all()}
    seeder = _PostSeeder(blog_index, library, topics, contributors, audiences)

    existing = set(PostPage.objects.child_of(blog_index).values_list("slug", flat=True))
    for index, data in enumerate(POSTS):
        if data["slug"] not in existing:
            seeder.create(data, at=_published_at(data["days_ago"], index))
            created["posts"] += 1
    if SCHEDULED["slug"] not in existing:
        post = seeder.create(SCHEDULED, publish=False)
        go_live_at = _local_morning(
            timezone.localdate() + timedelta(days=SCHEDULED["go_live_in_days"])
        )
        schedule_post(post, go_live_at)
        created["posts"] += 1
    if DRAFT["slug"] not in existing:
        seeder.create(DRAFT, publish=False)
        created["posts"] += 1

    ensure_standard_pages(home, created)

    seed_glossary(created)
    seed_comments(created)

    posts = PostPage.objects.child_of(blog_index)
    result.totals = {
        "live posts": posts.live().count(),
        "scheduled": posts.not_live().filter(go_live_at__gt=timezone.now()).count(),
        "drafts": posts.not_live().filter(go_live_at__isnull=True).count(),
        "topics": Topic.objects.count(),
        "contributors": Contributor.objects.count(),
        "standard pages": StandardPage.objects.child_of(home).count(),
        "images": Image.objects.count(),
    }
    return result


def _local_morning(day, hour=9, minute=0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _published_at(days_ago, index):
    """A plausible newsroom time on the day `days_ago` days back: between 07:00 and 18:00."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return _local_morning(day, hour=7 + (index * 3) % 11, minute=(index * 17) % 60)


def _ensure_site_settings(site):
    settings, created = SiteSettings.objects.get_or_create(site=site, defaults=SITE_SETTINGS)
    if created:
        return
    # Fill only what is empty: an editor's own values survive a second run.
    missing = [name for name, value in SITE_SETTINGS.items() if not getattr(settings, name)]
    for name in missing:
        setattr(settings, name, SITE_SETTINGS[name])
    if missing:
        settings.save(update_fields=missing)


def _ensure_topics(created):
    topics = {}
    for data in TOPICS:
        topic, was_created = Topic.objects.get_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "description": clean(data["description"])},
        )
        created["topics"] += was_created
        topics[topic.slug] = topic
    return topics


def _ensure_contributors(library, created):
    existing = {
        c.slug: c for c in Contributor.objects.filter(slug__in=[d["slug"] for d in CONTRIBUTORS])
    }
    for data in CONTRIBUTORS:
        if data["slug"] in existing:
            continue
        initials = "".join(word[0] for word in data["name"].removeprefix("Dr ").split()[:2])
        photo = library.get(
            f"Demo portrait: {data['name']}",
            lambda initials=initials, colours=data["colours"]: images.portrait(initials, colours),
            alt=data["name"],
        )
        contributor = Contributor(
            slug=data["slug"],
            name=data["name"],
            kind=data["kind"],
            role=data["role"],
            affiliation=data["affiliation"],
            bio=clean(data["bio"]),
            email=f"{data['slug']}@example.org",
            photo=photo,
            website=data["website"],
            linkedin=data["linkedin"],
            x=data["x"],
            orcid=data["orcid"],
        )
        contributor.full_clean()
        contributor.save()
        existing[contributor.slug] = contributor
        created["contributors"] += 1
    return existing


class _PostSeeder:
    def __init__(self, blog_index, library, topics, contributors, audiences):
        self.blog_index = blog_index
        self.library = library
        self.topics = topics
        self.contributors = contributors
        self.audiences = audiences

    def create(self, data, at=None, publish=True):
        colours, shape = data["colours"], data["shape"]
        hero = self.library.get(
            f"Demo illustration: {data['title']}",
            lambda: images.illustration(data["slug"], colours, shape),
            alt=images.describe(colours, shape),
        )
        fields = {
            "slug": data["slug"],
            "kind": data["kind"],
            "standfirst": clean(data["standfirst"]),
            "plain_language_summary": clean(data.get("summary", "")),
            "featured": data.get("featured", False),
            "hero_image": hero,
            "hero_alt": images.describe(colours, shape),
            "hero_caption": f"Illustration for this {KIND_NOUNS[data['kind']]}; "
            "it does not show real people or data.",
            "hero_credit": HERO_CREDIT,
            "references": [("reference", reference) for reference in data.get("references", [])],
            "conflicts_of_interest": clean(data.get("conflicts", "")),
            "funding": clean(data.get("funding", "")),
            "topics": [self.topics[slug] for slug in data["topics"]],
            "audiences": [self.audiences[slug] for slug in data["audiences"]],
            "tags": data["tags"],
        }
        day = timezone.localdate(at) if at else timezone.localdate()
        if review := data.get("review"):
            fields["medical_reviewer"] = self.contributors[review["by"]]
            fields["last_reviewed"] = day
            fields["next_review_due"] = timezone.localdate() + timedelta(
                days=review["next_in_days"]
            )
        if corrections := data.get("corrections"):
            fields["corrections"] = [
                PostCorrection(date=day + timedelta(days=after), note=clean(note), sort_order=order)
                for order, (after, note) in enumerate(corrections)
            ]
        return add_post(
            self.blog_index,
            title=data["title"],
            contributors=[self.contributors[slug] for slug in data["contributors"]],
            body=[self._block(block) for block in data["body"]],
            publish=publish,
            at=at,
            **fields,
        )

    def _block(self, block):
        kind, value = block
        if kind != "figure":
            return block
        spec = FIGURES[value["name"]]
        alt = images.describe(spec["colours"], spec["shape"])
        image = self.library.get(
            f"Demo figure: {value['name']}",
            lambda: images.illustration(
                f"figure-{value['name']}", spec["colours"], spec["shape"], (1200, 800)
            ),
            alt=alt,
        )
        return (
            "image",
            {
                "image": image,
                "alt": alt,
                "caption": value["caption"],
                "credit": HERO_CREDIT,
            },
        )
