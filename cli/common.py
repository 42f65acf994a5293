"""What every command shares: who is working, which database, errors, progress."""

from __future__ import annotations

import getpass
import os
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from vocabulary.names import GOLD_LAYER
from vocabulary.text import strip_controls, terminal_json

if TYPE_CHECKING:
    import sqlite3

    from settings.config import Config
    from store import Store

EXIT_USAGE = 2
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"  # what textual-serve sets TEXTUAL_DRIVER to


class CliError(Exception):
    """A user error: printed as one line, exits with `code`."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Context:
    db: str | None
    annotator: str  # --annotator, else FACTMARK_ANNOTATOR, else the login name
    config_path: str | None
    mouse: bool = True
    annotator_given: bool = False  # named by --annotator or FACTMARK_ANNOTATOR, not the login
    shared_group: str | None = None  # --shared-group: a new SQLite file's Unix group


def package_version() -> str:
    """The installed factmark's version ("0+unknown" when run from a checkout not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("factmark")
    except PackageNotFoundError:
        return "0+unknown"


def login_name() -> tuple[str, bool]:
    """The operating-system account running factmark, and whether it is the superuser.

    Read from the process's user id, never from LOGNAME or USER: an environment variable must
    not make someone an admin of a database.
    """
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name, os.geteuid() == 0
    except (ImportError, KeyError):  # Windows, or a uid with no passwd entry (a bare container)
        try:
            return getpass.getuser(), False
        except (KeyError, OSError):
            return "anonymous", False


def default_annotator() -> str:
    """FACTMARK_ANNOTATOR, else the operating-system login (over SSH, the account)."""
    return os.environ.get("FACTMARK_ANNOTATOR") or login_name()[0]


def screens_can_draw() -> bool:
    """Whether the TUI has somewhere to draw: standard output is a terminal, or textual-serve
    runs this process for a browser (its web driver speaks over the pipes; `factmark serve`)."""
    return sys.stdout.isatty() or os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def checked_annotator(name: str) -> str:
    """A name typed by the user, in NFC (a terminal may send it decomposed); the store refuses
    names with invisible characters."""
    cleaned = strip_controls(name).strip()
    if not cleaned or cleaned != name:
        raise CliError(f"annotator name {name!r} is empty or has control characters")
    if cleaned == GOLD_LAYER:
        raise CliError(f'"{GOLD_LAYER}" is the gold layer, not an annotator name')
    return unicodedata.normalize("NFC", cleaned)


def load_settings(context: Context) -> Config:
    """The configuration in force; a bad file is a usage error."""
    from settings.config import ConfigError, load_config

    try:
        return load_config(Path(context.config_path) if context.config_path else None)
    except ConfigError as error:
        raise CliError(str(error)) from None


def label_names(context: Context) -> tuple[str, ...]:
    return load_settings(context).label_names


def open_store(context: Context) -> Store:
    """The database, opened for who is working: the login's own annotator (on PostgreSQL, the
    connection's role), or the one --annotator names if the login is an admin there
    (`store.acting`). The store checks that annotator's role on every write."""
    from store import Store, StoreError
    from store.acting import Login

    requested = checked_annotator(context.annotator) if context.annotator_given else None
    name, superuser = login_name()
    try:
        return Store.open(
            context.db,
            user=requested,
            login=Login(name, superuser),
            shared_group=_shared_group(context),
        )
    except (StoreError, ValueError) as error:
        raise CliError(str(error)) from None


def store_user(store: Store) -> str:
    """Who an opened store works for (open_store always opens it for someone)."""
    if store.user is None:
        raise CliError("the database was opened without an annotator")
    return store.user


def _shared_group(context: Context) -> str | None:
    """--shared-group, else the config file's shared_group, read only when the database is a
    SQLite file still to be made (it matters for nothing else; most starts need no config)."""
    if context.shared_group is not None:
        return context.shared_group
    from store.direct import target_path

    path = target_path(context.db)
    if path is None or path.exists():
        return None
    return load_settings(context).shared_group


@dataclass(frozen=True)
class DirectRead:
    """A read-only standard-library connection to a current SQLite file (see `store.direct`):
    `name` is the file as messages name it, `path` the file."""

    connection: sqlite3.Connection
    name: str
    path: Path


@contextmanager
def direct_read(context: Context) -> Iterator[DirectRead | None]:
    """The database read without SQLAlchemy (`store.direct`) where that reads what the full
    store would, else None: the caller opens the full store, which reports what is wrong. The
    name of who is working is checked as open_store checks it (their role is only for writes)."""
    from store.direct import connect_direct, target_path
    from store.validation import check_annotator_name

    try:
        check_annotator_name(checked_annotator(context.annotator))
    except ValueError as error:
        raise CliError(str(error)) from None
    path = target_path(context.db)
    connection = connect_direct(context.db) if path is not None else None
    if path is None or connection is None:
        yield None
        return
    try:
        _check_direct_identity(context, connection)
        yield DirectRead(connection, str(path), path)
    finally:
        connection.close()


def _check_direct_identity(context: Context, connection: sqlite3.Connection) -> None:
    """Refuse reading as someone else as the full store refuses it (`store.acting`)."""
    from store.direct import may_work_as
    from store.errors import work_as_refused

    login, superuser = login_name()
    user = checked_annotator(context.annotator)
    if context.annotator_given and not superuser and not may_work_as(connection, login, user):
        raise CliError(str(work_as_refused(login, user)))


def safe(value: object) -> str:
    """A value from a document or file name, made safe to print on a terminal."""
    return strip_controls(str(value)).replace("\n", " ").replace("\t", " ")


def json_line(value: object, *, indent: int | None = None) -> str:
    """`value` as the JSON a command prints: stored strings exactly, but no C1 or bidi control
    raw (escaped as \\uXXXX; json escapes C0 itself). Every `--json` output goes through here,
    every plain one through `safe`."""
    return terminal_json(value, indent=indent)


def report_failure(name: str, reason: str) -> None:
    print(f"{safe(name)}: {safe(reason)}", file=sys.stderr)


class Advance(Protocol):
    """Moves a progress bar on by `amount` (1: one item; a fraction: a piece of a large input)."""

    def __call__(self, amount: float = 1, /) -> None: ...


def _stand_still(amount: float = 1, /) -> None:
    """The progress of a bar that is not shown (standard error is not a terminal)."""


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Advance]:
    """A rich progress bar on a terminal (stderr); nothing when piped."""
    if not sys.stderr.isatty():
        yield _stand_still
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total)

        def advance(amount: float = 1, /) -> None:
            progress.advance(task, amount)

        yield advance
