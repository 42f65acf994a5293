"""Agreement you can see: a label confusion matrix and a pairwise annotator matrix.

Built from additive per-document counts, so a store can keep one small JSON-able record per
document and recompute only the documents whose layers changed: `document_counts` makes a
document's record, `add_counts` pools records, `matrices` derives the `factmark agreement --json`
sections from the pooled counts; `agreement_matrices` does all three over a study.

For each pair of annotators who both did a document (X the first name in sorted order, Y the
second), every span of either lands in exactly one cell:

1. *same label*: the overlap span F1's matching (one-to-one, maximum, spans sharing a
   character) — the diagonal, so it always equals the overlap F1's matches;
2. *another label*: spans left over on both sides that share a character, matched one-to-one
   (maximum, larger overlaps first) — "claim vs outcome";
3. *no counterpart*: the rest, drawn by one side only — "claim vs —".

The annotator matrix gives each pair's overlap micro F1 and Krippendorff's α (nominal, over the
character values agreement.md defines) between just the two of them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import combinations
from typing import Any

from review.coefficients import ProfileTable, krippendorff_alpha_nominal
from review.model import DocumentAnnotations, IndexedSpan, indexed_spans
from review.profiles import character_table, code_value
from review.span_f1 import maximum_matching

# Label names are words (settings.config), so this can key the same dictionaries as they do.
NO_SPAN = "—"

Grid = dict[str, dict[str, int]]  # X's value -> Y's value -> count; absent = 0
PairCounts = dict[str, Any]  # {"documents": int, "spans": Grid, "characters": Grid}
CountRecord = dict[str, PairCounts]  # "X|Y" -> the pair's counts
Cells = dict[tuple[int, int], int]  # (X's value index, Y's) -> count, while counting one pair


def document_counts(document: DocumentAnnotations, labels: Sequence[str]) -> CountRecord:
    """One document's counts for every pair of annotators in its layers; spans whose label is
    not in `labels` are left out (as in every agreement figure)."""
    label_index = {label: index for index, label in enumerate(labels)}
    names = sorted(document.layers)
    layers = [sorted(indexed_spans(document, name, label_index)) for name in names]
    # One table of every annotator's character codes serves all the pairs.
    characters = character_table(len(document.text), layers, len(labels))
    return {
        f"{names[first]}|{names[second]}": {
            "documents": 1,
            "spans": span_confusion(layers[first], layers[second], labels),
            "characters": character_pairs(characters, first, second, labels),
        }
        for first, second in combinations(range(len(names)), 2)
    }


def span_confusion(
    first: list[IndexedSpan], second: list[IndexedSpan], labels: Sequence[str]
) -> Grid:
    """Where each span of the pair lands: same label, another label, or no counterpart.

    `first` and `second` are sorted by start. The first matching joins spans of one label
    only, so it is every label's own maximum matching at once.
    """
    cells: Cells = {}
    left_over_first, left_over_second = _match_into(cells, first, second, same_label=True)
    unmatched_mine, unmatched_theirs = _match_into(
        cells, left_over_first, left_over_second, same_label=False
    )
    for span in unmatched_mine:
        _count(cells, (span[2], -1))
    for span in unmatched_theirs:
        _count(cells, (-1, span[2]))
    return _grid(cells, [*labels, NO_SPAN])  # index -1 is NO_SPAN


def character_pairs(
    characters: ProfileTable[int], first: int, second: int, labels: Sequence[str]
) -> Grid:
    """How many characters have each pair of values (a label, or NO_SPAN for outside) for the
    annotators at positions `first` and `second` of a document's character table."""
    label_count = len(labels)
    cells: Cells = {}
    for profile, count in characters.items():
        code_first, code_second = profile[first], profile[second]
        assert code_first is not None and code_second is not None  # both did the document
        key = (code_value(code_first, label_count), code_value(code_second, label_count))
        _count(cells, key, count)
    return _grid(cells, [*labels, NO_SPAN])


def add_counts(total: CountRecord, record: CountRecord, sign: int = 1) -> None:
    """Pool `record` into `total` in place (`sign` -1 takes a record back out: exact integers,
    so taking away what was added restores the sum; a cell that drops to 0 goes)."""
    for key, counts in record.items():
        pooled = total.setdefault(key, {"documents": 0, "spans": {}, "characters": {}})
        pooled["documents"] += sign * counts["documents"]
        for kind in ("spans", "characters"):
            for row, cells in counts[kind].items():
                for column, count in cells.items():
                    _add(pooled[kind], row, column, sign * count)
                    if pooled[kind][row][column] == 0:
                        del pooled[kind][row][column]
                        if not pooled[kind][row]:
                            del pooled[kind][row]
        if not pooled["documents"] and not pooled["spans"] and not pooled["characters"]:
            del total[key]


def sum_counts(records: Iterable[CountRecord]) -> CountRecord:
    """The pooled counts of many documents' records."""
    total: CountRecord = {}
    for record in records:
        add_counts(total, record)
    return total


