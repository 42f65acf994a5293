"""What every command shares: who is working, which database, errors, progress."""

from __future__ import annotations

import getpass
import os
import sys
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
    annotator: str
    config_path: str | None
    mouse: bool = True


def package_version() -> str:
    """The installed factmark's version ("0+unknown" when run from a checkout not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("factmark")
    except PackageNotFoundError:
        return "0+unknown"


def default_annotator() -> str:
    """FACTMARK_ANNOTATOR, else the operating-system login (over SSH, the account)."""
    name = os.environ.get("FACTMARK_ANNOTATOR")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "anonymous"
    return name


def screens_can_draw() -> bool:
    """Whether the TUI has somewhere to draw: standard output is a terminal, or textual-serve
    runs this process for a browser (its web driver speaks over the pipes; `factmark serve`)."""
    return sys.stdout.isatty() or os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def checked_annotator(name: str) -> str:
    cleaned = strip_controls(name).strip()
    if not cleaned or cleaned != name:
        raise CliError(f"annotator name {name!r} is empty or has control characters")
    if cleaned == GOLD_LAYER:
        raise CliError(f'"{GOLD_LAYER}" is the gold layer, not an annotator name')
    return cleaned


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
    from store import Store, StoreError

    try:
        # The store checks this user's role on every write (gold layer, other people's spans).
        return Store.open(context.db, user=checked_annotator(context.annotator))
    except (StoreError, ValueError) as error:
        raise CliError(str(error)) from None


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
        yield DirectRead(connection, str(path), path)
    finally:
        connection.close()


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
