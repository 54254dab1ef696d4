"""A reader's data: see it, download it, erase it by an emailed link; IP hashes expire."""

import json
import re
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from comments import privacy, services
from comments.checks import Verdict
from comments.models import Comment, Commenter, CommentReport, ConversationFollow

pytestmark = pytest.mark.django_db

MY_DATA = "/comments/my-data/"


@pytest.fixture(autouse=True)
def _forget_rate_limits():
    cache.clear()
    yield
    cache.clear()


def data_link(message):
    found = re.search(r"/comments/my-data/[^\s/]+/", message.body)
    assert found, message.body
    return found.group(0)


def comment_by(post, name, email, body, parent=None, approve=True):
    rules = services.rules_for(None)
    comment, _ = services.submit_comment(
        services.Submission(
            post=post, name=name, email=email, body=body, parent=parent, ip_hash="f" * 64
        ),
        rules,
        Verdict(),
    )
    services.confirm_comment(comment.pk, rules)
    services.moderate(Comment.objects.filter(pk=comment.pk), "approve" if approve else "pending")
    comment.refresh_from_db()
    return comment


def ask_for_link(client, capture, email="maria@example.org"):
    with capture(execute=True):
        return client.post(MY_DATA, {"email": email})


@pytest.fixture
def maria(make_post):
    """Maria commented twice on one post (Jon replied to her) and once elsewhere, and follows."""
    post, other = make_post(title="Fatigue after chemotherapy"), make_post()
    first = comment_by(post, "Maria", "maria@example.org", "My oncologist said rest helps.")
    reply = comment_by(post, "Jon", "jon@example.org", "Mine said exercise.", parent=first)
    comment_by(post, "Maria", "maria@example.org", "Still waiting.", approve=False)
    comment_by(other, "Maria", "maria@example.org", "Thank you.")
    ConversationFollow.objects.create(post=other, email="maria@example.org")
    ConversationFollow.objects.create(
        post=post, email="maria@example.org", confirmed_at=timezone.now()
    )
    return {"post": post, "other": other, "first": first, "reply": reply}


def test_the_post_links_to_a_data_page_with_a_labelled_form(client, make_post):
    post = make_post()
    assert f'href="{MY_DATA}"' in client.get(post.url).content.decode()
    html = client.get(MY_DATA).content.decode()
    assert '<label class="field__label" for="id_email">Email address</label>' in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert html.count("<h1") == 1


