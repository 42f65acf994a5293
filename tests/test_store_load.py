"""Writers in separate processes on one database while a reviewer reads: nothing lost, no error.

The short version of `python -m bench load` (bench/bench_load.py, 8 writers for 30 s): 4 writer
processes for 4 s, each writing spans, notes, links and done marks through its own store as the
annotate screen does, and a fifth reading as the review screens do. Every write a writer was
told succeeded is looked for in the database afterwards.
"""

from __future__ import annotations

from pathlib import Path

from bench.bench_load import MIX, LoadResult, run_load
from tests.postgres import fresh_postgres_database

WRITERS = 4
SECONDS = 4.0


def _assert_nothing_lost(result: LoadResult) -> None:
    assert result.errors == []
    assert result.lost == []
    assert result.unacknowledged == 0  # nothing committed that a writer was told had failed
    assert result.event_gap == 0  # one event per acknowledged write: undo and history hold
    assert all(result.writes[kind] > 0 for kind, _ in MIX), result.writes
    assert result.total_writes >= 4 * WRITERS  # the run really wrote
    assert len(result.read_ms) > 0  # and the reviewer really read meanwhile


def test_writers_and_a_reader_on_one_sqlite_file(tmp_path: Path) -> None:
    target = tmp_path / "load.db"
    result = run_load(str(target), WRITERS, SECONDS, backend="sqlite")
    _assert_nothing_lost(result)
    assert result.integrity == "ok"


def test_writers_and_a_reader_on_postgresql() -> None:
    with fresh_postgres_database("load") as url:
        _assert_nothing_lost(run_load(url, WRITERS, SECONDS, backend="postgres"))
