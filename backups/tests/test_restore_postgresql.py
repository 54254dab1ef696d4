"""On PostgreSQL, as an operator would: back up a site with posts, an image, comments,
subscribers, a sent alert and a guest submission's private file; restore it into a new database
and new media folders; the restored site serves the same pages and sends no alert twice."""

import pytest
from django.conf import settings as django_settings

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
from core.tests import hosts
from subscriptions.tests.smtp_sink import SmtpSink

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The alerts need the organisation's postal address (EU law).
    pytest.mark.usefixtures("leave_the_migrated_data_behind", "postal_address"),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="pg_dump and pg_restore need PostgreSQL; test_restore_sqlite.py covers SQLite",
    ),
]


@pytest.fixture
def new_database():
    """A new, empty database beside the test database, dropped afterwards."""
    with hosts.fresh_database("restored") as url:
        yield url


@pytest.fixture
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


def test_a_restored_backup_serves_the_same_pages_and_sends_no_alert_twice(
    make_post, folders, new_database, tmp_path
):
    media, private = folders
    post = seed_site(make_post, tmp_path)
    paths = ["/", post.url, "/feed/", "/topics/immunotherapy/", "/authors/ana-ribeiro/"]
    site = environment(tmp_path, hosts.database_url(), media, private)
    before = render(site, paths)
    saved_media, saved_private = files_under(media), files_under(private)
    assert any(name.startswith("submissions/originals/") for name in saved_private)

    # Written to standard output and read from standard input, as when piped through age.
    archive = manage(site, "backup", "-").stdout
    restored_media, restored_private = tmp_path / "restored-media", tmp_path / "restored-private"
    restored = environment(tmp_path, new_database, restored_media, restored_private)
    said = manage(restored, "restore", "-", stdin=archive).stdout.decode()

    assert "Restored the postgresql database" in said and "erased their data" in said
    assert files_under(restored_media) == saved_media
    assert files_under(restored_private) == saved_private
    after = render(restored, paths)
    assert {path: status for path, (status, _) in after.items()} == dict.fromkeys(paths, 200)
    assert after == before
    page = after[post.url][1]
    assert "Being believed was the first step." in page and "/media/images/" in page

    # A second restore into the now full database is refused and changes nothing.
    again = manage(restored, "restore", "-", stdin=archive, check=False)
    assert again.returncode == 1
    assert b"The database is not empty" in again.stderr
    # Told to, it replaces both: the tables in the load's transaction, the files moved aside.
    flags = ("--replace-database", "--replace-media")
    said = manage(restored, "restore", "-", *flags, stdin=archive).stdout.decode()
    assert said.count("before-restore") == 2
    assert files_under(next(tmp_path.glob("restored-private.before-restore-*"))) == saved_private
    assert files_under(restored_private) == saved_private
    assert render(restored, paths) == before

    with SmtpSink() as sink:
        mailing = {**restored, "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}"}
        run_python(mailing, RESEND.replace("POST", str(post.pk)) + PUBLISH_NEW)
    # Only the new post's alert went out, once to each subscriber: not the one in the ledger.
    assert sorted(sink.recorder.recipients()) == SUBSCRIBERS
    assert {message["Subject"] for message in sink.recorder.messages()} == {
        "New on The Cancer Blog: A post published after the restore"
    }
