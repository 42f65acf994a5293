"""Agreement figures kept per document: always equal to figures computed from scratch, after
edits by this store, another connection, another process or plain SQL; recomputed only for the
documents that changed; kept through schema upgrades, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from review import agreement_report
from settings.config import Config
from store import Store
from store.doc_figures import FigureChoice
from store.study import done_layers, kept_report, study_document_figures
from tests.conftest import run_factmark
from tests.postgres import POSTGRES_ENV, fresh_postgres_database
from vocabulary.records import Article, ImportItem, LayerDraft, RelationDraft, SpanDraft

ANNOTATORS = ("ana", "ben", "cy")
CONFIG = Config()
LABELS = CONFIG.label_names
RELATIONS = CONFIG.relation_names
MIGRATIONS = Path(__file__).parent / "data" / "migrations"


def _item(rng: random.Random, number: int) -> ImportItem:
    words = [rng.choice(("claim", "minister", "4.2%", "said", "Zürich", "rose")) for _ in range(60)]
    text = f"Document {number}: " + " ".join(words)
    layers = []
    truth = []
    for _ in range(6):
        start = rng.randrange(0, len(text) - 20)
        truth.append((start, start + rng.randint(2, 18), rng.choice(LABELS)))
    for name in ANNOTATORS[: 2 + number % 2]:  # some documents done by two, some by three
        spans = []
        for index, (start, end, label) in enumerate(truth):
            if rng.random() < 0.3:
                end = min(len(text), end + rng.randint(1, 4))
            if rng.random() < 0.15:
                label = rng.choice(LABELS)
            spans.append(SpanDraft(start, end, label, local_id=str(index)))
        relations = (RelationDraft("0", "1", RELATIONS[0]),) if rng.random() < 0.7 else ()
        layers.append(LayerDraft(name, tuple(spans), relations, done=True))
    return ImportItem(Article(text=text, title=f"doc {number}"), tuple(layers))


def _study(target: str | Path, documents: int = 12) -> None:
    rng = random.Random(5)
    with Store.open(target) as store:
        store.import_items([_item(rng, number) for number in range(documents)])


def _fresh(store: Store) -> dict:
    return agreement_report(list(done_layers(store, ANNOTATORS)), ANNOTATORS, LABELS, RELATIONS)


def _kept(store: Store) -> dict:
    return kept_report(store, ANNOTATORS, LABELS, RELATIONS)


def _recomputed(store: Store) -> int:
    choice = FigureChoice(ANNOTATORS, LABELS, RELATIONS)
    return store.study_figures(choice).recomputed


def _assert_same(store: Store) -> None:
    kept, fresh = _kept(store), _fresh(store)
    assert kept["documents"] > 0
    # Exactly equal, floats included: the counts are integers, the means added in one order.
    assert json.dumps(kept, sort_keys=True) == json.dumps(fresh, sort_keys=True)


def test_kept_figures_equal_fresh_ones_after_every_kind_of_edit(tmp_path):
    path = tmp_path / "study.db"
    _study(path)
    with Store.open(path) as store, Store.open(path) as other:
        _assert_same(store)
        assert _recomputed(store) == 0  # all kept by the first report
        span = store.spans(1, "ana")[0]
        # Another connection to the same file writes; the first one's figures must follow.
        other.add_span(1, "ana", 0, 8, "claim")
        assert _recomputed(store) == 1
        _assert_same(store)
        other.delete_span(span.id, "ana")
        _assert_same(store)
        other.set_note(store.spans(2, "ben")[0].id, "ben", "checked")
        assert _recomputed(store) == 1  # a note write invalidates too (figures or not)
        other.set_done(3, "ana", done=False)
        _assert_same(store)
        other.set_done(3, "ana", done=True)
        _assert_same(store)
        assert _recomputed(store) == 0


def test_a_write_from_plain_sql_or_another_process_invalidates(tmp_path):
    path = tmp_path / "study.db"
    _study(path)
    with Store.open(path) as store:
        _assert_same(store)
    # Not through factmark at all: the triggers live in the database.
    with sqlite3.connect(path) as connection:
        connection.execute(
            'UPDATE spans SET "end" = "end" + 3 WHERE id = (SELECT min(id) FROM spans '
            "WHERE document_id = 4 AND annotator_id IS NOT NULL)"
        )
        connection.execute(
            'UPDATE spans SET attrs = \'{"unit": "%"}\' WHERE id = (SELECT min(id) '
            "FROM spans WHERE document_id = 6)"
        )
    with Store.open(path) as store:
        assert _recomputed(store) == 2
        _assert_same(store)
        before = _kept(store)
    # `factmark agreement --json` in a child process sees and keeps the same figures.
    result = run_factmark("--db", str(path), "agreement", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(before))


def test_a_deleted_document_leaves_the_study_sum(tmp_path):
    path = tmp_path / "study.db"
    _study(path)
    with Store.open(path) as store:
        documents = _kept(store)["documents"]
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM documents WHERE id = 5")
    with Store.open(path) as store:
        _assert_same(store)
        assert _kept(store)["documents"] == documents - 1


def test_a_new_payload_version_recomputes_every_document(tmp_path, monkeypatch):
    path = tmp_path / "study.db"
    _study(path, documents=6)
    with Store.open(path) as store:
        _assert_same(store)
        monkeypatch.setattr("store.doc_figures.PAYLOAD_VERSION", 99)
        assert _recomputed(store) == 6
        assert _recomputed(store) == 0


def test_review_list_figures_are_the_report_s_per_document_figures(tmp_path):
    path = tmp_path / "study.db"
    _study(path)
    with Store.open(path) as store:
        report, note = study_document_figures(store, LABELS, store.list_documents(), RELATIONS)
        assert note is None and report is not None
        assert report["per_document"] == _fresh(store)["per_document"]


def test_an_upgraded_file_keeps_figures_up_to_date(tmp_path):
    path = tmp_path / "v3.db"
    shutil.copyfile(MIGRATIONS / "v3.db", path)
    with Store.open(path) as store:
        store.import_items([_item(random.Random(3), n) for n in range(4)])
        _assert_same(store)
        doc = store.list_documents()[-1].id
        store.add_span(doc, "ana", 0, 4, "actor")
        assert _recomputed(store) == 1
        _assert_same(store)


@pytest.mark.skipif(not os.environ.get(POSTGRES_ENV), reason=f"needs {POSTGRES_ENV}")
def test_postgres_kept_figures_follow_another_connection():
    with fresh_postgres_database("figures") as url:
        _study(url, documents=6)
        with Store.open(url) as store, Store.open(url) as other:
            _assert_same(store)
            other.add_span(2, "ben", 0, 5, "claim")
            assert _recomputed(store) == 1
            _assert_same(store)


def test_db_check_finds_a_dropped_trigger_and_db_upgrade_makes_the_figures_whole(tmp_path):
    path = tmp_path / "study.db"
    _study(path)
    with Store.open(path) as store:
        _assert_same(store)
    with sqlite3.connect(path) as connection:  # someone's hand-run SQL, or an old tool
        connection.execute("DROP TRIGGER spans_layers_update")
        connection.execute("DROP TRIGGER documents_fts_update")
        connection.execute(
            'UPDATE spans SET "end" = "end" + 3 WHERE id = (SELECT min(id) FROM spans '
            "WHERE document_id = 4 AND annotator_id IS NOT NULL)"
        )
    with Store.open(path) as store:
        assert _recomputed(store) == 0  # unseen: the write raised no version
    check = run_factmark("--db", str(path), "db", "check")
    assert check.returncode == 1
    problems = [line for line in check.stdout.decode().splitlines() if "PROBLEM" in line]
    assert problems == [
        "PROBLEM  triggers: trigger spans_layers_update on spans is missing"
        " (factmark db upgrade puts it back)",
        "PROBLEM  triggers: trigger documents_fts_update on documents is missing"
        " (factmark db upgrade puts it back)",
    ]

    upgrade = run_factmark("--db", str(path), "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    assert "put back 2 triggers; kept figures will be counted again" in upgrade.stdout.decode()
    assert run_factmark("--db", str(path), "db", "check").returncode == 0
    with Store.open(path) as store:
        _assert_same(store)  # the unseen edit is in the figures now
        store.add_span(5, "ana", 0, 8, "claim")
        assert _recomputed(store) == 1  # and the trigger counts writes again
    again = run_factmark("--db", str(path), "db", "upgrade")
    assert "already current" in again.stdout.decode()


@pytest.mark.skipif(not os.environ.get(POSTGRES_ENV), reason=f"{POSTGRES_ENV} not set")
def test_postgres_db_check_finds_a_disabled_trigger_and_db_upgrade_enables_it():
    from sqlalchemy import create_engine, text

    with fresh_postgres_database("trig") as url:
        _study(url, documents=4)
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE spans DISABLE TRIGGER factmark_spans_layers"))
        engine.dispose()
        check = run_factmark("--db", url, "db", "check")
        assert check.returncode == 1
        assert "triggers: trigger factmark_spans_layers on spans is disabled" in (
            check.stdout.decode()
        )
        upgrade = run_factmark("--db", url, "db", "upgrade")
        assert "put back 1 trigger;" in upgrade.stdout.decode(), upgrade.stderr
        assert run_factmark("--db", url, "db", "check").returncode == 0
        with Store.open(url) as store:
            _assert_same(store)
