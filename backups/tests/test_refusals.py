"""A restore goes ahead only from a whole, untampered archive of ours into an empty database and
empty media folders; anything else is refused with a clear message and changes nothing."""

import gzip
import io
import json
import os
import pty
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from backups.tests.operator import ROOT, environment, files_under
from blog.models import Topic

pytestmark = pytest.mark.django_db


def _media(root):
    (root / "media" / "original_images").mkdir(parents=True)
    (root / "media" / "original_images" / "ward.jpg").write_bytes(b"\xff\xd8 a picture " * 200)
    (root / "private" / "submissions").mkdir(parents=True)
    (root / "private" / "submissions" / "post.docx").write_bytes(b"PK\x03\x04 private")


@pytest.fixture(scope="module")
def backups(django_db_setup, django_db_blocker, tmp_path_factory):
    """Backups of the migrated test database and a public and a private file, made once and
    outside any test's transaction, as the command runs: {"tar": path, "gz": path}."""
    root = tmp_path_factory.mktemp("backed-up")
    _media(root)
    made = {"tar": root / "site.tar", "gz": root / "site.tar.gz"}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=root / "media", PRIVATE_MEDIA_ROOT=root / "private"),
    ):
        for path in made.values():
            call_command("backup", str(path), stdout=io.StringIO())
    return made


@pytest.fixture
def site(settings, tmp_path):
    """A database with a row of ours and media folders with a public and a private file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    _media(tmp_path)
    Topic.objects.create(name="Survivorship", slug="survivorship")
    return tmp_path


@pytest.fixture
def archive(site, backups):
    return backups["tar"]


def state(site):
    """What a restore could change: the database row and every file under the site's folder."""
    files = {
        name: digest for name, digest in files_under(site).items() if not name.startswith("bad")
    }
    return Topic.objects.filter(slug="survivorship").exists(), files


def refused(site, path, *flags):
    before = state(site)
    with pytest.raises(CommandError) as error:
        call_command("restore", str(path), *flags, stdout=io.StringIO())
    assert state(site) == before, "a refused restore changed something"
    assert not list(site.glob("*before-restore*"))
    return str(error.value)


def replacing(site, path):
    """Refused even when told to replace the database and media: the archive is at fault."""
    return refused(site, path, "--replace-database", "--replace-media")


def rewritten(archive, out, *, manifest=None, extra=(), drop_manifest=False):
    """A copy of the archive with its manifest changed by `manifest(dict)` and `extra`
    members (TarInfo, bytes) added before it."""
    with tarfile.open(archive) as source, tarfile.open(out, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json":
                for info, content in extra:
                    target.addfile(info, io.BytesIO(content) if content is not None else None)
                if drop_manifest:
                    continue
                value = json.loads(data)
                if manifest:
                    manifest(value)
                data = json.dumps(value).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    return out


def member(name, content=b"", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(content)
    return info, content if kind == tarfile.REGTYPE else None


def test_it_refuses_a_database_that_is_not_empty(site, archive):
    message = refused(site, archive)

    assert "The database is not empty" in message and "--replace-database" in message


def test_it_refuses_media_folders_that_hold_files(site, archive):
    message = refused(site, archive, "--replace-database")

    assert "MEDIA_ROOT" in message and "already holds files" in message


def test_it_refuses_private_media_that_hold_files(site, archive, settings):
    for path in (site / "media").rglob("*.jpg"):
        path.unlink()

    message = refused(site, archive, "--replace-database")

    assert "PRIVATE_MEDIA_ROOT" in message


def test_it_checks_a_whole_archive_without_restoring_it(site, archive):
    out = io.StringIO()
    before = state(site)

    call_command("restore", str(archive), "--check", stdout=out)

    assert "The archive is whole" in out.getvalue() and "1 public and 1 private" in out.getvalue()
    assert state(site) == before


def test_the_archive_holds_a_manifest_with_checksums_migrations_and_the_vendor(archive):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())

    assert names[-1] == "manifest.json"
    assert "media/original_images/ward.jpg" in names and "private/submissions/post.docx" in names
    assert manifest["format_version"] == 1 and manifest["created_at"]
    assert manifest["code_version"] and manifest["site"] == django_settings.BASE_URL
    assert manifest["database"]["vendor"] in ("postgresql", "sqlite")
    assert ["subscriptions", "0001_initial"] in manifest["migrations"]
    assert set(manifest["files"]) == {n for n in names if n != "manifest.json"}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())


