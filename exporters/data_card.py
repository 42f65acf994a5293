"""A data card (Markdown) for an exported dataset: where the documents come from, what the labels
mean, who annotated, how well they agreed, how the gold layer was made, counts per label, and the
fact-check desk (checks per status and verdict, evidence per check, who signed off).

Pure: `CardTally` holds the counts (the store counts them, `Store.export_tally`); `render_card`
turns the tally and the facts the caller gathers into Markdown. Names, outlets and
descriptions come from users and imported files, so every one is escaped before it meets Markdown.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from store.desk_info import CheckTally
from store.info import ExportTally
from vocabulary.text import strip_controls

UNDEFINED = "—"
GOLD_SOURCE_MEANINGS = {
    "auto": "put in by `factmark adjudicate`: enough annotators marked exactly this span",
    "accepted": "a reviewer accepted an annotator's version as it was",
    "edited": "a reviewer accepted a version with changed boundaries",
    "added": "a reviewer added it; no annotator's version stands behind it",
    "imported": "came in with an imported gold layer",
}
# Inline Markdown and HTML: values only ever sit mid-line or in table cells.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


@dataclass
class CardTally:
    """The counts a card shows about the exported documents and spans."""

    documents: int = 0
    characters: int = 0
    spans: int = 0
    layers: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    extractors: Counter[str] = field(default_factory=Counter)
    published: list[str] = field(default_factory=list)
    imported: list[datetime] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    gold_sources: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, tally: ExportTally) -> CardTally:
        """The card's counts from the store's: unknown outlets, extractors and gold sources
        get the names the card shows for them."""
        extractors = (" ".join(part for part in pair if part) for pair in tally.extractors)
        return cls(
            documents=tally.documents,
            characters=tally.characters,
            spans=tally.spans,
            layers=Counter(tally.layers),
            outlets=Counter(outlet or "(unknown)" for outlet in tally.outlets),
            extractors=Counter(name or "(not recorded)" for name in extractors),
            published=list(tally.published),
            imported=list(tally.imported),
            labels=Counter(tally.labels),
            gold_sources=Counter(
                {source or "imported": count for source, count in tally.gold_sources.items()}
            ),
        )


@dataclass(frozen=True)
class LabelEntry:
    """A label of the configured set and its one-line definition."""

    name: str
    description: str


@dataclass(frozen=True)
class PersonEntry:
    """An annotator with their role and work: documents marked done, spans marked."""

    name: str
    role: str
    done: int
    spans: int


@dataclass(frozen=True)
class DeskFacts:
    """The fact-check desk: the store's counts, and the configured order of the statuses and
    the rating scale (the card lists them in that order)."""

    tally: CheckTally
    statuses: Sequence[str]
    ratings: Sequence[str]


@dataclass(frozen=True)
class CardFacts:
    """What the card says beyond the tally, gathered by the caller."""

    title: str
    source: str  # the exported layer: gold, an annotator, or all
    export_format: str
    generated_at: datetime
    tool_version: str
    labels: Sequence[LabelEntry]
    people: Sequence[PersonEntry]
    adjudicated: int  # documents a reviewer marked adjudicated
    agreement: dict[str, Any] | None  # agreement_report's dictionary
    agreement_note: str | None = None  # why there are no figures, when there are none
    desk: DeskFacts | None = None  # the checks; None: not counted (no section)


def render_card(tally: CardTally, facts: CardFacts) -> str:
    """The data card as Markdown."""
    sections = [
        _heading(facts),
        _contents(tally, facts),
        _provenance(tally),
        _labels(tally, facts),
        _gold(tally, facts),
        _people(facts),
        _agreement(facts),
        _desk(facts.desk),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def md(value: object) -> str:
    """Untrusted text as literal Markdown: one line, no control characters, specials escaped."""
    flat = " ".join(strip_controls(str(value)).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def _table(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headings) + " |", "|" + "|".join("---" for _ in headings) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _figure(value: float | None) -> str:
    return UNDEFINED if value is None else f"{value:.3f}"


def _heading(facts: CardFacts) -> str:
    return (
        f"# Data card: {md(facts.title)}\n\n"
        f"Written by factmark {md(facts.tool_version)} on "
        f"{facts.generated_at.strftime('%Y-%m-%d %H:%M UTC')}, with the export "
        f"(format `{md(facts.export_format)}`, source layer `{md(facts.source)}`)."
    )


def _contents(tally: CardTally, facts: CardFacts) -> str:
    rows = [
        ("documents", f"{tally.documents:,}"),
        ("characters", f"{tally.characters:,}"),
        ("spans", f"{tally.spans:,}"),
        ("documents marked adjudicated by a reviewer", f"{facts.adjudicated:,}"),
    ]
    if facts.source == "all":
        rows += [(f"layer {md(name)}", f"{n:,} documents") for name, n in _sorted(tally.layers)]
    return "## Contents\n\n" + _table(("", "count"), rows)


def _provenance(tally: CardTally) -> str:
    parts = ["## Provenance of the documents"]
    parts.append(_table(("outlet", "documents"), _counted(tally.outlets)))
    parts.append(_table(("text extractor", "documents"), _counted(tally.extractors)))
    dated = sorted(tally.published)
    published = f"{md(dated[0])} to {md(dated[-1])}" if dated else "not recorded"
    undated = tally.documents - len(dated)
    parts.append(
        f"Published: {published}"
        + (f" ({_count(undated, 'document')} without a date)." if undated and dated else ".")
    )
    if tally.imported:
        first, last = min(tally.imported), max(tally.imported)
        parts.append(f"Imported into factmark: {first:%Y-%m-%d} to {last:%Y-%m-%d}.")
    return "\n\n".join(parts)


def _labels(tally: CardTally, facts: CardFacts) -> str:
    known = {label.name for label in facts.labels}
    rows = [
        (f"`{md(label.name)}`", md(label.description) or UNDEFINED, f"{tally.labels[label.name]:,}")
        for label in facts.labels
    ]
    rows += [
        (f"`{md(name)}`", "(not in the configured label set)", f"{count:,}")
        for name, count in _sorted(tally.labels)
        if name not in known
    ]
    return "## Labels and counts\n\n" + _table(("label", "definition", "spans"), rows)


def _gold(tally: CardTally, facts: CardFacts) -> str:
    if not tally.gold_sources:
        return ""
    rows = [
        (f"`{source}`", GOLD_SOURCE_MEANINGS.get(source, ""), f"{tally.gold_sources[source]:,}")
        for source in GOLD_SOURCE_MEANINGS
        if tally.gold_sources[source]
    ]
    intro = (
        "How each gold span got there (every decision, with its reviewer, is in factmark's "
        "event log):"
    )
    return (
        "## How the gold layer was made\n\n"
        + intro
        + "\n\n"
        + _table(("source", "meaning", "spans"), rows)
    )


def _people(facts: CardFacts) -> str:
    if not facts.people:
        return "## Annotators\n\nNone recorded."
    rows = [
        (md(person.name), person.role, f"{person.done:,}", f"{person.spans:,}")
        for person in facts.people
    ]
    return "## Annotators\n\n" + _table(("name", "role", "documents done", "spans"), rows)


def _agreement(facts: CardFacts) -> str:
    report = facts.agreement
    if report is None:
        return "## Agreement\n\n" + md(facts.agreement_note or "Not computed.")
    names = ", ".join(md(name) for name in report["annotators"])
    character, token = report["character"], report["token"]
    means = report["span_f1"]["mean_over_pairs"]
    unitizing = report["unitizing_alpha"]["mean_over_documents"]
    rows = [
        ("Krippendorff's α, characters", _figure(character["krippendorff_alpha"])),
        ("Krippendorff's α, tokens", _figure(token["krippendorff_alpha"])),
        ("Fleiss' κ, characters", _figure(character["fleiss_kappa"])),
        ("Cohen's κ, characters, pair mean", _figure(character["cohen_kappa_mean_over_pairs"])),
        ("unitizing α_U, mean over documents", _figure(unitizing)),
        ("span F1 strict, mean over pairs", _figure(means["strict_micro_f1"])),
        ("span F1 overlap, mean over pairs", _figure(means["overlap_micro_f1"])),
    ]
    if "relation_f1" in report:
        links = report["relation_f1"]["mean_over_pairs"]
        rows.append(("relation F1 strict, mean over pairs", _figure(links["strict_micro_f1"])))
        rows.append(("relation F1 overlap, mean over pairs", _figure(links["overlap_micro_f1"])))
    per_label = [
        (f"`{md(label)}`", _figure(figures["krippendorff_alpha"]))
        for label, figures in report["character"]["per_label"].items()
    ]
    return (
        f"## Agreement\n\nBetween {names}, over the {_count(report['documents'], 'document')} at "
        f"least two of them marked done (definitions: factmark's agreement.md; "
        f"{UNDEFINED} = undefined).\n\n"
        + _table(("figure", "value"), rows)
        + "\n\n"
        + _table(("label", "Krippendorff's α, characters in or out"), per_label)
    )


NO_VERDICT = "(no verdict yet)"


def _desk(desk: DeskFacts | None) -> str:
    if desk is None:
        return ""
    tally = desk.tally
    if not tally.checks:
        return "## Fact checks\n\nNone yet."
    parts = [
        f"## Fact checks\n\n{_count(tally.checks, 'check')} on the desk: every check in the "
        "database, whichever layer was exported (factmark's event log holds each one's history).",
        _table(("status", "checks"), _in_order(tally.statuses, desk.statuses)),
        _table(("verdict", "checks"), _verdict_rows(tally.ratings, desk.ratings)),
        _evidence_line(tally.evidence),
    ]
    if tally.signed_off:
        rows = [(md(name), f"{count:,}") for name, count in _sorted(Counter(tally.signed_off))]
        parts.append(
            "Signed off (the reviewer who published each check that is published now):\n\n"
            + _table(("reviewer", "checks"), rows)
        )
    else:
        parts.append("No check is published yet: nobody has signed one off.")
    return "\n\n".join(parts)


def _in_order(counts: dict[str, int], order: Sequence[str]) -> list[tuple[str, str]]:
    """Every name of `order` with its count (zero too), then names outside it, most first."""
    rows = [(md(name), f"{counts.get(name, 0):,}") for name in order]
    others = Counter({name: n for name, n in counts.items() if name not in order})
    return rows + [(f"{md(name)} (not configured)", f"{n:,}") for name, n in _sorted(others)]


def _verdict_rows(counts: dict[str | None, int], scale: Sequence[str]) -> list[tuple[str, str]]:
    named = {name: n for name, n in counts.items() if name is not None}
    rows = _in_order(named, scale)
    if counts.get(None):
        rows.append((NO_VERDICT, f"{counts[None]:,}"))
    return rows


def _evidence_line(per_check: Sequence[int]) -> str:
    mean = statistics.fmean(per_check)
    median = statistics.median(per_check)
    shown = f"{median:g}"
    return (
        f"Evidence per check: mean {mean:.2f}, median {shown} "
        f"(fewest {min(per_check)}, most {max(per_check)}; {sum(per_check):,} items in all)."
    )


def _sorted(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _counted(counts: Counter[str]) -> list[tuple[str, str]]:
    return [(md(name), f"{count:,}") for name, count in _sorted(counts)]


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
