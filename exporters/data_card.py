"""A data card (Markdown) for an exported dataset, laid out as a Hugging Face dataset card (YAML
front matter, then Dataset Description, Dataset Structure with its splits, Dataset Creation with
the sources and the annotations, Considerations, Additional Information with licence and
citation), so it can be uploaded as a dataset repository's README.

It says where every document comes from, what the labels mean, who annotated (by login, or as
pseudonyms), under which version of the guidelines, how well they agreed and how to read that,
how the gold layer was made, counts per label, the splits, and the fact-check desk.

Pure: `CardTally` holds the counts (the store counts them, `Store.export_tally`); `render_card`
turns the tally and the facts the caller gathers into Markdown. Names, outlets and
descriptions come from users and imported files, so every one is escaped before it meets Markdown.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from exporters.card_agreement import agreement_section, reading
from exporters.card_front_matter import UNKNOWN_LICENSE, front_matter
from exporters.card_markdown import UNDEFINED, count_of, md, table
from exporters.pseudonyms import as_typed
from exporters.splits import SPLIT_NAMES
from store.desk_info import CheckTally
from store.info import DocumentProvenance, ExportTally

__all__ = ["CardFacts", "CardTally", "DeskFacts", "LabelEntry", "PersonEntry", "md", "render_card"]
GOLD_SOURCE_MEANINGS = {
    "auto": "put in by `factmark adjudicate`: enough annotators marked exactly this span",
    "accepted": "a reviewer accepted an annotator's version as it was",
    "edited": "a reviewer accepted a version with changed boundaries",
    "added": "a reviewer added it; no annotator's version stands behind it",
    "imported": "came in with an imported gold layer",
}


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
    documents_listed: Sequence[DocumentProvenance] = ()

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
            documents_listed=tally.documents_listed,
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
class GuidelinesVersion:
    """Which guidelines the annotators worked to: the file's SHA-256 and its first heading."""

    sha256: str
    heading: str | None
    file_name: str

    @classmethod
    def of(cls, content: bytes, file_name: str) -> GuidelinesVersion:
        text = content.decode("utf-8", errors="replace")
        heading = next(
            (line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")), None
        )
        return cls(hashlib.sha256(content).hexdigest(), heading or None, file_name)


@dataclass(frozen=True)
class SplitPlan:
    """The asked train/dev/test shares, the seed, and each document id's split."""

    shares: tuple[int, int, int]
    seed: int
    assigned: Mapping[str, str]


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
    guidelines: GuidelinesVersion | None = None
    license: str | None = None  # a Hugging Face licence id; None: not configured
    citation: str | None = None
    languages: Sequence[str] = ()
    splits: SplitPlan | None = None  # None: no splits asked for
    # How an annotator's login is shown: as typed, or a pseudonym (`pseudonymised`).
    name_of: Callable[[str], str] = as_typed
    pseudonymised: bool = False


def render_card(tally: CardTally, facts: CardFacts) -> str:
    """The data card as Markdown, front matter first."""
    matter = front_matter(
        pretty_name=facts.title,
        license_id=facts.license,
        languages=facts.languages,
        documents=tally.documents,
    )
    sections = [
        matter,
        _heading(facts),
        "## Dataset Description",
        _contents(tally, facts),
        _languages(facts),
        "## Dataset Structure",
        _labels(tally, facts),
        _splits(facts.splits),
        "## Dataset Creation",
        _provenance(tally),
        _documents(tally, facts.splits),
        "### Annotations",
        _process(tally, facts),
        _people(facts),
        agreement_section(facts.agreement, facts.agreement_note, facts.name_of),
        _personal(facts),
        _desk(facts.desk, facts.name_of),
        _considerations(facts),
        "## Additional Information",
        _licensing(facts.license),
        _citation(facts.citation),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _heading(facts: CardFacts) -> str:
    source = facts.source if facts.source in ("gold", "all") else facts.name_of(facts.source)
    return (
        f"# Dataset Card for {md(facts.title)}\n\n"
        f"Written by factmark {md(facts.tool_version)} on "
        f"{facts.generated_at.strftime('%Y-%m-%d %H:%M UTC')}, with the export "
        f"(format `{md(facts.export_format)}`, source layer `{md(source)}`)."
    )


def _contents(tally: CardTally, facts: CardFacts) -> str:
    rows = [
        ("documents", f"{tally.documents:,}"),
        ("characters", f"{tally.characters:,}"),
        ("spans", f"{tally.spans:,}"),
        ("documents marked adjudicated by a reviewer", f"{facts.adjudicated:,}"),
    ]
    if facts.source == "all":
        rows += [
            (f"layer {md(_layer(name, facts))}", f"{n:,} documents")
            for name, n in _sorted(tally.layers)
        ]
    summary = (
        "News articles with spans of the labels below marked by hand in factmark, a terminal "
        "annotation tool for fact-checkers: who says what (actors, claims, figures, outcomes, as "
        "configured), for training and evaluating claim and attribution detection."
    )
    return "### Dataset Summary\n\n" + summary + "\n\n" + table(("", "count"), rows)


def _layer(name: str, facts: CardFacts) -> str:
    return name if name == "gold" else facts.name_of(name)


def _languages(facts: CardFacts) -> str:
    if facts.languages:
        return "### Languages\n\n" + ", ".join(f"`{md(code)}`" for code in facts.languages)
    return "### Languages\n\nNot stated (set `language` under `[card]` in the configuration)."


def _provenance(tally: CardTally) -> str:
    parts = ["### Source Data"]
    parts.append(table(("outlet", "documents"), _counted(tally.outlets)))
    parts.append(table(("text extractor", "documents"), _counted(tally.extractors)))
    dated = sorted(tally.published)
    published = f"{md(dated[0])} to {md(dated[-1])}" if dated else "not recorded"
    undated = tally.documents - len(dated)
    parts.append(
        f"Published: {published}"
        + (f" ({count_of(undated, 'document')} without a date)." if undated and dated else ".")
    )
    if tally.imported:
        first, last = min(tally.imported), max(tally.imported)
        parts.append(f"Imported into factmark: {first:%Y-%m-%d} to {last:%Y-%m-%d}.")
    return "\n\n".join(parts)


def _documents(tally: CardTally, splits: SplitPlan | None) -> str:
    """One row per exported document: where it comes from, its text's hash, and its split."""
    if not tally.documents_listed:
        return ""
    headings = ["document", "outlet", "URL", "published", "text SHA-256"]
    if splits is not None:
        headings.append("split")
    rows = []
    for doc in tally.documents_listed:
        row = [
            f"`{md(doc.ext_id)}`",
            md(doc.outlet) if doc.outlet else UNDEFINED,
            _url(doc.url),
            md(doc.published) if doc.published else UNDEFINED,
            f"`{doc.text_sha256}`",
        ]
        if splits is not None:
            row.append(splits.assigned.get(doc.ext_id, UNDEFINED))
        rows.append(row)
    intro = (
        "#### Documents\n\nEvery exported document: its id in the export, where it was "
        "published, and the SHA-256 of its cleaned text (UTF-8), so a copy can be checked."
    )
    return intro + "\n\n" + table(headings, rows)


def _url(url: str | None) -> str:
    """A web address as a link; anything else (javascript:, a file path) as plain text."""
    if not url:
        return UNDEFINED
    if url.startswith(("http://", "https://")) and not re.search(r"[\s<>]", url):
        return f"<{url}>"
    return md(url)


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
    intro = (
        "### Data Fields\n\nEach record is a document's text with its spans: code-point "
        "offsets `start` (inclusive) and `end` (exclusive) and a label (factmark's formats.md "
        "gives every field of the export). The labels and their spans:"
    )
    return intro + "\n\n" + table(("label", "definition", "spans"), rows)


def _splits(splits: SplitPlan | None) -> str:
    if splits is None:
        return (
            "### Data Splits\n\nOne set: no splits were asked for "
            "(`factmark export … --card CARD.md --splits 80,10,10 --seed N` makes them)."
        )
    sizes = Counter(splits.assigned.values())
    rows = [
        (name, f"{share}%", f"{sizes[name]:,}")
        for name, share in zip(SPLIT_NAMES, splits.shares, strict=True)
    ]
    text = (
        f"### Data Splits\n\nWhole documents, never parts of one, ranked by the SHA-256 of the "
        f"seed ({splits.seed}) and the document id, then cut at the asked shares: the same "
        "documents and seed give the same splits on every run and machine. The `split` column "
        "of the documents table says which document is where."
    )
    return text + "\n\n" + table(("split", "share asked", "documents"), rows)


def _process(tally: CardTally, facts: CardFacts) -> str:
    parts = ["#### Annotation process", _guidelines(facts.guidelines)]
    gold = _gold(tally)
    if gold:
        parts.append(gold)
    return "\n\n".join(parts)


def _guidelines(version: GuidelinesVersion | None) -> str:
    if version is None:
        return "Guidelines: not recorded."
    heading = f"“{md(version.heading)}”" if version.heading else "(no heading)"
    return (
        f"Annotators worked to the guidelines {heading} (file `{md(version.file_name)}`, "
        f"SHA-256 `{version.sha256}`): a card with another hash was made under other guidelines."
    )


def _gold(tally: CardTally) -> str:
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
        "##### How the gold layer was made\n\n"
        + intro
        + "\n\n"
        + table(("source", "meaning", "spans"), rows)
    )


def _people(facts: CardFacts) -> str:
    heading = "#### Who are the annotators?\n\n"
    if not facts.people:
        return heading + "None recorded."
    rows = [
        (md(facts.name_of(person.name)), person.role, f"{person.done:,}", f"{person.spans:,}")
        for person in facts.people
    ]
    return heading + table(("name", "role", "documents done", "spans"), rows)


def _personal(facts: CardFacts) -> str:
    if facts.pseudonymised:
        said = (
            "Annotators appear as pseudonyms (annotator 1, 2, … in the order of the annotators "
            "table), the same throughout this card; their logins are not in it."
        )
    else:
        said = (
            "Annotators appear by their factmark login; `--pseudonymise` writes pseudonyms "
            "instead. The articles were published, and may name people."
        )
    return "### Personal and Sensitive Information\n\n" + said


def _considerations(facts: CardFacts) -> str:
    report = facts.agreement
    if report is None:
        line = "Agreement between annotators was not measured: see Agreement above."
    else:
        alpha = report["character"]["krippendorff_alpha"]
        line = (
            f"Krippendorff's α over characters is {_figure_words(alpha)}: {reading(alpha)}. "
            "Check the label confusion above before training on the labels it mixes up."
        )
    return "## Considerations for Using the Data\n\n### Other Known Limitations\n\n" + line


def _figure_words(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def _licensing(license_id: str | None) -> str:
    if license_id is None:
        said = (
            f"Not configured (`{UNKNOWN_LICENSE}` in the metadata): set `license` under "
            "`[card]` in the configuration."
        )
    else:
        said = f"`{md(license_id)}` (as the Hugging Face Hub names licences)."
    return "### Licensing Information\n\n" + said


def _citation(citation: str | None) -> str:
    if citation is None:
        return (
            "### Citation Information\n\nNot configured: set `citation` under `[card]` in the "
            "configuration."
        )
    fence = "`" * max(3, _longest_backtick_run(citation) + 1)
    language = "bibtex" if citation.lstrip().startswith("@") else ""
    return f"### Citation Information\n\n{fence}{language}\n{citation}\n{fence}"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


NO_VERDICT = "(no verdict yet)"


def _desk(desk: DeskFacts | None, name_of: Callable[[str], str] = as_typed) -> str:
    if desk is None:
        return ""
    tally = desk.tally
    if not tally.checks:
        return "## Fact checks\n\nNone yet."
    parts = [
        f"## Fact checks\n\n{count_of(tally.checks, 'check')} on the desk: every check in the "
        "database, whichever layer was exported (factmark's event log holds each one's history).",
        table(("status", "checks"), _in_order(tally.statuses, desk.statuses)),
        table(("verdict", "checks"), _verdict_rows(tally.ratings, desk.ratings)),
        _evidence_line(tally.evidence),
    ]
    if tally.signed_off:
        signed = Counter({name_of(name): n for name, n in tally.signed_off.items()})
        rows = [(md(name), f"{count:,}") for name, count in _sorted(signed)]
        parts.append(
            "Signed off (the reviewer who published each check that is published now):\n\n"
            + table(("reviewer", "checks"), rows)
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
