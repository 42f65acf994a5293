"""Keeping the data: a consistent copy of a SQLite database while others write (`backup`), and
what `factmark db check` verifies (`check_database`).

The copy uses SQLite's online backup API from a read-only connection that holds one read
transaction for the whole copy: in WAL mode writers carry on, and the copy is the database as it
was when the copy began (pages are copied in steps, so a progress line can move, without the copy
restarting each time a writer commits). It is written to a hidden temporary file beside the
destination, checked, and only then renamed into place: a failed or interrupted backup leaves
no half file.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from store.engine import describe
from store.errors import StoreError
from store.identity import stored_version
from store.layer_versions import missing_layer_triggers, restore_layer_triggers
from store.review_api import StoreHost
from store.schema import META_TABLE, SCHEMA_VERSION, VERSION_KEY
from store.search import FTS5_MODULE, sqlite_fulltext_statements
from store.tables import factmark_tables

BACKUP_MODE = 0o600  # a copy of everyone's annotations: private to its owner, as databases are
BACKUP_PAGES = 4096  # pages per step: ~16 MB with 4 KiB pages, a progress line moves every step
_SHOWN_PER_CHECK = 50  # a badly damaged file gives thousands of lines: the first ones say enough
Progress = Callable[[int, int], None]  # (pages copied, pages in all)


@dataclass(frozen=True)
class Counts:
    documents: int
    spans: int
    events: int


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes
    seconds: float
    schema_version: int
    counts: Counts


# ---------------------------------------------------------------------------------------------
# Backup


def backup_sqlite(
    source: Path,
    destination: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    pages: int = BACKUP_PAGES,
) -> BackupResult:
    """Copy the factmark database `source` to `destination` (StoreError in one line if it
    cannot be done; the destination is then untouched)."""
    started = time.monotonic()
    version = _backup_source_version(source)
    _check_destination(source, destination, force)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".part", dir=destination.parent
    )
    os.close(handle)
    part = Path(temporary)
    try:
        _copy_pages(source, part, progress, pages)
        counts = _verify_copy(part, version, destination)
        os.chmod(part, BACKUP_MODE)
        _fsync(part)
        os.replace(part, destination)
        _fsync(destination.parent)
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{part}{suffix}").unlink(missing_ok=True)
        raise
    size = destination.stat().st_size
    return BackupResult(destination, size, time.monotonic() - started, version, counts)


def _backup_source_version(source: Path) -> int:
    if not source.is_file():
        raise StoreError(f"cannot back up {source}: no database file there")
    version = stored_version(source)  # someone else's file or a newer one: refused
    if version is None:
        raise StoreError(f"cannot back up {source}: the file is empty")
    return version


def _check_destination(source: Path, destination: Path, force: bool) -> None:
    if not destination.parent.is_dir():
        raise StoreError(
            f"cannot write {destination}: directory {destination.parent} does not exist"
        )
    if destination.is_dir():
        raise StoreError(f"cannot write {destination}: it is a directory")
    if destination.exists() or destination.is_symlink():
        if destination.resolve() == source.resolve():
            raise StoreError(f"cannot write {destination}: it is the database being backed up")
        if not force:
            raise StoreError(f"cannot write {destination}: it exists (--force replaces it)")
        if not destination.is_file():
            raise StoreError(f"cannot write {destination}: not a regular file")
    if not os.access(destination.parent, os.W_OK):
        raise StoreError(f"cannot write {destination}: directory {destination.parent} is read-only")


def _copy_pages(source: Path, part: Path, progress: Progress | None, pages: int) -> None:
    reader = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True, timeout=10.0)
    writer = sqlite3.connect(part)
    try:
        reader.execute(f"PRAGMA busy_timeout = {10_000}")
        reader.isolation_level = None
        # One read transaction for the whole copy: every step reads the same snapshot, so a
        # writer's commit neither restarts the copy nor lands half in it.
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sqlite_master").fetchone()

        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        reader.backup(writer, pages=pages, progress=report)
        reader.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise StoreError(f"cannot back up {source}: {error}") from None
    finally:
        writer.close()
        reader.close()


def _verify_copy(part: Path, version: int, destination: Path) -> Counts:
    """The copy must pass integrity_check and carry the source's schema version."""
    connection = sqlite3.connect(part)
    try:
        found = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        if found != ["ok"]:
            raise StoreError(f"backup to {destination} failed its integrity check: {found[0]}")
        row = connection.execute(
            f"SELECT value FROM {META_TABLE} WHERE key = ?", (VERSION_KEY,)
        ).fetchone()
        if row is None or str(row[0]) != str(version):
            raise StoreError(f"backup to {destination}: the copy has schema version {row}")
        counts = Counts(*(_count(connection, table) for table in ("documents", "spans", "events")))
        # The copy says WAL in its header (it is the source's pages) and SQLite folds any -wal
        # back in on close; a single file is what a backup should be.
        connection.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite3.Error as error:
        raise StoreError(f"backup to {destination} cannot be read back: {error}") from None
    finally:
        connection.close()
    return counts


