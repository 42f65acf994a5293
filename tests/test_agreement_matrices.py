"""The label confusion matrix and the pairwise annotator matrix (review.matrices), checked on
small studies counted by hand, against the `krippendorff` package, and against the report's own
overlap F1; and the per-document records are additive (pooled in any order, through JSON)."""

from __future__ import annotations

import json
import random

import krippendorff
import numpy as np
import pytest

from review import AnnotatedSpan, DocumentAnnotations, agreement_report
from review.matrices import (
    NO_SPAN,
    agreement_matrices,
    document_counts,
    matrices,
    sum_counts,
)

LABELS = ["actor", "claim", "figure", "outcome"]
TEXT = "x" * 40


def doc(doc_id: str, text: str = TEXT, **layers: list[tuple[int, int, str]]) -> DocumentAnnotations:
    spans = {name: [AnnotatedSpan(*span) for span in drawn] for name, drawn in layers.items()}
    return DocumentAnnotations(doc_id, text, spans)


# alice and bob agree on an actor; alice's claim is bob's outcome; only alice drew a figure (a
# label bob never used); only bob drew a second actor.
ALICE = [(0, 5, "actor"), (10, 20, "claim"), (30, 35, "figure")]
BOB = [(0, 5, "actor"), (12, 20, "outcome"), (36, 38, "actor")]


def _cells(grid: dict[str, dict[str, int]]) -> dict[tuple[str, str], int]:
    return {(row, column): n for row, cells in grid.items() for column, n in cells.items() if n}


def test_each_span_lands_in_one_cell() -> None:
    result = agreement_matrices([doc("d", alice=ALICE, bob=BOB)], ["alice", "bob"], LABELS)
    confusion = result["label_confusion"]
    assert confusion["values"] == [*LABELS, NO_SPAN]
    assert _cells(confusion["pairs"]["alice|bob"]) == {
        ("actor", "actor"): 1,
        ("claim", "outcome"): 1,
        ("figure", NO_SPAN): 1,
        (NO_SPAN, "actor"): 1,
    }
    # Pooled, the grid is symmetric: "claim vs outcome" whichever side drew which.
    assert _cells(confusion["pooled"]) == {
        ("actor", "actor"): 1,
        ("claim", "outcome"): 1,
        ("outcome", "claim"): 1,
        ("figure", NO_SPAN): 1,
        (NO_SPAN, "figure"): 1,
        ("actor", NO_SPAN): 1,
        (NO_SPAN, "actor"): 1,
    }
    pair = result["annotator_matrix"]["pairs"]["alice|bob"]
    assert (pair["documents"], pair["n_a"], pair["n_b"], pair["overlap_matches"]) == (1, 3, 3, 1)
    assert pair["overlap_f1"] == pytest.approx(2 / 6)


def _values(spans: list[tuple[int, int, str]], length: int) -> list[float]:
    """Character values by hand (no overlapping spans here): label index, or 9 for outside."""
    values = [9.0] * length
    for start, end, label in spans:
        values[start:end] = [float(LABELS.index(label))] * (end - start)
    return values


def test_pair_alpha_is_krippendorffs_over_the_two() -> None:
    other = "y" * 25
    documents = [
        doc("d1", alice=ALICE, bob=BOB),
        doc("d2", other, alice=[(0, 5, "claim")], bob=[(2, 9, "claim")], carol=[]),
    ]
    result = agreement_matrices(documents, ["alice", "bob", "carol"], LABELS)
    pairs = result["annotator_matrix"]["pairs"]
    rows = [
        _values(ALICE, 40) + _values([(0, 5, "claim")], 25),
        _values(BOB, 40) + _values([(2, 9, "claim")], 25),
    ]
    expected = krippendorff.alpha(reliability_data=np.array(rows), level_of_measurement="nominal")
    assert pairs["alice|bob"]["character_krippendorff_alpha"] == pytest.approx(expected, abs=1e-9)
    assert pairs["alice|bob"]["documents"] == 2
    # carol did only d2, with no spans: alice's claim there is "claim vs —".
    assert pairs["alice|carol"]["documents"] == 1
    assert _cells(result["label_confusion"]["pairs"]["alice|carol"]) == {("claim", NO_SPAN): 1}
    assert pairs["alice|carol"]["overlap_f1"] == 0.0


