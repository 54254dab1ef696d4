"""Topics form a hierarchy: a topic page links up to its parent and down to its subtopics."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import slugify

from blog.models import Topic


@pytest.fixture
def oncology(db):
    return Topic.objects.create(name="Oncology", slug="oncology")


def subtopic(parent, name):
    return Topic.objects.create(name=name, slug=slugify(name), parent=parent)


def test_a_topic_cannot_be_its_own_parent(oncology):
    oncology.parent = oncology
    with pytest.raises(ValidationError) as error:
        oncology.full_clean()
    assert "parent" in error.value.message_dict


def test_a_topic_cannot_sit_under_its_own_descendant(oncology):
    immunology = subtopic(oncology, "Immunology")
    checkpoint = subtopic(immunology, "Checkpoint inhibitors")
    oncology.parent = checkpoint
    with pytest.raises(ValidationError) as error:
        oncology.full_clean()
    assert error.value.message_dict["parent"] == [
        "A topic cannot sit under itself or its own subtopic."
    ]


def test_moving_a_topic_elsewhere_in_the_tree_is_fine(oncology):
    immunology = subtopic(oncology, "Immunology")
    surgery = subtopic(oncology, "Surgery")
    immunology.parent = surgery
    immunology.full_clean()
    immunology.parent = None
    immunology.full_clean()


def test_a_loop_already_in_the_database_does_not_hang_the_check(oncology):
    immunology = subtopic(oncology, "Immunology")
    Topic.objects.filter(pk=oncology.pk).update(parent=immunology)
    surgery = subtopic(oncology, "Surgery")
    surgery.full_clean()  # its ancestors loop, but it is not part of the loop


def test_deleting_a_parent_leaves_its_subtopics_at_the_top(oncology):
    immunology = subtopic(oncology, "Immunology")
    oncology.delete()
    immunology.refresh_from_db()
    assert immunology.parent is None


def test_the_topic_page_links_to_its_parent_and_subtopics(client, oncology, topic):
    topic.parent = oncology
    topic.save()
    subtopic(topic, "Checkpoint <inhibitors>")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'Part of <a href="/topics/oncology/">Oncology</a>' in page
    assert 'href="/topics/checkpoint-inhibitors/">Checkpoint &lt;inhibitors&gt;</a>' in page

    parent_page = client.get(oncology.get_absolute_url()).content.decode()
    assert "Part of" not in parent_page
    assert 'href="/topics/immunotherapy/">Immunotherapy</a>' in parent_page


def test_a_parent_topic_lists_only_its_own_posts(client, oncology, topic, make_post):
    topic.parent = oncology
    topic.save()
    make_post(title="About immunotherapy", topics=[topic])
    make_post(title="About oncology", topics=[oncology])
    parent_page = client.get(oncology.get_absolute_url()).content.decode()
    assert "About oncology" in parent_page
    assert "About immunotherapy" not in parent_page


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_topic_page_costs_the_same_however_many_subtopics(client, oncology, topic, make_post):
    topic.parent = oncology
    topic.save()
    make_post(topics=[topic])
    subtopic(topic, "Subtopic 1")
    baseline = queries_for(client, topic.get_absolute_url())
    for n in range(2, 8):
        subtopic(topic, f"Subtopic {n}")
    assert queries_for(client, topic.get_absolute_url()) == baseline


def test_the_parent_is_chosen_in_the_snippet_editor(client, make_user, oncology):
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    url = reverse("wagtailsnippets_blog_topic:edit", args=[oncology.pk])
    page = client.get(url).content.decode()
    assert 'name="parent"' in page
    assert "The broader topic this one belongs to" in page