def _count(connection: sqlite3.Connection, table: str) -> int:
    return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# ---------------------------------------------------------------------------------------------
# db check


class MaintenanceMethods(StoreHost):
    """`factmark db check` over an open store; part of `store.Store`."""

    def check_database(self) -> list[CheckResult]:
        """Every check that applies (see `check_database`), then SQLite's full-text index."""
        results = self._db.read(check_database)
        if self._db.dialect == "sqlite":
            results.append(self._db.write(check_fulltext))
        return results

    def restore_triggers(self) -> list[str]:
        """Put back the triggers `db check` finds missing (`factmark db upgrade`); what was
        missing. Whatever they keep is then made whole: every document's figures are counted
        again when next asked for, and the full-text index is rebuilt from the documents."""
        return self._db.write(restore_triggers)


@dataclass(frozen=True)
class CheckResult:
    """One check run by `factmark db check`: its name and the problems found (one line each;
    `more` problems were found but not listed)."""

    name: str
    problems: tuple[str, ...]
    more: int = 0


def check_database(session: Session) -> list[CheckResult]:
    """Every check that applies to this database, in one read transaction."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    results = []
    if sqlite:
        results.append(_integrity(connection))
        results.append(_foreign_keys(connection))
    results.append(_schema(connection))
    results.append(_listed("triggers", missing_triggers(connection)))
    results.extend(_invariant(connection, name, sql) for name, sql in _INVARIANTS)
    return results


def missing_triggers(connection: Connection) -> list[str]:
    """The triggers that keep figures (and, in SQLite, the full-text index) in step, when gone:
    nothing fails without them, the kept figures and search just stop seeing changes."""
    hint = " (factmark db upgrade puts it back)"
    problems = missing_layer_triggers(connection)
    if connection.dialect.name == "sqlite":
        problems += _missing_fulltext_triggers(connection)
    return [problem + hint for problem in problems]


def _missing_fulltext_triggers(connection: Connection) -> list[str]:
    present = {row[0] for row in connection.exec_driver_sql("SELECT name FROM sqlite_master").all()}
    if "documents_fts" not in present:
        return []  # an SQLite without FTS5: the fulltext check says so
    expected = ("documents_fts_insert", "documents_fts_delete", "documents_fts_update")
    return [f"trigger {name} on documents is missing" for name in expected if name not in present]


def restore_triggers(session: Session) -> list[str]:
    """See MaintenanceMethods.restore_triggers."""
    connection = session.connection()
    restored = restore_layer_triggers(connection)
    if connection.dialect.name == "sqlite":
        fulltext = _missing_fulltext_triggers(connection)
        if fulltext:
            for statement in sqlite_fulltext_statements(FTS5_MODULE):
                connection.exec_driver_sql(statement)
            connection.exec_driver_sql(
                "INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')"
            )
            restored += fulltext
    return restored


def check_fulltext(session: Session) -> CheckResult:
    """FTS5's own 'integrity-check' against the documents (rank 1: the external content
    too): the index holds exactly the documents' text. Issued as an
    INSERT (it writes nothing), so it runs in a write transaction of its own."""
    try:
        session.connection().exec_driver_sql(
            "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)"
        )
    except DBAPIError as error:  # the check's finding is the database's message
        return CheckResult("fulltext index", (f"documents_fts: {describe(error)}",))
    return CheckResult("fulltext index", ())


def _listed(name: str, problems: list[str]) -> CheckResult:
    shown = problems[:_SHOWN_PER_CHECK]
    return CheckResult(name, tuple(shown), len(problems) - len(shown))


def _integrity(connection: Connection) -> CheckResult:
    rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
    found = [str(row[0]) for row in rows]
    return _listed("integrity_check", [] if found == ["ok"] else found)


def _foreign_keys(connection: Connection) -> CheckResult:
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    problems = [
        f"{table} row {rowid} refers to a missing {parent} row" for table, rowid, parent, _ in rows
    ]
    return _listed("foreign keys", problems)


def _schema(connection: Connection) -> CheckResult:
    """The recorded version is this factmark's, and every table and column it defines is there."""
    problems = []
    row = connection.exec_driver_sql(
        f"SELECT value FROM {META_TABLE} WHERE key = '{VERSION_KEY}'"
    ).fetchone()
    if row is None or str(row[0]) != str(SCHEMA_VERSION):
        problems.append(f"schema version {row[0] if row else 'missing'}, expected {SCHEMA_VERSION}")
    inspector = inspect(connection)
    present = set(inspector.get_table_names())
    for table in factmark_tables():
        if table.name not in present:
            problems.append(f"table {table.name} is missing")
            continue
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        problems.extend(
            f"column {table.name}.{column.name} is missing"
            for column in table.columns
            if column.name not in columns
        )
    return _listed("schema", problems)


