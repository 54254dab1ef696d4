"""Limits count in the database: exact under concurrency, shared by every process, kept across a
cache flush and a restart."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from core import ratelimit
from core.models import LimitCounter
from core.tests.parallel import at_once, in_fresh_thread, in_processes, shared_database


@pytest.mark.django_db
def test_it_counts_within_the_window_and_starts_again_after_it():
    start = timezone.now()

    counts = [ratelimit.hit("test:a", 3600, now=start) for _ in range(3)]
    later = ratelimit.hit("test:a", 3600, now=start + timezone.timedelta(minutes=59))
    next_window = ratelimit.hit("test:a", 3600, now=start + timezone.timedelta(minutes=61))
    after = ratelimit.hit("test:a", 3600, now=start + timezone.timedelta(minutes=62))

    assert counts == [1, 2, 3]
    assert later == 4
    assert (next_window, after) == (1, 2), "a new window opens with the first action after one"
    assert ratelimit.hit("test:b", 3600, now=start) == 1, "each key counts alone"


@pytest.mark.django_db
def test_a_limit_of_n_lets_n_through():
    allowed = [ratelimit.within_hourly_limit("test:limit", 3) for _ in range(5)]

    assert allowed == [True, True, True, False, False]


@pytest.mark.django_db
def test_a_claim_is_granted_once_per_period():
    assert ratelimit.claim("test:link", 600) is True
    assert ratelimit.claim("test:link", 600) is False
    LimitCounter.objects.filter(key="test:link").update(expires_at=timezone.now())
    assert ratelimit.claim("test:link", 600) is True


@pytest.mark.django_db
def test_a_cache_flush_forgets_no_count():
    for _ in range(3):
        ratelimit.hit("test:flush")
    cache.clear()

    assert ratelimit.within_hourly_limit("test:flush", 3) is False


@pytest.mark.django_db
def test_very_long_keys_are_cut_not_refused():
    key = "test:" + "x" * 500

    assert [ratelimit.hit(key) for _ in range(2)] == [1, 2]


@pytest.mark.django_db
def test_counters_whose_window_closed_are_forgotten():
    now = timezone.now()
    ratelimit.hit("test:old", 60, now=now - timezone.timedelta(minutes=2))
    ratelimit.hit("test:new", 60, now=now)

    assert ratelimit.purge_expired(now=now) == 1
    assert list(LimitCounter.objects.values_list("key", flat=True)) == ["test:new"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("leave_the_migrated_data_behind")
def test_threads_asking_together_get_exactly_the_limit(tmp_path):
    with shared_database(tmp_path):
        allowed = at_once(lambda n: ratelimit.within_hourly_limit("test:threads", 20), 60)
        counted = in_fresh_thread(
            lambda: LimitCounter.objects.values_list("count", flat=True).get(key="test:threads")
        )

    assert allowed.count(True) == 20
    assert counted == 60


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("leave_the_migrated_data_behind")
def test_processes_with_a_cache_each_share_one_limit(tmp_path):
    """What gunicorn's workers do with the default settings (a local-memory cache each)."""
    with shared_database(tmp_path) as database_url:
        allowed = in_processes(
            database_url,
            "core.ratelimit.within_hourly_limit",
            ["test:processes", 20],
            processes=4,
            calls=10,
            tmp_path=tmp_path,
        )
        claims = in_processes(
            database_url,
            "core.ratelimit.claim",
            ["test:once", 600],
            processes=4,
            calls=3,
            tmp_path=tmp_path,
        )

    assert len(allowed) == 40 and allowed.count(True) == 20
    assert claims.count(True) == 1


@pytest.mark.django_db
def test_the_scheduler_forgets_counters_whose_window_closed(site_tree):
    from django.core.management import call_command

    ratelimit.hit("test:closed", 60, now=timezone.now() - timezone.timedelta(hours=2))
    ratelimit.hit("test:open", 3600)

    call_command("run_scheduler", "--once")

    assert list(LimitCounter.objects.values_list("key", flat=True)) == ["test:open"]
