"""The store's review API on real SQLite files: gold decisions with provenance in the event log,
undo/redo of each, the review read, adjudicated marks, and role checks on every gold write."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import PermissionDenied, Store, StoreError
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TEXT = "Hamas said 34,535 Palestinians were killed in Gaza, officials in Cairo said on Monday."


def _keys(spans) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in spans]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database whose first user `boss` is admin, `rev` a reviewer, ana/ben annotators who
    marked document 1 done with these spans."""
    path = tmp_path / "review.db"
    with Store.open(path) as store:
        store.ensure_annotator("boss")
        store.set_role("rev", "reviewer", actor="boss")
        layers = (
            LayerDraft("ana", (SpanDraft(0, 5, "actor"), SpanDraft(11, 30, "figure")), done=True),
            LayerDraft("ben", (SpanDraft(0, 5, "actor"), SpanDraft(11, 17, "figure")), done=True),
        )
        store.import_items([ImportItem(article=Article(text=TEXT, title="T"), layers=layers)])
    return path


def test_accept_records_source_reviewer_and_whose_version(db: Path) -> None:
    with Store.open(db) as store:
        span = store.accept_span(1, 11, 17, "figure", reviewer="rev", from_annotators=["ben"])
        rev = next(a for a in store.annotators() if a.name == "rev")
        assert (span.layer, span.gold_source, span.reviewer_id) == ("gold", "accepted", rev.id)
        event = store.events(1)[-1]
        assert (event.kind, event.actor, event.layer) == ("span_add", "rev", "gold")
        assert event.payload["from"] == ["ben"]
        review = store.review_document(1)
        provenance = review.provenance[span.id]
        assert (provenance.source, provenance.reviewer, provenance.from_annotators) == (
            "accepted",
            "rev",
            ("ben",),
        )


def test_accepting_another_version_replaces_and_one_undo_restores(db: Path) -> None:
    with Store.open(db) as store:
        first = store.accept_span(1, 11, 17, "figure", reviewer="rev", from_annotators=["ben"])
        store.accept_span(
            1, 11, 30, "figure", reviewer="rev", from_annotators=["ana"], replace=[first.id]
        )
        assert _keys(store.spans(1, "gold")) == [(11, 30, "figure")]
        assert store.undo_gold(1, reviewer="rev") == "undid add figure 11-30"
    with Store.open(db) as again:  # what survives a new connection
        restored = again.spans(1, "gold")
        assert _keys(restored) == [(11, 17, "figure")] and restored[0].id == first.id
        assert again.redo_gold(1, reviewer="rev") == "redid add figure 11-30"
        assert _keys(again.spans(1, "gold")) == [(11, 30, "figure")]


def test_auto_adjudication_adds_each_span_as_its_own_undoable_event(db: Path) -> None:
    with Store.open(db) as store:
        summary = store.auto_adjudicate(2, reviewer="rev")
        assert summary.added == 1
        (span,) = store.spans(1, "gold")
        assert (span.start, span.end, span.label, span.gold_source) == (0, 5, "actor", "auto")
        event = store.events(1)[-1]
        assert (event.kind, event.actor, event.layer, event.span_id) == (
            "span_add",
            "rev",
            "gold",
            span.id,
        )
        assert event.payload["from"] == ["ana", "ben"]
        assert event.payload["span"]["id"] == span.id
        assert store.review_document(1).provenance[span.id].source == "auto"
        assert store.undo_gold(1, reviewer="rev") == "undid add actor 0-5"
        assert store.spans(1, "gold") == []
        assert store.redo_gold(1, reviewer="rev") == "redid add actor 0-5"
        assert [s.id for s in store.spans(1, "gold")] == [span.id]
        assert store.auto_adjudicate(2, reviewer="rev").added == 0  # already in gold


def test_reject_removes_gold_records_decisions_and_undoes(db: Path) -> None:
    with Store.open(db) as store:
        store.accept_span(1, 0, 5, "actor", reviewer="rev")
        assert store.reject_spans(1, [(0, 5, "actor")], reviewer="rev") == 2  # decided + removed
        assert store.spans(1, "gold") == []
        [decision] = store.review_document(1).decisions
        assert (decision.start, decision.end, decision.label, decision.decision) == (
            0,
            5,
            "actor",
            "rejected",
        )
        assert decision.reviewer == "rev"
        assert store.reject_spans(1, [(0, 5, "actor")], reviewer="rev") == 0  # nothing new
        assert store.undo_gold(1, reviewer="rev") == "undid reject actor 0-5"
        assert _keys(store.spans(1, "gold")) == [(0, 5, "actor")]
        assert store.review_document(1).decisions == []
        store.redo_gold(1, reviewer="rev")
        assert store.spans(1, "gold") == [] and len(store.review_document(1).decisions) == 1


def test_edit_extent_marks_edited_and_records_the_old_extent(db: Path) -> None:
    with Store.open(db) as store:
        span = store.accept_span(1, 11, 17, "figure", reviewer="rev", from_annotators=["ben"])
        edited = store.edit_gold_span(span.id, 11, 30, reviewer="rev")
        assert (edited.id, edited.start, edited.end, edited.gold_source) == (
            span.id,
            11,
            30,
            "edited",
        )
        review = store.review_document(1)
        assert [(d.start, d.end, d.decision) for d in review.decisions] == [(11, 17, "edited")]
        assert review.provenance[span.id].from_annotators == ("ben",)
        assert store.undo_gold(1, reviewer="rev") == "undid edit figure 11-17 to 11-30"
        back = store.spans(1, "gold")[0]
        assert (back.start, back.end, back.gold_source) == (11, 17, "accepted")
        assert store.review_document(1).decisions == []
        with pytest.raises(ValueError, match="outside the text"):
            store.edit_gold_span(span.id, 11, 999, reviewer="rev")
        with pytest.raises(StoreError, match="not in the gold layer"):
            store.edit_gold_span(store.spans(1, "ana")[0].id, 0, 4, reviewer="rev")


