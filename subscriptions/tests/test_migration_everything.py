"""Migration 0008: "every post" said in so many words, read from the choices people had made.

Runs the real migration on the test database: back to 0007, subscribers as they were, forward
again. A mistake here would widen or narrow what real readers get."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("subscriptions", "0007_subscriber_follows_contributors")]
AFTER = [("subscriptions", "0008_subscriber_everything")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_those_who_chose_topics_or_authors_keep_only_their_choice():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Subscriber = old.get_model("subscriptions", "Subscriber")
    Topic = old.get_model("blog", "Topic")
    Contributor = old.get_model("blog", "Contributor")
    topic = Topic.objects.create(name="Screening", slug="screening")
    author = Contributor.objects.create(name="Dr Ana", slug="dr-ana", kind="columnist")
    Subscriber.objects.create(email="all@example.org", status="confirmed")
    by_topic = Subscriber.objects.create(email="topic@example.org", status="confirmed")
    by_topic.topics.add(topic)
    by_author = Subscriber.objects.create(email="author@example.org", status="confirmed")
    by_author.contributors.add(author)
    both = Subscriber.objects.create(email="both@example.org", status="confirmed")
    both.topics.add(topic)
    both.contributors.add(author)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    flags = dict(
        new.get_model("subscriptions", "Subscriber").objects.values_list("email", "everything")
    )

    assert flags == {
        "all@example.org": True,
        "topic@example.org": False,
        "author@example.org": False,
        "both@example.org": False,
    }
