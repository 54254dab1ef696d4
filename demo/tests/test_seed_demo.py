"""`manage.py seed_demo` builds a complete demo site, once, however often it runs."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Site

from blog.models import Contributor, PostCorrection, PostPage, StandardPage, Topic
from blog.models.pages import PostKind
from core.models import SiteSettings
from demo.posts import POSTS
from demo.seed import seed_demo

STANDARD_PAGES = {
    "/about/": "About this blog",
    "/write-for-us/": "How to write a blog post for us",
    "/community-guidelines/": "Community guidelines for comments",
    "/privacy/": "Privacy notice",
    "/accessibility/": "Accessibility statement",
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed twice, once for the whole module (seeding is the slow part), then roll it all back."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        with transaction.atomic():
            first = seed_demo()
            output = StringIO()
            call_command("seed_demo", stdout=output)
            second = seed_demo()
            yield first, second, output.getvalue()
            transaction.set_rollback(True)
    cache.clear()  # Wagtail caches site root paths of pages that no longer exist


def test_a_second_run_creates_nothing_and_counts_the_same(seeded, db):
    first, second, output = seeded
    assert first.created["posts"] == len(POSTS) + 2
    assert first.created["topics"] == 6
    assert first.created["contributors"] == 6
    assert first.created["standard pages"] == 5
    assert sum(second.created.values()) == 0
    assert second.totals == first.totals
    assert first.totals["live posts"] == len(POSTS)
    assert 20 <= len(POSTS) <= 30
    assert "Demo content already in place." in output
    assert "live posts 24" in output


def test_it_creates_each_thing_once(seeded, db):
    assert Topic.objects.count() == 6
    assert Contributor.objects.count() == 6
    assert PostPage.objects.count() == len(POSTS) + 2
    assert StandardPage.objects.count() == 5
    titles = list(Image.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles))


def test_the_standard_pages_are_served_at_their_addresses(seeded, client):
    for url, title in STANDARD_PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert title in response.content.decode()


def test_every_live_post_has_a_hero_image_with_alt_text(seeded, db):
    posts = PostPage.objects.live()
    assert posts.count() == len(POSTS)
    for post in posts:
        assert post.hero_image_id, post.slug
        assert post.hero_alt.strip(), post.slug
        assert post.contributors and post.topics.exists() and post.standfirst
        assert post.first_published_at < timezone.now()


def test_one_post_is_scheduled_and_one_is_a_draft(seeded, db):
    now = timezone.now()
    scheduled = PostPage.objects.not_live().filter(go_live_at__gt=now)
    assert scheduled.count() == 1
    assert scheduled.get().revisions.filter(approved_go_live_at__gt=now).exists()
    assert PostPage.objects.not_live().filter(go_live_at__isnull=True).count() == 1


def test_at_least_two_posts_are_due_for_review_within_30_days(seeded, db):
    due = PostPage.objects.live().due_for_review(within_days=30)
    assert due.count() >= 2
    for post in due:
        assert post.medical_reviewer.kind != "staff"
        assert post.last_reviewed < post.next_review_due


def test_posts_cover_every_kind_topic_and_editorial_feature(seeded, db):
    posts = PostPage.objects.live()
    assert set(posts.values_list("kind", flat=True)) == set(PostKind.values)
    for topic in Topic.objects.all():
        assert posts.filter(topics=topic).exists(), topic
    assert posts.filter(featured=True).count() == 1
    assert PostCorrection.objects.values("post").distinct().count() == 2
    assert posts.exclude(plain_language_summary="").count() >= 3
    assert posts.exclude(conflicts_of_interest="").exists()
    assert posts.exclude(funding="").exists()
    block_types = {block.block_type for post in posts for block in post.body}
    assert {"heading", "key_points", "pull_quote", "image", "embed", "references"} <= block_types
    oldest = posts.order_by("first_published_at").first().first_published_at
    assert timezone.now() - oldest < timezone.timedelta(weeks=11)


def test_contributors_are_valid_with_a_portrait(seeded, db):
    kinds = sorted(Contributor.objects.values_list("kind", flat=True))
    assert kinds == ["columnist", "columnist", "guest", "guest", "staff", "staff"]
    for contributor in Contributor.objects.select_related("photo"):
        contributor.full_clean()
        assert contributor.photo.title == f"Demo portrait: {contributor.name}"
        assert contributor.photo.default_alt_text == contributor.name


def test_the_default_site_has_demo_settings(seeded, db):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    settings = SiteSettings.for_site(site)
    assert settings.editor_email == "editor@example.org"
    assert "Brussels" in settings.postal_address  # or `make run` would send no alert
    assert len(settings.social_links()) == 5


def test_the_glossary_is_seeded_once_and_finds_jargon_in_a_patient_post(seeded, db):
    from blog import readability
    from blog.models import GlossaryTerm
    from demo.glossary import GLOSSARY

    first, second, _ = seeded
    assert first.created["glossary terms"] == len(GLOSSARY) >= 12
    assert GlossaryTerm.objects.count() == len(GLOSSARY)
    glossary = readability.Glossary(GlossaryTerm.objects.all())
    found = set()
    for post in PostPage.objects.filter(audiences__slug="patients"):
        report = readability.analyse(readability.body_pieces(post.body), glossary)
        found.update(jargon.term for jargon in report.jargon)
    assert found  # the demo shows the panel at work