def test_adjudicated_mark_is_logged_listed_and_undoable(db: Path) -> None:
    with Store.open(db) as store:
        assert store.set_adjudicated(1, reviewer="rev") is True
        assert store.set_adjudicated(1, reviewer="rev") is False  # no change, nothing logged
        status = store.review_document(1).status
        assert (status.adjudicated, status.reviewer) == (True, "rev")
        assert store.list_documents()[0].adjudicated
        assert store.review_statuses()[1].adjudicated
        assert store.undo_gold(1, reviewer="rev") == "undid mark adjudicated"
        assert not store.review_document(1).status.adjudicated


def test_review_document_reads_done_layers_and_pending_annotators(db: Path) -> None:
    with Store.open(db) as store:
        store.add_span(1, "cy", 40, 45, "actor")  # cy is working on it, not done
        store.add_gold_span(1, 60, 65, "actor", reviewer="rev")
        review = store.review_document(1)
        assert sorted(review.layers) == ["ana", "ben"]
        assert _keys(review.layers["ben"]) == [(0, 5, "actor"), (11, 17, "figure")]
        assert review.pending == ("cy",)
        assert _keys(review.gold) == [(60, 65, "actor")]
        assert review.provenance[review.gold[0].id].source == "added"


def test_annotators_cannot_write_gold_or_others_spans(db: Path) -> None:
    with Store.open(db) as store:
        with pytest.raises(PermissionDenied, match="ana is an annotator: only reviewers"):
            store.accept_span(1, 0, 5, "actor", reviewer="ana")
        for refused in (
            lambda: store.reject_spans(1, [(0, 5, "actor")], reviewer="ana"),
            lambda: store.set_adjudicated(1, reviewer="ana"),
            lambda: store.undo_gold(1, reviewer="ana"),
            lambda: store.auto_adjudicate(2, reviewer="ana"),
            lambda: store.assign(["ana", "ben"], 1, actor="ana"),
            lambda: store.check_reviewer("ana"),
        ):
            with pytest.raises(PermissionDenied):
                refused()
        assert store.spans(1, "gold") == []
    with Store.open(db, user="ana") as as_ana:
        as_ana.add_span(1, "ana", 40, 45, "actor")  # her own layer: fine
        with pytest.raises(
            PermissionDenied, match="only reviewers and admins can change ben's spans"
        ):
            as_ana.add_span(1, "ben", 40, 45, "actor")
        with pytest.raises(PermissionDenied, match="write the gold layer"):
            as_ana.add_span(1, "gold", 40, 45, "actor")
        ben_span = as_ana.spans(1, "ben")[0]
        for refused in (
            lambda: as_ana.delete_span(ben_span.id, "ben"),
            lambda: as_ana.set_note(ben_span.id, "ben", "no"),
            lambda: as_ana.set_done(1, "ben", False),
            lambda: as_ana.undo(1, "ben"),
            lambda: as_ana.import_items(
                [ImportItem(Article(text=TEXT), (LayerDraft("gold", ()),))]
            ),
            lambda: as_ana.accept_span(1, 0, 5, "actor", reviewer="rev"),  # not as someone else
        ):
            with pytest.raises(PermissionDenied):
                refused()
    with Store.open(db, user="rev") as as_rev:
        assert as_rev.add_span(1, "gold", 40, 45, "actor").reviewer_id is not None
        as_rev.delete_span(ben_span.id, "ben")  # reviewers may correct others' layers


def test_only_admins_change_roles_and_the_last_admin_stays(db: Path) -> None:
    with Store.open(db) as store:
        with pytest.raises(PermissionDenied, match="only admins"):
            store.set_role("ana", "reviewer", actor="rev")
        assert store.set_role("ana", "reviewer", actor="boss").role == "reviewer"
        assert store.role_of("ana") == "reviewer" and store.role_of("nobody") is None
        with pytest.raises(PermissionDenied, match="only admin"):
            store.set_role("boss", "annotator", actor="boss")
        store.set_role("rev", "admin", actor="boss")
        assert store.set_role("boss", "reviewer", actor="rev").role == "reviewer"
        assert any(e.kind == "role_set" and e.actor == "rev" for e in store.events())
        with pytest.raises(ValueError, match="role"):
            store.set_role("ana", "king", actor="rev")


def test_first_user_of_a_new_database_is_admin(tmp_path: Path) -> None:
    with Store.open(tmp_path / "new.db") as store:
        # Registered as admin on acting, "first" cannot then step down: nobody else is admin.
        with pytest.raises(PermissionDenied, match="first is the only admin"):
            store.set_role("first", "reviewer", actor="first")
        assert store.annotators() == []  # the refused transaction left nothing behind
    with Store.open(tmp_path / "fresh.db") as store:
        # The first person to act is registered as admin; they may then add others.
        assert store.set_role("second", "reviewer", actor="first").role == "reviewer"
        assert store.role_of("first") == "admin"