def _invariant(connection: Connection, name: str, sql: str) -> CheckResult:
    rows = connection.exec_driver_sql(sql).fetchall()
    return _listed(name, [str(row[0]) for row in rows])


# factmark's own rules the tables cannot state: each query returns one line per breach. length()
# counts code points in SQLite and PostgreSQL alike, as span offsets do.
_INVARIANTS: tuple[tuple[str, str], ...] = (
    (
        "span offsets",
        "SELECT 'span ' || s.id || ' (' || s.start || '-' || s.\"end\" || ') is outside "
        "document ' || s.document_id || ' (' || length(d.text) || ' characters)' "
        "FROM spans AS s JOIN documents AS d ON d.id = s.document_id "
        'WHERE s.start < 0 OR s."end" <= s.start OR s."end" > length(d.text) ORDER BY s.id',
    ),
    (
        "relations",
        "SELECT 'relation ' || r.id || ' links span ' || s.id || ' of another document or layer' "
        "FROM relations AS r JOIN spans AS s ON s.id IN (r.head_id, r.child_id) "
        "WHERE s.document_id <> r.document_id "
        "OR coalesce(s.annotator_id, -1) <> coalesce(r.annotator_id, -1) ORDER BY r.id",
    ),
    (
        "events",
        "SELECT 'event ' || e.id || ' (' || e.kind || ') refers to missing document ' "
        "|| e.document_id FROM events AS e WHERE e.document_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM documents AS d WHERE d.id = e.document_id) ORDER BY e.id",
    ),
    (
        "evidence offsets",
        "SELECT 'evidence ' || v.id || ' (' || v.start || '-' || v.\"end\" || ') is outside "
        "document ' || v.document_id FROM evidence AS v JOIN documents AS d "
        "ON d.id = v.document_id WHERE v.start IS NOT NULL AND (v.start < 0 "
        'OR v."end" <= v.start OR v."end" > length(d.text)) ORDER BY v.id',
    ),
)
