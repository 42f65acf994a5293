"""Pairwise relation F1 (agreement.md, "Relation F1"): strict and overlap, per relation label.

A relation is (head span, child span, relation label). X's relation r matches Y's relation s when
the labels are equal and r's head matches s's head and r's child matches s's child as spans:
*strict*, equal start, end and span label; *overlap*, the same span label and at least one shared
character (touching spans share none). Matching is one-to-one and of maximum cardinality, with the
same bipartite matcher span F1 uses; precision, recall and F1 as for span F1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from review.coefficients import mean_of_defined
from review.model import AgreementError, Linked, Marked
from review.span_f1 import f1_figures, maximum_matching_size

# A relation reduced to what matching reads: (head start, end, label), (child ...).
End = tuple[int, int, str]
RelationKey = tuple[End, End]
KINDS = ("strict", "overlap")


@dataclass
class RelationTotals:
    """Relation counts of one pair summed over the documents both did, per relation label."""

    documents: int = 0
    n_a: Counter[str] = field(default_factory=Counter)
    n_b: Counter[str] = field(default_factory=Counter)
    strict: Counter[str] = field(default_factory=Counter)
    overlap: Counter[str] = field(default_factory=Counter)


def relation_keys(
    doc_id: str, annotator: str, text_length: int, relations: Sequence[Linked], chosen: set[str]
) -> dict[str, list[RelationKey]]:
    """One annotator's relations of a document whose label is chosen, grouped by label."""
    grouped: dict[str, list[RelationKey]] = {}
    for relation in relations:
        if relation.label not in chosen:
            continue
        head = _end(doc_id, annotator, text_length, relation.head)
        child = _end(doc_id, annotator, text_length, relation.child)
        grouped.setdefault(relation.label, []).append((head, child))
    return grouped


def _end(doc_id: str, annotator: str, length: int, span: Marked) -> End:
    start, end = span.start, span.end
    if not (type(start) is int and type(end) is int and 0 <= start < end <= length):
        raise AgreementError(
            f"document {doc_id!r}, annotator {annotator!r}: a relation's span {start!r}-{end!r} "
            f"is empty or outside the text (length {length})"
        )
    return (start, end, span.label)


def strict_relation_matches(reference: list[RelationKey], predicted: list[RelationKey]) -> int:
    """Relations with identical ends in both lists, as a multiset intersection (which is what a
    maximum one-to-one matching of equal keys comes to)."""
    return sum((Counter(reference) & Counter(predicted)).values())


def overlap_relation_matches(reference: list[RelationKey], predicted: list[RelationKey]) -> int:
    """The size of a maximum matching pairing relations whose heads and children overlap."""
    if not reference or not predicted:
        return 0
    adjacency = [
        [index for index, other in enumerate(predicted) if _ends_overlap(relation, other)]
        for relation in reference
    ]
    return maximum_matching_size(adjacency, len(predicted))


def _ends_overlap(a: RelationKey, b: RelationKey) -> bool:
    return all(x[2] == y[2] and x[0] < y[1] and y[0] < x[1] for x, y in zip(a, b, strict=True))


def add_relation_document(
    totals: RelationTotals,
    first: dict[str, list[RelationKey]],
    second: dict[str, list[RelationKey]],
) -> tuple[float | None, float | None]:
    """Add one document's relation counts to a pair's totals; return its strict and overlap
    micro F1 (None when neither drew a relation)."""
    totals.documents += 1
    n_a = n_b = strict = overlap = 0
    for label in first.keys() | second.keys():
        reference, predicted = first.get(label, []), second.get(label, [])
        label_strict = strict_relation_matches(reference, predicted)
        label_overlap = overlap_relation_matches(reference, predicted)
        totals.n_a[label] += len(reference)
        totals.n_b[label] += len(predicted)
        totals.strict[label] += label_strict
        totals.overlap[label] += label_overlap
        n_a, n_b = n_a + len(reference), n_b + len(predicted)
        strict, overlap = strict + label_strict, overlap + label_overlap
    if n_a + n_b == 0:
        return None, None
    return 2 * strict / (n_a + n_b), 2 * overlap / (n_a + n_b)


def relation_f1_section(
    totals: dict[str, RelationTotals], relation_labels: Sequence[str]
) -> dict[str, Any]:
    """agreement.md's `relation_f1` object: per pair and kind, per label and micro; the mean of
    the pairs' micro F1 per kind."""
    pairs = {key: _pair(pair, relation_labels) for key, pair in totals.items()}
    return {
        "relation_labels": list(relation_labels),
        "pairs": pairs,
        "mean_over_pairs": {
            f"{kind}_micro_f1": mean_of_defined(p[kind]["micro"]["f1"] for p in pairs.values())
            for kind in KINDS
        },
    }


def _pair(totals: RelationTotals, labels: Sequence[str]) -> dict[str, Any]:
    figures: dict[str, Any] = {"documents": totals.documents}
    for kind in KINDS:
        matches: Counter[str] = getattr(totals, kind)
        per_label = {
            label: f1_figures(matches[label], totals.n_a[label], totals.n_b[label])
            for label in labels
        }
        figures[kind] = {
            "per_label": per_label,
            "micro": f1_figures(
                sum(matches[label] for label in labels),
                sum(totals.n_a[label] for label in labels),
                sum(totals.n_b[label] for label in labels),
            ),
        }
    return figures


def relation_notes(section: dict[str, Any]) -> list[str]:
    """Why a relation figure is undefined, one line per kind of reason."""
    notes: list[str] = []
    pairs = section["pairs"].values()
    if any(pair["strict"]["micro"]["f1"] is None for pair in pairs):
        notes.append(
            "relation F1 is undefined for a pair when neither annotator drew a relation "
            "in the documents both did"
        )
    elif any(
        figures["f1"] is None for pair in pairs for figures in pair["strict"]["per_label"].values()
    ):
        notes.append(
            "relation F1 is undefined for a relation label neither annotator of a pair used"
        )
    return notes
