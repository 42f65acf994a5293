"""Schema version 4, the fact-check desk: a version-3 file opens with its data intact and gains
the check tables and `events.check_id`; its claim spans can then become checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from store import SCHEMA_VERSION, Store
from store.migrations import _add_fact_check_layer
from tests.test_entities_migration import _version_2_file


def _version_3_file(path: Path) -> None:
    _version_2_file(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        _add_fact_check_layer(connection)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE factmark_meta SET value = '3' WHERE key = 'schema_version'")
    connection.close()


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        found = {row[0] for row in rows}
    connection.close()
    return found


def test_a_version_3_file_gains_checks_with_its_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    _version_3_file(path)
    assert "checks" not in _tables(path)
    with Store.open(path) as store:
        events_before = len(store.events(1))
        [actor] = store.spans(1, "ana")
        claim = store.add_span(1, "ana", actor.start, actor.end, "claim")
        check = store.create_check(claim.id, user="ana")
        check = store.add_evidence(check.uid, {"url": "https://example.org/a"}, user="ana")
        assert [c.field for c in store.check_history(check.uid)] == [
            "claim",
            "appearances",
            "evidence",
        ]
        assert len(store.events(1)) == events_before + 1  # the new span's own event
    assert {"checks", "check_appearances", "evidence"} <= _tables(path)
    with sqlite3.connect(path) as connection:
        version = connection.execute(
            "SELECT value FROM factmark_meta WHERE key = 'schema_version'"
        ).fetchone()[0]
        columns = [row[1] for row in connection.execute("PRAGMA table_info(events)")]
    connection.close()
    assert int(version) == SCHEMA_VERSION >= 4 and columns[-1] == "check_id"
