"""Engines and transactions: how the store talks to SQLite or PostgreSQL safely from many processes.

Every write is one short transaction that takes the write lock up front (SQLite: `BEGIN IMMEDIATE`;
PostgreSQL: SERIALIZABLE), so two writers never deadlock half-way through; every read is its own
short transaction. When the database is busy (another process holds the lock past SQLite's
busy_timeout, or PostgreSQL reports a serialization failure or deadlock) the whole unit of work is
run again from scratch with backoff, for a bounded time, before a StoreError reaches the caller.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import URL, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from store.errors import DatabaseBusy, StoreError
from store.events import ACTING_LOGIN
from store.identity import refuse_empty
from store.paths import default_db_path

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000  # how long SQLite itself waits for a lock before reporting "busy"
RETRY_SECONDS = 30.0  # how long the store keeps retrying a busy unit of work in total
_FIRST_BACKOFF = 0.02
_MAX_BACKOFF = 1.0
_SQLITE_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED (primary result codes)
_SQLITE_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")
_PG_RETRY_STATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_BEGIN_OPTION = "factmark_begin"
DB_ENV = "FACTMARK_DB"


# ---------------------------------------------------------------------------------------------
# Targets: a path or an SQLAlchemy URL


def target_url(target: str | os.PathLike[str]) -> URL:
    """The SQLAlchemy URL for a file path or URL string (StoreError if the URL is malformed)."""
    text = os.fspath(target)
    if "://" in text:
        try:
            return make_url(text)
        except (ArgumentError, ValueError) as exc:
            raise StoreError(f"cannot open {text}: not a valid database URL ({exc})") from None
    return URL.create("sqlite", database=str(Path(text).expanduser().absolute()))


def choose_target(target: str | os.PathLike[str] | None) -> tuple[URL, bool]:
    """The URL to open (None: $FACTMARK_DB, else the default file), and whether its directory
    may be created (only the default's). An empty target, or FACTMARK_DB set but empty (an
    unset shell variable), is refused: it never silently means the default database."""
    if target is None:
        target = os.environ.get(DB_ENV)
    if target is None:
        return target_url(default_db_path()), True
    refuse_empty(target)
    return target_url(target), False


def sqlite_file(url: URL) -> Path | None:
    """The database file a SQLite URL points at; None for other databases and in-memory ones."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def printable_url(url: URL) -> str:
    """The URL with any password hidden, for messages and `Store.url`."""
    return url.render_as_string(hide_password=True)


def remove_sqlite_files(path: Path) -> None:
    """Delete a database file and its companions (used when opening a new database failed)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# Engines


def make_engine(url: URL, *, target: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout, foreign keys and explicit BEGINs."""
    is_sqlite = url.get_backend_name() == "sqlite"
    options: dict[str, Any] = {}
    if is_sqlite and sqlite_file(url) is None:
        # One shared connection, or every pooled connection would see its own empty memory database.
        options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    try:
        engine = create_engine(url, **options)
    except (NoSuchModuleError, ImportError) as exc:
        hint = (
            " (pip install 'factmark[postgres]')" if url.get_backend_name() == "postgresql" else ""
        )
        raise StoreError(
            f"cannot open {target}: database driver not available ({exc}){hint}"
        ) from None
    except ArgumentError as exc:
        raise StoreError(f"cannot open {target}: {exc}") from None
    if is_sqlite:
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """Apply the pragmas on every new connection and take over BEGIN from the sqlite3 driver.

    This is SQLAlchemy's documented recipe for real transactions with pysqlite: the driver's
    isolation_level is set to None (it emits no BEGIN of its own), and the engine's "begin" event
    emits BEGIN, or BEGIN IMMEDIATE for the write engine, so a writer holds the lock from the start.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _write_engine(engine: Engine) -> Engine:
    """The same pool, configured so a transaction starts by taking the write lock."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
    return engine.execution_options(isolation_level="SERIALIZABLE")


# ---------------------------------------------------------------------------------------------
# Busy detection


def is_busy(exc: BaseException) -> bool:
    """True when an error only means "another writer is in the way": worth running again."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    original = exc.orig
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _SQLITE_BUSY_CODES:
        return True
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if state in _PG_RETRY_STATES:
        return True
    message = str(original).lower()
    return any(words in message for words in _SQLITE_BUSY_WORDS)


def describe(exc: BaseException) -> str:
    """The first line of what the database driver said, without SQLAlchemy's decorations."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


# ---------------------------------------------------------------------------------------------
# Transactions


class Database:
    """An engine plus the two kinds of short transaction the store runs: reads and writes."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name  # the file path or printable URL, for messages
        self.sqlite_path = sqlite_file(engine.url)  # None: in memory, or another database
        self._writer = _write_engine(engine)
        # Set when the person working acts as another annotator: every event records them.
        self.acting_login: str | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def read(self, work: Callable[[Session], T], *, context: str | None = None) -> T:
        """Run `work` in one short read transaction (retried while the database is busy)."""
        return self._run(self.engine, work, context or self.name)

    def write(self, work: Callable[[Session], T], *, context: str | None = None) -> T:
        """Run `work` in one short write transaction: all of it commits, or none of it.

        `work` may run more than once (after a busy error the transaction is rolled back and run
        again), so it must only change the database, never state outside it.
        """
        return self._run(self._writer, work, context or self.name)

    def dispose(self) -> None:
        self.engine.dispose()

    def _run(self, bind: Engine, work: Callable[[Session], T], context: str) -> T:
        deadline = time.monotonic() + RETRY_SECONDS
        backoff = _FIRST_BACKOFF
        while True:
            try:
                return self._attempt(bind, work)
            except SQLAlchemyError as exc:
                if not is_busy(exc):
                    raise StoreError(f"{context}: {describe(exc)}") from exc
                if time.monotonic() + backoff > deadline:
                    raise DatabaseBusy(
                        f"{context}: the database stayed locked by another process "
                        f"for {RETRY_SECONDS:.0f} s ({describe(exc)})"
                    ) from exc
            # Jitter keeps several waiting processes from retrying in lockstep.
            time.sleep(backoff * (0.5 + random.random()))
            backoff = min(backoff * 2, _MAX_BACKOFF)

    def _attempt(self, bind: Engine, work: Callable[[Session], T]) -> T:
        token = ACTING_LOGIN.set(self.acting_login)
        try:
            with Session(bind, expire_on_commit=False) as session, session.begin():
                return work(session)
        finally:
            ACTING_LOGIN.reset(token)