def test_a_backup_never_overwrites_a_file(site):
    existing = site / "bad.tar"
    existing.write_bytes(b"last night's backup")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing), stdout=io.StringIO())

    assert existing.read_bytes() == b"last night's backup"


def test_a_backup_into_a_missing_folder_is_refused(site):
    with pytest.raises(CommandError, match="no folder"):
        call_command("backup", str(site / "nowhere" / "b.tar"), stdout=io.StringIO())


def test_a_compressed_backup_passes_its_check(site, backups):
    path = backups["gz"]
    out = io.StringIO()

    call_command("restore", str(path), "--check", stdout=out)

    assert path.read_bytes()[:2] == b"\x1f\x8b"
    assert "The archive is whole" in out.getvalue()


@pytest.mark.parametrize("keep", [0.5, 0.9, "within the manifest"])
def test_a_truncated_archive_is_refused(site, archive, keep):
    data = archive.read_bytes()
    with tarfile.open(archive) as tar:
        manifest = tar.getmember("manifest.json")
    end = manifest.offset_data + manifest.size // 2 if keep == "within the manifest" else None
    cut = site / "bad.tar"
    cut.write_bytes(data[: end or int(len(data) * keep)])

    message = replacing(site, cut)

    assert "incomplete" in message and "Nothing was restored" in message


def test_a_truncated_compressed_archive_is_refused(site, archive):
    cut = site / "bad.tar.gz"
    cut.write_bytes(gzip.compress(archive.read_bytes())[:-200])

    assert "damaged or incomplete" in replacing(site, cut)


def test_a_changed_byte_in_a_file_is_caught_by_its_checksum(site, archive):
    with tarfile.open(archive) as tar:
        offset = tar.getmember("media/original_images/ward.jpg").offset_data
    data = bytearray(archive.read_bytes())
    data[offset + 100] ^= 0x01
    bad = site / "bad.tar"
    bad.write_bytes(bytes(data))

    assert "ward.jpg does not match its checksum" in replacing(site, bad)


@pytest.mark.parametrize(
    "content",
    [b"", b"<html><body>Not found</body></html>", b"\x1f\x8b\x08garbage" * 50, bytes(10240)],
)
def test_something_that_is_not_a_backup_is_refused(site, content):
    bad = site / "bad.tar"
    bad.write_bytes(content)

    assert "Nothing was restored" in replacing(site, bad)


def test_an_archive_without_its_manifest_is_refused(site, archive):
    bad = rewritten(archive, site / "bad.tar", drop_manifest=True)

    assert "ends before its manifest" in replacing(site, bad)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (member("media/../../escape.txt", b"out"), "unsafe name"),
        (member("/etc/cron.d/evil", b"* * * * * root true"), "unsafe name"),
        (member("media/link", kind=tarfile.SYMTYPE, link="/etc/passwd"), "link or device"),
        (member("private/hard", kind=tarfile.LNKTYPE, link="manifest.json"), "link or device"),
        (member("media/fifo", kind=tarfile.FIFOTYPE), "link or device"),
        (member("settings.py", b"DEBUG = True"), "does not"),
        (member("media/original_images/ward.jpg", b"again"), "twice"),
        (member("media/unlisted.jpg", b"\xff\xd8"), "unlisted"),
        (member("media/" + "é" * 200 + ".jpg", b"\xff\xd8"), "Could not unpack the archive"),
    ],
)
def test_a_hostile_or_tampered_member_is_refused_and_nothing_is_written(
    site, archive, extra, expected
):
    bad = rewritten(archive, site / "bad.tar", extra=[extra])

    assert expected in replacing(site, bad)
    assert not (site.parent / "escape.txt").exists()


