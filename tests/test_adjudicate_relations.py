"""`factmark adjudicate --min-agree K` and links: a relation K annotators drew between spans that
are (then) in gold goes into gold; a reviewer's rejection keeps it out; undo brings it back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import Store
from tests.conftest import run_factmark
from vocabulary.records import Article, ImportItem, LayerDraft, RelationDraft, SpanDraft

TEXT = "Hamas said 34,535 Palestinians were killed in Gaza, officials in Cairo said on Monday."
ACTOR, FIGURE, SHORT_FIGURE = (0, 5, "actor"), (11, 30, "figure"), (11, 17, "figure")


def _linked(name: str, figure: tuple[int, int, str], done: bool = True) -> LayerDraft:
    spans = (SpanDraft(*ACTOR, local_id="a"), SpanDraft(*figure, local_id="f"))
    return LayerDraft(name, spans, (RelationDraft("f", "a", "source"),), done=done)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """ana and ben link the figure to Hamas alike; cy links a shorter figure; dee is not done."""
    path = tmp_path / "links.db"
    with Store.open(path) as store:
        store.ensure_annotator("tester")
        layers = (
            _linked("ana", FIGURE),
            _linked("ben", FIGURE),
            _linked("cy", SHORT_FIGURE),
            _linked("dee", SHORT_FIGURE, done=False),
        )
        store.import_items([ImportItem(Article(text=TEXT, title="one"), layers)])
    return path


def _gold_links(store: Store) -> list[tuple[tuple[int, int, str], tuple[int, int, str], str]]:
    spans = {s.id: (s.start, s.end, s.label) for s in store.spans(1, "gold")}
    return [(spans[r.head_id], spans[r.child_id], r.label) for r in store.relations(1, "gold")]


def test_min_agree_two_links_the_gold_spans(db: Path) -> None:
    result = run_factmark("--db", str(db), "adjudicate", "--min-agree", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("adjudicated 1 documents: added 2 gold spans")
    assert lines[1] == (
        "linked 1 relations in gold (auto); already in gold 0; left out: 0 rejected by a "
        "reviewer, 0 with an end not in gold"
    )
    with Store.open(db) as store:
        assert _gold_links(store) == [(FIGURE, ACTOR, "source")]
        [event] = [e for e in store.events(1) if e.kind == "relation_add" and e.layer == "gold"]
        assert (event.actor, event.payload["from"]) == ("tester", ["ana", "ben"])
    again = run_factmark("--db", str(db), "adjudicate", "--min-agree", "2").stdout.decode()
    assert "linked 0 relations in gold (auto); already in gold 1" in again
    out = db.parent / "gold.jsonl"
    assert (
        run_factmark("--db", str(db), "export", "--format", "jsonl", "-o", str(out)).returncode == 0
    )
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ids = {span["id"]: (span["start"], span["end"], span["label"]) for span in record["spans"]}
    [relation] = record["relations"]
    assert (ids[relation["head"]], ids[relation["child"]], relation["label"]) == (
        FIGURE,
        ACTOR,
        "source",
    )


def test_a_link_whose_end_is_not_gold_is_left_out(db: Path) -> None:
    # After K=2 put the long figure in gold, K=1 links nothing more: cy's short figure rivals
    # that gold figure, so it stays out, and so does its link.
    assert run_factmark("--db", str(db), "adjudicate", "--min-agree", "2").returncode == 0
    result = run_factmark("--db", str(db), "adjudicate", "--min-agree", "1")
    assert result.returncode == 0, result.stderr
    assert "linked 0 relations in gold (auto); already in gold 1" in result.stdout.decode()
    assert "1 with an end not in gold" in result.stdout.decode()


def test_min_agree_one_alone_puts_both_rival_figures_and_their_links_in(db: Path) -> None:
    # K=1 is every span: both figures (rivals) go in, flagged, and so does each one's link.
    first = run_factmark("--db", str(db), "adjudicate", "--min-agree", "1").stdout.decode()
    assert "added 3 gold spans" in first and "2 of the added rival" in first
    assert "linked 2 relations" in first and "0 with an end not in gold" in first
    with Store.open(db) as store:
        assert sorted(_gold_links(store)) == [
            (SHORT_FIGURE, ACTOR, "source"),
            (FIGURE, ACTOR, "source"),
        ]


def test_a_rejected_link_stays_out_until_the_rejection_is_undone(db: Path) -> None:
    assert run_factmark("--db", str(db), "adjudicate", "--min-agree", "2").returncode == 0
    with Store.open(db, user="tester") as store:
        assert store.reject_relations(1, [(FIGURE, ACTOR, "source")]) == 2  # decided + removed
        assert _gold_links(store) == []
        decided = store.review_document(1).relation_decisions
        assert [(d.head, d.child, d.label, d.reviewer) for d in decided] == [
            (FIGURE, ACTOR, "source", "tester")
        ]
    again = run_factmark("--db", str(db), "adjudicate", "--min-agree", "2").stdout.decode()
    assert "linked 0 relations" in again and "left out: 1 rejected by a reviewer" in again
    with Store.open(db, user="tester") as store:
        assert store.undo_gold(1) == "undid reject link source figure 11-30 → actor 0-5"
        assert _gold_links(store) == [(FIGURE, ACTOR, "source")]
        assert store.review_document(1).relation_decisions == []
        assert store.redo_gold(1) is not None
        assert _gold_links(store) == []
        assert len(store.review_document(1).relation_decisions) == 1


def test_adjudicated_documents_keep_their_links_as_they_are(db: Path) -> None:
    with Store.open(db, user="tester") as store:
        store.set_adjudicated(1)
    result = run_factmark("--db", str(db), "adjudicate", "--min-agree", "2").stdout.decode()
    assert "linked 0 relations" in result
    with Store.open(db) as store:
        assert _gold_links(store) == []


def test_links_on_postgresql(tmp_path: Path) -> None:
    """Agreement's relation read, auto-adjudicated links and a rejection on a PostgreSQL URL."""
    from tests.postgres import fresh_postgres_database

    with fresh_postgres_database("links") as url:
        with Store.open(url) as store:
            store.ensure_annotator("tester")
            layers = (_linked("ana", FIGURE), _linked("ben", FIGURE), _linked("cy", SHORT_FIGURE))
            store.import_items([ImportItem(Article(text=TEXT, title="one"), layers)])
        report = run_factmark("--db", url, "agreement", "--json", "--annotators", "ana,cy")
        assert report.returncode == 0, report.stderr
        pair = json.loads(report.stdout)["relation_f1"]["pairs"]["ana|cy"]
        assert (pair["strict"]["micro"]["f1"], pair["overlap"]["micro"]["f1"]) == (0.0, 1.0)
        result = run_factmark("--db", url, "adjudicate", "--min-agree", "2")
        assert result.returncode == 0, result.stderr
        assert "linked 1 relations in gold (auto)" in result.stdout.decode()
        with Store.open(url, user="tester") as store:
            assert _gold_links(store) == [(FIGURE, ACTOR, "source")]
            assert store.reject_relations(1, [(FIGURE, ACTOR, "source")]) == 2
            assert _gold_links(store) == []
            assert store.undo_gold(1) is not None and len(_gold_links(store)) == 1