def matrices(
    total: CountRecord, annotators: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    """The `--json` sections `label_confusion` and `annotator_matrix` from pooled counts.

    Only the pairs of `annotators` and the values of `labels` count (a record may hold more).
    """
    values = [*labels, NO_SPAN]
    keys = [f"{first}|{second}" for first, second in combinations(sorted(annotators), 2)]
    empty: PairCounts = {"documents": 0, "spans": {}, "characters": {}}
    by_pair = {key: total.get(key, empty) for key in keys}
    return {
        "label_confusion": {
            "values": values,
            "pooled": pooled_confusion(by_pair.values(), values),
            "pairs": {key: _dense(counts["spans"], values) for key, counts in by_pair.items()},
        },
        "annotator_matrix": {
            "annotators": list(annotators),
            "pairs": {key: pair_figures(counts, labels) for key, counts in by_pair.items()},
        },
    }


def pooled_confusion(pairs: Iterable[PairCounts], values: Sequence[str]) -> Grid:
    """Every pair's span confusion in one symmetric grid: cell (a, b) and (b, a) both count the
    spans of value a on one side that met value b on the other, whichever side drew which."""
    grid = {row: dict.fromkeys(values, 0) for row in values}
    for counts in pairs:
        for row, cells in counts["spans"].items():
            for column, count in cells.items():
                if row not in grid or column not in grid:
                    continue
                grid[row][column] += count
                if row != column:
                    grid[column][row] += count
    return grid


def pair_figures(counts: PairCounts, labels: Sequence[str]) -> dict[str, Any]:
    """A pair's overlap micro F1 (X the reference) and character α, with what they come from."""
    spans: Grid = counts["spans"]
    values = [*labels, NO_SPAN]
    matches = sum(spans.get(label, {}).get(label, 0) for label in labels)
    n_a = sum(spans.get(row, {}).get(column, 0) for row in labels for column in values)
    n_b = sum(spans.get(row, {}).get(column, 0) for row in values for column in labels)
    table: ProfileTable[str] = {
        (row, column): count
        for row, cells in counts["characters"].items()
        if row in values
        for column, count in cells.items()
        if column in values
    }
    return {
        "documents": counts["documents"],
        "n_a": n_a,
        "n_b": n_b,
        "overlap_matches": matches,
        "overlap_f1": 2 * matches / (n_a + n_b) if n_a + n_b else None,
        "character_krippendorff_alpha": krippendorff_alpha_nominal(table),
    }


def agreement_matrices(
    documents: Iterable[DocumentAnnotations], annotators: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    """Both matrices over the documents at least two of `annotators` did."""
    chosen = set(annotators)
    total: CountRecord = {}
    for document in documents:
        layers = {name: spans for name, spans in document.layers.items() if name in chosen}
        if len(layers) >= 2:
            add_counts(total, document_counts(replace(document, layers=layers), labels))
    return matrices(total, annotators, labels)


def _match_into(
    cells: Cells, mine: list[IndexedSpan], theirs: list[IndexedSpan], *, same_label: bool
) -> tuple[list[IndexedSpan], list[IndexedSpan]]:
    """Count overlapping spans matched one-to-one into `cells`; return each side's unmatched."""
    if not mine or not theirs:
        return mine, theirs
    matched = maximum_matching(_overlap_adjacency(mine, theirs, same_label), len(theirs))
    for span, partner in zip(mine, matched, strict=True):
        if partner != -1:
            _count(cells, (span[2], theirs[partner][2]))
    taken = set(matched)
    return (
        [span for span, partner in zip(mine, matched, strict=True) if partner == -1],
        [span for index, span in enumerate(theirs) if index not in taken],
    )


def _overlap_adjacency(
    mine: list[IndexedSpan], theirs: list[IndexedSpan], same_label: bool
) -> list[list[int]]:
    """For each of `mine` (sorted), the indexes of `theirs` (sorted) sharing a character with
    it (and its label, if `same_label`), larger overlaps first."""
    starts = [span[0] for span in theirs]
    adjacency = []
    for start, end, label in mine:
        shared = [
            (min(end, theirs[index][1]) - max(start, theirs[index][0]), index)
            for index in range(bisect_left(starts, end))  # only those starting before `end`
            if theirs[index][1] > start and (not same_label or theirs[index][2] == label)
        ]
        if len(shared) > 1:
            shared.sort(key=lambda pair: (-pair[0], pair[1]))
        adjacency.append([index for _size, index in shared])
    return adjacency


def _count(cells: Cells, key: tuple[int, int], count: int = 1) -> None:
    cells[key] = cells.get(key, 0) + count


def _grid(cells: Cells, values: Sequence[str]) -> Grid:
    """Index-keyed cells as a grid keyed by value names (index -1: the last value)."""
    grid: Grid = {}
    for (row, column), count in cells.items():
        grid.setdefault(values[row], {})[values[column]] = count
    return grid


def _add(grid: Grid, row: str, column: str, count: int = 1) -> None:
    cells = grid.setdefault(row, {})
    cells[column] = cells.get(column, 0) + count


def _dense(grid: Grid, values: Sequence[str]) -> Grid:
    return {row: {column: grid.get(row, {}).get(column, 0) for column in values} for row in values}
