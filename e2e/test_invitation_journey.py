"""A superuser invites a new editor from Settings → Users; the editor opens the emailed link,
chooses a password, enrols an authenticator, keeps the recovery codes and lands in the admin.
The link does not open a second time, and the editor is told by email of the enrolment."""

import re
from base64 import b32decode

import pytest
from django.conf import settings
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import expect

from e2e.conftest import assert_accessible
from users.twofactor import confirm_totp_device, pending_totp_device

BOSS, BOSS_PASSWORD = "chief", "a-long-test-only-password"
EDITOR_EMAIL, EDITOR_PASSWORD = "marta.kowalska@example.org", "another-long-test-passphrase"


@pytest.fixture
def boss_key(django_user_model, settings):
    settings.ADMIN_2FA_REQUIRED = True
    boss = django_user_model.objects.create_superuser(BOSS, "chief@example.org", BOSS_PASSWORD)
    device = pending_totp_device(boss)
    confirm_totp_device(device)
    mail.outbox.clear()
    return device.bin_key


def heading(page):
    return page.get_by_role("heading", level=1)


def local_path(url):
    assert url.startswith(settings.BASE_URL + "/"), url
    return url.removeprefix(settings.BASE_URL)


def code(key):
    return f"{totp(key):06d}"


def test_a_superuser_invites_a_new_editor_who_enrols_from_the_link(
    browser, page, live_server, boss_key, axe, django_user_model
):
    site = live_server.url

    # 1. The superuser signs in (password, then code) and invites Marta from Settings → Users.
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(BOSS)
    page.get_by_label("Password").fill(BOSS_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(code(boss_key))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(site + "/admin/users/")
    page.get_by_role("link", name="Invite a user").click()
    expect(heading(page)).to_contain_text("Invite a user")
    expect(page.get_by_label("Password", exact=True)).to_have_count(0)
    page.get_by_label("Username").fill("marta")
    page.get_by_label("Email").fill(EDITOR_EMAIL)
    page.get_by_label("First Name").fill("Marta")
    page.get_by_label("Last Name").fill("Kowalska")
    page.locator("#tab-label-roles").click()
    page.get_by_label("Editors").check()
    page.screenshot(path="/tmp/invitation-form.png", full_page=True)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text(f"Invitation sent to {EDITOR_EMAIL}")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Marta Kowalska"))).to_contain_text("Invited")

    (invitation,) = [m for m in mail.outbox if m.to == [EDITOR_EMAIL]]
    link = re.search(r"(\S+/admin/two-factor/invitation/\S+/)", invitation.body).group(1)
    mail.outbox.clear()

    # 2. Marta opens the link in her own browser.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    marta = context.new_page()
    marta.set_default_timeout(15_000)
    marta.goto(site + local_path(link))
    expect(heading(marta)).to_have_text("Welcome, Marta")
    expect(marta.get_by_role("img", name="QR code for your authenticator")).to_be_visible()
    assert_accessible(axe, marta)
    marta.screenshot(path="/tmp/invitation-accept.png", full_page=True)
    key = b32decode(marta.locator("#two-factor-secret").inner_text().replace(" ", ""))

    # A code typed wrong is refused, and nothing is saved yet.
    marta.get_by_label("Choose a password").fill(EDITOR_PASSWORD)
    marta.get_by_label("The same password again").fill(EDITOR_PASSWORD)
    marta.get_by_label("Code").fill(f"{(int(code(key)) + 1) % 1_000_000:06d}")
    marta.get_by_role("button", name="Save and sign in").click()
    expect(marta.get_by_text("That code is not right").first).to_be_visible()
    marta.screenshot(path="/tmp/invitation-wrong-code.png", full_page=True)
    assert not django_user_model.objects.get(username="marta").has_usable_password()

    marta.get_by_label("Choose a password").fill(EDITOR_PASSWORD)
    marta.get_by_label("The same password again").fill(EDITOR_PASSWORD)
    marta.get_by_label("Code").fill(code(key))
    marta.get_by_role("button", name="Save and sign in").click()

    # 3. Recovery codes, shown once; then the dashboard.
    expect(heading(marta)).to_have_text("Your recovery codes")
    expect(marta.locator("#recovery-codes li")).to_have_count(10)
    marta.get_by_role("link", name="I have saved my codes: continue").click()
    expect(marta).to_have_url(re.compile(r"/admin/$"))
    expect(heading(marta)).to_contain_text("The Cancer Blog")

    (notice,) = [m for m in mail.outbox if m.to == [EDITOR_EMAIL]]
    assert "If this wasn't you" in notice.body

    # 4. The link works once.
    marta.goto(site + local_path(link))
    expect(heading(marta)).to_have_text("This link no longer works")
    context.close()

    # 5. The superuser sees when Marta enrolled, in the list and in her history.
    page.goto(site + "/admin/users/")
    row = page.get_by_role("row", name=re.compile("Marta Kowalska"))
    expect(row).to_contain_text("On since")
    page.screenshot(path="/tmp/invitation-users.png", full_page=True)
    marta_user = django_user_model.objects.get(username="marta")
    page.goto(site + f"/admin/users/history/{marta_user.pk}/")
    expect(page.get_by_text("Enrolled an authenticator from an invitation")).to_be_visible()
