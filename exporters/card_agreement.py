"""The data card's agreement section: each figure with what it measures and, for every
Krippendorff's α, his reading of it; the label confusion and the pairs as Markdown tables.

Pure: takes agreement_report's dictionary (with review.matrices' sections) and a function that
shows an annotator's name (the login, or a pseudonym).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from exporters.card_markdown import UNDEFINED, count_of, figure, md, table
from review.matrix_render import largest_confusions

# Krippendorff (2004, p. 241): rely on α ≥ .800; α ≥ .667 only for tentative conclusions.
RELIABLE, TENTATIVE = 0.8, 0.667
READING_NOTE = (
    "Krippendorff's reading of an α: at least 0.80, reliable; from 0.667 to 0.80, good for "
    "tentative conclusions only; below 0.667, not for conclusions (Krippendorff 2004, p. 241). "
    "κ and F1 have no such agreed thresholds: read them beside the α."
)
# (title, where in the report, what it measures, is it a Krippendorff's α)
FIGURES: tuple[tuple[str, tuple[str, ...], str, bool], ...] = (
    (
        "Krippendorff's α, characters",
        ("character", "krippendorff_alpha"),
        "chance-corrected agreement on every character's label (or none); 1 is perfect, "
        "0 what chance would give",
        True,
    ),
    (
        "Krippendorff's α, tokens",
        ("token", "krippendorff_alpha"),
        "the same over whitespace-separated words",
        True,
    ),
    (
        "Fleiss' κ, characters",
        ("character", "fleiss_kappa"),
        "chance-corrected agreement of all annotators at once (only when each did every document)",
        False,
    ),
    (
        "Cohen's κ, characters, pair mean",
        ("character", "cohen_kappa_mean_over_pairs"),
        "chance-corrected agreement of each pair, averaged over the pairs",
        False,
    ),
    (
        "unitizing α_U, mean over documents",
        ("unitizing_alpha", "mean_over_documents"),
        "Krippendorff's α for where spans begin and end as well as their labels",
        True,
    ),
    (
        "span F1 strict, mean over pairs",
        ("span_f1", "mean_over_pairs", "strict_micro_f1"),
        "the share of spans both drew with the same boundaries and label",
        False,
    ),
    (
        "span F1 overlap, mean over pairs",
        ("span_f1", "mean_over_pairs", "overlap_micro_f1"),
        "the same, counting spans of one label that share a character as agreeing",
        False,
    ),
    (
        "relation F1 strict, mean over pairs",
        ("relation_f1", "mean_over_pairs", "strict_micro_f1"),
        "links (head, child, type) both drew, their ends with the same boundaries",
        False,
    ),
    (
        "relation F1 overlap, mean over pairs",
        ("relation_f1", "mean_over_pairs", "overlap_micro_f1"),
        "the same, the ends sharing a character",
        False,
    ),
)


def reading(value: float | None) -> str:
    """Krippendorff's reading of an α."""
    if value is None:
        return "undefined"
    if value >= RELIABLE:
        return "reliable (≥ 0.80)"
    if value >= TENTATIVE:
        return "tentative (0.667–0.80)"
    return "not for conclusions (< 0.667)"


def agreement_section(
    report: dict[str, Any] | None, note: str | None, name_of: Callable[[str], str]
) -> str:
    """The `#### Agreement` part of the card's Annotations section."""
    if report is None:
        return "#### Agreement\n\n" + md(note or "Not computed.")
    names = ", ".join(md(name_of(name)) for name in report["annotators"])
    parts = [
        f"#### Agreement\n\nBetween {names}, over the {count_of(report['documents'], 'document')} "
        f"at least two of them marked done (definitions: factmark's agreement.md; {UNDEFINED} = "
        "undefined).",
        table(("figure", "value", "what it measures", "Krippendorff's reading"), _rows(report)),
        READING_NOTE,
        table(("label", "Krippendorff's α, characters in or out", "reading"), _labels(report)),
    ]
    if "label_confusion" in report:
        parts.append(confusion_part(report["label_confusion"]))
    if "annotator_matrix" in report:
        parts.append(pairs_part(report["annotator_matrix"], name_of))
    return "\n\n".join(parts)


def _rows(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    for title, path, meaning, is_alpha in FIGURES:
        value = _lookup(report, path)
        if value is _MISSING:
            continue
        rows.append((title, figure(value), meaning, reading(value) if is_alpha else ""))
    return rows


_MISSING = object()


def _lookup(report: dict[str, Any], path: Sequence[str]) -> Any:
    value: Any = report
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return _MISSING
        value = value[key]
    return value


def _labels(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (
            f"`{md(label)}`",
            figure(figures["krippendorff_alpha"]),
            reading(figures["krippendorff_alpha"]),
        )
        for label, figures in report["character"]["per_label"].items()
    ]


def confusion_part(section: dict[str, Any]) -> str:
    """The pooled label confusion as a square table, and the commonest disagreements."""
    values: list[str] = section["values"]
    grid = section["pooled"]
    heading = ["label", *(md(value) for value in values)]
    rows = [
        (
            f"**{md(row)}**",
            *(
                "·" if row == column == values[-1] else f"{grid[row][column]:,}"
                for column in values
            ),
        )
        for row in values
    ]
    worst = largest_confusions(section)
    summary = (
        "Most often apart: "
        + "; ".join(f"{md(row)} vs {md(column)}: {count:,}" for row, column, count in worst)
        + "."
        if worst
        else "No span was labelled differently or drawn by one side only."
    )
    return (
        "Labels between annotators, in spans, over every pair: the diagonal counts spans of one "
        "label that share a character (the overlap F1's matches); off it, a span of one label "
        "met one of another; — means the other annotator drew nothing there. The table is "
        "symmetric.\n\n" + table(heading, rows) + "\n\n" + summary
    )


def pairs_part(section: dict[str, Any], name_of: Callable[[str], str]) -> str:
    """Each pair's overlap F1 and character α, with the α's reading."""
    rows = []
    for key, figures in section["pairs"].items():
        first, second = key.split("|", 1)
        alpha = figures["character_krippendorff_alpha"]
        rows.append(
            (
                f"{md(name_of(first))} and {md(name_of(second))}",
                f"{figures['documents']:,}",
                figure(figures["overlap_f1"]),
                figure(alpha),
                reading(alpha),
            )
        )
    intro = (
        "Each pair of annotators over the documents both did: span F1 with overlapping spans of "
        "one label counted as agreeing, and Krippendorff's α over the characters' labels."
    )
    headings = ("pair", "documents", "overlap F1", "α, characters", "reading")
    return intro + "\n\n" + table(headings, rows)
