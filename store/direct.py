"""A read-only connection to a SQLite database file through the standard library, for the reads
that must start fast (`factmark list`, `export`, the first screen of the TUI).

Importing SQLAlchemy and SQLModel costs a quarter of a second; these reads need neither. They
are allowed only where they cannot differ from the full store: a SQLite file that exists, at
exactly this schema version (an older file goes through `Store.open`, which migrates it). Any
other target gets None, and the caller opens the full store as before.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from store.paths import default_db_path
from store.schema import META_TABLE, SCHEMA_VERSION, VERSION_KEY

DB_ENV = "FACTMARK_DB"
BUSY_TIMEOUT_S = 10.0  # as long as the full store waits for a writer's lock


def target_path(target: str | os.PathLike[str] | None) -> Path | None:
    """The SQLite file `target` names (None: $FACTMARK_DB, else the default file); None for
    a database URL other than a plain `sqlite:///` file."""
    if target is None:
        target = os.environ.get(DB_ENV) or None
    if target is None:
        return default_db_path()
    text = os.fspath(target)
    if text.startswith("sqlite:///") and "?" not in text:
        text = text.removeprefix("sqlite:///")
    elif "://" in text or text == ":memory:":
        return None
    return Path(text).expanduser().absolute()


def connect_direct(target: str | os.PathLike[str] | None) -> sqlite3.Connection | None:
    """A read-only connection to the database at `target`, or None where only the full store may
    read it (not a SQLite file, missing, unreadable, or not at this schema version)."""
    path = target_path(target)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False
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
