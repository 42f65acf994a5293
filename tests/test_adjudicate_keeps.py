"""`factmark adjudicate` keeps what annotators gave their spans: notes, attributes and entities
where they agree (the event says whose), a word on what differed; --min-agree 1 is every span."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store
from tests.conftest import run_factmark
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TEXT = "The minister said that the strike killed 40 people and destroyed the only hospital in town."
ACTOR = (0, 12, "actor")
FIGURE = (TEXT.index("40 people"), TEXT.index("40 people") + 9, "figure")
CLAIM = (23, len(TEXT) - 1, "claim")
OUTCOME = (TEXT.index("destroyed"), len(TEXT) - 1, "outcome")
SHORT_CLAIM = (OUTCOME[0], OUTCOME[1], "claim")
HOSPITAL = (TEXT.index("hospital"), TEXT.index("hospital") + 8, "actor")


def _fill(path: Path | str) -> None:
    with Store.open(path) as store:
        store.ensure_annotator("tester")
        ana = (
            SpanDraft(*ACTOR, note="health minister", attrs={"certainty": "high"}),
            SpanDraft(*FIGURE, note="check the toll", attrs={"unit": "people"}),
            SpanDraft(*CLAIM),
            SpanDraft(*OUTCOME, note="hospital hit"),
        )
        ben = (
            SpanDraft(*ACTOR, note="health minister", attrs={"certainty": "high"}),
            SpanDraft(*FIGURE, note="toll from the ministry", attrs={"unit": "people"}),
            SpanDraft(*SHORT_CLAIM),
            SpanDraft(*HOSPITAL, attrs={"kind": "place"}),
        )
        layers = (LayerDraft("ana", ana, done=True), LayerDraft("ben", ben, done=True))
        store.import_items([ImportItem(Article(text=TEXT, title="Strike"), layers)])


def _database(folder: Path) -> Path:
    path = folder / "keeps.db"
    _fill(path)
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """The study in a SQLite file, or on PostgreSQL (skipped without a server)."""
    if request.param == "sqlite":
        yield _database(tmp_path)
        return
    from tests.postgres import fresh_postgres_database

    with fresh_postgres_database("keeps") as url:
        _fill(url)
        yield url


def _gold(path: Path | str) -> dict[tuple[int, int, str], tuple[str | None, dict]]:
    with Store.open(path) as store:
        return {(s.start, s.end, s.label): (s.note, s.attrs) for s in store.spans(1, "gold")}


def test_agreed_notes_and_attributes_go_into_gold_and_differences_are_said(
    database: Path | str,
) -> None:
    path = database
    result = run_factmark("--db", str(path), "adjudicate", "--min-agree", "2")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "added 2 gold spans" in out
    assert (
        "carried 1 notes and the attributes of 2 spans; left out values annotators gave "
        "differently on 1 spans" in out
    )
    assert _gold(path) == {
        ACTOR: ("health minister", {"certainty": "high"}),
        FIGURE: (None, {"unit": "people"}),  # two different notes: neither is taken
    }
    with Store.open(path) as store:
        review = store.review_document(1)
    by_key = {(s.start, s.end, s.label): review.provenance[s.id] for s in review.gold}
    assert by_key[ACTOR].note_from == ("ana", "ben") == by_key[ACTOR].attrs_from
    assert by_key[FIGURE].left_out == ("note",) and by_key[FIGURE].note_from == ()


def test_min_agree_one_puts_in_every_span_once(tmp_path: Path) -> None:
    path = _database(tmp_path)
    result = run_factmark("--db", str(path), "adjudicate", "--min-agree", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    # 7 spans drawn, 2 of them by both: 6 distinct, all in gold; the two claims rival each other.
    assert "added 6 gold spans (auto, in 1 documents); already in gold 0" in out
    assert "left for review: 0 disagreeing" in out
    assert "2 of the added rival another annotator's version" in out
    gold = _gold(path)
    assert set(gold) == {ACTOR, FIGURE, CLAIM, SHORT_CLAIM, OUTCOME, HOSPITAL}
    assert gold[OUTCOME] == ("hospital hit", {}) and gold[HOSPITAL] == (None, {"kind": "place"})
    again = run_factmark("--db", str(path), "adjudicate", "--min-agree", "1").stdout.decode()
    assert "added 0 gold spans" in again and "already in gold 6" in again


def test_accepting_a_version_already_in_gold_takes_only_what_gold_lacks(tmp_path: Path) -> None:
    from review.adjudication import Carried

    path = _database(tmp_path)
    with Store.open(path) as store:
        reviewer = "tester"  # the study's first user: its admin
        # Gold already holds both spans, the figure with a note of its own and no attributes.
        store.add_gold_span(1, *ACTOR, reviewer=reviewer)
        figure = store.add_gold_span(1, *FIGURE, reviewer=reviewer)
        store.set_note(figure.id, "gold", "toll as published", actor=reviewer)
        taken = Carried(
            note="health minister",
            attrs={"certainty": "high"},
            note_from=("ana", "ben"),
            attrs_from=("ana", "ben"),
        )
        store.accept_span(
            1, *ACTOR, reviewer=reviewer, from_annotators=("ana", "ben"), carried=taken
        )
        other = Carried(
            note="check the toll", attrs={"unit": "people"}, note_from=("ana",), attrs_from=("ana",)
        )
        store.accept_span(1, *FIGURE, reviewer=reviewer, from_annotators=("ana",), carried=other)
        assert _gold(path) == {
            ACTOR: ("health minister", {"certainty": "high"}),
            FIGURE: ("toll as published", {"unit": "people"}),  # gold's own note stays
        }
        review = store.review_document(1)
        said = {(s.start, s.end, s.label): review.provenance[s.id] for s in review.gold}
        assert said[ACTOR].note_from == ("ana", "ben") and said[ACTOR].attrs_from == ("ana", "ben")
        assert said[FIGURE].note_from == () and said[FIGURE].attrs_from == ("ana",)
        # Taking them again changes nothing and logs nothing.
        store.accept_span(1, *FIGURE, reviewer=reviewer, from_annotators=("ana",), carried=other)
        # Each taking is one undoable step of the gold layer.
        undone = store.undo(1, "gold", actor=reviewer)
        assert undone == f"undid values taken by figure {FIGURE[0]}-{FIGURE[1]}"
        assert _gold(path)[FIGURE] == ("toll as published", {})
        store.undo(1, "gold", actor=reviewer)
        assert _gold(path)[ACTOR] == (None, {})
        store.redo(1, "gold", actor=reviewer)
        assert _gold(path)[ACTOR] == ("health minister", {"certainty": "high"})
