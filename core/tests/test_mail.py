"""Outgoing mail through the configured mailer: one readable .eml file per message locally."""

import email
from email import policy

from core.email import send_email


def test_each_message_becomes_one_eml_file_a_mail_client_can_open(settings, tmp_path, db):
    settings.MAILERS = {
        "default": {"BACKEND": "core.mail.EmlFileBackend", "OPTIONS": {"directory": str(tmp_path)}}
    }
    sent = send_email(
        "comment_reply",
        "maria@example.org",
        {
            "comment": {"author_name": "Jon <b>", "body": "Thanks & welcome"},
            "parent": {"author_name": "Maria"},
            "post": {"title": "Women's health & cancer"},
            "comment_url": "http://127.0.0.1:8000/blog/x/#comment-1",
            "stop_url": "http://127.0.0.1:8000/comments/stop/t/",
        },
        headers={"List-Unsubscribe": "<http://127.0.0.1:8000/comments/stop/t/>"},
    )
    assert sent == 1
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"] == "maria@example.org"
    assert message["Subject"] == "Jon <b> replied to your comment on “Women's health & cancer”"
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:8000/comments/stop/t/>"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Jon &lt;b&gt;" in html and "Thanks &amp; welcome" in html
    assert "Thanks & welcome" in message.get_body(preferencelist=("plain",)).get_content()


def test_wagtails_own_notifications_go_through_the_same_mailer(settings, tmp_path):
    from django.core.mail import get_connection

    settings.MAILERS = {
        "default": {"BACKEND": "core.mail.EmlFileBackend", "OPTIONS": {"directory": str(tmp_path)}}
    }
    from django.core.mail import EmailMessage

    EmailMessage("Hello", "Body", "a@example.org", ["b@example.org"]).send()
    assert get_connection() is not None
    assert len(list(tmp_path.glob("*.eml"))) == 1
