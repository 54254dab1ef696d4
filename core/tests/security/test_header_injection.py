"""CR/LF and look-alike line breaks in what readers type never reach an email header as a new
header: names and titles that go into subjects are made one line; addresses that go into To
are refused by the form. Every message is checked on its wire form (`message.message()`)."""

import email
import re
from email.utils import getaddresses

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from comments.services import moderate
from comments.tests.commenting import comment_url, confirm_path, form_data
from submissions.models import Submission
from submissions.tests import submitting
from subscriptions import services as subscription_services
from subscriptions.compose import AlertComposer
from subscriptions.models import Delivery, Mailing, Subscriber

pytestmark = pytest.mark.django_db

INJECTED = "victim@evil.example"
BREAKS = [
    f"Eve\r\nBcc: {INJECTED}",
    f"Eve\nX-Injected: yes\nBcc: {INJECTED}",
    f"Eve\rCc: {INJECTED}",
    "Eve\r\n\r\n<html>body takeover</html>",
    f"Eve%0d%0aBcc: {INJECTED}",
    f"Eve\u2028Bcc: {INJECTED}\u2029X-Injected: yes",
    f"Eve\x85Bcc: {INJECTED}\x0bX-Injected: yes\x0c",
    f"=?utf-8?q?Eve=0D=0ABcc:_{INJECTED}?=",
]
BAD_ADDRESSES = [
    f"maria@example.org\r\nBcc: {INJECTED}",
    f"maria@example.org\nBcc: {INJECTED}",
    f"maria@example.org%0d%0aBcc:{INJECTED}",
    f"maria@example.org, {INJECTED}",
    f"maria@example.org;{INJECTED}",
    f"Maria <maria@example.org>, {INJECTED}",
    f'"maria\r\nBcc: {INJECTED}"@example.org',
]
FORBIDDEN_HEADERS = {"bcc", "cc", "x-injected"}


def assert_no_injected_headers(message, to):
    """One line per header, none the reader made, and mail goes only to `to`."""
    wire = message.message()
    names = {name.lower() for name in wire.keys()}
    assert not names & FORBIDDEN_HEADERS, (message.subject, names)
    assert message.recipients() == [to], message.recipients()
    assert [address for _, address in getaddresses(wire.get_all("To"))] == [to]
    raw = wire.as_bytes()
    head = raw.split(b"\n\n", 1)[0]
    for line in head.splitlines():
        assert not line.lower().startswith((b"bcc:", b"cc:", b"x-injected:")), line
    reparsed = email.message_from_bytes(raw)
    assert "\n" not in str(reparsed["Subject"]).replace("\n ", " ")
    assert INJECTED not in " ".join(str(reparsed[h]) for h in ("To", "From", "Reply-To"))