def test_known_and_unknown_addresses_get_the_same_answer_and_only_the_known_an_email(
    client, maria, django_capture_on_commit_callbacks
):
    known = ask_for_link(client, django_capture_on_commit_callbacks, "Maria@Example.org")
    unknown = ask_for_link(client, django_capture_on_commit_callbacks, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == "/comments/my-data/sent/"
    assert "works for 24 hours" in client.get(known["Location"]).content.decode()
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]
    assert "maria" not in data_link(mail.outbox[0]).lower(), "no address in URLs (they are logged)"

    ask_for_link(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1, "one link per address every 10 minutes"


def test_a_follower_who_never_commented_can_ask_too(
    client, make_post, django_capture_on_commit_callbacks
):
    ConversationFollow.objects.create(post=make_post(), email="fatima@example.org")
    ask_for_link(client, django_capture_on_commit_callbacks, "fatima@example.org")
    page = client.get(data_link(mail.outbox[0])).content.decode()
    assert "0 comments and 1 followed conversation" in page


def test_the_link_shows_download_and_erase_and_opening_it_changes_nothing(
    client, maria, django_capture_on_commit_callbacks
):
    ask_for_link(client, django_capture_on_commit_callbacks)
    page = client.get(data_link(mail.outbox[0]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "3 comments and 2 followed conversations" in html
    assert ">Download my data</button>" in html and ">Erase my data</button>" in html
    assert Commenter.objects.filter(email="maria@example.org").exists()


def test_the_download_holds_the_commenter_their_comments_and_follows(
    client, maria, django_capture_on_commit_callbacks
):
    ask_for_link(client, django_capture_on_commit_callbacks)
    response = client.post(data_link(mail.outbox[0]), {"action": "download"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = json.loads(response.content)

    assert data["commenter"]["name"] == "Maria"
    assert data["commenter"]["email"] == "maria@example.org"
    assert data["commenter"]["confirmed_at"]
    comments = data["comments"]
    assert [c["body"] for c in comments] == [
        "My oncologist said rest helps.",
        "Still waiting.",
        "Thank you.",
    ]
    assert [c["status"] for c in comments] == ["approved", "pending", "approved"]
    assert comments[0]["post_title"] == "Fatigue after chemotherapy"
    assert comments[0]["post_url"].endswith(maria["post"].url)
    assert comments[0]["url"].endswith(f"#comment-{maria['first'].pk}")
    assert all(c["created_at"] for c in comments)
    assert "Mine said exercise." not in response.content.decode(), "only their own comments"
    assert sorted((f["post_title"], bool(f["confirmed_at"])) for f in data["follows"]) == sorted(
        [("Fatigue after chemotherapy", True), (maria["other"].title, False)]
    )


def test_erasure_asks_first_then_forgets_the_address_and_keeps_the_thread(
    client, maria, django_capture_on_commit_callbacks
):
    ask_for_link(client, django_capture_on_commit_callbacks)
    link = data_link(mail.outbox[0])
    step = client.post(link, {"action": "erase"})
    assert "Yes, erase my data</button>" in step.content.decode()
    assert Commenter.objects.filter(email="maria@example.org").exists(), "not before confirming"

    response = client.post(link, {"action": "erase_confirmed"})
    assert response.status_code == 302
    assert response.cookies["commenter"]["max-age"] == 0, "the browser forgets the address too"
    assert "Your comment data is erased" in client.get(response["Location"]).content.decode()

    assert not Commenter.objects.filter(name="Maria").exists()
    assert not ConversationFollow.objects.exists()
    for comment in Comment.objects.exclude(pk=maria["reply"].pk):
        assert comment.status == Comment.Status.REMOVED
        assert (comment.author_name, comment.body, comment.ip_hash) == ("", "", "")
        assert comment.commenter_id is None
    every_value = [
        str(value)
        for model in (Comment, Commenter, ConversationFollow)
        for row in model.objects.values()
        for value in row.values()
    ]
    assert not [v for v in every_value if "maria" in v.lower()]
    assert Commenter.objects.filter(email="jon@example.org").exists()

    page = client.get(maria["post"].url).content.decode()
    assert "Comment removed." in page
    assert page.index("Comment removed.") < page.index("Mine said exercise.")
    assert "My oncologist said" not in page

    again = client.get(link)
    assert again.status_code == 404, "the link dies with the data"
    assert "This link has expired or is not valid" in again.content.decode()


def test_forged_and_expired_data_links_show_a_clear_page_and_change_nothing(client, maria):
    commenter = Commenter.objects.get(email="maria@example.org")
    real = privacy.data_token(privacy.COMMENTER, commenter.pk, commenter.email)
    forged = real[:-3] + ("abc" if not real.endswith("abc") else "xyz")
    someone_else = privacy.data_token(privacy.COMMENTER, commenter.pk, "jon@example.org")
    a_day_ago = timezone.now().timestamp() - 25 * 3600
    with mock.patch("django.core.signing.time.time", return_value=a_day_ago):
        expired = privacy.data_token(privacy.COMMENTER, commenter.pk, commenter.email)

    for token in (forged, someone_else, expired, "nonsense"):
        for action in ("download", "erase_confirmed"):
            response = client.post(f"/comments/my-data/{token}/", {"action": action})
            assert response.status_code == 404
            assert "Ask for a new link" in response.content.decode()
    assert Commenter.objects.filter(email="maria@example.org").exists()
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == 3


@pytest.mark.parametrize(
    "email",
    [
        "a" * 300 + "@example.org",
        "<script>alert(1)</script>@example.org",
        "maría@example.org",
        "\u202emaria@example.org",
        "",
    ],
)
def test_a_bad_address_gets_a_clear_error_and_sends_nothing(
    client, maria, email, django_capture_on_commit_callbacks
):
    response = ask_for_link(client, django_capture_on_commit_callbacks, email)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_email-error"' in html and 'aria-invalid="true"' in html
    assert "<script>alert" not in html
    assert mail.outbox == []


def test_old_ip_hashes_are_forgotten_and_recent_ones_kept(make_post):
    post = make_post()
    rules = services.rules_for(None)
    rules.ip_retention_days = 30
    rules.save()
    now = timezone.now()
    old, recent = now - timezone.timedelta(days=31), now - timezone.timedelta(days=29)
    old_comment = comment_by(post, "A", "a@example.org", "Old.")
    new_comment = comment_by(post, "B", "b@example.org", "New.")
    Comment.objects.filter(pk=old_comment.pk).update(created_at=old)
    Comment.objects.filter(pk=new_comment.pk).update(created_at=recent)
    for n, when in enumerate([old, old, recent]):
        CommentReport.objects.create(
            comment=new_comment, reason="spam", ip_hash=f"{n}" * 64, created_at=when
        )

    out = StringIO()
    call_command("purge_comment_ips", stdout=out)
    assert "2 reports" in out.getvalue()

    old_comment.refresh_from_db()
    new_comment.refresh_from_db()
    assert old_comment.ip_hash == "" and new_comment.ip_hash == "f" * 64
    reports = list(CommentReport.objects.order_by("created_at", "pk"))
    assert [r.ip_hash for r in reports] == [
        f"purged:{reports[0].pk}",
        f"purged:{reports[1].pk}",
    ] + ["2" * 64]
    assert new_comment.reports.count() == 3, "reports and their count stay for the moderators"
    assert privacy.purge_ip_hashes() == {"comments": 0, "reports": 0}, "nothing twice"

    rules.ip_retention_days = 7
    rules.save()
    assert privacy.purge_ip_hashes() == {"comments": 1, "reports": 1}


def test_confirming_a_comment_after_its_writer_erased_their_data_says_so(
    client, make_post, django_capture_on_commit_callbacks
):
    from comments.tests.commenting import comment_url, confirm_path, form_data
    from comments.views import PROVEN_COOKIE

    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(comment_url(post), form_data(email="erased@example.org"))
    link = confirm_path(mail.outbox[-1])
    privacy.erase_data("erased@example.org")
    comment = Comment.objects.get()
    before = (comment.status, comment.body, Commenter.objects.count())

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 404
        assert "erased their data" in response.content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.body, Commenter.objects.count()) == before
    assert PROVEN_COOKIE not in response.cookies
