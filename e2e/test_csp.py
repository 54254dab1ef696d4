"""The Content Security Policy blocks nothing the site itself needs: a reader's pages, the
click-to-load video, the forms, and the Wagtail admin (sign-in, dashboard, page editor)."""

import re

import pytest
from playwright.sync_api import expect

EDITOR, PASSWORD = "csp-editor", "a-long-test-only-password"

# Chromium reports each blocked resource or inline code as a securitypolicyviolation event and
# as a console error ("... violates the following Content Security Policy directive ...").
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations = window.__cspViolations || [];
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


class Violations:
    def __init__(self, page):
        self.page = page
        self.console = []
        self.events = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self.on_console)

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def collect(self):
        """Events recorded by the current document, before the next navigation drops them."""
        self.events += self.page.evaluate("window.__cspViolations || []")

    def assert_none(self, where):
        self.collect()
        assert not (self.console or self.events), f"{where}: {self.console + self.events}"


@pytest.fixture
def violations(page):
    # The first visit to a page makes its image renditions, which is slow on a busy machine.
    page.set_default_navigation_timeout(90_000)
    return Violations(page)


def test_the_probe_reports_a_violation(demo_site, page, violations):
    page.goto(demo_site + "/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    violations.collect()

    assert violations.events and violations.console
    assert any(event.startswith("style-src") for event in violations.events)


def test_a_readers_pages_run_under_the_strict_policy(demo_site, page, violations):
    from blog.models import PostPage

    post = next(p for p in PostPage.objects.live() if any(b.block_type == "embed" for b in p.body))
    topic = post.topics.first()

    response = page.goto(demo_site + "/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    violations.assert_none("home")

    page.goto(demo_site + post.url)
    expect(page.locator("#comment-form")).to_be_visible()
    page.get_by_label("Comment").fill("A comment typed while the form script runs.")
    page.get_by_role("button", name=re.compile("Load video")).first.click()
    expect(page.locator("iframe").first).to_be_attached()
    violations.assert_none("post with a loaded video")

    page.goto(demo_site + f"/topics/{topic.slug}/")
    violations.assert_none("topic")

    page.goto(demo_site + "/search/?q=cancer")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    violations.assert_none("search")

    page.goto(demo_site + "/")
    page.get_by_label("Email address").first.fill("reader@example.org")
    page.get_by_role("button", name="Subscribe").first.click()
    expect(page).to_have_url(re.compile(r"/subscribe/$"))
    violations.assert_none("subscribe consent page")

    page.goto(demo_site + "/write-for-us/submit/")
    expect(page.locator("form.submission-form")).to_be_visible()
    violations.assert_none("guest submission form")

    page.goto(demo_site + "/no-such-page/")
    violations.assert_none("page not found")


@pytest.fixture
def editor(db):
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_superuser(EDITOR, "csp@example.org", PASSWORD)
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def sign_in(page, site, device):
    from django_otp.oath import totp

    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if "/two-factor/" in page.url:  # the second factor, when the site asks for one
        page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_the_admin_works_under_its_own_policy(demo_site, page, violations, editor):
    from blog.models import PostPage

    post = PostPage.objects.live().first()

    sign_in(page, demo_site, editor)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    violations.assert_none("admin sign-in and dashboard")

    response = page.goto(demo_site + f"/admin/pages/{post.pk}/edit/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    title = page.locator("#id_title")
    expect(title).to_be_visible()
    # Draftail, Wagtail's rich text editor, is a React app: typing into it needs its script.
    editor_box = page.locator(".Draftail-Editor [contenteditable=true]").first
    expect(editor_box).to_be_visible()
    editor_box.click()
    page.keyboard.type(" Typed under the admin policy.")
    expect(editor_box).to_contain_text("Typed under the admin policy.")
    # The preview panel frames the previewed page: frame-ancestors 'self' must allow it.
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1").first).to_have_text(post.title, timeout=60_000)
    violations.assert_none("page editor, Draftail and preview")

    # Leave the editor while the live server runs: its preview and editing-session requests
    # write to the database, which must be idle when the test empties it.
    page.goto(demo_site + "/admin/")
    page.wait_for_load_state("networkidle")
    violations.assert_none("back to the dashboard")
