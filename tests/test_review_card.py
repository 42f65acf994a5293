"""`factmark export --format jsonl --source gold --card CARD.md`: the data card it writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from exporters.data_card import CardFacts, CardTally, LabelEntry, PersonEntry, md, render_card
from store import Store
from tests.conftest import run_factmark
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TEXTS = [
    "Hamas said 34,535 Palestinians were killed in Gaza, officials in Cairo said on Monday.",
    "Fatah agreed to talks in Cairo. The talks ended without a deal on Tuesday night.",
]


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "card.db"
    with Store.open(path) as store:
        store.ensure_annotator("tester")
        layers = (
            LayerDraft("ana", (SpanDraft(0, 5, "actor"), SpanDraft(11, 17, "figure")), done=True),
            LayerDraft("ben", (SpanDraft(0, 5, "actor"), SpanDraft(11, 30, "figure")), done=True),
        )
        items = [
            ImportItem(
                Article(
                    text=TEXTS[0],
                    title="One",
                    outlet="Wire | <b>Agency</b>",
                    published="2024-05-01",
                    extractor="text",
                    extractor_version="1.0",
                ),
                layers,
            ),
            ImportItem(
                Article(text=TEXTS[1], title="Two", outlet="Daily", extractor="html"),
                (LayerDraft("ana", (SpanDraft(0, 5, "actor"),), done=True),),
            ),
        ]
        store.import_items(items)
        store.accept_span(1, 11, 30, "figure", reviewer="tester", from_annotators=["ben"])
        store.add_gold_span(2, 32, 41, "outcome", reviewer="tester")
    return path


def test_export_writes_the_card_with_every_section(tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert run_factmark("--db", str(db), "adjudicate", "--min-agree", "2").returncode == 0
    with Store.open(db) as store:
        store.set_adjudicated(1, reviewer="tester")
    out, card = tmp_path / "gold.jsonl", tmp_path / "CARD.md"
    result = run_factmark(
        "--db",
        str(db),
        "export",
        "--format",
        "jsonl",
        "--source",
        "gold",
        "-o",
        str(out),
        "--card",
        str(card),
    )
    assert result.returncode == 0, result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    text = card.read_text(encoding="utf-8")
    for heading in (
        "# Dataset Card for",
        "### Dataset Summary",
        "### Source Data",
        "### Data Fields",
        "##### How the gold layer was made",
        "#### Who are the annotators?",
        "#### Agreement",
    ):
        assert heading in text
    assert (
        "| documents | 2 |" in text and "| documents marked adjudicated by a reviewer | 1 |" in text
    )
    assert r"Wire \| \<b\>Agency\</b\>" in text  # outlet escaped, never markup
    assert "| text 1.0 | 1 |" in text and "Published: 2024-05-01 to 2024-05-01" in text
    actor_row = next(line for line in text.splitlines() if line.startswith("| `actor` | Who"))
    assert actor_row.endswith("| 1 |")  # one gold actor span (auto)
    assert "| `auto` |" in text and "| `accepted` |" in text and "| `added` |" in text
    assert "| ana | annotator | 2 | 3 |" in text and "| tester | admin | 0 | 0 |" in text
    assert "Between ana, ben, over the 1 document at" in text
    assert "Krippendorff's α, characters" in text
    assert "| relation F1 strict, mean over pairs | — |" in text  # nobody linked: undefined


def test_card_without_agreement_and_bad_card_paths(tmp_path: Path) -> None:
    db = tmp_path / "lonely.db"
    with Store.open(db) as store:
        store.import_items(
            [ImportItem(Article(text=TEXTS[0]), (LayerDraft("ana", (), done=True),))]
        )
    card = tmp_path / "card.md"
    base = ("--db", str(db), "export", "--format", "jsonl", "-o", str(tmp_path / "x.jsonl"))
    assert run_factmark(*base, "--card", str(card)).returncode == 0
    assert "Not computed: fewer than two annotators marked documents done." in card.read_text()
    for bad, message in (
        ("-", "--card needs a file path"),
        (str(tmp_path / "missing" / "c.md"), "does not exist"),
        (str(tmp_path / "x.jsonl"), "the same path as the export"),
    ):
        result = run_factmark(*base, "--card", bad)
        assert result.returncode == 2 and message in result.stderr.decode()


def test_render_card_escapes_untrusted_values() -> None:
    assert md("a|b [x](javascript:1) *y* `z`\x1b[31m\nnext") == (
        r"a\|b \[x\](javascript:1) \*y\* \`z\`\[31m next"
    )
    tally = CardTally()
    facts = CardFacts(
        title="[desk](http://x)",
        source="gold",
        export_format="jsonl",
        generated_at=datetime(2024, 5, 1, tzinfo=UTC),
        tool_version="1",
        labels=[LabelEntry("claim", "A <claim>")],
        people=[PersonEntry("e|ve", "annotator", 1, 2)],
        adjudicated=0,
        agreement=None,
        agreement_note="Not computed: none.",
    )
    card = render_card(tally, facts)
    assert r"# Dataset Card for \[desk\](http://x)" in card
    assert r"A \<claim\>" in card and r"| e\|ve |" in card
    assert "How the gold layer was made" not in card  # no gold spans exported
