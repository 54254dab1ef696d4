"""Five failed sign-ins for one username from one address pause signing in there for 30 minutes,
whether or not the account exists; axes stores no real address."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

LOGIN = "/admin/login/"
WAIT = b"wait 30 minutes"


def sign_in(client, username, password, address="203.0.113.7", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return "_auth_user_id" in client.session


def fail(client, username, times=5, **kwargs):
    for _ in range(times):
        response = sign_in(client, username, "wrong-password", **kwargs)
        assert not signed_in(client)
    return response


def test_four_failures_still_let_the_right_password_in(client, staff):
    fail(client, "editor", times=4)
    response = sign_in(client, "editor", "pw-123456")
    assert response.status_code == 302
    assert signed_in(client)


def test_the_fifth_failure_locks_even_the_right_password_out(client, staff):
    response = fail(client, "editor")
    assert response.status_code == 429
    assert WAIT in response.content
    response = sign_in(client, "editor", "pw-123456")
    assert response.status_code == 429
    assert WAIT in response.content
    assert b'name="password"' in response.content  # the sign-in page, saying to wait
    assert not signed_in(client)


def test_an_unknown_username_is_answered_the_same_way(client, staff):
    known = fail(client, "editor")
    unknown = fail(client, "no-such-person")
    assert unknown.status_code == known.status_code == 429
    assert WAIT in unknown.content


def test_the_lock_holds_only_for_that_username_and_address(client, staff, make_user):
    make_user("writer", "Writers")
    fail(client, "editor")
    assert sign_in(client, "editor", "pw-123456", address="198.51.100.4").status_code == 302
    client.logout()
    assert sign_in(client, "writer", "pw-123456").status_code == 302


def test_the_lock_ends_after_30_minutes(client, staff):
    fail(client, "editor")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=31))
    assert sign_in(client, "editor", "pw-123456").status_code == 302
    assert signed_in(client)


def test_djangos_admin_sign_in_is_limited_too(client, staff):
    response = fail(client, "editor", url="/django-admin/login/")
    assert response.status_code == 429
    assert sign_in(client, "editor", "pw-123456").status_code == 429


def test_attempts_keep_a_keyed_hash_not_the_address(client, staff):
    fail(client, "editor", times=2, address="203.0.113.7")
    fail(client, "editor", times=1, address="203.0.113.8")
    stored = sorted(AccessAttempt.objects.values_list("ip_address", "failures_since_start"))
    assert len(stored) == 2
    for address, _ in stored:
        assert ipaddress.ip_address(address) in ipaddress.ip_network("fd00::/8")
        assert "203.0.113" not in address
    assert sorted(failures for _, failures in stored) == [1, 2]


def test_axes_reset_unlocks(client, staff):
    fail(client, "editor")
    call_command("axes_reset", verbosity=0)
    assert sign_in(client, "editor", "pw-123456").status_code == 302


@pytest.mark.parametrize("username", ["x" * 150, "admin' OR '1'='1", "<script>"])
def test_hostile_usernames_are_counted_and_never_echoed(client, staff, username):
    response = fail(client, username)
    assert response.status_code == 429
    assert b"<script>" not in response.content.split(b"</head>", 1)[1]


@pytest.mark.parametrize("username", ["x" * 500, "editor\u0000"])
def test_a_username_the_form_refuses_is_never_tried(client, staff, username):
    response = sign_in(client, username, "pw-123456")
    assert response.status_code == 200
    assert not AccessAttempt.objects.exists()


def test_superusers_see_lockouts_in_djangos_admin(client, staff, django_user_model):
    fail(client, "editor")
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-123456")
    client.force_login(boss)
    response = client.get("/django-admin/axes/accessattempt/")
    assert response.status_code == 200
    assert b"editor" in response.content
    assert b"203.0.113.7" not in response.content