def test_nested_spans_of_another_label_stay_apart() -> None:
    """The issue's case: one annotator's claim with an outcome nested at its end; the other drew
    a claim over the outcome's extent. Same label first (as overlap F1 matches), so the claims
    meet, and the outcome has no counterpart."""
    a = [(0, 30, "claim"), (20, 30, "outcome")]
    b = [(20, 30, "claim")]
    result = agreement_matrices([doc("d", a=a, b=b)], ["a", "b"], LABELS)
    assert _cells(result["label_confusion"]["pairs"]["a|b"]) == {
        ("claim", "claim"): 1,
        ("outcome", NO_SPAN): 1,
    }


def test_a_leftover_span_meets_the_largest_overlap() -> None:
    a = [(0, 10, "claim")]
    b = [(0, 3, "outcome"), (2, 10, "actor")]
    result = agreement_matrices([doc("d", a=a, b=b)], ["a", "b"], LABELS)
    assert _cells(result["label_confusion"]["pairs"]["a|b"]) == {
        ("claim", "actor"): 1,
        (NO_SPAN, "outcome"): 1,
    }


def test_one_annotator_and_no_spans() -> None:
    alone = agreement_matrices([doc("d", alice=ALICE)], ["alice"], LABELS)
    assert alone["annotator_matrix"] == {"annotators": ["alice"], "pairs": {}}
    assert alone["label_confusion"]["pairs"] == {}
    assert not _cells(alone["label_confusion"]["pooled"])
    empty = agreement_matrices([doc("d", alice=[], bob=[])], ["alice", "bob"], LABELS)
    pair = empty["annotator_matrix"]["pairs"]["alice|bob"]
    assert pair["documents"] == 1 and pair["n_a"] == pair["n_b"] == 0
    assert pair["overlap_f1"] is None  # 0/0: undefined, never 0 or 1
    assert pair["character_krippendorff_alpha"] is None  # only one value occurs
    assert not _cells(empty["label_confusion"]["pooled"])
    nobody = agreement_matrices([], ["alice", "bob"], LABELS)
    assert nobody["annotator_matrix"]["pairs"]["alice|bob"]["documents"] == 0


def _study(seed: int, documents: int = 12) -> list[DocumentAnnotations]:
    rng = random.Random(seed)
    corpus = []
    for number in range(documents):
        text = "w" * rng.randint(30, 90)
        layers = {}
        for name in ("ann", "ben", "cid"):
            if rng.random() < 0.8:
                spans = []
                for _ in range(rng.randint(0, 6)):
                    start = rng.randrange(0, len(text) - 5)
                    spans.append((start, start + rng.randint(1, 25), rng.choice(LABELS)))
                layers[name] = [(s, min(e, len(text)), label) for s, e, label in spans]
        corpus.append(doc(f"d{number}", text, **layers))
    return corpus


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_records_add_up_in_any_order_through_json(seed: int) -> None:
    corpus = _study(seed)
    annotators = ["ann", "ben", "cid"]
    whole = agreement_matrices(corpus, annotators, LABELS)
    records = [json.loads(json.dumps(document_counts(d, LABELS))) for d in corpus]
    random.Random(seed).shuffle(records)
    assert matrices(sum_counts(records), annotators, LABELS) == whole
    # The diagonal is the overlap F1's matching, pair by pair.
    report = agreement_report([d for d in corpus if len(d.layers) >= 2], annotators, LABELS)
    for key, figures in report["annotator_matrix"]["pairs"].items():
        overlap = report["span_f1"]["pairs"][key]["overlap"]["micro"]
        assert figures["overlap_matches"] == overlap["matches"]
        assert (figures["n_a"], figures["n_b"]) == (overlap["n_a"], overlap["n_b"])
        assert figures["overlap_f1"] == overlap["f1"]
        assert figures["documents"] == report["span_f1"]["pairs"][key]["documents"]


def test_a_record_of_more_annotators_serves_a_narrower_choice() -> None:
    corpus = _study(5)
    records = [document_counts(d, LABELS) for d in corpus]
    assert matrices(sum_counts(records), ["ben", "ann"], LABELS) == agreement_matrices(
        corpus, ["ben", "ann"], LABELS
    )
