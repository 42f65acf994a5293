"""The direct reads: a current SQLite file read through the standard library (`store.direct`)
gives what the full store gives, and every other target is left to the full store."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

import store.chunks as chunks
from store import Store, StoreError
from store.direct import connect_direct, direct_rows, snapshot, target_path
from store.json_export import assembled_lines
from store.listing import annotator_names, document_count, document_summaries
from store.paths import default_db_path
from store.schema import META_TABLE, SCHEMA_VERSION, VERSION_KEY
from tests.formats_support import annotated_items
from vocabulary.names import ALL_LAYERS, GOLD_LAYER
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

UNICODE_TEXT = "Ministra Ana Ruíz dijo: «4,2 % de los 🙂 votantes» — قال “sí”."


def _unicode_item() -> ImportItem:
    spans = (
        SpanDraft(9, 17, "actor", note="«quién» 🙂\tand a tab", attrs={"ü": [1, None]}),
        SpanDraft(24, 28, "figure"),
    )
    article = Article(text=UNICODE_TEXT, title="Votación «sí»", meta={"sección": "política"})
    return ImportItem(article, (LayerDraft(GOLD_LAYER, spans), LayerDraft("dora", spans[1:])))


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """A current file with gold and annotators' layers, relations, notes, done marks, an
    assignment, an adjudicated document and unicode everywhere."""
    path = tmp_path_factory.mktemp("direct") / "library.db"
    with Store.open(path) as store:
        ids = [o.document_id for o in store.import_items([*annotated_items(), _unicode_item()])]
        store.set_done(ids[0], "alice")
        store.set_done(ids[-1], "erin")  # done with no spans
        store.ensure_annotator("rita", "reviewer")
        store.assign(["bob", "erin"], 1, documents=ids[:2], actor="rita")
        store.set_adjudicated(ids[1], reviewer="rita")
    return path


def _direct(path: Path) -> sqlite3.Connection:
    connection = connect_direct(path)
    assert connection is not None
    return connection


def test_the_listing_is_the_full_stores(library):
    with Store.open(library) as store:
        expected = store.list_documents()
        names = {a.name for a in store.annotators()}
        count = store.document_count()
    connection = _direct(library)
    with snapshot(connection, str(library)) as rows:
        assert document_summaries(rows) == expected
        assert annotator_names(rows) == names
        assert document_count(rows) == count
    assert any(doc.adjudicated for doc in expected) and any(doc.assigned for doc in expected)


@pytest.mark.parametrize("processes", [1, 3])
@pytest.mark.parametrize("source", [ALL_LAYERS, GOLD_LAYER, "alice", "dora", "erin"])
def test_the_lines_are_the_full_stores(library, monkeypatch, source, processes):
    monkeypatch.setattr(chunks, "EXPORT_CHUNK", 2)  # several chunks
    with Store.open(library) as store:
        expected = list(store.iter_export_lines(source, processes=processes) or [])
    rows = direct_rows(_direct(library), str(library))
    lines = assembled_lines(rows, str(library), library, source, processes)
    assert lines is not None
    assert list(lines) == expected
    assert expected or source == "erin"


def test_an_unknown_source_is_refused_as_by_the_full_store(library):
    rows = direct_rows(_direct(library), str(library))
    with pytest.raises(StoreError, match="no annotator named 'zed'"):
        assembled_lines(rows, str(library), library, "zed", 1)


def test_the_connection_only_reads(library):
    connection = _direct(library)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        connection.execute("DELETE FROM spans")


def test_a_failed_read_is_a_store_error_naming_the_database(library):
    rows = direct_rows(_direct(library), "the-db")
    with pytest.raises(StoreError, match="^the-db: no such table: missing_table"):
        rows("SELECT * FROM missing_table", {})


# -- what is left to the full store ----------------------------------------------------------


def test_a_missing_file_a_directory_and_a_missing_directory(tmp_path):
    assert connect_direct(tmp_path / "missing.db") is None
    assert connect_direct(tmp_path) is None
    assert connect_direct(tmp_path / "none" / "x.db") is None
    assert not (tmp_path / "missing.db").exists()


def test_files_that_are_not_factmark_databases(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, but long enough to have a header\n")
    empty = tmp_path / "empty.db"
    empty.touch()
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    for path in (text, empty, other):
        assert connect_direct(path) is None


@pytest.mark.parametrize("version", [SCHEMA_VERSION - 1, SCHEMA_VERSION + 1, "x"])
def test_another_schema_version(tmp_path, version):
    path = tmp_path / "versioned.db"
    Store.open(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute(
            f"UPDATE {META_TABLE} SET value = ? WHERE key = ?", (str(version), VERSION_KEY)
        )
    assert connect_direct(path) is None
    assert connect_direct(tmp_path / "versioned.db") is None


def test_a_file_the_full_store_would_refuse(tmp_path):
    path = tmp_path / "locked.db"
    Store.open(path).close()
    assert connect_direct(path) is not None
    path.chmod(0o444)  # the full store refuses a read-only file, and says so itself
    try:
        assert connect_direct(path) is None
    finally:
        path.chmod(0o644)


def test_a_current_file_by_path_url_and_environment(tmp_path, monkeypatch):
    path = tmp_path / "current.db"
    Store.open(path).close()
    assert connect_direct(str(path)) is not None
    assert connect_direct(f"sqlite:///{path}") is not None
    monkeypatch.setenv("FACTMARK_DB", str(path))
    assert connect_direct(None) is not None


def test_target_paths(tmp_path, monkeypatch):
    monkeypatch.delenv("FACTMARK_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert target_path(None) == default_db_path()
    assert target_path("x.db") == tmp_path / "x.db"
    assert target_path("~/x.db") == Path(os.path.expanduser("~/x.db"))
    assert target_path("sqlite:///x.db") == tmp_path / "x.db"
    assert target_path("sqlite:////abs/x.db") == Path("/abs/x.db")
    # SQLAlchemy does not expand ~ in a URL: neither does the direct read.
    assert target_path("sqlite:///~/x.db") == tmp_path / "~" / "x.db"
    monkeypatch.setenv("FACTMARK_DB", "elsewhere.db")
    assert target_path(None) == tmp_path / "elsewhere.db"


@pytest.mark.parametrize(
    "target",
    [
        "postgresql+psycopg://someone@127.0.0.1/db",
        "sqlite+pysqlite:///x.db",
        "sqlite://",
        "sqlite:///",
        "sqlite:///:memory:",
        ":memory:",
        "sqlite:///x.db?mode=ro",
        "sqlite:///a%20b.db",
        "sqlite:///file:x.db",
    ],
)
def test_targets_only_the_full_store_reads(target):
    assert target_path(target) is None
    assert connect_direct(target) is None


def test_writes_committed_by_an_open_store_are_read(tmp_path):
    path = tmp_path / "busy.db"
    with Store.open(path) as store:
        doc = store.import_items([_unicode_item()])[0].document_id
        connection = _direct(path)  # opened while the store holds the file (WAL)
        store.add_span(doc, "frank", 0, 8, "actor")
        store.set_done(doc, "frank")
        with snapshot(connection, str(path)) as rows:
            assert document_summaries(rows) == store.list_documents()
        assert document_summaries(direct_rows(connection, str(path)))[0].progress["frank"].done
