"""A document's agreement counts as plain JSON data, and back: what the store keeps per document.

The payload is a dictionary with a version (`PAYLOAD_VERSION`); a reader meets only payloads of
its own version (the store keys its records by it), so a change to what is kept — a new count
for a new figure — bumps the version and every document's counts are computed again once.
Adding a count: compute it in `review.agreement.document_counts` (or beside it), write it under a
new key here, sum it where the report is assembled, and bump the version.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from review.agreement import KINDS_AND_SIZES, DocumentCounts, PairTotals
from review.coefficients import ProfileTable
from review.relation_f1 import RelationTotals

# 2: the label confusion and annotator matrices' counts (`matrix_counts`).
PAYLOAD_VERSION = 2


def counts_payload(counts: DocumentCounts) -> dict[str, Any]:
    """`counts` as JSON-ready data (profile tables as [profile, count] lists)."""
    return {
        "version": PAYLOAD_VERSION,
        "doc_id": counts.doc_id,
        "complete": counts.complete,
        "width": _profile_width(counts),
        "characters": _flat_table(counts.characters),
        "tokens": _flat_table(counts.tokens),
        "span_pairs": {
            key: {"documents": pair.documents, **{name: getattr(pair, name) for name in _SIZES}}
            for key, pair in counts.span_pairs.items()
        },
        "relation_pairs": {
            key: {
                "documents": pair.documents,
                **{name: dict(getattr(pair, name)) for name in KINDS_AND_SIZES},
            }
            for key, pair in counts.relation_pairs.items()
        },
        "unitizing_alpha": counts.unitizing_alpha,
        "entry": counts.entry,
        "matrix_counts": counts.matrix_counts,
    }


def counts_from_payload(payload: dict[str, Any]) -> DocumentCounts:
    """The counts `counts_payload` wrote (ValueError for a payload of another version)."""
    if payload.get("version") != PAYLOAD_VERSION:
        raise ValueError(f"figures payload version {payload.get('version')!r}")
    return DocumentCounts(
        doc_id=payload["doc_id"],
        complete=payload["complete"],
        characters=_table(payload["characters"], payload["width"]),
        tokens=_table(payload["tokens"], payload["width"]),
        span_pairs={
            key: PairTotals(pair["documents"], *(pair[name] for name in _SIZES))
            for key, pair in payload["span_pairs"].items()
        },
        relation_pairs={
            key: RelationTotals(
                pair["documents"], *(_counter(pair[name]) for name in KINDS_AND_SIZES)
            )
            for key, pair in payload["relation_pairs"].items()
        },
        unitizing_alpha=payload["unitizing_alpha"],
        entry=payload["entry"],
        matrix_counts=payload["matrix_counts"],
    )


_SIZES = ("n_a", "n_b", "strict", "overlap")


def _counter(counts: dict[str, int]) -> Counter[str]:
    # Counter(mapping) goes through Counter.update's Mapping check, slow over 10,000 documents
    # of a dozen counters each; a Counter is a dict, filled as one.
    counter: Counter[str] = Counter.__new__(Counter)
    dict.update(counter, counts)
    return counter


def _flat_table(table: ProfileTable[int]) -> list[Any]:
    """A profile table as one flat list: each profile's values, then its count (a profile has
    one value per chosen annotator, so the width is known). Far quicker to read back than a
    list per profile."""
    flat: list[Any] = []
    for profile, count in table.items():
        flat.extend(profile)
        flat.append(count)
    return flat


def _profile_width(counts: DocumentCounts) -> int:
    for table in (counts.characters, counts.tokens):
        for profile in table:
            return len(profile)
    return 0


def _table(flat: list[Any], width: int) -> ProfileTable[int]:
    return {
        tuple(flat[index : index + width]): flat[index + width]
        for index in range(0, len(flat), width + 1)
    }
