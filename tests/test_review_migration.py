"""Schema version 2 (assignments, gold decisions, adjudication marks): a version-1 database file,
built here with the version-1 schema exactly as factmark 0.1 created it, opens and is upgraded
with its data intact; and the new tables then work."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from store import SCHEMA_VERSION, Store

# The DDL a version-1 database holds (sqlite_master of a file made by the version-1 store).
V1_SCHEMA = """
CREATE TABLE factmark_meta ("key" VARCHAR(64) NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key"));
CREATE TABLE annotators (
    id INTEGER NOT NULL, name VARCHAR(200) NOT NULL, role VARCHAR(20) NOT NULL,
    created_at DATETIME NOT NULL, PRIMARY KEY (id));
CREATE UNIQUE INDEX ix_annotators_name ON annotators (name);
CREATE TABLE documents (
    id INTEGER NOT NULL, text TEXT NOT NULL, text_sha256 VARCHAR(64) NOT NULL, title TEXT,
    byline TEXT, outlet TEXT, url TEXT, published VARCHAR(64), imported_at DATETIME NOT NULL,
    extractor VARCHAR(100) NOT NULL, extractor_version VARCHAR(100) NOT NULL, source_file TEXT,
    meta JSON NOT NULL, raw_zlib BLOB, PRIMARY KEY (id));
CREATE UNIQUE INDEX ix_documents_text_sha256 ON documents (text_sha256);
CREATE TABLE events (
    id INTEGER NOT NULL, at DATETIME NOT NULL, actor VARCHAR(200), kind VARCHAR(40) NOT NULL,
    document_id INTEGER, layer VARCHAR(200), span_id INTEGER, payload JSON NOT NULL,
    PRIMARY KEY (id));
CREATE INDEX ix_events_document_layer ON events (document_id, layer, id);
CREATE TABLE spans (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, document_id INTEGER NOT NULL,
    annotator_id INTEGER, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    label VARCHAR(100) NOT NULL, note TEXT, attrs JSON NOT NULL, origin VARCHAR(20) NOT NULL,
    created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, gold_source VARCHAR(20),
    reviewer_id INTEGER,
    FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE,
    FOREIGN KEY(annotator_id) REFERENCES annotators (id) ON DELETE CASCADE,
    FOREIGN KEY(reviewer_id) REFERENCES annotators (id) ON DELETE SET NULL);
CREATE INDEX ix_spans_document_annotator ON spans (document_id, annotator_id);
CREATE TABLE document_status (
    document_id INTEGER NOT NULL, annotator_id INTEGER NOT NULL, done BOOLEAN NOT NULL,
    updated_at DATETIME NOT NULL, PRIMARY KEY (document_id, annotator_id),
    FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE,
    FOREIGN KEY(annotator_id) REFERENCES annotators (id) ON DELETE CASCADE);
CREATE INDEX ix_document_status_annotator ON document_status (annotator_id, done);
CREATE TABLE relations (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, document_id INTEGER NOT NULL,
    annotator_id INTEGER, head_id INTEGER NOT NULL, child_id INTEGER NOT NULL,
    label VARCHAR(100) NOT NULL, created_at DATETIME NOT NULL,
    FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE,
    FOREIGN KEY(annotator_id) REFERENCES annotators (id) ON DELETE CASCADE,
    FOREIGN KEY(head_id) REFERENCES spans (id) ON DELETE CASCADE,
    FOREIGN KEY(child_id) REFERENCES spans (id) ON DELETE CASCADE);
CREATE INDEX ix_relations_head_id ON relations (head_id);
CREATE INDEX ix_relations_document_annotator ON relations (document_id, annotator_id);
CREATE INDEX ix_relations_child_id ON relations (child_id);
"""
TEXT = "Hamas said 34,535 Palestinians were killed in Gaza."
NOW = "2024-05-01 10:00:00.000000"


def _version_1_file(path: Path) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.executescript(V1_SCHEMA)
        run = connection.execute
        run("INSERT INTO factmark_meta VALUES ('schema_version', '1'), ('created_at', ?)", (NOW,))
        run(
            "INSERT INTO annotators VALUES (1, 'ana', 'admin', ?), (2, 'ben', 'annotator', ?)",
            (NOW, NOW),
        )
        run(
            "INSERT INTO documents (id, text, text_sha256, title, imported_at, extractor, "
            "extractor_version, meta) VALUES (1, ?, ?, 'Old', ?, 'text', '1', '{}')",
            (TEXT, "ab" * 32, NOW),
        )
        for span_id, annotator, start, end, label in (
            (1, 1, 0, 5, "actor"),
            (2, 2, 0, 5, "actor"),
            (3, None, 11, 17, "figure"),
        ):
            run(
                'INSERT INTO spans (id, document_id, annotator_id, start, "end", label, attrs, '
                "origin, created_at, updated_at, gold_source) VALUES (?, 1, ?, ?, ?, ?, '{}', "
                "'manual', ?, ?, ?)",
                (
                    span_id,
                    annotator,
                    start,
                    end,
                    label,
                    NOW,
                    NOW,
                    "added" if not annotator else None,
                ),
            )
        run("INSERT INTO document_status VALUES (1, 1, 1, ?), (1, 2, 1, ?)", (NOW, NOW))
        run(
            "INSERT INTO events (at, actor, kind, document_id, layer, span_id, payload) "
            "VALUES (?, 'ana', 'span_add', 1, 'ana', 1, ?)",
            (NOW, json.dumps({"span": {"id": 1, "start": 0, "end": 5, "label": "actor"}})),
        )
    connection.close()


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def test_a_version_1_file_is_upgraded_with_its_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _version_1_file(path)
    assert "assignments" not in _tables(path)
    with Store.open(path) as store:
        assert [(a.name, a.role) for a in store.annotators()] == [
            ("ana", "admin"),
            ("ben", "annotator"),
        ]
        [summary] = store.list_documents()
        assert (summary.title, summary.gold_spans, summary.assigned) == ("Old", 1, ())
        assert {name: (p.spans, p.done) for name, p in summary.progress.items()} == {
            "ana": (1, True),
            "ben": (1, True),
        }
        assert [(s.start, s.end, s.label) for s in store.spans(1, "gold")] == [(11, 17, "figure")]
        assert store.events(1)[0].kind == "span_add"
        # The new tables work on the upgraded file.
        store.assign(["ben"], 1, actor="ana")
        store.reject_spans(1, [(0, 5, "actor")], reviewer="ana")
        store.set_adjudicated(1, reviewer="ana")
    assert {"assignments", "gold_decisions", "document_reviews"} <= _tables(path)
    with sqlite3.connect(path) as connection:
        version = connection.execute(
            "SELECT value FROM factmark_meta WHERE key = 'schema_version'"
        ).fetchone()[0]
    assert int(version) == SCHEMA_VERSION >= 2
    with Store.open(path) as again:  # reopening an upgraded file changes nothing
        review = again.review_document(1)
        assert review.status.adjudicated and [d.label for d in review.decisions] == ["actor"]
        assert again.assignments() == {1: ("ben",)}
