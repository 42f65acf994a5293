"""Relation F1 (agreement.md "Relation F1"): figures computed by hand for small documents."""

from __future__ import annotations

import pytest

from review import AgreementError, agreement_report, render_report
from review.model import AnnotatedRelation, AnnotatedSpan, DocumentAnnotations
from review.relation_f1 import overlap_relation_matches, strict_relation_matches

TEXT = "x" * 100
LABELS = ["actor", "claim", "figure", "outcome"]


def span(start: int, end: int, label: str) -> AnnotatedSpan:
    return AnnotatedSpan(start, end, label)


def link(head: AnnotatedSpan, child: AnnotatedSpan, label: str) -> AnnotatedRelation:
    return AnnotatedRelation(head, child, label)


def document(doc_id: str, **relations: list[AnnotatedRelation]) -> DocumentAnnotations:
    """A document every named annotator did; their spans are their relations' ends."""
    layers = {
        name: sorted({end for r in drawn for end in (r.head, r.child)})
        for name, drawn in relations.items()
    }
    return DocumentAnnotations(doc_id, TEXT, layers, dict(relations))


# alice (the reference) and bob: one said_by the same, one with the claim's start moved,
# a `source` to a different actor, and a `part_of` only bob drew.
A1, C1, A2, C2, F1 = (
    span(0, 8, "actor"),
    span(10, 30, "claim"),
    span(40, 47, "actor"),
    span(50, 70, "claim"),
    span(72, 78, "figure"),
)
ALICE = [link(C1, A1, "said_by"), link(C2, A2, "said_by"), link(F1, A2, "source")]
BOB = [
    link(span(12, 30, "claim"), A1, "said_by"),
    link(C2, A2, "said_by"),
    link(F1, A1, "source"),
    link(F1, C2, "part_of"),
]


def test_strict_and_overlap_per_label_and_micro():
    report = agreement_report([document("d1", alice=ALICE, bob=BOB)], ["alice", "bob"], LABELS)
    section = report["relation_f1"]
    assert section["relation_labels"] == ["part_of", "said_by", "source"]
    pair = section["pairs"]["alice|bob"]
    assert pair["documents"] == 1
    said_by = pair["strict"]["per_label"]["said_by"]
    assert (said_by["n_a"], said_by["n_b"], said_by["matches"]) == (2, 2, 1)
    assert said_by["f1"] == pytest.approx(0.5, abs=1e-9)
    assert pair["overlap"]["per_label"]["said_by"]["f1"] == pytest.approx(1.0, abs=1e-9)
    # The figure is linked to another actor: no match, however the ends are compared.
    assert pair["overlap"]["per_label"]["source"]["matches"] == 0
    part_of = pair["strict"]["per_label"]["part_of"]
    assert (part_of["n_a"], part_of["n_b"], part_of["recall"], part_of["f1"]) == (0, 1, None, 0.0)
    strict, overlap = pair["strict"]["micro"], pair["overlap"]["micro"]
    assert (strict["n_a"], strict["n_b"], strict["matches"]) == (3, 4, 1)
    assert strict["precision"] == pytest.approx(1 / 4, abs=1e-9)
    assert strict["recall"] == pytest.approx(1 / 3, abs=1e-9)
    assert strict["f1"] == pytest.approx(2 / 7, abs=1e-9)
    assert overlap["matches"] == 2
    assert overlap["f1"] == pytest.approx(4 / 7, abs=1e-9)
    assert section["mean_over_pairs"] == {
        "strict_micro_f1": pytest.approx(2 / 7, abs=1e-9),
        "overlap_micro_f1": pytest.approx(4 / 7, abs=1e-9),
    }
    assert report["per_document"]["d1"]["relation_f1_strict_micro"] == pytest.approx(2 / 7)


def test_chosen_relation_labels_only_count():
    report = agreement_report(
        [document("d1", alice=ALICE, bob=BOB)], ["alice", "bob"], LABELS, ["said_by"]
    )
    micro = report["relation_f1"]["pairs"]["alice|bob"]["strict"]["micro"]
    assert (micro["n_a"], micro["n_b"], micro["matches"]) == (2, 2, 1)
    assert list(report["relation_f1"]["pairs"]["alice|bob"]["strict"]["per_label"]) == ["said_by"]


