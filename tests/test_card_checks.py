"""The data card's section on the fact-check desk: checks per status and verdict, evidence per
check, and who signed off; counted by the store from a real file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cli.demo import build_demo_database
from exporters.data_card import CardFacts, CardTally, DeskFacts, render_card
from store import Store
from store.desk_info import CheckTally
from tests.conftest import run_factmark
from tests.postgres import fresh_postgres_database
from vocabulary.checks import DEFAULT_RATINGS, DEFAULT_STATUSES
from vocabulary.records import Article, ImportItem

RATINGS = tuple(rating.name for rating in DEFAULT_RATINGS)


def _facts(desk: DeskFacts | None) -> CardFacts:
    return CardFacts(
        title="desk",
        source="gold",
        export_format="jsonl",
        generated_at=datetime(2024, 5, 1, tzinfo=UTC),
        tool_version="1",
        labels=[],
        people=[],
        adjudicated=0,
        agreement=None,
        desk=desk,
    )


def _section(card: str) -> str:
    return card[card.index("## Fact checks") :]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        with Store.open(tmp_path / "t.db") as opened:
            yield opened
        return
    with fresh_postgres_database(request.node.name) as url, Store.open(url) as opened:
        yield opened


def test_the_store_counts_the_desk(store: Store) -> None:
    text = "The minister said taxes fell. The mayor said crime rose. The chief said so."
    store.ensure_annotator("ed", "admin")
    store.ensure_annotator("ann")
    store.ensure_annotator("rev", "reviewer")
    store.import_items([ImportItem(Article(text=text, title="T"), (), None, "t")])
    spans = [store.add_span(1, "ann", s, e, "claim") for s, e in ((18, 28), (45, 55))]
    taxes = store.create_check(spans[0].id, user="ann").uid
    store.create_check(spans[1].id, user="ann")
    for draft in ({"url": "https://a.example.org/1"}, {"url": "https://b.example.org/2"}):
        store.add_evidence(taxes, draft, user="ann")
    store.set_check_field(taxes, "rating", "False", expected=None, user="ann")
    store.set_check_field(taxes, "status", "published", expected="new", user="rev")
    assert store.check_tally() == CheckTally(
        statuses={"published": 1, "new": 1},
        ratings={"False": 1, None: 1},
        evidence=(2, 0),
        signed_off={"rev": 1},
    )
    # Taken back from published, a check counts for nobody's sign-off.
    store.set_check_field(taxes, "status", "in review", expected="published", user="rev")
    assert store.check_tally().signed_off == {}


def test_the_demos_card_has_the_desk(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    build_demo_database(db, "tester").close()
    card = tmp_path / "CARD.md"
    out = tmp_path / "gold.jsonl"
    result = run_factmark(
        "--db", str(db), "export", "--format", "jsonl", "-o", str(out), "--card", str(card)
    )
    assert result.returncode == 0, result.stderr
    section = _section(card.read_text(encoding="utf-8"))
    assert section.startswith("## Fact checks\n\n6 checks on the desk")
    for row in (
        "| new | 1 |",
        "| researching | 1 |",
        "| in review | 1 |",
        "| published | 2 |",
        "| not checkable | 1 |",
        "| True | 2 |",
        "| Mostly false | 1 |",
        "| Half true | 0 |",
        "| (no verdict yet) | 3 |",
        "| carol | 2 |",
    ):
        assert row in section, row
    # Evidence per check in the demo: 2, 2, 1, 1, 0, 0.
    assert "Evidence per check: mean 1.00, median 1 (fewest 0, most 2; 6 items in all)." in section


def test_render_the_desk_in_the_configured_order_escaped() -> None:
    tally = CheckTally(
        statuses={"published": 3, "new": 1, "legacy": 2},
        ratings={"False": 2, "Pants|on fire": 1, None: 3},
        evidence=(0, 1, 1, 4, 2, 5),
        signed_off={"r*b": 2, "ann": 3},
    )
    card = render_card(CardTally(), _facts(DeskFacts(tally, DEFAULT_STATUSES, RATINGS)))
    section = _section(card)
    statuses = [line for line in section.splitlines() if line.startswith("| ")][1:7]
    assert statuses == [
        "| new | 1 |",
        "| researching | 0 |",
        "| in review | 0 |",
        "| published | 3 |",
        "| not checkable | 0 |",
        "| legacy (not configured) | 2 |",
    ]
    assert r"| Pants\|on fire (not configured) | 1 |" in section
    assert "median 1.5 (fewest 0, most 5; 13 items in all)" in section
    assert section.index("| ann | 3 |") < section.index(r"| r\*b | 2 |")  # most first


def test_a_desk_without_checks_and_a_card_without_the_desk() -> None:
    empty = CheckTally(statuses={}, ratings={}, evidence=(), signed_off={})
    card = render_card(CardTally(), _facts(DeskFacts(empty, DEFAULT_STATUSES, RATINGS)))
    assert "## Fact checks\n\nNone yet.\n" in card
    unpublished = CheckTally(statuses={"new": 1}, ratings={None: 1}, evidence=(0,), signed_off={})
    card = render_card(CardTally(), _facts(DeskFacts(unpublished, DEFAULT_STATUSES, RATINGS)))
    assert "No check is published yet" in card
    assert "## Fact checks" not in render_card(CardTally(), _facts(None))