def _newer_code(manifest):
    manifest["migrations"].append(["subscriptions", "9999_from_the_future"])


def _other_vendor(manifest):
    other = "sqlite" if manifest["database"]["vendor"] == "postgresql" else "postgresql"
    manifest["database"]["vendor"] = other


def _next_format(manifest):
    manifest["format_version"] = 2


def _someone_elses(manifest):
    manifest["format"] = "another-backup"


def _lying_size(manifest):
    manifest["files"]["media/original_images/ward.jpg"]["size"] += 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_newer_code, "newer version of the site"),
        (_other_vendor, "restore it into a"),
        (_next_format, "format version 2"),
        (_someone_elses, "not a Cancer Blog backup"),
        (_lying_size, "listed size"),
    ],
)
def test_a_backup_that_does_not_fit_is_refused(site, archive, change, expected):
    bad = rewritten(archive, site / "bad.tar", manifest=change)

    assert expected in replacing(site, bad)


def test_a_missing_archive_is_a_clear_error(site):
    assert "Cannot read" in refused(site, site / "missing.tar")


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's backup API waits for transactions; pg_dump reads its own snapshot",
)
def test_a_sqlite_backup_inside_a_transaction_is_refused_not_left_waiting(site):
    with pytest.raises(CommandError, match="outside a transaction"):
        call_command("backup", str(site / "bad.tar"), stdout=io.StringIO())

    assert not list(site.glob("bad.tar*"))


on_postgresql = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the PostgreSQL client tools",
)


def tools(directory, **versions):
    """A folder of stand-in client tools that only tell their version; returns it for PATH."""
    directory.mkdir()
    for name, version in versions.items():
        path = directory / name
        path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
        path.chmod(0o755)
    return str(directory)


@on_postgresql
def test_a_backup_without_pg_dump_says_what_to_install(site, monkeypatch):
    monkeypatch.setenv("PATH", tools(site / "bin"))

    with pytest.raises(CommandError, match="pg_dump is not installed here.*postgresql-client"):
        call_command("backup", str(site / "bad.tar"), stdout=io.StringIO())

    assert not list(site.glob("bad.tar*"))


@on_postgresql
def test_a_pg_dump_older_than_the_server_is_refused(site, monkeypatch):
    monkeypatch.setenv("PATH", tools(site / "bin", pg_dump="9.6.24"))

    with pytest.raises(CommandError, match="pg_dump is version 9 but the server is version"):
        call_command("backup", str(site / "bad.tar"), stdout=io.StringIO())


@on_postgresql
def test_a_pg_restore_older_than_the_dump_is_refused_before_anything_changes(
    site, archive, monkeypatch
):
    monkeypatch.setenv("PATH", tools(site / "bin", pg_restore="9.6.24", psql="9.6.24"))

    message = replacing(site, archive)

    assert "pg_restore 9 cannot read it" in message and "left as it was" in message


def test_the_archive_is_not_written_to_or_read_from_a_terminal(tmp_path):
    primary, secondary = pty.openpty()
    env = environment(
        tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "m", tmp_path / "p"
    )
    try:
        written = subprocess.run(
            [sys.executable, "manage.py", "backup", "-"],
            cwd=ROOT,
            env=env,
            stdout=secondary,
            stderr=subprocess.PIPE,
            timeout=120,
        )
        read = subprocess.run(
            [sys.executable, "manage.py", "restore", "-"],
            cwd=ROOT,
            env=env,
            stdin=secondary,
            capture_output=True,
            timeout=120,
        )
    finally:
        os.close(primary)
        os.close(secondary)

    assert written.returncode == 1 and b"Standard output is a terminal" in written.stderr
    assert read.returncode == 1 and b"Standard input is a terminal" in read.stderr