def test_matching_is_one_to_one():
    # bob drew the same link twice (two overlapping claims): one of them can match, not both.
    alice = [link(C1, A1, "said_by")]
    bob = [link(span(10, 20, "claim"), A1, "said_by"), link(span(15, 30, "claim"), A1, "said_by")]
    report = agreement_report([document("d", alice=alice, bob=bob)], ["alice", "bob"], LABELS)
    overlap = report["relation_f1"]["pairs"]["alice|bob"]["overlap"]["micro"]
    assert (overlap["matches"], overlap["f1"]) == (1, pytest.approx(2 / 3, abs=1e-9))


def test_matching_is_of_maximum_cardinality_not_greedy():
    # r1's claim overlaps both of bob's claims, r2's only the first: a greedy pass in list order
    # pairs r1 with s1 and leaves r2 alone (1); the maximum pairs r1-s2 and r2-s1 (2).
    actor = (30, 35, "actor")
    reference = [((0, 20, "claim"), actor), ((0, 5, "claim"), actor)]
    predicted = [((3, 8, "claim"), actor), ((10, 15, "claim"), actor)]
    assert overlap_relation_matches(reference, predicted) == 2
    assert strict_relation_matches(reference, predicted) == 0


def test_ends_must_agree_in_span_label_and_share_a_character():
    actor = span(30, 35, "actor")
    alice = [link(span(0, 10, "claim"), actor, "said_by")]
    same_text_other_label = [link(span(0, 10, "figure"), actor, "said_by")]
    touching = [link(span(10, 20, "claim"), actor, "said_by")]
    for bob in (same_text_other_label, touching):
        report = agreement_report([document("d", alice=alice, bob=bob)], ["alice", "bob"], LABELS)
        assert report["relation_f1"]["pairs"]["alice|bob"]["overlap"]["micro"]["matches"] == 0


def test_direction_matters():
    alice = [link(C1, A1, "said_by")]
    bob = [link(A1, C1, "said_by")]
    report = agreement_report([document("d", alice=alice, bob=bob)], ["alice", "bob"], LABELS)
    assert report["relation_f1"]["pairs"]["alice|bob"]["overlap"]["micro"]["f1"] == 0.0


def test_no_relations_at_all_is_undefined_with_a_note():
    spans_only = DocumentAnnotations("d", TEXT, {"alice": [A1], "bob": [A1]})
    report = agreement_report([spans_only], ["alice", "bob"], LABELS, ["said_by"])
    pair = report["relation_f1"]["pairs"]["alice|bob"]
    assert pair["strict"]["micro"]["f1"] is None and pair["overlap"]["micro"]["f1"] is None
    assert report["relation_f1"]["mean_over_pairs"]["strict_micro_f1"] is None
    assert any("relation F1 is undefined" in note for note in report["notes"])
    assert report["per_document"]["d"]["relation_f1_strict_micro"] is None


def test_pairs_use_only_documents_both_did_and_the_mean_is_over_pairs():
    # carol did only d2; her relations there agree with alice's.
    d1 = document("d1", alice=ALICE, bob=BOB)
    d2 = document("d2", alice=[link(C1, A1, "said_by")], carol=[link(C1, A1, "said_by")])
    report = agreement_report([d1, d2], ["alice", "bob", "carol"], LABELS)
    pairs = report["relation_f1"]["pairs"]
    assert pairs["alice|carol"]["documents"] == 1
    assert pairs["alice|carol"]["strict"]["micro"]["f1"] == 1.0
    assert pairs["bob|carol"]["documents"] == 0
    assert pairs["bob|carol"]["strict"]["micro"]["f1"] is None
    mean = report["relation_f1"]["mean_over_pairs"]["strict_micro_f1"]
    assert mean == pytest.approx((2 / 7 + 1.0) / 2, abs=1e-9)


def test_a_relation_end_outside_the_text_is_refused():
    bad = [link(span(90, 120, "claim"), A1, "said_by")]
    with pytest.raises(AgreementError, match="outside the text"):
        agreement_report([document("d", alice=bad, bob=ALICE)], ["alice", "bob"], LABELS)


def test_the_table_view_shows_relation_f1():
    from rich.console import Console

    report = agreement_report([document("d1", alice=ALICE, bob=BOB)], ["alice", "bob"], LABELS)
    console = Console(width=140, record=True)
    console.print(render_report(report))
    shown = console.export_text()
    assert "relation F1 strict, mean over pairs" in shown and "0.286" in shown
    assert "said_by (mean over pairs)" in shown and "0.571" in shown
