"""The one shape every status endpoint answers in, read by static/js/progress.js."""

import pytest

from core import progress


def test_a_running_status_is_not_finished_and_says_nothing_yet():
    assert progress.status(progress.RUNNING, done=3, total=10, label="3 of 10") == {
        "state": "running",
        "done": 3,
        "total": 10,
        "label": "3 of 10",
        "finished": False,
        "message": "",
    }


@pytest.mark.parametrize("state", [progress.DONE, progress.FAILED])
def test_done_and_failed_tell_the_page_to_stop_asking(state):
    assert progress.status(state, message="Over.")["finished"] is True


def test_an_unknown_total_stays_unknown_and_counts_are_never_negative():
    status = progress.status(progress.QUEUED, done=-4)
    assert status["total"] is None and status["done"] == 0
    assert progress.percent(5, None) is None
    assert progress.percent(7, 5) == 100


def test_a_state_the_page_does_not_know_is_refused():
    with pytest.raises(ValueError):
        progress.status("paused")


def test_the_answer_is_never_cached():
    response = progress.status_response(progress.status(progress.DONE))
    assert response["Cache-Control"] == "private, no-store"
    assert progress.forbidden().status_code == 403
