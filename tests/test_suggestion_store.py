"""The store's side of suggestions: accepting makes a span with origin suggested:<rule>, both
answers are events and are remembered per annotator; a version-2 file gains the table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import Session, create_engine

from store import SCHEMA_VERSION, PermissionDenied, Store, StoreError
from store.migrations import prepare_schema
from tests.test_review_migration import _version_1_file
from tests.test_tui_support import make_store

TEXT = "According to Gaza's Ministry of Health, 34,535 Palestinians have been killed."


def test_accept_makes_a_suggested_span_and_reject_is_remembered_per_annotator(tmp_path):
    store, path = make_store(tmp_path, [("Toll", TEXT)])
    span = store.accept_suggestion(1, "alice", 40, 59, "figure", "number")
    assert (span.text, span.label, span.origin) == (
        "34,535 Palestinians",
        "figure",
        "suggested:number",
    )
    store.reject_suggestion(1, "alice", 13, 38, "actor", "org")
    decisions = store.suggestion_decisions(1, "alice")
    assert [(d.start, d.end, d.label, d.rule, d.decision) for d in decisions] == [
        (13, 38, "actor", "org", "rejected"),
        (40, 59, "figure", "number", "accepted"),
    ]
    assert store.suggestion_decisions(1, "bob") == []  # another annotator's answers are theirs
    kinds = [event.kind for event in store.events(1)]
    assert kinds[-3:] == ["span_add", "suggestion_accept", "suggestion_reject"]
    # Undo takes the accepted span back (its span_add is the last edit).
    store.undo(1, "alice")
    assert store.spans(1, "alice") == []
    # Changing one's mind: a rejected suggestion accepted later is one decision, updated.
    store.accept_suggestion(1, "alice", 13, 38, "actor", "org")
    assert {d.decision for d in store.suggestion_decisions(1, "alice") if d.start == 13} == {
        "accepted"
    }
    store.close()


def test_accepting_many_at_once_is_one_transaction_and_one_undo_step(tmp_path):
    store, path = make_store(tmp_path, [("Toll", TEXT)])
    first = store.add_span(1, "alice", 40, 46, "figure")  # "34,535" drawn by hand already
    answers = [(40, 59, "figure", "number"), (40, 46, "figure", "number"), (70, 999, "claim", "x")]
    with pytest.raises(ValueError):  # one outside the text: nothing of the batch is kept
        store.accept_suggestions(1, "alice", answers)
    assert [s.id for s in store.spans(1, "alice")] == [first.id]
    assert store.suggestion_decisions(1, "alice") == []
    spans = store.accept_suggestions(1, "alice", answers[:2])
    assert [s.text for s in spans] == ["34,535 Palestinians", "34,535"]
    assert spans[1].id == first.id  # an identical span stands for its suggestion
    assert [d.decision for d in store.suggestion_decisions(1, "alice")] == ["accepted"] * 2
    assert store.events(1)[-1].kind == "spans_add"
    made = spans[0]
    assert store.undo(1, "alice") == "undid add 1 figure span"
    assert [s.id for s in store.spans(1, "alice")] == [first.id]
    assert store.redo(1, "alice") == "redid add 1 figure span"
    assert {s.id for s in store.spans(1, "alice")} == {first.id, made.id}  # the same ids back
    store.close()


def test_bad_answers_are_refused(tmp_path):
    store, _ = make_store(tmp_path, [("Toll", TEXT)])
    store.reject_suggestion(1, "alice", 0, 9, "actor", "subject")  # alice: the first, an admin
    with pytest.raises(ValueError):
        store.accept_suggestion(1, "alice", 0, 5, "figure", "a rule with spaces")
    with pytest.raises(ValueError):
        store.reject_suggestion(1, "alice", 0, 5000, "figure", "number")
    with pytest.raises(StoreError):
        store.reject_suggestion(1, "gold", 0, 5, "figure", "number")
    store.close()
    with Store.open(tmp_path / "factmark.db", user="carol") as carol:
        carol.spans(1, "carol")
        with pytest.raises(PermissionDenied):
            carol.reject_suggestion(1, "alice", 0, 5, "figure", "number")


def test_a_version_2_file_gains_the_suggestion_decisions_table(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    _version_1_file(path)
    engine = create_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        assert prepare_schema(session, str(path), target=2) == 2
        session.commit()
    engine.dispose()
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "assignments" in tables and "suggestion_decisions" not in tables
    with Store.open(path) as store:
        store.reject_suggestion(1, "ben", 0, 3, "actor", "subject")
        [decision] = store.suggestion_decisions(1, "ben")
        assert (decision.decision, decision.rule) == ("rejected", "subject")
        assert [(s.start, s.end) for s in store.spans(1, "gold")] == [(11, 17)]  # data intact
    with sqlite3.connect(path) as connection:
        version = connection.execute(
            "SELECT value FROM factmark_meta WHERE key = 'schema_version'"
        ).fetchone()[0]
    assert int(version) == SCHEMA_VERSION


def test_suggested_origins_import_and_the_spec_shape_is_checked():
    from vocabulary.names import is_span_origin

    assert is_span_origin("suggested:number") and is_span_origin("manual")
    assert not is_span_origin("suggested:") and not is_span_origin("suggested:x y")
    assert not is_span_origin("suggested:" + "r" * 11)
