"""A guest author goes from the guidelines to the form and sends a Word document; the editor
asks for changes in the Wagtail admin; the author answers from the emailed link; the editor
accepts, which makes a draft post, and publishes it; the author is told, with the link. axe-core
checks every guest page on the way."""

import re
from pathlib import Path

from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from e2e.conftest import assert_accessible

AUTHOR = "marta.kowalska@example.org"
EDITOR, EDITOR_PASSWORD = "desk", "a-long-test-only-password"
TITLE = "Running a support group for young adults"
STANDFIRST = "What eight years of Thursday evenings taught a group of survivors in their twenties."


def local_path(url):
    assert url.startswith(settings.BASE_URL + "/"), url
    return url.removeprefix(settings.BASE_URL)


def sent_to(address, since):
    return [m for m in mail.outbox[since:] if m.to == [address]]


def link_in(message, pattern):
    found = re.search(pattern, message.body)
    assert found, message.body
    return local_path(found.group(0))


def heading(page):
    return page.get_by_role("heading", level=1)


def word_document(folder):
    from submissions.tests import docx_files

    path = Path(folder) / "support-group.docx"
    path.write_bytes(docx_files.full_docx())
    return path


def sign_in(page, site):
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill(EDITOR)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_in_the_admin(page, site):
    page.goto(site + "/admin/")
    page.get_by_role("link", name=re.compile(r"^Guest posts")).first.click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=re.compile("Disclosures"))).to_be_visible()


def test_a_guest_post_goes_from_the_guidelines_to_publication(
    demo_site, page, axe, django_user_model, settings, monkeypatch, tmp_path
):
    from blog.models import PostPage
    from submissions import forms as submission_forms
    from submissions.models import Submission

    # A person takes minutes over the form; the time trap would stop a test that takes one.
    monkeypatch.setattr(submission_forms, "MIN_SECONDS_TO_SUBMIT", 0)
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    editor = django_user_model.objects.create_user(EDITOR, "desk@example.org", EDITOR_PASSWORD)
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name="Editors"))
    editor.is_staff = True
    editor.save()

    # 1. From the guidelines to the form.
    page.goto(demo_site + "/write-for-us/")
    expect(heading(page)).to_have_text("How to write a blog post for us")
    page.get_by_role("link", name="Submit a guest post").first.click()
    expect(page).to_have_url(re.compile(r"/write-for-us/submit/$"))
    assert_accessible(axe, page)

    # 2. The author fills it in and uploads a Word document with a table, images and a note.
    form = page.get_by_role("main")
    form.get_by_label("Your name").fill("Marta Kowalska")
    form.get_by_label("Email address").fill(AUTHOR)
    page.get_by_label("Affiliation").fill("Young Adults Cancer Network, Kraków")
    page.get_by_label("Role").fill("Patient advocate")
    page.get_by_label("Short biography").fill("Marta was treated for Hodgkin lymphoma at 22.")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Standfirst").fill(STANDFIRST)
    page.get_by_label("Or upload a Word document (.docx)").set_input_files(word_document(tmp_path))
    page.get_by_label("Conflicts of interest").fill("None")
    page.get_by_label("Funding").fill("The network is funded by member donations.")
    page.locator("#id_consent_guidelines").check()
    page.locator("#id_consent_editing").check()
    page.get_by_label("Email me when my post is published").check()
    sent = len(mail.outbox)
    page.get_by_role("button", name=re.compile("^Send")).click()

    expect(heading(page)).to_have_text("Your guest post submission")
    expect(page.get_by_role("status").first).to_contain_text("we have received your submission")
    assert_accessible(axe, page)
    submission = Submission.objects.get(email=AUTHOR)
    assert submission.conversion == "done", submission.conversion_messages
    page.screenshot(path="/tmp/guest-status.png", full_page=True)

    (received,) = sent_to(AUTHOR, sent)
    status_path = link_in(received, r"\S+/submissions/[^/\s]+/")
    assert len(sent_to("editor@example.org", sent)) == 1, "the editor hears of it"

    # 3. The editor reads it in the admin and asks for changes.
    sign_in(page, demo_site)
    open_in_the_admin(page, demo_site)
    expect(page.locator("article.gs-post table")).to_be_visible()
    page.screenshot(path="/tmp/guest-review.png", full_page=True)
    page.get_by_label("Message").fill("Lovely. Could you add a paragraph on how you started?")
    before = len(mail.outbox)
    page.get_by_role("button", name="Request changes").click()
    expect(page.locator(".messages")).to_contain_text("Changes requested")

    # 4. The author answers from the link in the email with a revised text.
    (asked,) = sent_to(AUTHOR, before)
    assert "how you started" in asked.body
    page.goto(demo_site + link_in(asked, r"\S+/submissions/[^/\s]+/"))
    expect(page.get_by_role("heading", name="Reply to the editor")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Your message to the editor").fill("Done: a new first section.")
    page.get_by_label("Revised text").fill(
        "## How we started\n\nFour of us met in a hospital corridor in 2018.\n\n"
        "## What we learnt\n\nPeople come for the **company** and stay for the friends."
    )
    page.get_by_role("button", name="Send my reply").click()
    expect(page.locator("#history")).to_contain_text("Done: a new first section.")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_REVIEW and submission.version == 2
    assert len(sent_to("editor@example.org", before)) == 1, "the editor hears of the reply"
    assert_accessible(axe, page)

    # 5. The editor accepts: a draft post, which they publish as any other.
    open_in_the_admin(page, demo_site)
    expect(page.locator("article.gs-post")).to_contain_text("Four of us met in a hospital corridor")
    page.get_by_label("Message").fill("Accepted with thanks.")
    page.get_by_role("button", name="Accept and make a draft post").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    post = PostPage.objects.get(pk=Submission.objects.get(pk=submission.pk).post_id)
    assert not post.live and post.kind == "guest"
    # The way back to the submission, in the page's "Actions" menu.
    page.screenshot(path="/tmp/guest-draft.png")
    page.get_by_role("navigation", name="Actions", exact=True).get_by_role("button").click()
    expect(page.get_by_role("link", name="Guest submission")).to_be_visible()
    page.keyboard.press("Escape")
    edit_url = page.url

    # The author sees the edited version before it is published, from their status page.
    page.goto(demo_site + status_path)
    page.get_by_role("link", name="See the edited version").click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("note")).to_contain_text("not yet published")
    assert_accessible(axe, page)

    page.goto(edit_url)
    before = len(mail.outbox)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("published")
    post.refresh_from_db()
    assert post.live

    # 6. The author is told, with the link, and the status page says so.
    published = [m for m in sent_to(AUTHOR, before) if post.url in m.body]
    assert len(published) == 1, [m.subject for m in mail.outbox[before:]]
    page.goto(demo_site + local_path(settings.BASE_URL + post.url))
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text("Marta Kowalska")
    page.goto(demo_site + status_path)
    expect(page.get_by_role("main")).to_contain_text("Your post is published")
    assert_accessible(axe, page)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PUBLISHED
