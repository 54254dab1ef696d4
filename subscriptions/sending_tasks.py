"""Background tasks that prepare and send mailings. They take primary keys and can run any
number of times, in any number of workers: the delivery ledger keeps each message single."""

from django.tasks import default_task_backend, task


@task()
def prepare(mailing_id):
    from subscriptions import alerts

    return alerts.prepare(mailing_id)


@task()
def send(mailing_id):
    from subscriptions import sending

    return sending.send_mailing(mailing_id)


def enqueue_send(mailing_id, run_after=None):
    """Queue a sender, later if asked and the backend can wait; otherwise now."""
    if run_after is not None and default_task_backend.supports_defer:
        return send.using(run_after=run_after).enqueue(mailing_id)
    if run_after is not None:
        return None  # the scheduler's resume_stalled picks it up when it is due
    return send.enqueue(mailing_id)
