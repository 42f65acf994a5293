"""Where factmark keeps its database by default (the configuration file: `settings.paths`), and
which SQLite files the store may open (plain Python: the direct reads check it too).

Only functions: nothing is resolved or created when the module is imported, so tests and other
processes can point the environment elsewhere first.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from store.errors import StoreError
from vocabulary.names import APP_NAME

DB_FILE_NAME = "factmark.db"
DATA_DIR_ENV = "FACTMARK_DATA_DIR"
_SQLITE_HEADER = b"SQLite format 3\x00"


def default_data_dir() -> Path:
    """The directory for the default database: $FACTMARK_DATA_DIR, else the platform's data dir."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_path() -> Path:
    """The SQLite file used when no --db / FACTMARK_DB is given (not created here)."""
    return default_data_dir() / DB_FILE_NAME


def _writable(path: Path) -> bool:
    # Permission bits too: root passes os.access() even on a chmod 444 file, meant read-only.
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def check_sqlite_path(path: Path) -> None:
    """Refuse, with a one-line reason, a SQLite file the store could not safely open for writing."""
    parent = path.parent
    if not parent.is_dir():
        raise StoreError(f"cannot open {path}: directory {parent} does not exist")
    if path.is_dir():
        raise StoreError(f"cannot open {path}: it is a directory")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise StoreError(f"cannot open {path}: the file is not readable")
        if not _writable(path):
            raise StoreError(f"cannot open {path}: the file is read-only")
        if not _has_sqlite_header(path):
            raise StoreError(f"cannot open {path}: not a SQLite database file")
    if not _writable(parent):
        raise StoreError(
            f"cannot open {path}: directory {parent} is read-only "
            "(SQLite needs to create its -wal and -shm files there)"
        )


def _has_sqlite_header(path: Path) -> bool:
    """True for a SQLite file and for an empty one (SQLite treats it as a new database)."""
    with path.open("rb") as handle:
        head = handle.read(len(_SQLITE_HEADER))
    return head in (b"", _SQLITE_HEADER)
