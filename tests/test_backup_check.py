"""`factmark backup` while another process writes, and `factmark db check` on damaged files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store, StoreError
from store.maintenance import backup_sqlite
from tests.conftest import run_factmark

TEXT = "Hamas said 34,535 Palestinians were killed in Gaza, the ministry reported on Monday. " * 8

# A second process adding one span per transaction until told to stop (a file appears).
WRITER = """
import sys, pathlib
from store import Store
path, stop = sys.argv[1], pathlib.Path(sys.argv[2])
with Store.open(path) as store:
    n = 0
    while not stop.exists():
        start = n % 500
        store.add_span(1, "ana", start, start + 1 + n % 7, "figure", note=f"n{n}")
        n += 1
"""


def _span_ids(path: Path) -> set[int]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM spans")}
    finally:
        connection.close()


def _integrity(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()


@pytest.fixture
def writing(tmp_path: Path) -> Iterator[Path]:
    """A database with one document, and another process committing spans to it throughout."""
    path = tmp_path / "busy.db"
    with Store.open(path) as store:
        from vocabulary.records import Article, ImportItem

        store.import_items([ImportItem(Article(TEXT, title="t"))])
        store.ensure_annotator("ana")
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(stop)],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    try:
        deadline = time.monotonic() + 60
        while len(_span_ids(path)) < 50:
            assert writer.poll() is None and time.monotonic() < deadline, "the writer never wrote"
            time.sleep(0.05)
        yield path
    finally:
        stop.touch()
        assert writer.wait(timeout=60) == 0


def test_backup_is_a_snapshot_while_another_process_writes(writing: Path, tmp_path: Path) -> None:
    before = _span_ids(writing)
    copy = tmp_path / "copy.db"
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) == 2:  # mid-copy: let the writer commit more before the next pages
            wanted = len(_span_ids(writing)) + 20
            while len(_span_ids(writing)) < wanted:
                time.sleep(0.02)

    result = backup_sqlite(writing, copy, progress=progress, pages=2)
    after = _span_ids(writing)
    copied = _span_ids(copy)
    assert before <= copied  # everything committed before the backup began
    assert copied < after  # and not what was committed while it copied: one consistent state
    # A prefix of the one writer's commits: nothing half-way, no later span without an earlier.
    assert copied == {span_id for span_id in after if span_id <= max(copied)}
    assert len(seen) > 2 and [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert _integrity(copy) == ["ok"]
    assert result.counts.spans == len(copied) and result.counts.documents == 1
    assert (copy.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == ["copy.db"]
    with Store.open(copy) as opened:  # the copy is a factmark database, spans and all
        assert len(opened.spans(1, "ana")) == len(copied)


def test_backup_command_while_another_process_writes(writing: Path, tmp_path: Path) -> None:
    before = _span_ids(writing)
    copy = tmp_path / "nightly.db"
    result = run_factmark("--db", str(writing), "backup", str(copy))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.decode().strip().splitlines()
    copied = _span_ids(copy)
    assert f"1 documents, {len(copied)} spans" in line and "integrity ok" in line
    assert before <= copied and _integrity(copy) == ["ok"]
    again = run_factmark("--db", str(writing), "backup", str(copy))
    assert again.returncode == 2 and "--force" in again.stderr.decode()
    assert _span_ids(copy) == copied  # refused: the earlier copy is untouched
    forced = run_factmark("--db", str(writing), "backup", str(copy), "--force")
    assert forced.returncode == 0, forced.stderr
    assert _span_ids(copy) >= copied and not list(tmp_path.glob(".nightly.db.*"))


def test_backup_refuses_what_it_cannot_copy(tmp_path: Path) -> None:
    source = tmp_path / "a.db"
    Store.open(source).close()
    with pytest.raises(StoreError, match="does not exist"):
        backup_sqlite(source, tmp_path / "no" / "b.db")
    with pytest.raises(StoreError, match="being backed up"):
        backup_sqlite(source, source, force=True)
    with pytest.raises(StoreError, match="no database file"):
        backup_sqlite(tmp_path / "missing.db", tmp_path / "b.db")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("a.db")) == []
    url = "postgresql+psycopg://ana:s3cret@db.example:5433/desk"
    result = run_factmark("--db", url, "backup", str(tmp_path / "x.db"))
    [line] = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2 and "s3cret" not in line
    assert "pg_dump" in line and "postgresql://ana@db.example:5433/desk" in line


def _annotated(path: Path) -> None:
    with Store.open(path) as store:
        from vocabulary.records import Article, ImportItem

        store.import_items([ImportItem(Article(TEXT, title="t"))])
        store.ensure_annotator("ana")
        head = store.add_span(1, "ana", 0, 5, "actor")
        child = store.add_span(1, "ana", 11, 17, "figure")
        store.add_relation(1, "ana", head.id, child.id, "said_by")


def _damage(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def test_db_check_is_clean_on_a_sound_file(tmp_path: Path) -> None:
    path = tmp_path / "sound.db"
    _annotated(path)
    result = run_factmark("--db", str(path), "db", "check")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.decode().splitlines()
    assert all(line.startswith("ok ") for line in lines) and len(lines) >= 7
    assert "clean" in result.stderr.decode()


def test_db_check_names_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    _annotated(path)
    length = len(TEXT)
    _damage(
        path,
        f'UPDATE spans SET "end" = {length + 40} WHERE id = 2',
        "INSERT INTO document_status (document_id, annotator_id, done, updated_at) "
        "VALUES (99, 1, 1, '2026-01-01')",
        "INSERT INTO events (at, kind, document_id, payload) "
        "VALUES ('2026-01-01', 'span_add', 77, '{}')",
        "INSERT INTO documents_fts (documents_fts, rowid, text) VALUES ('delete', 1, "
        "(SELECT text FROM documents WHERE id = 1))",
    )
    result = run_factmark("--db", str(path), "db", "check")
    assert result.returncode == 1
    out = result.stdout.decode()
    problems = [line for line in out.splitlines() if line.startswith("PROBLEM")]
    assert f"span offsets: span 2 (11-{length + 40}) is outside document 1" in out
    assert "foreign keys: document_status row" in out and "missing documents row" in out
    assert "events: event" in out and "missing document 77" in out
    assert "fulltext index: documents_fts:" in out
    assert len(problems) == 4, out
    assert "4 problems" in result.stderr.decode()


def test_db_check_on_a_file_with_broken_pages(tmp_path: Path) -> None:
    path = tmp_path / "torn.db"
    _annotated(path)
    with Store.open(path) as store:  # enough rows for an index of its own pages
        for n in range(400):
            store.add_span(1, "ana", n % 300, n % 300 + 3, "figure", note="x" * 200)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_spans_document_annotator'"
    ).fetchone()
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:  # scribble over the index's root page
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff" * 64)
    result = run_factmark("--db", str(path), "db", "check")
    assert result.returncode in (1, 2), result.stderr
    text = (result.stdout + result.stderr).decode()
    if result.returncode == 1:
        assert "PROBLEM" in text
    assert "Traceback" not in text


def test_db_check_upgrade_and_backup_on_postgresql(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from tests.postgres import fresh_postgres_database

    with fresh_postgres_database("keep") as url:
        with Store.open(url) as store:
            from vocabulary.records import Article, ImportItem

            store.import_items([ImportItem(Article(TEXT, title="t"))])
            store.ensure_annotator("ana")
            store.add_span(1, "ana", 0, 5, "actor")
        clean = run_factmark("--db", url, "db", "check")
        assert clean.returncode == 0, clean.stdout
        assert "foreign keys (enforced by PostgreSQL" in clean.stdout.decode()
        upgrade = run_factmark("--db", url, "db", "upgrade")
        assert upgrade.returncode == 0 and "already current" in upgrade.stdout.decode()
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text('UPDATE spans SET "end" = 5000 WHERE id = 1'))
        engine.dispose()
        damaged = run_factmark("--db", url, "db", "check")
        assert damaged.returncode == 1
        assert "span offsets: span 1 (0-5000) is outside document 1" in damaged.stdout.decode()
        backup = run_factmark("--db", url, "backup", str(tmp_path / "pg.db"))
        [line] = backup.stderr.decode().strip().splitlines()
        assert backup.returncode == 2 and "pg_dump" in line
        user, _, password = url.split("://", 1)[1].split("@", 1)[0].partition(":")
        assert f"postgresql://{user}@" in line  # the user and host, never the password
        assert not password or f":{password}@" not in line
        assert not (tmp_path / "pg.db").exists()


def test_an_interrupted_backup_leaves_nothing(tmp_path: Path) -> None:
    source = tmp_path / "a.db"
    _annotated(source)
    with Store.open(source) as store:  # pages enough for several steps
        for n in range(300):
            store.add_span(1, "ana", n % 300, n % 300 + 3, "figure", note="x" * 300)
    copy = tmp_path / "copy.db"
    calls: list[int] = []

    def interrupt(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backup_sqlite(source, copy, progress=interrupt, pages=2)
    assert not [p.name for p in tmp_path.iterdir() if "copy" in p.name]
    copy.write_bytes(b"yesterday's copy")
    with pytest.raises(KeyboardInterrupt):
        calls.clear()
        backup_sqlite(source, copy, progress=interrupt, pages=2, force=True)
    assert copy.read_bytes() == b"yesterday's copy"  # replaced only by a finished copy
    assert [p.name for p in tmp_path.iterdir() if "copy" in p.name] == ["copy.db"]
