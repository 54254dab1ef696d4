"""A new reader comments, confirms by email, is approved, is replied to and is told about it."""

import re

from django.core import mail
from playwright.sync_api import expect

from e2e.conftest import assert_accessible


def link_path(message, pattern):
    """The path of a link in an email; the emails use BASE_URL, the live server another port."""
    found = re.search(pattern, message.body)
    assert found, message.body
    return found.group(0)


def comment_form(page):
    return page.locator("form#comment-form")


def wait_until_the_form_is_ready(form):
    """The script fetches a CSRF token and a start time when the reader starts writing."""
    form.get_by_label("Name", exact=True).focus()
    expect(form.locator("input[name=csrfmiddlewaretoken]")).not_to_have_value("")
    expect(form.locator("input[name=started]")).not_to_have_value("")


def test_a_reader_comments_confirms_is_approved_and_hears_of_a_reply(demo_site, page, browser, axe):
    from blog.models import PostPage
    from comments.models import Comment
    from comments.services import moderate
    from comments.tests.commenting import rules

    # A human takes longer than a second; the default three would only slow the test down.
    rules(min_seconds_to_submit=1)
    post = PostPage.objects.live().order_by("-first_published_at").first()
    sent = len(mail.outbox)

    # A new reader writes a comment on a page that carries no token and sets no cookie.
    response = page.goto(demo_site + post.url)
    assert response.ok and "set-cookie" not in response.headers
    form = comment_form(page)
    wait_until_the_form_is_ready(form)
    form.get_by_label("Name", exact=True).fill("Maria Lopes")
    form.get_by_label("Email address").fill("maria@example.org")
    form.get_by_label("Comment", exact=True).fill(
        "Thank you for this clear explanation.\n\nIt helped me prepare questions for my oncologist."
    )
    form.get_by_label("Email me when someone replies").check()
    page.wait_for_timeout(1100)
    form.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(axe, page)

    # The confirmation link comes by email; opening it shows a button, pressing it confirms.
    assert len(mail.outbox) == sent + 1
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["maria@example.org"]
    page.goto(demo_site + link_path(confirmation, r"/comments/confirm/[^\s]+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your comment")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.locator("main")).to_contain_text("waiting for a moderator")
    comment = Comment.objects.get(author_name="Maria Lopes")
    assert comment.status == Comment.Status.PENDING

    # A moderator approves it and it shows under the post.
    moderate(Comment.objects.filter(pk=comment.pk), "approve")
    page.goto(demo_site + post.url)
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown).to_contain_text("It helped me prepare questions for my oncologist.")
    shown_count = Comment.objects.filter(post=post, status=Comment.Status.APPROVED).count()
    expect(page.locator("#comments-heading")).to_contain_text(f"({shown_count} comment")
    assert_accessible(axe, page)

    # Its report page.
    page.goto(demo_site + f"/comments/{comment.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a comment")
    expect(page.get_by_role("radio")).to_have_count(4)
    assert_accessible(axe, page)

    # Another reader, in another browser, replies through the "Reply" link.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    other = context.new_page()
    other.set_default_timeout(15_000)
    other.goto(demo_site + post.url)
    other.get_by_role("link", name="Reply to Maria Lopes").click()
    form = comment_form(other)
    expect(form.locator(".comment-form__title")).to_have_text("Reply to Maria Lopes")
    expect(form.locator("input[name=parent]")).to_have_value(str(comment.pk))
    wait_until_the_form_is_ready(form)
    form.get_by_label("Name", exact=True).fill("Jon")
    form.get_by_label("Email address").fill("jon@example.org")
    form.get_by_label("Comment", exact=True).fill(
        "Same for me. Call me on +44 20 7946 0958 if you want to talk."
    )
    other.wait_for_timeout(1100)
    form.get_by_role("button", name="Post comment").click()

    # The privacy guard explains itself and asks before anything is stored.
    expect(other.get_by_role("alert")).to_contain_text("a phone number")
    expect(other.get_by_role("heading", level=1)).to_contain_text(post.title)
    assert not Comment.objects.filter(author_name="Jon").exists()
    assert_accessible(axe, other)
    other.get_by_label("Comment", exact=True).fill(
        "Same for me. It is good to know I am not alone."
    )
    other.get_by_role("button", name="Post comment").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Check your email")

    reply = Comment.objects.get(author_name="Jon")
    assert reply.parent_id == comment.pk
    other.goto(demo_site + link_path(mail.outbox[-1], r"/comments/confirm/[^\s]+/"))
    other.get_by_role("button", name="Confirm my email address").click()
    expect(other.locator("main")).to_contain_text("waiting for a moderator")
    context.close()

    # Once the reply is approved, the first reader gets an email about it.
    before = len(mail.outbox)
    moderate(Comment.objects.filter(pk=reply.pk), "approve")
    notices = [m for m in mail.outbox[before:] if m.to == ["maria@example.org"]]
    assert len(notices) == 1 and "Jon replied" in notices[0].subject
    assert f"#comment-{reply.pk}" in notices[0].body

    page.goto(demo_site + post.url + f"#comment-{reply.pk}")
    expect(page.locator(f"#comment-{comment.pk} #comment-{reply.pk}")).to_contain_text(
        "I am not alone"
    )
    assert_accessible(axe, page)
