"""Staff confirm each sign-in with a TOTP code; nothing in the admin opens before that."""

import re
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from users.twofactor import confirm_totp_device, pending_totp_device

SETUP = "/admin/two-factor/setup/"
VERIFY = "/admin/two-factor/verify/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.ADMIN_2FA_REQUIRED = True


def code_for(device, offset=0):
    return f"{totp(device.bin_key, drift=offset):06d}"


def shown_secret(response):
    secret = re.search(rb'id="two-factor-secret">([A-Z2-7 ]+)<', response.content).group(1)
    return b32decode(secret.replace(b" ", b""))


@pytest.fixture
def enrolled(staff):
    """The editor with a confirmed authenticator, and their recovery codes."""
    device = pending_totp_device(staff)
    codes = confirm_totp_device(device)
    return device, codes


def password_login(client, username="editor", password="pw-123456", next_url="/admin/"):
    response = client.post(
        "/admin/login/", {"username": username, "password": password, "next": next_url}
    )
    assert response.status_code == 302
    return response


# Setting up


def test_after_the_password_staff_without_a_device_are_sent_to_setup(client, staff):
    password_login(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == SETUP + "?next=/admin/"


def test_setup_shows_a_qr_code_and_the_secret_and_keeps_it_on_reload(client, staff):
    client.force_login(staff)
    first = client.get(SETUP)
    assert first.status_code == 200
    assert b"<svg" in first.content
    assert shown_secret(first) == shown_secret(client.get(SETUP))
    assert TOTPDevice.objects.get(user=staff, confirmed=False).bin_key == shown_secret(first)


def test_the_right_code_confirms_the_device_and_shows_recovery_codes_once(client, staff):
    client.force_login(staff)
    secret = shown_secret(client.get(SETUP + "?next=/admin/pages/"))
    response = client.post(SETUP, {"code": f"{totp(secret):06d}", "next": "/admin/pages/"})
    assert response.status_code == 200
    codes = re.findall(rb"<li><code>([a-z2-7]+)</code></li>", response.content)
    assert len(codes) == 10
    assert b'href="/admin/pages/"' in response.content
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert StaticToken.objects.filter(device__user=staff).count() == 10
    assert client.get("/admin/").status_code == 200
    # Never shown again: the setup page now only offers new codes.
    again = client.get(SETUP)
    assert b"Two-factor authentication is on" in again.content
    assert codes[0] not in again.content


def test_a_wrong_code_at_setup_confirms_nothing(client, staff):
    client.force_login(staff)
    secret = shown_secret(client.get(SETUP))
    wrong = f"{(totp(secret) + 1) % 1_000_000:06d}"
    for code in (wrong, "", "abcdef", "1" * 40):
        response = client.post(SETUP, {"code": code})
        assert response.status_code == 200
        assert b"error" in response.content
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302


# Verifying


def test_staff_with_a_device_must_enter_a_code(client, enrolled):
    password_login(client, next_url="/admin/pages/")
    response = client.get("/admin/pages/")
    assert response.url == VERIFY + "?next=/admin/pages/"
    device, _ = enrolled
    response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/pages/"})
    assert response.status_code == 302
    assert response.url == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_verifying_gives_a_new_session_key(client, enrolled):
    password_login(client)
    before = client.session.session_key
    client.post(VERIFY, {"code": code_for(enrolled[0])})
    assert client.session.session_key != before


def test_a_wrong_code_is_refused(client, enrolled):
    password_login(client)
    device, _ = enrolled
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert client.get("/admin/").status_code == 302


def test_a_code_cannot_be_used_twice(client, enrolled, django_user_model):
    device, _ = enrolled
    code = code_for(device)
    password_login(client)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.logout()
    password_login(client)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(client, enrolled):
    _, codes = enrolled
    password_login(client)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    password_login(client)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=enrolled[0].user).count() == 9


