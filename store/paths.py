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


# ---------------------------------------------------------------------------------------------
# Who may read a new database: its owner only, or the members of one Unix group. SQLite gives
# the -wal and -shm files it makes the database file's own mode, so they follow the file.

PRIVATE_FILE_MODE, PRIVATE_DIR_MODE = 0o600, 0o700
# setgid on the directory: files made in it (the -wal and -shm files, a new database) get its group.
SHARED_FILE_MODE, SHARED_DIR_MODE = 0o660, 0o2770


def group_id(name: str) -> int:
    """The id of the Unix group `name`; StoreError in one line when there is no such group."""
    try:
        import grp
    except ImportError:  # Windows: no Unix groups
        raise StoreError(f"shared group {name}: this system has no Unix groups") from None
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise StoreError(f"shared group {name}: there is no such group on this machine") from None


def make_data_dir(path: Path, group: str | None) -> None:
    """Create the directory factmark keeps its default database in: 0700, or 2770 owned by
    `group`. A directory that exists already is left as it is."""
    gid = group_id(group) if group is not None else None
    if path.is_dir():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=PRIVATE_DIR_MODE)
    except FileExistsError:
        return  # another process made it first: theirs stands
    except OSError as exc:
        raise StoreError(f"cannot create {path} ({exc.strerror})") from None
    _set_mode(path, PRIVATE_DIR_MODE if gid is None else SHARED_DIR_MODE, gid, group)


def create_database_file(path: Path, group: str | None) -> bool:
    """Make the empty file a new database starts as (SQLite treats it as new): 0600, or 0660
    owned by `group`, whatever the umask. False when the file exists already (left alone)."""
    gid = group_id(group) if group is not None else None
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    except OSError as exc:
        raise StoreError(f"cannot create {path} ({exc.strerror})") from None
    os.close(handle)
    try:
        _set_mode(path, PRIVATE_FILE_MODE if gid is None else SHARED_FILE_MODE, gid, group)
    except StoreError:
        path.unlink(missing_ok=True)
        raise
    return True


def _set_mode(path: Path, mode: int, gid: int | None, group: str | None) -> None:
    try:
        if gid is not None:
            os.chown(path, -1, gid)  # before chmod: changing the group may clear setgid
        os.chmod(path, mode)
    except OSError as exc:
        raise StoreError(
            f"cannot make {path} mode {mode:o}"
            + (f" in group {group}" if group else "")
            + f" ({exc.strerror})"
        ) from None
