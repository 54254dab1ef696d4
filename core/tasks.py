"""How code asks for background work: by the task's dotted path, so a module that enqueues a
task never imports the task module, and a task module imports what it runs without a circle
(the scheduler names its jobs the same way)."""

from django.db import transaction
from django.tasks import default_task_backend
from django.utils.module_loading import import_string


def enqueue(path, *args, run_after=None):
    """Queue the task at `path` now; with `run_after`, for later if the backend can wait, and
    not at all if it cannot (None): the caller's own sweep picks the work up when it is due."""
    task = import_string(path)
    if run_after is None:
        return task.enqueue(*args)
    if default_task_backend.supports_defer:
        return task.using(run_after=run_after).enqueue(*args)
    return None


def enqueue_on_commit(path, *args):
    """Queue the task once the current transaction commits (at once outside one): a worker
    then finds the rows it is given, and a rolled-back request queues nothing."""
    import_string(path)  # a wrong path fails here, in the request, not later in a callback
    transaction.on_commit(lambda: enqueue(path, *args))
