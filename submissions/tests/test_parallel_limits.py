"""Guest submissions at once, from threads with a database connection each (as gunicorn's
workers): the hourly limit holds, and one form's time stamp brings one submission."""

import pytest
from django.core.cache import cache
from django.test import Client

from core.tests.parallel import at_once, in_fresh_thread, shared_database
from submissions.models import Submission
from submissions.services import MAX_PER_HOUR_PER_EMAIL, MAX_PER_HOUR_PER_IP
from submissions.tests.submitting import SUBMIT_URL, form_data

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("leave_the_migrated_data_behind"),
]


def submit(data):
    return Client().post(SUBMIT_URL, data, REMOTE_ADDR="203.0.113.8").status_code


def test_ten_submissions_at_once_from_one_connection_get_five_through(tmp_path):
    forms = [form_data(email=f"author{n}@example.org") for n in range(10)]

    with shared_database(tmp_path):
        statuses = at_once(lambda n: submit(forms[n]), 10)
        cache.clear()
        later = in_fresh_thread(lambda: submit(form_data(email="late@example.org")))
        stored = in_fresh_thread(lambda: Submission.objects.count())

    assert MAX_PER_HOUR_PER_IP == 5
    assert statuses.count(302) == 5 and statuses.count(429) == 5, statuses
    assert later == 429
    assert stored == 5


def test_one_form_sent_ten_times_at_once_brings_one_submission(tmp_path):
    data = form_data()

    with shared_database(tmp_path):
        responses = at_once(
            lambda n: Client().post(SUBMIT_URL, data, REMOTE_ADDR=f"10.9.0.{n}"), 10
        )
        stored = in_fresh_thread(lambda: Submission.objects.count())

    statuses = [response.status_code for response in responses]
    assert statuses.count(302) == 1, statuses
    # The same address three times an hour at most; of the three, one stamp use wins.
    assert statuses.count(400) == MAX_PER_HOUR_PER_EMAIL - 1, statuses
    for response in responses:
        if response.status_code == 400:
            assert "This form has already been sent" in response.content.decode()
    assert stored == 1
