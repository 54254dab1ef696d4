"""On SQLite: a backup taken with the online backup API while the site runs, restored into a
new database file and new media folders, serves the same pages and sends no alert twice."""

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

from backups.tests.operator import (
    PUBLISH_NEW,
    RESEND,
    SUBSCRIBERS,
    environment,
    files_under,
    manage,
    render,
    run_python,
    seed_site,
)
from subscriptions.tests.smtp_sink import SmtpSink

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The alerts need the organisation's postal address (EU law).
    pytest.mark.usefixtures("leave_the_migrated_data_behind", "postal_address"),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="the SQLite backup; test_restore_postgresql.py covers PostgreSQL",
    ),
]


def test_a_restored_sqlite_backup_serves_the_same_pages_and_sends_no_alert_twice(
    make_post, settings, tmp_path
):
    media = settings.MEDIA_ROOT = tmp_path / "media"
    private = settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    post = seed_site(make_post, tmp_path)
    paths = ["/", post.url, "/feed/", "/topics/immunotherapy/", "/authors/ana-ribeiro/"]
    client = Client()
    before = {}
    for path in paths:
        response = client.get(path)
        before[path] = [response.status_code, response.content.decode()]

    archive = tmp_path / "site.tar"
    call_command("backup", str(archive))
    assert archive.stat().st_mode & 0o777 == 0o600
    database = tmp_path / "restored.sqlite3"
    restored = environment(
        tmp_path,
        f"sqlite:///{database}",
        tmp_path / "restored-media",
        tmp_path / "restored-private",
    )
    said = manage(restored, "restore", str(archive)).stdout.decode()

    assert "Restored the sqlite database" in said
    assert files_under(tmp_path / "restored-media") == files_under(media)
    assert files_under(tmp_path / "restored-private") == files_under(private)
    assert any(name.startswith("submissions/originals/") for name in files_under(private))
    after = render(restored, paths)
    assert {path: status for path, (status, _) in after.items()} == dict.fromkeys(paths, 200)
    assert after == before
    # A second restore is refused, unless told to replace the database file and the media.
    refused = manage(restored, "restore", str(archive), check=False)
    assert refused.returncode == 1 and b"The database is not empty" in refused.stderr
    flags = ("--replace-database", "--replace-media")
    said = manage(restored, "restore", str(archive), *flags).stdout.decode()
    assert said.count("before-restore") == 2
    assert files_under(tmp_path / "restored-media") == files_under(media)
    assert render(restored, paths) == before

    with SmtpSink() as sink:
        mailing = {**restored, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}"}
        run_python(mailing, RESEND.replace("POST", str(post.pk)) + PUBLISH_NEW)
    # Only the new post's alert went out, once to each subscriber: not the one in the ledger.
    assert sorted(sink.recorder.recipients()) == SUBSCRIBERS
    assert {message["Subject"] for message in sink.recorder.messages()} == {
        "New on The Cancer Blog: A post published after the restore"
    }
