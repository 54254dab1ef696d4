"""Background tasks that prepare and send mailings. They take primary keys and can run any
number of times, in any number of workers: the delivery ledger keeps each message single.
Queued by path (core.tasks), so the modules they run never import them back."""

from django.tasks import task

from subscriptions import alerts, sending


@task()
def prepare(mailing_id):
    return alerts.prepare(mailing_id)


@task()
def send(mailing_id):
    return sending.send_mailing(mailing_id)
