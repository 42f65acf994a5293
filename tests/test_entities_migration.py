"""Schema version 3, entities: a version-2 file (version 1's tables as factmark 0.1 made them,
plus version 2's frozen step) opens with its data intact, gains the entities table and
`spans.entity_id`, and its spans can then name entities."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from store import SCHEMA_VERSION, Store
from store.migrations import _add_review_tables
from tests.test_review_migration import _version_1_file


def _version_2_file(path: Path) -> None:
    _version_1_file(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        _add_review_tables(connection)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE factmark_meta SET value = '2' WHERE key = 'schema_version'")
    connection.close()


def _span_columns(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("PRAGMA table_info(spans)").fetchall()
    connection.close()
    return [row[1] for row in rows]


def test_a_version_2_file_gains_entities_with_its_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    _version_2_file(path)
    assert "entity_id" not in _span_columns(path)
    with Store.open(path) as store:
        assert [(s.id, s.label, s.entity_id, s.entity) for s in store.spans(1, "ana")] == [
            (1, "actor", None, None)
        ]
        assert [s.label for s in store.spans(1, "gold")] == ["figure"]
        assert store.events(1)[0].kind == "span_add"
        assert store.entities() == []
        hamas = store.create_entity("Hamas", "Organization")
        named = store.name_entity(1, "ana", hamas.id)
        assert named.entity is not None and named.entity.name == "Hamas"
        store.undo(1, "ana")
        assert store.spans(1, "ana")[0].entity_id is None
        store.redo(1, "ana")
    assert _span_columns(path)[-1] == "entity_id"
    with sqlite3.connect(path) as connection:
        version = connection.execute(
            "SELECT value FROM factmark_meta WHERE key = 'schema_version'"
        ).fetchone()[0]
        indexes = {row[1] for row in connection.execute("PRAGMA index_list(spans)")}
    connection.close()
    assert int(version) == SCHEMA_VERSION
    assert "ix_spans_entity_id" in indexes
    with Store.open(path) as again:  # reopening changes nothing; the link is kept
        [span] = again.spans(1, "ana")
        assert span.entity is not None and span.entity.id == hamas.id
        assert again.entity(hamas.id).span_count == 1


def _entity_schema(path: Path) -> set[tuple[str, str, str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE tbl_name = 'entities' OR name = 'ix_spans_entity_id'"
        ).fetchall()
    connection.close()
    return set(rows)


def test_a_new_file_and_an_upgraded_one_have_the_same_entity_schema(tmp_path: Path) -> None:
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    _version_2_file(old)
    Store.open(old).close()
    Store.open(new).close()
    assert _span_columns(old) == _span_columns(new)
    assert len(_entity_schema(new)) == 4  # the table, its two indexes, the spans' index
    assert _entity_schema(old) == _entity_schema(new)