@pytest.mark.parametrize("name", BREAKS)
def test_a_commenters_name_reaches_the_reply_subject_as_one_line(
    make_post, django_capture_on_commit_callbacks, name
):
    post = make_post()
    first = Client()
    with django_capture_on_commit_callbacks(execute=True):
        first.post(comment_url(post), form_data(notify_replies="on"))
    with django_capture_on_commit_callbacks(execute=True):
        first.post(confirm_path(mail.outbox[-1]))
        moderate(Comment.objects.all(), "approve")
    parent = Comment.objects.get()
    replier = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = replier.post(
            comment_url(post), form_data(name=name, email="eve@example.org", parent=parent.pk)
        )
        assert response.status_code == 302, response.content.decode()[:1000]
        reply = Comment.objects.latest("pk")
        assert "\n" not in reply.author_name and "\r" not in reply.author_name
    with django_capture_on_commit_callbacks(execute=True):
        replier.post(confirm_path(mail.outbox[-1]))
        moderate(Comment.objects.filter(pk=reply.pk), "approve")
    [notice] = [m for m in mail.outbox if "replied to your comment" in m.subject]
    assert_no_injected_headers(notice, "maria@example.org")
    for message in mail.outbox:
        assert_no_injected_headers(message, message.to[0])


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_an_address_with_a_line_break_or_a_second_address_is_refused_everywhere(
    client, make_post, django_capture_on_commit_callbacks, address
):
    post = make_post()
    with django_capture_on_commit_callbacks(execute=True):
        responses = {
            "comment": client.post(comment_url(post), form_data(email=address)),
            "subscribe": client.post("/subscribe/", {"email": address}),
            "consent": client.post(
                "/subscribe/consent/",
                {
                    "email": address,
                    "consent": "on",
                    "wording_version": subscription_services.WORDING_VERSION,
                },
            ),
            "my data": client.post("/comments/my-data/", {"email": address}),
            "follow": client.post(f"/comments/follow/{post.pk}/", {"email": address}),
            "submission": client.post(submitting.SUBMIT_URL, submitting.form_data(email=address)),
        }
    for where, response in responses.items():
        assert response.status_code == 400, (where, response.status_code)
    assert mail.outbox == []
    assert not Comment.objects.exists() and not Subscriber.objects.exists()
    assert not Submission.objects.exists()


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_a_new_address_with_a_line_break_is_refused(
    client, site_tree, django_capture_on_commit_callbacks, address
):
    subscriber = Subscriber.objects.create(
        email="sam@example.org", status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now()
    )
    manage = f"/subscribe/manage/{subscription_services.make_token('manage', subscriber)}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage, {"action": "address", "new_email": address})
    assert response.status_code == 400
    assert mail.outbox == []
    subscriber.refresh_from_db()
    assert subscriber.new_email in ("", None)


@pytest.mark.parametrize("text", BREAKS)
def test_submission_fields_reach_subjects_and_headers_as_one_line(
    client, site_tree, django_capture_on_commit_callbacks, text
):
    submission, status_url = submitting.submitted(
        client, django_capture_on_commit_callbacks, title=text, name=text, role=text
    )
    assert "\n" not in submission.title and "\r" not in submission.title
    assert len(mail.outbox) == 2
    assert_no_injected_headers(submitting.author_email(), "lena@example.org")
    [to_editor] = submitting.editor_emails()
    assert_no_injected_headers(to_editor, "editor@example.org")

    submission.set_status(Submission.Status.CHANGES_REQUESTED, message="Shorter, please.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(status_url, {"message": text + "\r\nSubject: forged"})
    assert response.status_code == 302
    assert mail.outbox, "the editor hears of the reply"
    for message in mail.outbox:
        assert_no_injected_headers(message, message.to[0])


def test_an_alerts_raw_wire_form_has_one_to_header_for_an_odd_but_valid_address(make_post):
    """Alerts are assembled as bytes (compose.wire) for speed: an address that is valid but
    full of header punctuation still makes exactly one To with one recipient."""
    address = '"a,b>;Bcc:\\ victim@evil.example"@example.org'
    subscriber = Subscriber.objects.create(
        email=address, status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now()
    )
    post = make_post(title="Line\u2028breaks")
    Mailing.objects.filter(key=f"alert:{post.pk}").delete()
    mailing = Mailing.objects.create(key=f"alert:{post.pk}", kind=Mailing.Kind.ALERT, post=post)
    delivery = Delivery.objects.create(mailing=mailing, subscriber=subscriber)
    composer = AlertComposer(mailing)
    raw = composer.wire(delivery, subscriber, eight_bit_ok=True)
    if raw is not None:
        parsed = email.message_from_bytes(raw)
        assert not {name.lower() for name in parsed.keys()} & FORBIDDEN_HEADERS
        assert len(parsed.get_all("To")) == 1
        assert getaddresses(parsed.get_all("To")) == [("", address.replace("\\ ", " "))] or (
            len(getaddresses(parsed.get_all("To"))) == 1
        )
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert not re.search(rb"(?im)^bcc:", head)
    message = composer.message(delivery, subscriber)
    assert message.recipients() == [address]
    assert not {name.lower() for name in message.message().keys()} & FORBIDDEN_HEADERS
