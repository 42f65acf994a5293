"""Shared by the interchange-format tests: databases with hard annotations, and comparisons.

The annotated corpus is the seed scrapes as the text importer cleans them, plus one article of
emoji (ZWJ family, flag, skin tone) and Arabic with vowel marks. Spans are found in each text
by rule, not hand-placed: overlapping and nested spans, spans ending in emoji and in Arabic,
relations, notes and attrs, in the gold layer and in two annotators' layers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from importers.dispatch import ImportOptions, parse_input
from store import Store
from tests.conftest import SEEDS, run_factmark
from vocabulary.check_records import CheckRecord, EvidenceRecord
from vocabulary.names import GOLD_LAYER
from vocabulary.records import Article, ImportItem, LayerDraft, RelationDraft, SpanDraft

EMOJI_ARABIC = (
    "Gaza’s Ministry of Health said 34,535 Palestinians 👨‍👩‍👧‍👦 were killed. "
    "Volunteers 👍🏽 waved 🇵🇸 flags.\n\n"
    "قالَ الوزيرُ إنَّ المحادثات في القاهرة لم تُسفر عن نتائج. "
    "وأكد مصدر فلسطيني أن 14 فصيلاً وقّعوا اتفاقاً في بكين."
)
ANNOTATORS = ("alice", "bob")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_WORD = re.compile(r"\w+")


def seed_articles() -> list[Article]:
    """The seeds as the text importer cleans them, and the emoji-and-Arabic article."""
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        parsed = parse_input(path.name, path.read_bytes(), "text", ImportOptions())
        articles.extend(item.article for item in parsed.items)
    return [*articles, Article(text=EMOJI_ARABIC, title="Toll", url="https://example.org/toll")]


def layer_drafts(text: str, variant: int) -> tuple[SpanDraft, ...]:
    """Spans found by rule in `text`; `variant` shifts which sentences they come from."""
    sentences = [m for m in _SENTENCE.finditer(text) if _WORD.search(m.group())][variant:]
    spans: dict[tuple[int, int, str], SpanDraft] = {}

    def add(start: int, end: int, label: str, **extra: Any) -> None:
        if start < end and (start, end, label) not in spans:
            spans[(start, end, label)] = SpanDraft(start, end, label, **extra)

    for number, sentence in enumerate(sentences[:4]):
        start = sentence.start() + len(sentence.group()) - len(sentence.group().lstrip())
        words = list(_WORD.finditer(text, start, sentence.end()))
        add(start, sentence.end() - 1, "claim", local_id=f"c{number}", check=_check(number))
        add(
            words[0].start(),
            words[min(2, len(words) - 1)].end(),
            "actor",
            local_id=f"a{number}",
            note="who says it\tand where" if number == 0 else None,
        )
        if len(words) > 3:  # overlaps the actor without nesting in it
            add(words[1].start(), words[3].end(), "outcome", local_id=f"o{number}")
        figure = _NUMBER.search(text, start, sentence.end())
        if figure:
            add(
                figure.start(),
                sentence.end(),
                "figure",
                local_id=f"f{number}",
                attrs={"value": figure.group(), "unit": "people"},
            )
    emoji = text.find("👨‍👩‍👧‍👦")
    if emoji >= 0:
        add(emoji - 13, emoji + 7, "figure", local_id="e")  # "Palestinians 👨‍👩‍👧‍👦"
        add(text.index("🇵🇸"), text.index("🇵🇸") + 2, "actor", local_id="flag")
    return tuple(spans.values())


def _check(number: int) -> CheckRecord | None:
    """The first claim of each layer is the one appearance of a check of its own, with a
    verdict and an evidence item (as an old-style `attrs.verdict` imports)."""
    if number:
        return None
    return CheckRecord(
        uid=None,
        rating="Mostly false",
        summary="Numbers are older",
        explanation="The figure was published a year earlier.",
        evidence=(
            EvidenceRecord(
                url="https://example.org/e", title="Report", publisher="UN", stance="refutes"
            ),
        ),
    )


def relation_drafts(spans: tuple[SpanDraft, ...]) -> tuple[RelationDraft, ...]:
    ids = {span.local_id for span in spans}
    relations = []
    for number in range(4):
        if f"c{number}" in ids and f"a{number}" in ids:
            relations.append(RelationDraft(f"c{number}", f"a{number}", "said_by"))
        if f"f{number}" in ids and f"c{number}" in ids:
            relations.append(RelationDraft(f"f{number}", f"c{number}", "part_of"))
    return tuple(relations)


def annotated_items() -> list[ImportItem]:
    items = []
    for article in seed_articles():
        layers = []
        for variant, name in enumerate((GOLD_LAYER, *ANNOTATORS)):
            spans = layer_drafts(article.text, variant)
            layers.append(LayerDraft(name, spans, relation_drafts(spans)))
        items.append(ImportItem(article=article, layers=tuple(layers), source_file=article.title))
    return items


def build_database(path: Path) -> Path:
    with Store.open(path) as store:
        store.import_items(annotated_items())
    return path


def export(db: Path, fmt: str, source: str = "all", *extra: str):
    return run_factmark("--db", str(db), "export", "--format", fmt, "--source", source, *extra)


def native_records(db: Path, source: str = "all") -> list[dict[str, Any]]:
    result = export(db, "jsonl", source)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def comparable(records: list[dict[str, Any]], *, details: bool = True) -> list[tuple]:
    """What a round trip must keep, independent of span ids and of the file imported from.

    `details`: also notes and attrs (doccano has no place for them).
    """
    out = []
    for record in records:
        keys = {s["id"]: (s["start"], s["end"], s["label"]) for s in record["spans"]}
        spans = sorted(
            (s["start"], s["end"], s["label"], s["text"])
            + ((s["note"], json.dumps(s["attrs"], sort_keys=True)) if details else ())
            for s in record["spans"]
        )
        relations = sorted(
            (keys[r["head"]], keys[r["child"]], r["label"]) for r in record["relations"]
        )
        meta = {k: v for k, v in record["meta"].items() if k != "source_file"}
        out.append((record["id"], record["_annotator_id"], record["text"], spans, relations, meta))
    return out
