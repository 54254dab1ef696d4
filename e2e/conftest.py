"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made here by fixtures
# are ordinary synchronous calls, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (path := shutil.which(candidate)):
            return path
    pytest.fail("Chromium not found: install Debian's 'chromium' package (.ci/run does).")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory):
    """On SQLite, the journeys' test database is a file, not Django's shared in-memory one.

    With an in-memory database the live server hands its one connection to every request thread,
    and a browser loads a page's images, scripts and translations at once: two threads on one
    SQLite connection read each other's rows or fail with "bad parameter or other API misuse". A
    staff session that comes back empty that way is deleted, and the editor is signed out mid-test.
    With a file each request thread opens its own connection, as gunicorn's workers do.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("e2e-database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "journeys.sqlite3")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def pytest_collection_modifyitems(items):
    # The live server runs in another thread, so data must be committed: each journey gets a
    # transactional database, emptied afterwards and restored to its migrated state (Wagtail's
    # root page, collections and groups come from migrations).
    for item in items:
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture
def demo_site(live_server):
    """The live server's address, with the demo content loaded."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    return live_server.url


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def assert_accessible(axe, page):
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
