"""The sign-up limit per connection holds when sign-ups arrive together, in threads with a
database connection each (as gunicorn's workers), and after a cache flush."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from core.tests.parallel import at_once, in_fresh_thread, shared_database
from subscriptions import services
from subscriptions.models import Subscriber

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_the_migrated_data_behind"),
]


def sign_up(n):
    response = Client().post(
        "/subscribe/consent/",
        {
            "email": f"reader{n}@example.org",
            "consent": "yes",
            "wording_version": services.WORDING_VERSION,
        },
        REMOTE_ADDR="203.0.113.7",
    )
    return response.status_code


def test_forty_sign_ups_at_once_from_one_connection_get_twenty_through(site_tree, tmp_path):
    with shared_database(tmp_path):
        statuses = at_once(sign_up, 40)
        cache.clear()  # a flush or a restart does not give the connection a new hour
        later = in_fresh_thread(lambda: sign_up(99))
        stored = in_fresh_thread(lambda: Subscriber.objects.count())

    assert statuses.count(302) == 20 and statuses.count(429) == 20, statuses
    assert later == 429
    assert stored == 20
    assert len(mail.outbox) == 20
