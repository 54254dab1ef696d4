"""A new editor signs in with a password, is sent to set up an authenticator, has a wrong code
refused, confirms the right one, sees the recovery codes once, and reaches the dashboard."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from e2e.conftest import assert_accessible

EDITOR, PASSWORD = "new-editor", "a-long-test-only-password"


@pytest.fixture
def editor(django_user_model, settings):
    from django.contrib.auth.models import Group

    settings.ADMIN_2FA_REQUIRED = True
    user = django_user_model.objects.create_user(EDITOR, "new-editor@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_an_editor_sets_up_two_factor_authentication(page, live_server, editor, axe):
    site = live_server.url
    page.goto(site + "/admin/pages/")
    page.get_by_label("Username").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/admin/two-factor/setup/\?next=/admin/pages/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name="QR code for your authenticator")).to_be_visible()
    assert_accessible(axe, page)
    key = b32decode(page.locator("#two-factor-secret").inner_text().replace(" ", ""))

    right = f"{totp(key):06d}"
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()

    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)

    page.get_by_role("link", name="I have saved my codes: continue").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/$"))
    page.goto(site + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("The Cancer Blog")
