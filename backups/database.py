"""Dumping the database consistently and loading a dump into an empty one.

PostgreSQL: pg_dump's custom format (one snapshot, so one consistent moment however long the
dump takes), without owners or grants so it loads under any role; loaded by pg_restore piped
into psql in a single transaction, so a failed load leaves the database as it was.
SQLite: the online backup API, which copies a consistent snapshot while the site runs.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

POSTGRESQL, SQLITE = "postgresql", "sqlite"
# How long a SQLite backup waits for another process's write to end before giving up.
SQLITE_WAIT = 600
DUMP_NAMES = {POSTGRESQL: "database/postgresql.dump", SQLITE: "database/sqlite3.db"}


class DatabaseError(Exception):
    """The database or its tools are not fit for this backup or restore."""


def vendor():
    if connection.vendor not in DUMP_NAMES:
        raise DatabaseError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def server_version():
    connection.ensure_connection()
    if connection.vendor == POSTGRESQL:
        number = connection.pg_version
        return f"{number // 10000}.{number % 10000}"
    return sqlite3.sqlite_version


def applied_migrations():
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def unknown_migrations(migrations):
    """The migrations a backup had applied that this code does not have."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in migrations if (app, name) not in known]


def newer_migrations(migrations):
    """How many of this code's migrations the backup had not applied yet."""
    applied = {(app, name) for app, name in migrations}
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return len(set(known) - applied)


def is_empty():
    return not connection.introspection.table_names()


# PostgreSQL ---------------------------------------------------------------------------------


def _pg_environment():
    """libpq's variables for the configured database: no password on a command line."""
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": settings["NAME"], "PGAPPNAME": "cancerblog-backup"}
    for key, variable in (
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if settings.get("OPTIONS", {}).get(option):
            env[variable] = str(settings["OPTIONS"][option])
    return env


def tool_version(tool):
    """(major, "pg_dump (PostgreSQL) 15.20"), or DatabaseError when the tool is missing."""
    path = shutil.which(tool)
    if path is None:
        raise DatabaseError(
            f"{tool} is not installed here: install the PostgreSQL client tools of the "
            f"server's major version (on Debian: apt-get install postgresql-client)."
        )
    text = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", text)
    if not found:
        raise DatabaseError(f"Cannot tell which version {tool} is: {text.strip()!r}.")
    return int(found.group(1)), text.strip()


def _server_major():
    connection.ensure_connection()
    return connection.pg_version // 10000


def _run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, env=_pg_environment(), **kwargs)
    if result.returncode:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise DatabaseError(f"{command[0]} failed: {' / '.join(message[-5:]) or 'no message'}")
    return result


def dump_postgresql(destination):
    major, described = tool_version("pg_dump")
    server = _server_major()
    if major < server:
        raise DatabaseError(
            f"pg_dump is version {major} but the server is version {server}: an older pg_dump "
            f"cannot dump a newer server. Install the version {server} client tools."
        )
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={destination}",
        ]
    )
    return {"dump_tool": described, "dump_tool_major": major}


def load_postgresql(dump, *, replace, dump_tool_major):
    restore_major, _ = tool_version("pg_restore")
    tool_version("psql")
    if dump_tool_major and restore_major < dump_tool_major:
        raise DatabaseError(
            f"This dump was made by pg_dump {dump_tool_major}; pg_restore {restore_major} "
            f"cannot read it. Install the version {dump_tool_major} client tools."
        )
    connections.close_all()
    psql = ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction"]
    if replace:
        # In the same transaction as the load: if the load fails, the old tables are back.
        psql.append("--command=DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    psql.append("--file=-")
    sql = subprocess.Popen(
        ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_pg_environment(),
    )
    try:
        loaded = subprocess.run(
            psql, stdin=sql.stdout, capture_output=True, env=_pg_environment(), check=False
        )
    finally:
        sql.stdout.close()
        unpacked_error = sql.stderr.read().decode(errors="replace").strip()
        sql.wait()
    if sql.returncode:
        raise DatabaseError(f"pg_restore could not read the dump: {unpacked_error}")
    if loaded.returncode:
        message = loaded.stderr.decode(errors="replace").strip().splitlines()
        raise DatabaseError(f"psql could not load the dump: {' / '.join(message[-5:])}")


# SQLite -------------------------------------------------------------------------------------


def dump_sqlite(destination, wait=SQLITE_WAIT):
    if connection.in_atomic_block:
        # SQLite would wait forever for our own transaction to end.
        raise DatabaseError("Back up SQLite outside a transaction.")
    connection.ensure_connection()
    deadline = time.monotonic() + wait

    def give_up_when_locked_too_long(status, remaining, total):
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise DatabaseError(
                f"The SQLite database stayed locked by another process for {wait} seconds."
            )

    target = sqlite3.connect(destination)
    try:
        # All pages in one step: a single read snapshot, while the site goes on writing (WAL).
        connection.connection.backup(target, progress=give_up_when_locked_too_long)
    finally:
        target.close()
    return {"dump_tool": f"sqlite3 backup API {sqlite3.sqlite_version}", "dump_tool_major": 0}


def _sqlite_path():
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise DatabaseError("Restore into a SQLite database file, not an in-memory one.")
    return Path(name)


def check_sqlite_file(path):
    problem = "The SQLite database in the backup"
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA integrity_check").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{problem} is not readable ({error}).") from None
    if result != ("ok",):
        raise DatabaseError(f"{problem} fails its integrity check: {result}")


def load_sqlite(dump):
    target = _sqlite_path()
    check_sqlite_file(dump)
    connections.close_all()
    incoming = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(dump, incoming)
    os.chmod(incoming, 0o600)
    # A write-ahead log left from the old file would be replayed onto the new one.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(incoming, target)


def dump(destination):
    if vendor() == POSTGRESQL:
        return dump_postgresql(destination)
    return dump_sqlite(destination)


def load(dump_file, *, replace, dump_tool_major=0):
    if vendor() == POSTGRESQL:
        load_postgresql(dump_file, replace=replace, dump_tool_major=dump_tool_major)
    else:
        load_sqlite(dump_file)
