"""Post lists show how many comments each post has, at no extra query per post."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import PostPage
from comments.models import Comment

pytestmark = pytest.mark.django_db


def comments_on(post, approved=0, other=0):
    for n in range(approved):
        Comment.objects.create(
            post=post,
            author_name=f"Reader {n}",
            body="Yes.",
            status=Comment.Status.APPROVED,
            approved_at=timezone.now(),
        )
    for status in [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED][:other]:
        Comment.objects.create(post=post, author_name="Someone", body="Hm.", status=status)


def queries_for(client, url):
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_listings_count_only_published_comments(make_post):
    busy, quiet, hidden = make_post(), make_post(), make_post()
    comments_on(busy, approved=3, other=3)
    comments_on(hidden, other=3)
    counts = dict(PostPage.objects.published().for_listing().values_list("pk", "comment_count"))
    assert counts == {busy.pk: 3, quiet.pk: 0, hidden.pk: 0}


def test_a_card_links_to_the_comments_only_when_there_are_some(client, make_post):
    one, many, none = make_post(title="One"), make_post(title="Many"), make_post(title="None")
    comments_on(one, approved=1)
    comments_on(many, approved=12, other=1)
    html = client.get("/blog/").content.decode()
    assert f'href="{one.url}#comments">1 comment<span' in html
    assert f'href="{many.url}#comments">12 comments<span' in html
    assert f'href="{none.url}#comments"' not in html


@pytest.mark.parametrize("url", ["/", "/blog/", "/topics/immunotherapy/", "/authors/ana-ribeiro/"])
def test_counts_cost_no_query_per_post(client, make_post, url):
    for _ in range(2):
        comments_on(make_post(), approved=2)
    baseline = queries_for(client, url)
    for n in range(6):
        comments_on(make_post(), approved=n, other=1)
    assert queries_for(client, url) == baseline
