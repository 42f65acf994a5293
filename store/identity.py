"""Whose a SQLite file is, read before anything writes to it (plain Python: no SQLAlchemy).

The store's connections switch a file to WAL mode as they connect, and that switch persists in
the file. So a file that already exists is first read through a read-only connection: a valid
SQLite database that is not factmark's, or one a newer factmark made, is refused with the file
exactly as it was (same bytes, same journal mode, no -wal or -shm left behind).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from store.errors import StoreError
from store.schema import META_TABLE, SCHEMA_VERSION, VERSION_KEY

EMPTY_TARGET = (
    "cannot open an empty database target: --db or FACTMARK_DB is set but empty "
    "(unset it for the default database, or name a file or URL)"
)


def refuse_empty(target: str | os.PathLike[str]) -> None:
    """An empty --db or FACTMARK_DB (an unset shell variable, say) never means the default file."""
    if not os.fspath(target).strip():
        raise StoreError(EMPTY_TARGET)


def stored_version(path: Path) -> int | None:
    """The schema version of an existing factmark file, read without writing anything; None for
    a new (missing or empty) file. StoreError naming the file for someone else's database or
    one made by a newer factmark (`store.migrations` says the same for other databases)."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open {path}: {error}") from None
    try:
        tables = _table_names(connection, path)
        if not tables:
            return None
        if META_TABLE not in tables:
            listed = ", ".join(sorted(tables)[:5])
            raise StoreError(
                f"cannot open {path}: not a factmark database (it has tables {listed})"
            )
        version = _version(connection, path)
    finally:
        connection.close()
    refuse_newer(version, str(path))
    return version


def refuse_newer(version: int, name: str, target: int = SCHEMA_VERSION) -> None:
    """A file from a newer factmark is refused, never guessed at."""
    if version > target:
        raise StoreError(
            f"cannot open {name}: made by a newer factmark (schema version {version}; "
            f"this version reads up to {target}); upgrade factmark"
        )


def _table_names(connection: sqlite3.Connection, path: Path) -> set[str]:
    try:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    except sqlite3.Error as error:  # a damaged file, or encrypted, or not SQLite after all
        raise StoreError(f"cannot open {path}: {error}") from None
    return {name for (name,) in rows}


def _version(connection: sqlite3.Connection, path: Path) -> int:
    try:
        row = connection.execute(
            f"SELECT value FROM {META_TABLE} WHERE key = ?", (VERSION_KEY,)
        ).fetchone()
    except sqlite3.Error as error:
        raise StoreError(f"cannot open {path}: {error}") from None
    value = str(row[0]).strip() if row else ""
    if not value.isdigit():
        raise StoreError(f"cannot open {path}: its factmark_meta table has no valid schema version")
    return int(value)
