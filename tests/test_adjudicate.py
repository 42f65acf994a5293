"""`factmark adjudicate --min-agree K` and `Store.auto_adjudicate`: what goes into gold, and that
running it again never duplicates or overrides a reviewer's decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import Store
from tests.conftest import run_factmark
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TEXTS = [
    "Hamas said 34,535 Palestinians were killed in Gaza, officials in Cairo said on Monday.",
    "Fatah agreed to talks in Cairo. The talks ended without a deal on Tuesday night.",
    "The ceasefire held for a third day, officials said, as aid trucks entered Rafah.",
]


def _layer(name: str, *spans: tuple[int, int, str], done: bool = True) -> LayerDraft:
    return LayerDraft(name, tuple(SpanDraft(*span) for span in spans), done=done)


def _gold(store: Store, doc_id: int) -> list[tuple[int, int, str, str | None]]:
    return [(s.start, s.end, s.label, s.gold_source) for s in store.spans(doc_id, "gold")]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """tester (admin, the CLI's user) and three annotators: doc 1 has agreement and a rivalry,
    doc 2 a span only one marked, doc 3 one annotator not done."""
    path = tmp_path / "adj.db"
    with Store.open(path) as store:
        store.ensure_annotator("tester")
        items = [
            ImportItem(
                Article(text=TEXTS[0], title="one"),
                (
                    _layer("ana", (0, 5, "actor"), (11, 30, "figure"), (46, 50, "actor")),
                    _layer("ben", (0, 5, "actor"), (11, 30, "figure"), (46, 52, "actor")),
                    _layer("cy", (0, 5, "actor"), (11, 17, "figure")),
                ),
            ),
            ImportItem(
                Article(text=TEXTS[1], title="two"),
                (_layer("ana", (0, 5, "actor")), _layer("ben"), _layer("cy")),
            ),
            ImportItem(
                Article(text=TEXTS[2], title="three"),
                (
                    _layer("ana", (4, 13, "outcome")),
                    _layer("ben", (4, 13, "outcome")),
                    _layer("cy", (4, 13, "outcome"), done=False),
                ),
            ),
        ]
        store.import_items(items)
    return path


def test_min_agree_two_fills_gold_and_reports(db: Path) -> None:
    result = run_factmark("--db", str(db), "adjudicate", "--min-agree", "2")
    assert result.returncode == 0, result.stderr
    line = result.stdout.decode().strip()
    assert line.startswith("adjudicated 3 documents: added 3 gold spans (auto, in 2 documents)")
    with Store.open(db) as store:
        assert _gold(store, 1) == [(0, 5, "actor", "auto"), (11, 30, "figure", "auto")]
        assert _gold(store, 2) == []
        assert _gold(store, 3) == [(4, 13, "outcome", "auto")]  # cy not done: two is enough
        added = [e for e in store.events(1) if e.kind == "span_add" and e.layer == "gold"]
        assert [e.payload["from"] for e in added] == [["ana", "ben", "cy"], ["ana", "ben"]]
        assert {e.actor for e in added} == {"tester"}
        tester = next(a for a in store.annotators() if a.name == "tester")
        assert {s.reviewer_id for s in store.spans(1, "gold")} == {tester.id}


def test_rerunning_never_duplicates_or_overrides_a_reviewer(db: Path) -> None:
    assert run_factmark("--db", str(db), "adjudicate", "--min-agree", "2").returncode == 0
    with Store.open(db) as store:
        [actor, figure] = store.spans(1, "gold")
        store.reject_spans(1, [(0, 5, "actor")], reviewer="tester")  # removes the auto span
        store.edit_gold_span(figure.id, 11, 17, reviewer="tester")
        store.set_adjudicated(3, reviewer="tester")
        store.reject_spans(3, [(4, 13, "outcome")], reviewer="tester")
    again = run_factmark("--db", str(db), "adjudicate", "--min-agree", "2")
    assert again.returncode == 0, again.stderr
    summary = again.stdout.decode()
    assert "added 0 gold spans" in summary and "skipped 1 adjudicated" in summary
    with Store.open(db) as store:
        assert _gold(store, 1) == [(11, 17, "figure", "edited")]
        assert _gold(store, 3) == []
    # K=1 asks for every span: doc 2's lone span and doc 1's rival pair (46-50 / 46-52, each
    # drawn by one annotator) go in, the pair flagged for review; doc 1's decided spans stay out.
    lenient = run_factmark("--db", str(db), "adjudicate", "--min-agree", "1").stdout.decode()
    assert "added 3 gold spans (auto, in 2 documents); already in gold 1" in lenient
    assert "left for review: 0 disagreeing, 2 decided by a reviewer" in lenient
    assert "2 of the added rival another annotator's version" in lenient
    with Store.open(db) as store:
        assert _gold(store, 1) == [
            (11, 17, "figure", "edited"),
            (46, 50, "actor", "auto"),
            (46, 52, "actor", "auto"),
        ]
        assert _gold(store, 2) == [(0, 5, "actor", "auto")]


def test_min_agree_one_and_document_subsets(db: Path) -> None:
    only_two = run_factmark("--db", str(db), "adjudicate", "--min-agree", "1", "--documents", "2")
    assert only_two.returncode == 0, only_two.stderr
    assert only_two.stdout.decode().startswith("adjudicated 1 documents: added 1 gold spans")
    with Store.open(db) as store:
        assert _gold(store, 2) == [(0, 5, "actor", "auto")]
        assert _gold(store, 1) == []
    three = run_factmark("--db", str(db), "adjudicate", "--min-agree", "3")
    assert "added 1 gold spans" in three.stdout.decode()  # only doc 1's actor: all three agree


@pytest.mark.parametrize(
    "args,message",
    [
        (("--min-agree", "0"), "--min-agree must be at least 1"),
        (("--min-agree", "2", "--documents", "9"), "no document 9"),
        (("--min-agree", "x"), "invalid int value"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(db: Path, args, message) -> None:
    result = run_factmark("--db", str(db), "adjudicate", *args)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_annotators_are_refused(db: Path) -> None:
    result = run_factmark("--db", str(db), "--annotator", "ana", "adjudicate", "--min-agree", "2")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "factmark: ana is an annotator: only reviewers and admins can adjudicate documents\n"
    )
    with Store.open(db) as store:
        assert all(store.spans(doc, "gold") == [] for doc in (1, 2, 3))


def test_export_gold_after_adjudication(db: Path, tmp_path: Path) -> None:
    run_factmark("--db", str(db), "adjudicate", "--min-agree", "2")
    out = tmp_path / "gold.jsonl"
    result = run_factmark("--db", str(db), "export", "--format", "jsonl", "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [len(record["spans"]) for record in records] == [2, 1]