def test_too_many_wrong_codes_end_the_session_and_lock_the_sign_in(client, enrolled, settings):
    password_login(client)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(VERIFY, {"code": "000000" if attempt % 2 else "bad-code"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().username == "editor"
    response = client.post("/admin/login/", {"username": "editor", "password": "pw-123456"})
    assert response.status_code == 429


def test_wrong_codes_slow_the_device_down(client, enrolled):
    device, _ = enrolled
    password_login(client)
    client.post(VERIFY, {"code": "000000"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Straight after a wrong code, even the right one waits until the pause is over.
    response = client.post(VERIFY, {"code": code_for(device)})
    assert b"Too many wrong codes" in response.content
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timezone.timedelta(seconds=5)
    )
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/admin/", "https:/evil.example", "javascript:x"],
)
def test_next_never_leaves_the_site(client, enrolled, staff, target):
    password_login(client)
    response = client.post(VERIFY, {"code": code_for(enrolled[0]), "next": target})
    assert response.url == "/admin/"


def test_next_after_setup_never_leaves_the_site(client, staff):
    client.force_login(staff)
    secret = shown_secret(client.get(SETUP))
    response = client.post(SETUP, {"code": f"{totp(secret):06d}", "next": "//evil.example/"})
    assert b"evil.example" not in response.content


# Nothing before the second factor


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/pages/search/?q=a",
        "/admin/api/main/pages/",
        "/admin/users/",
        "/admin/account/",
        "/admin/subscribers/",
        "/admin/two-factor/reset/1/",
        "/admin/nothing-here/",
        "/django-admin/",
        "/django-admin/auth/group/",
    ],
)
def test_no_admin_url_opens_before_the_code(client, enrolled, url):
    password_login(client)
    response = client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


def test_a_post_to_the_admin_before_the_code_does_nothing(client, enrolled, make_post):
    post = make_post(title="Before")
    password_login(client)
    response = client.post(f"/admin/pages/{post.pk}/unpublish/", {})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.live
    assert client.post("/admin/two-factor/recovery-codes/").url.startswith(VERIFY)
    assert StaticToken.objects.filter(device__user=enrolled[0].user).count() == 10


def test_on_public_pages_an_unverified_user_is_anonymous(client, enrolled, make_post):
    post = make_post()
    password_login(client)
    response = client.get(post.url)
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_signing_out_works_before_the_code(client, enrolled):
    password_login(client)
    client.post("/admin/logout/")
    assert "_auth_user_id" not in client.session


# Who needs it


def test_readers_accounts_are_not_asked_for_a_code(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw-123456")
    client.force_login(reader)
    response = client.get("/admin/")
    assert response.url.startswith("/admin/login/")
    assert client.get(SETUP).status_code == 403


def test_when_not_required_a_password_is_enough(client, staff, settings):
    settings.ADMIN_2FA_REQUIRED = False
    password_login(client)
    assert client.get("/admin/").status_code == 200


def test_when_not_required_a_device_still_asks_for_its_code(client, enrolled, settings):
    settings.ADMIN_2FA_REQUIRED = False
    password_login(client)
    assert client.get("/admin/").url.startswith(VERIFY)


def test_a_verified_session_costs_one_query_more_than_a_password_only_one(
    client, enrolled, make_user, settings
):
    settings.ADMIN_2FA_REQUIRED = False
    client.force_login(make_user("plain-editor", "Editors"))
    client.get("/admin/account/")
    with CaptureQueriesContext(connection) as plain:
        client.get("/admin/account/")
    client.logout()
    password_login(client)
    client.post(VERIFY, {"code": code_for(enrolled[0])})
    client.get("/admin/account/")
    with CaptureQueriesContext(connection) as verified:
        client.get("/admin/account/")
    assert len(verified) == len(plain) + 1


# Resetting


def test_a_superuser_resets_a_lost_device(client, enrolled, staff, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-123456")
    boss_device = pending_totp_device(boss)
    confirm_totp_device(boss_device)
    password_login(client, "boss")
    client.post(VERIFY, {"code": code_for(boss_device)})
    listing = client.get("/admin/users/")
    assert f"/admin/two-factor/reset/{staff.pk}/".encode() in listing.content
    assert client.get(f"/admin/two-factor/reset/{staff.pk}/").status_code == 200
    response = client.post(f"/admin/two-factor/reset/{staff.pk}/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    # The editor's password alone does not set up a new authenticator: the emailed invitation
    # does (users/tests/test_invitations.py).
    client.logout()
    password_login(client)
    assert client.get("/admin/").url.startswith(SETUP)
    assert client.get(SETUP).status_code == 403


def test_only_superusers_reset(client, enrolled, make_user):
    other = make_user("other-editor", "Editors")
    password_login(client)
    client.post(VERIFY, {"code": code_for(enrolled[0])})
    assert client.post(f"/admin/two-factor/reset/{other.pk}/").status_code == 403


def test_a_reset_during_a_session_leads_to_setup(client, enrolled, staff):
    password_login(client)
    client.post(VERIFY, {"code": code_for(enrolled[0])})
    call_command("reset_two_factor", "editor", stdout=open("/dev/null", "w"))
    assert client.get("/admin/").url.startswith(VERIFY)
    assert client.get(VERIFY).url.startswith(SETUP)
    assert client.get("/admin/").url.startswith(SETUP)
    assert b"Ask for an invitation" in client.get(SETUP).content
