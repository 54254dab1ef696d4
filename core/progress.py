"""Long work reports how far it got: one JSON shape for every status endpoint, read by
static/js/progress.js (the admin's mailing, Word conversion and WordPress import pages).

    {"state": "queued" | "running" | "done" | "failed",
     "done": int, "total": int | null,   # null: how much is left is not known yet
     "label": "120 of 500 posts",        # what a person reads beside the bar
     "finished": bool,                   # true: stop asking
     "message": ""}                      # said once, when finished (or why it failed)
"""

from django.http import JsonResponse

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)
# Seconds between two questions, sent in the page so the server sets the pace.
POLL_SECONDS = 2


def status(state, *, done=0, total=None, label="", message=""):
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    return {
        "state": state,
        "done": max(int(done), 0),
        "total": None if total is None else max(int(total), 0),
        "label": label,
        "finished": state in (DONE, FAILED),
        "message": message,
    }


def percent(done, total):
    """For the page's own rendering (no JavaScript): 0-100, or None when unknown."""
    if not total:
        return None
    return min(100, round(100 * done / total))


def status_response(payload, status_code=200):
    response = JsonResponse(payload, status=status_code)
    response["Cache-Control"] = "private, no-store"
    return response


def forbidden():
    return status_response({"error": "You may not see this."}, 403)
