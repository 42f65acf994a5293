"""Schema version 3, review of links: a version-2 file gains `relation_decisions` (frozen in
store/migrations.py) with its data intact, the table is the one a new database gets, and a
relation rejected on the upgraded file stays rejected."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from store import Store
from store.migrations import UPGRADES
from tests.test_review_migration import _version_1_file


def _version_2_file(path: Path) -> None:
    """A version-1 file brought to version 2 by the version-2 step alone."""
    _version_1_file(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        UPGRADES[2](connection)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE factmark_meta SET value = '2' WHERE key = 'schema_version'")


def _schema(path: Path, table: str) -> tuple[list[tuple], list[tuple]]:
    with sqlite3.connect(path) as connection:
        columns = connection.execute(f"PRAGMA table_info({table})").fetchall()
        indexes = [
            (name, unique, connection.execute(f"PRAGMA index_info({name})").fetchall())
            for _seq, name, unique, *_rest in connection.execute(f"PRAGMA index_list({table})")
        ]
    return columns, sorted(indexes)


def test_a_version_2_file_gains_relation_decisions(tmp_path: Path) -> None:
    old, fresh = tmp_path / "v2.db", tmp_path / "fresh.db"
    _version_2_file(old)
    with sqlite3.connect(old) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "gold_decisions" in tables and "relation_decisions" not in tables
    with Store.open(old) as store:
        assert [(s.start, s.end, s.label) for s in store.spans(1, "gold")] == [(11, 17, "figure")]
        keys = [((11, 17, "figure"), (0, 5, "actor"), "source")]
        assert store.reject_relations(1, keys, reviewer="ana") == 1
    with Store.open(fresh):
        pass
    assert _schema(old, "relation_decisions") == _schema(fresh, "relation_decisions")
    with Store.open(old) as again:
        decided = again.review_document(1).relation_decisions
        assert [(d.head, d.child, d.label, d.decision) for d in decided] == [
            ((11, 17, "figure"), (0, 5, "actor"), "source", "rejected")
        ]
