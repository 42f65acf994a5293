"""A read-only connection to a SQLite database file through the standard library, for the reads
that must start fast (`factmark list`, `export`, the first screen of the TUI).

Importing SQLAlchemy and SQLModel costs a quarter of a second; these reads need neither. They
are allowed only where they cannot differ from the full store: a SQLite file that exists, at
exactly this schema version (an older file goes through `Store.open`, which migrates it) and
that `Store.open` would accept. Any other target gets None, and the caller opens the full store
as before, which reports whatever is wrong with it.

Reads that run on either path take a `Rows`: this module's `direct_rows` over a connection, or
`store.export_reads.session_rows` over a session of the full store.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store.errors import StoreError
from store.paths import check_sqlite_path, default_db_path
from store.schema import META_TABLE, SCHEMA_VERSION, VERSION_KEY

DB_ENV = "FACTMARK_DB"
BUSY_TIMEOUT_S = 10.0  # as long as the full store waits for a writer's lock
_URL_PREFIX = "sqlite:///"

# Runs one SQL statement (named `:parameters`, SQL that SQLite and PostgreSQL both read) in the
# caller's read transaction and returns its rows as column tuples.
Rows = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]


def target_path(target: str | os.PathLike[str] | None) -> Path | None:
    """The SQLite file `target` names (None: $FACTMARK_DB, else the default file); None for
    a database URL other than a plain `sqlite:///` file."""
    if target is None:
        target = os.environ.get(DB_ENV)
    if target is None:
        return default_db_path()
    text = os.fspath(target)
    if not text.strip():
        return None  # an empty target: the full store refuses it
    if text.startswith(_URL_PREFIX):
        return _url_path(text.removeprefix(_URL_PREFIX))
    if "://" in text or text == ":memory:":
        return None
    return Path(text).expanduser().absolute()


def _url_path(database: str) -> Path | None:
    """The file of a `sqlite:///` URL as SQLAlchemy reads it (no `~`); None for what it would
    read otherwise than as a plain file name (options, %-escapes, memory, `file:` URIs)."""
    if not database or any(mark in database for mark in "?%") or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database).absolute()


def connect_direct(target: str | os.PathLike[str] | None) -> sqlite3.Connection | None:
    """A read-only connection to the database at `target`, or None where only the full store may
    read it (not a SQLite file, missing, unreadable, or not at this schema version)."""
    path = target_path(target)
    if path is None or not path.is_file():
        return None
    try:
        check_sqlite_path(path)  # what the full store refuses to open, it reports itself
    except StoreError:
        return None
    try:
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,  # transactions only where `snapshot` begins one
            check_same_thread=False,
        )
    except sqlite3.Error:
        return None
    if _schema_version(connection) != SCHEMA_VERSION:
        connection.close()
        return None
    return connection


def _schema_version(connection: sqlite3.Connection) -> int | None:
    try:
        row = connection.execute(
            f"SELECT value FROM {META_TABLE} WHERE key = ?", (VERSION_KEY,)
        ).fetchone()
    except sqlite3.Error:  # not a factmark database, or not a database at all
        return None
    try:
        return int(row[0]) if row else None
    except ValueError:
        return None


@contextmanager
def snapshot(connection: sqlite3.Connection, name: str) -> Iterator[Rows]:
    """`Rows` over a direct connection, all of them reading one state of the database (a read
    transaction, as the full store's reads are); errors name the database `name`."""
    rows = direct_rows(connection, name)
    rows("BEGIN", {})
    try:
        yield rows
    finally:
        connection.execute("ROLLBACK")


def direct_rows(connection: sqlite3.Connection, name: str) -> Rows:
    """`Rows` over a direct connection (outside `snapshot`, each statement reads on its own).
    A failure is a StoreError naming the database `name`, as the full store's are."""

    def rows(sql: str, parameters: Mapping[str, Any]) -> list[Any]:
        try:
            return connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            lines = str(error).strip().splitlines()
            raise StoreError(f"{name}: {lines[0] if lines else type(error).__name__}") from None

    return rows


def may_work_as(connection: sqlite3.Connection, login: str, user: str) -> bool:
    """Whether `login` may read as `user` (as `store.acting` decides for the full store): they
    are the same, `login` is an admin, or nobody is registered yet (`login` would be the admin)."""
    if login == user:
        return True
    nobody = connection.execute("SELECT NOT EXISTS (SELECT 1 FROM annotators)").fetchone()[0]
    found = connection.execute("SELECT role FROM annotators WHERE name = ?", (login,)).fetchone()
    return bool(nobody) or (found is not None and found[0] == "admin")
