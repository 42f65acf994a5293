"""The Store API on real SQLite files: import, layers, edits, undo/redo, relations, export, log."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest

import store.chunks as chunks
from store import Store, StoreError
from tests.postgres import fresh_postgres_database
from vocabulary.names import GOLD_LAYER
from vocabulary.records import Article, ImportItem, LayerDraft, RelationDraft, SpanDraft
from vocabulary.text import text_sha256

CAIRO = "Hamas and Fatah met in Cairo. The minister said 40 people died."


def _item(
    text: str = CAIRO,
    layers: tuple[LayerDraft, ...] = (),
    source: str = "cairo.txt",
    raw: bytes | None = None,
) -> ImportItem:
    return ImportItem(Article(text=text, title="Talks", outlet="Wire"), layers, raw, source)


def _spans(*triples: tuple[int, int, str]) -> tuple[SpanDraft, ...]:
    return tuple(SpanDraft(start, end, label) for start, end, label in triples)


def _keys(spans) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in spans]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "factmark.db"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(backend: str, db_path: Path, request: pytest.FixtureRequest):
    """The same API tests on a SQLite file and, where a server is configured, on PostgreSQL."""
    if backend == "sqlite":
        with Store.open(db_path) as opened:
            yield opened
        return
    with fresh_postgres_database(request.node.name) as url, Store.open(url) as opened:
        yield opened


@pytest.fixture
def doc(store: Store) -> int:
    return store.import_items([_item()])[0].document_id


# -- import ------------------------------------------------------------------------------------


def test_import_dedupes_documents_and_identical_spans(store: Store) -> None:
    first = _item(layers=(LayerDraft("ana", _spans((0, 5, "actor"), (10, 15, "actor"))),))
    again = _item(
        layers=(LayerDraft("ana", _spans((0, 5, "actor"), (0, 5, "claim"), (0, 5, "claim"))),),
        source="copy.html",
    )
    outcomes = store.import_items([first])
    outcomes += store.import_items([again])
    assert [(o.created, o.spans_added) for o in outcomes] == [(True, 2), (False, 1)]
    assert outcomes[0].document_id == outcomes[1].document_id
    assert store.document_count() == 1
    doc_id = outcomes[0].document_id
    assert _keys(store.spans(doc_id, "ana")) == [
        (0, 5, "actor"),
        (0, 5, "claim"),
        (10, 15, "actor"),
    ]
    assert [s.text for s in store.spans(doc_id, "ana")] == ["Hamas", "Hamas", "Fatah"]
    assert store.document(doc_id).source_file == "cairo.txt"  # the first import's provenance


def test_import_stores_document_fields_and_compressed_raw(
    store: Store, db_path: Path, backend: str
) -> None:
    raw = b"<html><body>" + CAIRO.encode() * 50 + b"</body></html>"
    doc_id = store.import_items([_item(raw=raw)])[0].document_id
    info = store.document(doc_id)
    assert info.text == CAIRO
    assert info.text_sha256 == text_sha256(CAIRO)
    assert info.ext_id == "d-" + text_sha256(CAIRO)[:16]
    assert (info.title, info.outlet) == ("Talks", "Wire")
    assert info.imported_at.tzinfo is not None
    assert store.raw_source(doc_id) == raw
    if backend != "sqlite":
        return
    with sqlite3.connect(db_path) as connection:
        stored = connection.execute("SELECT raw_zlib FROM documents").fetchone()[0]
    assert len(stored) < len(raw) and zlib.decompress(stored) == raw


def test_import_is_all_or_nothing(store: Store) -> None:
    good = _item(text="A good article.", source="good.txt")
    bad = _item(layers=(LayerDraft("ana", _spans((5, 500, "claim"))),), source="bad.jsonl")
    with pytest.raises(ValueError, match=r"bad\.jsonl.*5-500"):
        store.import_items([good, bad])
    assert store.document_count() == 0
    assert store.annotators() == []


@pytest.mark.parametrize(
    ("layer", "problem"),
    [
        (LayerDraft("ana", _spans((3, 3, "actor"))), "outside the text or empty"),
        (LayerDraft("ana", _spans((-1, 3, "actor"))), "outside the text or empty"),
        (LayerDraft("ana", (SpanDraft(0, 5, "actor", origin="guess"),)), "origin"),
        (LayerDraft("all", _spans((0, 5, "actor"))), "reserved"),
        (LayerDraft("ana", relations=(RelationDraft("x", "y", "said_by"),)), "unknown span id"),
    ],
)
def test_import_rejects_bad_layers(store: Store, layer: LayerDraft, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        store.import_items([_item(layers=(layer,))])
    assert store.document_count() == 0


def test_import_rejects_text_that_is_not_nfc(store: Store) -> None:
    with pytest.raises(ValueError, match="NFC"):
        store.import_items([_item(text="Cafe\u0301 owner spoke.")])


def test_import_relations_and_done_marks(store: Store) -> None:
    layer = LayerDraft(
        "ana",
        (SpanDraft(0, 5, "actor", local_id="a"), SpanDraft(30, 63, "claim", local_id="c")),
        (RelationDraft("c", "a", "said_by"),),
        done=True,
    )
    doc_id = store.import_items([_item(layers=(layer, LayerDraft("ben", done=False)))])[
        0
    ].document_id
    spans = store.spans(doc_id, "ana")
    [relation] = store.relations(doc_id, "ana")
    assert (relation.head_id, relation.child_id) == (spans[1].id, spans[0].id)
    assert store.is_done(doc_id, "ana") and not store.is_done(doc_id, "ben")
    store.import_items([_item(layers=(layer,))])  # the same relation is not added twice
    assert len(store.relations(doc_id, "ana")) == 1


# -- annotators and gold -------------------------------------------------------------------------


def test_first_annotator_is_admin_and_existing_ones_are_unchanged(store: Store) -> None:
    assert store.ensure_annotator("ana").role == "admin"
    assert store.ensure_annotator("ben", role="reviewer").role == "reviewer"
    assert store.ensure_annotator("ana", role="reviewer").role == "admin"
    assert [a.name for a in store.annotators()] == ["ana", "ben"]
    for bad in ("gold", "all", "", " ana", "a\x1bb"):
        with pytest.raises(ValueError):
            store.ensure_annotator(bad)
    with pytest.raises(ValueError, match="role"):
        store.ensure_annotator("cy", role="boss")


def test_gold_layer_is_separate_from_annotators(store: Store, doc: int) -> None:
    store.add_span(doc, "ana", 0, 5, "actor")
    gold = store.add_span(doc, GOLD_LAYER, 0, 5, "actor", actor="rev", gold_source="accepted")
    assert gold.layer == "gold" and gold.gold_source == "accepted"
    rev = next(a for a in store.annotators() if a.name == "rev")
    assert gold.reviewer_id == rev.id
    assert _keys(store.spans(doc, "gold")) == [(0, 5, "actor")]
    assert "gold" not in [a.name for a in store.annotators()]
    with pytest.raises(StoreError, match="gold"):
        store.set_done(doc, GOLD_LAYER)
    with pytest.raises(ValueError, match="gold_source"):
        store.add_span(doc, "ana", 0, 5, "claim", gold_source="auto")
    with pytest.raises(StoreError, match="not in layer"):
        store.delete_span(gold.id, "ana")
    assert store.events(doc)[-1].actor == "rev"


# -- spans -----------------------------------------------------------------------------------------


def test_add_span_validates_and_does_not_duplicate(store: Store, doc: int) -> None:
    first = store.add_span(doc, "ana", 10, 15, "actor", note="party", attrs={"entity": {"id": "q"}})
    assert (first.text, first.note, first.attrs, first.origin) == (
        "Fatah",
        "party",
        {"entity": {"id": "q"}},
        "manual",
    )
    assert store.add_span(doc, "ana", 10, 15, "actor").id == first.id
    assert len(store.spans(doc, "ana")) == 1
    with pytest.raises(ValueError, match="outside"):
        store.add_span(doc, "ana", 60, len(CAIRO) + 1, "claim")
    with pytest.raises(ValueError, match="label"):
        store.add_span(doc, "ana", 0, 5, "")
    with pytest.raises(StoreError, match="no document 999"):
        store.add_span(999, "ana", 0, 5, "actor")


def test_spans_are_sorted_and_layers_are_apart(store: Store, doc: int) -> None:
    for start, end, label in [(30, 63, "claim"), (0, 5, "actor"), (0, 5, "claim"), (0, 3, "x")]:
        store.add_span(doc, "ana", start, end, label)
    store.add_span(doc, "ben", 10, 15, "actor")
    assert _keys(store.spans(doc, "ana")) == [
        (0, 3, "x"),
        (0, 5, "actor"),
        (0, 5, "claim"),
        (30, 63, "claim"),
    ]
    assert _keys(store.spans(doc, "ben")) == [(10, 15, "actor")]
    assert store.spans(doc, "nobody") == []


def test_notes_are_cleaned_of_control_characters(store: Store, doc: int) -> None:
    span = store.add_span(doc, "ana", 0, 5, "actor")
    assert (
        store.set_note(span.id, "ana", "line one\nline\x1b[31m two").note
        == "line one\nline[31m two"
    )
    assert store.set_note(span.id, "ana", "").note is None


def test_delete_span_refuses_other_layers(store: Store, doc: int) -> None:
    span = store.add_span(doc, "ana", 0, 5, "actor")
    with pytest.raises(StoreError, match=f"span {span.id} is not in layer ben"):
        store.delete_span(span.id, "ben")
    with pytest.raises(StoreError, match="no span 4242"):
        store.delete_span(4242, "ana")
    assert store.delete_span(span.id, "ana").text == "Hamas"
    assert store.spans(doc, "ana") == []


# -- undo / redo ---------------------------------------------------------------------------------


def test_undo_redo_sequence_survives_reopening(db_path: Path) -> None:
    with Store.open(db_path) as first:
        doc = first.import_items([_item()])[0].document_id
        actor = first.add_span(doc, "ana", 0, 5, "actor")
        claim = first.add_span(doc, "ana", 30, 63, "claim")
        first.set_note(claim.id, "ana", "check the toll")
        first.delete_span(actor.id, "ana")
        assert first.undo(doc, "ana") == "undid delete actor 0-5"
    with Store.open(db_path) as second:
        restored = second.spans(doc, "ana")
        assert [s.id for s in restored] == [actor.id, claim.id]  # original ids come back
        assert second.undo(doc, "ana") == "undid note on claim 30-63"
        assert second.spans(doc, "ana")[1].note is None
        assert second.undo(doc, "ana") == "undid add claim 30-63"
    with Store.open(db_path) as third:
        assert _keys(third.spans(doc, "ana")) == [(0, 5, "actor")]
        assert third.redo(doc, "ana") == "redid add claim 30-63"
        assert third.redo(doc, "ana") == "redid note on claim 30-63"
        assert third.spans(doc, "ana")[1].note == "check the toll"
        assert third.spans(doc, "ana")[1].id == claim.id
        assert third.redo(doc, "ana") == "redid delete actor 0-5"
        assert third.redo(doc, "ana") is None
        assert _keys(third.spans(doc, "ana")) == [(30, 63, "claim")]


def test_new_edit_after_undo_clears_redo(store: Store, doc: int) -> None:
    store.add_span(doc, "ana", 0, 5, "actor")
    store.add_span(doc, "ana", 10, 15, "actor")
    store.undo(doc, "ana")
    store.add_span(doc, "ana", 23, 28, "actor")
    assert store.redo(doc, "ana") is None
    assert store.undo(doc, "ana") == "undid add actor 23-28"
    assert store.undo(doc, "ana") == "undid add actor 0-5"
    assert store.undo(doc, "ana") is None
    assert store.spans(doc, "ana") == []


def test_undo_is_per_document_and_layer(store: Store, doc: int) -> None:
    other = store.import_items([_item(text="Another article entirely.", source="b")])[0]
    store.add_span(doc, "ana", 0, 5, "actor")
    store.add_span(doc, "ben", 10, 15, "actor")
    store.add_span(other.document_id, "ana", 0, 7, "actor")
    assert store.undo(doc, "ana") == "undid add actor 0-5"
    assert _keys(store.spans(doc, "ben")) == [(10, 15, "actor")]
    assert len(store.spans(other.document_id, "ana")) == 1
    assert store.undo(doc, "nobody") is None
    assert store.undo(doc, GOLD_LAYER) is None


def test_imported_spans_are_not_undoable(store: Store) -> None:
    doc = store.import_items([_item(layers=(LayerDraft("ana", _spans((0, 5, "actor"))),))])[0]
    assert store.undo(doc.document_id, "ana") is None
    assert len(store.spans(doc.document_id, "ana")) == 1


def test_undo_of_delete_restores_its_relations(store: Store, doc: int) -> None:
    actor = store.add_span(doc, "ana", 0, 5, "actor")
    claim = store.add_span(doc, "ana", 30, 63, "claim")
    relation = store.add_relation(doc, "ana", claim.id, actor.id, "said_by")
    store.delete_span(actor.id, "ana")
    assert store.relations(doc, "ana") == []
    store.undo(doc, "ana")
    assert store.relations(doc, "ana") == [relation]
    assert store.undo(doc, "ana") == "undid add relation said_by"
    assert store.relations(doc, "ana") == []
    assert store.redo(doc, "ana") == "redid add relation said_by"
    assert store.relations(doc, "ana") == [relation]


def test_undo_of_add_takes_relations_along_and_redo_brings_them_back(store: Store) -> None:
    # An import may hang a relation on a span the annotator added by hand.
    doc = store.import_items([_item()])[0].document_id
    store.add_span(doc, "ana", 0, 5, "actor")
    layer = LayerDraft(
        "ana",
        (SpanDraft(0, 5, "actor", local_id="a"), SpanDraft(30, 63, "claim", local_id="c")),
        (RelationDraft("c", "a", "said_by"),),
    )
    store.import_items([_item(layers=(layer,))])
    [relation] = store.relations(doc, "ana")
    store.undo(doc, "ana")
    assert store.relations(doc, "ana") == []
    store.redo(doc, "ana")
    assert store.relations(doc, "ana") == [relation]


# -- relations -----------------------------------------------------------------------------------


def test_a_span_made_with_its_link_is_one_step_and_one_transaction(store: Store, doc: int) -> None:
    claim = store.add_span(doc, "ana", 30, 63, "claim")
    span, relation = store.add_linked_span(
        doc, "ana", 0, 5, "actor", claim.id, "said_by", new_is_head=False
    )
    assert (relation.head_id, relation.child_id, relation.label) == (claim.id, span.id, "said_by")
    assert store.spans(doc, "ana") == [span, claim]
    (event,) = [e for e in store.events(doc) if e.span_id == span.id]
    assert event.kind == "span_add" and event.payload["relations"][0]["id"] == relation.id
    assert store.undo(doc, "ana") == "undid add actor 0-5 with its said_by link"
    assert store.relations(doc, "ana") == [] and store.spans(doc, "ana") == [claim]
    assert store.redo(doc, "ana") == "redid add actor 0-5 with its said_by link"
    assert store.relations(doc, "ana") == [relation] and store.spans(doc, "ana") == [span, claim]
    # The span already there: only the link is added, and logged on its own.
    other = store.add_span(doc, "ana", 10, 15, "claim")
    again, link = store.add_linked_span(
        doc, "ana", 0, 5, "actor", other.id, "said_by", new_is_head=False
    )
    assert again == span and store.events(doc)[-1].kind == "relation_add"
    assert store.relations(doc, "ana") == [relation, link]
    # A link to a span of another layer fails whole: no span is left behind.
    bob_claim = store.add_span(doc, "bob", 30, 63, "claim")
    with pytest.raises(StoreError):
        store.add_linked_span(
            doc, "ana", 20, 25, "actor", bob_claim.id, "said_by", new_is_head=False
        )
    assert [s.start for s in store.spans(doc, "ana")] == [0, 10, 30]


def test_relations_stay_within_one_document_and_layer(store: Store, doc: int) -> None:
    actor = store.add_span(doc, "ana", 0, 5, "actor")
    claim = store.add_span(doc, "ana", 30, 63, "claim")
    elsewhere = store.add_span(doc, "ben", 10, 15, "actor")
    relation = store.add_relation(doc, "ana", claim.id, actor.id, "said_by")
    assert (relation.layer, relation.label) == ("ana", "said_by")
    assert store.add_relation(doc, "ana", claim.id, actor.id, "said_by") == relation
    with pytest.raises(StoreError, match="not in layer ana"):
        store.add_relation(doc, "ana", claim.id, elsewhere.id, "said_by")
    with pytest.raises(ValueError, match="two different spans"):
        store.add_relation(doc, "ana", claim.id, claim.id, "said_by")
    assert store.delete_relation(relation.id, "ana") == relation
    assert store.relations(doc, "ana") == []
    with pytest.raises(StoreError, match="no relation"):
        store.delete_relation(relation.id, "ana")


# -- done marks ------------------------------------------------------------------------------------


def test_done_marks_and_next_unfinished_wraps_around(store: Store) -> None:
    ids = [
        o.document_id
        for o in store.import_items(
            [_item(text=f"Article number {n}.", source=str(n)) for n in range(4)]
        )
    ]
    assert store.next_unfinished("ana") == ids[0]
    store.set_done(ids[0], "ana")
    store.set_done(ids[2], "ana")
    assert store.is_done(ids[0], "ana") and not store.is_done(ids[1], "ana")
    assert store.next_unfinished("ana") == ids[1]
    assert store.next_unfinished("ana", after=ids[1]) == ids[3]
    assert store.next_unfinished("ana", after=ids[3]) == ids[1]  # wraps around
    store.set_done(ids[1], "ana")
    store.set_done(ids[3], "ana")
    assert store.next_unfinished("ana", after=ids[0]) is None
    store.set_done(ids[2], "ana", done=False)
    assert store.next_unfinished("ana", after=ids[3]) == ids[2]
    assert store.next_unfinished("ben", after=ids[3]) == ids[0]  # nobody else is affected


# -- listing, finding, export, events --------------------------------------------------------------


def test_list_documents_reports_progress(store: Store, doc: int) -> None:
    other = store.import_items([_item(text="Second article.", source="2")])[0].document_id
    store.add_span(doc, "ana", 0, 5, "actor")
    store.add_span(doc, "ana", 10, 15, "actor")
    store.add_span(doc, GOLD_LAYER, 0, 5, "actor")
    store.set_done(doc, "ben")
    summaries = store.list_documents()
    assert [s.id for s in summaries] == [doc, other]
    first = summaries[0]
    assert (first.length, first.title, first.outlet, first.gold_spans) == (
        len(CAIRO),
        "Talks",
        "Wire",
        1,
    )
    assert {name: (p.spans, p.done) for name, p in first.progress.items()} == {
        "ana": (2, False),
        "ben": (0, True),
    }
    assert summaries[1].progress == {}


def test_find_document_by_number_ext_id_and_prefix(store: Store) -> None:
    texts = [f"Report {n} on the talks." for n in range(40)]
    outcomes = store.import_items([_item(text=t, source=t) for t in texts])
    info = store.document(outcomes[5].document_id)
    assert store.find_document(str(info.id)) == info
    assert store.find_document(info.ext_id) == info
    assert store.find_document(info.ext_id[:8].upper().replace("D-", "d-")) == info
    by_first_digit: dict[str, int] = {}
    for text in texts:
        by_first_digit[text_sha256(text)[0]] = by_first_digit.get(text_sha256(text)[0], 0) + 1
    shared = next(digit for digit, count in by_first_digit.items() if count > 1)
    with pytest.raises(StoreError, match="ambiguous"):
        store.find_document("d-" + shared)
    with pytest.raises(StoreError, match="no document"):
        store.find_document("d-ffffffffffffffff0")
    with pytest.raises(StoreError, match="not a document id"):
        store.find_document("cairo")
    with pytest.raises(StoreError, match="no document 999"):
        store.find_document("999")


def test_iter_export_gold_name_and_all(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "EXPORT_CHUNK", 2)  # several chunks from five documents
    ids = [
        o.document_id
        for o in store.import_items(
            [_item(text=f"Story {n} about Cairo.", source=str(n)) for n in range(5)]
        )
    ]
    store.add_span(ids[0], "ana", 0, 5, "actor")
    store.add_span(ids[0], "ben", 0, 5, "claim")
    store.add_span(ids[3], GOLD_LAYER, 0, 5, "actor")
    store.set_done(ids[4], "ana")
    actor = store.add_span(ids[1], "ben", 0, 5, "actor")
    claim = store.add_span(ids[1], "ben", 6, 7, "claim")
    store.add_relation(ids[1], "ben", claim.id, actor.id, "said_by")

    gold = list(store.iter_export("gold"))
    assert [(r.document.id, r.layer, r.done) for r in gold] == [(ids[3], "gold", False)]
    ana = list(store.iter_export("ana"))
    assert [(r.document.id, len(r.spans), r.done) for r in ana] == [
        (ids[0], 1, False),
        (ids[4], 0, True),
    ]
    everything = [(r.document.id, r.layer) for r in store.iter_export("all")]
    assert everything == [
        (ids[0], "ana"),
        (ids[0], "ben"),
        (ids[1], "ben"),
        (ids[3], "gold"),
        (ids[4], "ana"),
    ]
    ben_on_1 = next(r for r in store.iter_export("ben") if r.document.id == ids[1])
    assert [s.text for s in ben_on_1.spans] == ["Story", "1"]
    assert [(x.head_id, x.child_id) for x in ben_on_1.relations] == [(claim.id, actor.id)]
    with pytest.raises(StoreError, match="no annotator named 'zed'"):
        store.iter_export("zed")


def test_events_log_every_write_with_its_actor(store: Store, doc: int) -> None:
    span = store.add_span(doc, "ana", 0, 5, "actor")
    store.set_note(span.id, "ana", "n")
    store.set_done(doc, "ana")
    store.undo(doc, "ana")
    store.delete_span(span.id, "ana", actor="ben")
    kinds = [(e.kind, e.actor) for e in store.events(doc)]
    assert kinds == [
        ("document_import", None),
        ("span_add", "ana"),
        ("span_note", "ana"),
        ("done", "ana"),
        ("undo", "ana"),
        ("span_delete", "ben"),
    ]
    assert [e.kind for e in store.events(doc, limit=2)] == ["undo", "span_delete"]
    assert store.events()[0].kind == "document_import"
    assert any(e.kind == "annotator_add" and e.payload["name"] == "ana" for e in store.events())
    assert all(e.at.tzinfo is not None for e in store.events())


def test_export_lines_are_assembled_by_sqlite_only(store: Store, backend: str, doc: int) -> None:
    store.add_span(doc, "ana", 0, 5, "actor")
    lines = store.iter_export_lines("all")
    if backend == "sqlite":
        assert [line.document_id for line in lines] == [doc]
    else:  # PostgreSQL: the caller exports through iter_export
        assert lines is None


def test_done_layers_hold_the_spans_of_annotators_who_finished(store: Store) -> None:
    ids = [
        o.document_id
        for o in store.import_items([_item(text=f"Story {n} in Cairo.") for n in range(3)])
    ]
    for doc in ids:
        for name, label in (("ana", "actor"), ("ben", "claim"), ("cy", "actor")):
            store.add_span(doc, name, 0, 5, label)
            store.add_span(doc, name, 6, 7, "figure")
    for doc, names in ((ids[0], ("ana", "ben", "cy")), (ids[1], ("ana",)), (ids[2], ("ben", "cy"))):
        for name in names:
            store.set_done(doc, name)
    store.add_span(ids[2], "ana", 0, 2, "outcome")  # ana did not finish: not counted
    found = {d.document_id: d.layers for d in store.iter_done_layers(["ana", "ben", "cy"])}
    assert sorted(found) == [ids[0], ids[2]]
    assert sorted(found[ids[0]]) == ["ana", "ben", "cy"]
    assert sorted(found[ids[2]]) == ["ben", "cy"]
    assert sorted(found[ids[0]]["ben"]) == [(0, 5, "claim"), (6, 7, "figure")]
    only_two = {d.document_id for d in store.iter_done_layers(["ana", "cy"])}
    assert only_two == {ids[0]}


def test_nan_and_infinity_are_refused_before_they_break_exports(store: Store, doc: int) -> None:
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match=r"attrs cannot be stored as JSON \(NaN and Inf"):
            store.add_span(doc, "ana", 0, 5, "figure", attrs={"value": bad})
    meta = Article(text="A story with an odd meta value.", meta={"ratio": float("-inf")})
    with pytest.raises(ValueError, match="meta cannot be stored as JSON"):
        store.import_items([ImportItem(meta)])
    assert store.spans(doc, "ana") == []


def test_one_batch_dedupes_within_itself_and_logs_each_change_once(store: Store) -> None:
    def layer(name: str, *keys: tuple[int, int, str], done: bool = True) -> LayerDraft:
        spans = tuple(SpanDraft(s, e, lab, local_id=f"{s}-{lab}") for s, e, lab in keys)
        said_by = (RelationDraft(spans[-1].local_id, spans[0].local_id, "said_by"),)
        return LayerDraft(name, spans, said_by if len(spans) > 1 else (), done)

    stored = store.import_items([_item(layers=(layer("ana", (0, 5, "actor"), done=False),))])
    doc = stored[0].document_id
    batch = [
        _item(text="Another story entirely.", layers=(layer("gold", (0, 7, "actor")),)),
        _item(layers=(layer("ana", (0, 5, "actor"), (16, 33, "claim")),), source="again.txt"),
        _item(layers=(layer("ana", (0, 5, "actor"), (16, 33, "claim")),), source="third.txt"),
        _item(text="Another story entirely.", layers=(layer("ben", (8, 13, "claim")),)),
    ]
    outcomes = store.import_items(batch)
    assert [(o.created, o.spans_added) for o in outcomes] == [
        (True, 1),
        (False, 1),
        (False, 0),
        (False, 1),
    ]
    other = outcomes[0].document_id
    assert outcomes[3].document_id == other and outcomes[1].document_id == doc
    assert _keys(store.spans(doc, "ana")) == [(0, 5, "actor"), (16, 33, "claim")]
    relations = store.relations(doc, "ana")
    assert [(r.label) for r in relations] == ["said_by"]  # the third item's is the same one
    assert store.is_done(doc, "ana") and store.is_done(other, "ben")
    kinds = [(e.kind, e.layer) for e in store.events(doc)]
    assert kinds == [
        ("document_import", None),
        ("spans_import", "ana"),
        ("done", "ana"),
        ("spans_import", "ana"),
    ]
    assert [e.payload for e in store.events(doc) if e.kind == "spans_import"][-1] == {
        "spans": 1,
        "relations": 1,
    }
    assert [(e.kind, e.layer) for e in store.events(other)] == [
        ("document_import", None),
        ("spans_import", "gold"),
        ("done", "ben"),
        ("spans_import", "ben"),
    ]


def test_queue_position_counts_the_annotators_queue(store: Store) -> None:
    ids = [o.document_id for o in store.import_items([_item(text=f"Story {n}.") for n in range(5)])]
    store.set_role("boss", "admin", actor="boss")  # the first admin names themself
    store.set_done(ids[1], "ana")
    assert store.queue_position(ids[2], "ana") == (3, 5, 1)
    assert store.queue_position(ids[0], "nobody") == (1, 5, 0)
    store.assign(["ana"], 1, documents=[ids[3], ids[1]], actor="boss")
    assert store.queue_position(ids[3], "ana") == (2, 2, 1)  # her assignments only, in id order
    assert store.queue_position(ids[2], "ana") == (0, 2, 1)  # opened from outside her queue


def test_auto_adjudication_on_every_backend(store: Store) -> None:
    layers = tuple(
        LayerDraft(name, _spans((0, 5, "actor"), (10, 15, "actor"), (16, 20, label)))
        for name, label in (("ana", "claim"), ("ben", "figure"))
    )
    store.set_role("boss", "admin", actor="boss")  # the first admin names themself
    doc = store.import_items([_item(layers=layers)])[0].document_id
    summary = store.auto_adjudicate(2, reviewer="boss")
    assert summary.added == 2  # the claim/figure label disagreement is left for review
    assert _keys(store.spans(doc, "gold")) == [(0, 5, "actor"), (10, 15, "actor")]
    assert store.undo_gold(doc, reviewer="boss") == "undid add actor 10-15"
    assert _keys(store.spans(doc, "gold")) == [(0, 5, "actor")]


def test_export_tally_counts_records_documents_and_spans(store: Store) -> None:
    layers = (
        LayerDraft("ana", _spans((0, 5, "actor"), (6, 10, "claim"))),
        LayerDraft(GOLD_LAYER, _spans((0, 5, "actor"))),
    )
    store.import_items([_item(layers=layers), _item(text="Just a story.", source="b.txt")])
    whole = store.export_tally("all")
    assert (whole.documents, whole.spans) == (1, 3)
    assert whole.layers == {"ana": 1, GOLD_LAYER: 1}
    assert whole.labels == {"actor": 2, "claim": 1} and whole.gold_sources == {None: 1}
    assert whole.characters == len(CAIRO) and whole.outlets == ["Wire"]
    ana = store.export_tally("ana")
    assert (ana.spans, ana.layers, ana.gold_sources) == (2, {"ana": 1}, {})
