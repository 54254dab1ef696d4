import os
import re

import pytest
from django.utils import timezone


@pytest.fixture(scope="session", autouse=True)
def _shared_state_per_test_process(tmp_path_factory):
    """`make test` runs the suite in several processes (pytest-xdist), which must not see each
    other's cache. Every test empties the cache, and on Redis that empties the whole database:
    each process gets its own, the configured number plus the process's index (gw0 keeps it,
    gw1 takes the next). The page cache's generation file (with a local-memory cache) is moved
    on by every publication: each process gets its own file too, and its own media folders."""
    from django.conf import settings
    from django.test import override_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    overrides = {
        "PAGE_CACHE_GENERATION_FILE": tmp_path_factory.mktemp("pagecache") / "generation",
        # Tests never write into the developer's var/: images and private files go here.
        "MEDIA_ROOT": tmp_path_factory.mktemp("media"),
        "PRIVATE_MEDIA_ROOT": tmp_path_factory.mktemp("private"),
        # The web font is cut once for the whole run (all test processes), outside var/ too.
        "WEBFONT_BUILD_DIR": tmp_path_factory.getbasetemp().parent / "webfonts",
    }
    cache = settings.CACHES["default"]
    location = cache.get("LOCATION", "")
    found = re.fullmatch(r"(redis://[^/]+)/(\d+)", location) if isinstance(location, str) else None
    if worker != "gw0" and found and "redis" in cache["BACKEND"].lower():
        number = int(found.group(2)) + int(worker.removeprefix("gw"))
        overrides["CACHES"] = {"default": {**cache, "LOCATION": f"{found.group(1)}/{number}"}}
    with override_settings(**overrides):
        yield


@pytest.fixture
def site_tree(db):
    from blog.services import ensure_site_tree

    home, blog_index = ensure_site_tree(hostname="testserver", port=80)
    return home, blog_index


POSTAL_ADDRESS = "Oncology Education Foundation\nRue de l'Exemple 1\n1000 Brussels\nBelgium"


@pytest.fixture
def postal_address(site_tree):
    """The organisation's postal address in the site settings: no alert or digest goes out
    without one (EU law wants it in every mailing). Tests that send mailings ask for it."""
    from wagtail.models import Site

    from core.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.postal_address = POSTAL_ADDRESS
    site_settings.save()
    return POSTAL_ADDRESS


@pytest.fixture
def blog_index(site_tree):
    return site_tree[1]


@pytest.fixture
def topic(db):
    from blog.models import Topic

    return Topic.objects.create(
        name="Immunotherapy",
        slug="immunotherapy",
        description="Treatments that use the immune system.",
    )


@pytest.fixture
def contributor(db):
    from blog.models import Contributor

    return Contributor.objects.create(
        name="Dr Ana Ribeiro",
        slug="ana-ribeiro",
        kind="columnist",
        role="Medical oncologist",
        affiliation="Lisbon",
    )


@pytest.fixture
def make_post(blog_index, contributor, topic):
    """Make a published post; keyword arguments override the defaults."""
    from blog.services import add_post

    counter = iter(range(1, 100_000))

    def make(**kwargs):
        n = next(counter)
        kwargs.setdefault("title", f"Post number {n}")
        kwargs.setdefault("standfirst", f"What post {n} is about.")
        kwargs.setdefault("contributors", [contributor])
        kwargs.setdefault("topics", [topic])
        kwargs.setdefault("at", timezone.now() - timezone.timedelta(hours=n))
        return add_post(blog_index, **kwargs)

    return make


@pytest.fixture
def make_page(site_tree):
    """Make a published standard page under the home page; keyword arguments set its fields
    (comment_mode="open" for a page readers can comment on)."""
    from blog.models import StandardPage

    home = site_tree[0]
    counter = iter(range(1, 100_000))

    def make(**kwargs):
        n = next(counter)
        kwargs.setdefault("title", f"Page number {n}")
        kwargs.setdefault("slug", f"page-{n}")
        page = StandardPage(**kwargs)
        home.add_child(instance=page)
        page.save_revision().publish()
        return StandardPage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def make_user(db, django_user_model):
    """Make a staff member, optionally in one of the editorial groups."""
    from django.contrib.auth.models import Group

    def make(username, group=None, **extra):
        user = django_user_model.objects.create_user(
            username, f"{username}@example.org", "pw-123456", **extra
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture(scope="module")
def leave_the_migrated_data_behind(django_db_setup, django_db_blocker):
    """A transactional test ends with an empty database; tests run after it expect Wagtail's
    root page, groups and collections, so put back what the migrations made."""
    yield
    from django.core.cache import cache
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                connections[alias].creation.deserialize_db_from_string(contents)
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    from django.core.cache import cache

    from core.pagecache import recent_generation
    from core.routes import routes

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Staff sign in with a password only, except in the two-factor tests that turn this on.
    settings.ADMIN_2FA_REQUIRED = False
    # Tests count the queries of a render, so pages are rendered every time, except in
    # core/tests/test_pagecache.py, which turns the whole-page cache on.
    settings.PAGE_CACHE = False
    # A generation moved by a test (or by another process, as tests simulate with cache.incr)
    # is seen at once; core/tests/test_pagecache.py tests the window itself.
    settings.PAGE_CACHE_GENERATION_SECONDS = 0
    recent_generation.forget()
    # Rate limits and one-off claims live in the cache: each test starts with none.
    cache.clear()
    # Nor any route a worker kept from another test's database (core/routes.py).
    routes.clear()
    # Tests don't run collectstatic, so hashed-name manifests don't exist.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
