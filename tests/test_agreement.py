"""agreement_report on small hand-checked cases: every coefficient, every null case, the units."""

from __future__ import annotations

import re
import subprocess
import sys
from fractions import Fraction

import pytest

from review import AgreementError, AnnotatedSpan, DocumentAnnotations, agreement_report

LABELS = ["actor", "claim", "figure", "outcome"]


def doc(doc_id: str, text: str, **layers: list[tuple[int, int, str]]) -> DocumentAnnotations:
    """A document with the given annotators' spans (every named annotator marked it done)."""
    return DocumentAnnotations(
        doc_id,
        text,
        {name: [AnnotatedSpan(*span) for span in spans] for name, spans in layers.items()},
    )


def close(value: float | None, expected: float | Fraction) -> bool:
    return value is not None and abs(value - float(expected)) < 1e-12


# Ten characters; alice marks 0-5 as actor, bob 0-3.
TWO_RATERS = doc("d1", "abcdefghij", alice=[(0, 5, "actor")], bob=[(0, 3, "actor")])
# Four characters; ann 0-2, ben 0-1, cat nothing (but done).
THREE_RATERS = doc("d1", "abcd", ann=[(0, 2, "actor")], ben=[(0, 1, "actor")], cat=[])


def test_two_raters_character_coefficients_by_hand():
    report = agreement_report([TWO_RATERS], ["alice", "bob"], LABELS)
    character = report["character"]
    # p_o = 8/10, p_e = (5·3 + 5·7)/100 = 1/2.
    assert close(character["cohen_kappa_pairwise"]["alice|bob"], Fraction(6, 10))
    assert close(character["cohen_kappa_mean_over_pairs"], Fraction(6, 10))
    # P̄ = 8/10, p_actor = 8/20, P̄_e = 0.16 + 0.36.
    assert close(character["fleiss_kappa"], Fraction(7, 12))
    # n = 20, n_actor = 8, n_O = 12, o_actor,O = o_O,actor = 2: 1 − (4/20)/(192/380).
    assert close(character["krippendorff_alpha"], Fraction(29, 48))
    assert character["units"] == 10
    # Binary actor-or-not is the same data here; other labels occur nowhere: undefined.
    assert close(character["per_label"]["actor"]["krippendorff_alpha"], Fraction(29, 48))
    assert close(character["per_label"]["actor"]["cohen_kappa_mean_over_pairs"], Fraction(6, 10))
    assert character["per_label"]["claim"] == {
        "krippendorff_alpha": None,
        "cohen_kappa_mean_over_pairs": None,
    }


def test_three_raters_character_coefficients_by_hand():
    report = agreement_report([THREE_RATERS], ["ann", "ben", "cat"], LABELS)
    character = report["character"]
    pairwise = character["cohen_kappa_pairwise"]
    assert list(pairwise) == ["ann|ben", "ann|cat", "ben|cat"]
    assert close(pairwise["ann|ben"], Fraction(1, 2))  # p_o 3/4, p_e 1/2
    assert close(pairwise["ann|cat"], 0)  # p_o 1/2, p_e 1/2
    assert close(pairwise["ben|cat"], 0)  # p_o 3/4, p_e 3/4
    assert close(character["cohen_kappa_mean_over_pairs"], Fraction(1, 6))
    # P_i = 1/3, 1/3, 1, 1 → P̄ = 2/3; p = 1/4, 3/4 → P̄_e = 5/8.
    assert close(character["fleiss_kappa"], Fraction(1, 9))
    # Σ_{c≠k} o_ck = 2 + 2, n = 12, n_actor = 3, n_O = 9: 1 − (4/12)/(54/132).
    assert close(character["krippendorff_alpha"], Fraction(5, 27))


def test_undefined_figures_are_null_not_zero_or_one():
    # Both done, nobody marked anything: every character is O for both.
    empty = doc("d1", "some text", alice=[], bob=[])
    report = agreement_report([empty], ["alice", "bob"], LABELS)
    for level in ("character", "token"):
        assert report[level]["cohen_kappa_pairwise"] == {"alice|bob": None}  # p_e = 1
        assert report[level]["cohen_kappa_mean_over_pairs"] is None
        assert report[level]["fleiss_kappa"] is None  # P̄_e = 1
        assert report[level]["krippendorff_alpha"] is None  # one value only
    pair = report["span_f1"]["pairs"]["alice|bob"]
    assert pair["documents"] == 1
    for kind in ("strict", "overlap"):
        assert pair[kind]["micro"] == {
            "n_a": 0,
            "n_b": 0,
            "matches": 0,
            "precision": None,
            "recall": None,
            "f1": None,
        }
        assert pair[kind]["macro_f1"] is None
    assert report["span_f1"]["mean_over_pairs"] == {
        "strict_micro_f1": None,
        "overlap_micro_f1": None,
    }
    assert report["unitizing_alpha"] == {"mean_over_documents": None, "documents_averaged": 0}
    assert report["per_document"]["d1"]["unitizing_alpha"] is None
    assert report["per_document"]["d1"]["span_f1_strict_micro"] is None
    assert report["notes"]


def test_whole_document_under_one_label_by_both_is_undefined_kappa():
    same = doc("d1", "abc", alice=[(0, 3, "claim")], bob=[(0, 3, "claim")])
    report = agreement_report([same], ["alice", "bob"], LABELS)
    assert report["character"]["cohen_kappa_pairwise"]["alice|bob"] is None
    assert report["character"]["krippendorff_alpha"] is None
    assert report["span_f1"]["pairs"]["alice|bob"]["strict"]["micro"]["f1"] == 1.0


def test_no_counted_document_leaves_everything_undefined():
    lonely = doc("d1", "text here", alice=[(0, 4, "actor")])
    report = agreement_report([lonely], ["alice", "bob"], LABELS)
    assert report["documents"] == 0
    assert report["per_document"] == {}
    assert report["character"]["krippendorff_alpha"] is None
    assert report["character"]["cohen_kappa_pairwise"] == {"alice|bob": None}
    assert report["character"]["units"] == 0
    assert report["span_f1"]["pairs"]["alice|bob"]["documents"] == 0
    assert report["notes"] == ["no document was done by at least two of the chosen annotators"]


def test_missing_annotators_are_missing_data_not_empty_layers():
    documents = [
        doc("d1", "abcdefghij", a=[(0, 5, "actor")], b=[(0, 5, "actor")]),
        doc("d2", "abcdefghij", a=[(0, 5, "actor")], c=[(5, 10, "claim")]),
        doc("d3", "abcdefghij", a=[(0, 5, "actor")]),  # only one chosen annotator: not counted
        doc("d4", "abcdefghij", b=[], z=[(0, 5, "actor")]),  # z is not chosen: not counted
    ]
    report = agreement_report(documents, ["a", "b", "c"], LABELS)
    assert report["documents"] == 2
    assert list(report["per_document"]) == ["d1", "d2"]
    assert report["per_document"]["d2"]["annotators"] == ["a", "c"]
    pairs = report["span_f1"]["pairs"]
    assert {key: pair["documents"] for key, pair in pairs.items()} == {"a|b": 1, "a|c": 1, "b|c": 0}
    assert pairs["b|c"]["strict"]["micro"]["f1"] is None
    character = report["character"]
    assert character["cohen_kappa_pairwise"]["b|c"] is None  # no shared unit
    assert character["cohen_kappa_pairwise"]["a|b"] == 1.0  # d1 only, where they agree
    assert character["fleiss_kappa"] is None  # b did not do d2, c did not do d1
    assert any("Fleiss" in note for note in report["notes"])
    # 20 pairable characters: d1 agrees everywhere; d2 disagrees everywhere (actor/O vs O/claim).
    # n = 40: actor 10 + 5, O 10 + 10, claim 5; Σ_{c≠k} o_ck = 2 per d2 character.
    expected = 1 - Fraction(20, 40) / Fraction(40 * 40 - (15 * 15 + 20 * 20 + 5 * 5), 40 * 39)
    assert close(character["krippendorff_alpha"], expected)
    assert character["units"] == 20


def test_overlapping_spans_of_one_annotator_follow_the_precedence_rule():
    text = "0123456789"
    cases = [
        # the shortest span wins
        ([(0, 6, "actor"), (2, 4, "claim")], [(0, 2, "actor"), (2, 4, "claim"), (4, 6, "actor")]),
        # equal lengths: the smaller start wins
        ([(0, 4, "actor"), (2, 6, "claim")], [(0, 4, "actor"), (4, 6, "claim")]),
        ([(2, 6, "actor"), (0, 4, "claim")], [(0, 4, "claim"), (4, 6, "actor")]),
        # same offsets: the label listed first in the label set wins
        ([(1, 5, "figure"), (1, 5, "claim")], [(1, 5, "claim")]),
    ]
    for overlapping, flat in cases:
        report = agreement_report([doc("d", text, a=overlapping, b=flat)], ["a", "b"], LABELS)
        assert report["character"]["krippendorff_alpha"] == 1.0, overlapping
        assert report["character"]["cohen_kappa_pairwise"]["a|b"] == 1.0, overlapping
    # The label order decides, not the alphabet.
    report = agreement_report(
        [doc("d", text, a=[(1, 5, "figure"), (1, 5, "claim")], b=[(1, 5, "figure")])],
        ["a", "b"],
        ["figure", "claim"],
    )
    assert report["character"]["krippendorff_alpha"] == 1.0


def test_per_label_units_count_every_covering_span_not_only_the_winner():
    # a: claim 0-6 with an actor 2-4 inside; b: claim 0-6 only. Binary claim agrees everywhere.
    text = "0123456789"
    report = agreement_report(
        [doc("d", text, a=[(0, 6, "claim"), (2, 4, "actor")], b=[(0, 6, "claim")])],
        ["a", "b"],
        LABELS,
    )
    per_label = report["character"]["per_label"]
    assert per_label["claim"]["krippendorff_alpha"] == 1.0
    assert per_label["claim"]["cohen_kappa_mean_over_pairs"] == 1.0
    # Binary actor: a has 2 ones, b none: p_o = 8/10, p_e = (2·0 + 8·10)/100.
    assert close(per_label["actor"]["cohen_kappa_mean_over_pairs"], 0)
    # The main (winner) values disagree on the actor characters.
    assert report["character"]["krippendorff_alpha"] < 1.0


def test_token_level_labels_from_any_overlap_with_precedence():
    text = "Hamas  and Fatah met."
    # Tokens: Hamas(0-5) and(7-10) Fatah(11-16) met.(17-21)
    a = [(0, 5, "actor"), (4, 12, "claim")]  # Hamas: actor (shorter); and, Fatah: claim
    b = [(1, 2, "actor"), (8, 9, "claim"), (15, 16, "claim")]  # one character of each is enough
    report = agreement_report([doc("d", text, a=a, b=b)], ["a", "b"], LABELS)
    token = report["token"]
    assert token["units"] == 4
    assert token["cohen_kappa_pairwise"]["a|b"] == 1.0
    assert token["krippendorff_alpha"] == 1.0
    assert report["character"]["krippendorff_alpha"] < 0.5


def test_a_span_over_whitespace_only_touches_no_token():
    text = "one   two"
    report = agreement_report(
        [doc("d", text, a=[(3, 6, "actor")], b=[], c=[(0, 3, "claim")])], ["a", "b", "c"], LABELS
    )
    # Tokens: one, two. a: O O (only spaces marked); b: O O; c: claim O.
    assert report["token"]["units"] == 2
    assert report["token"]["cohen_kappa_pairwise"]["a|b"] is None  # all O for both: p_e = 1
    assert close(report["token"]["cohen_kappa_pairwise"]["a|c"], 0)


def test_offsets_are_code_points():
    text = "😀 Zürich\u00a0e\u0301 🙂x"  # emoji, NBSP (a space to \S), a combining accent
    assert len(text.encode("utf-16-le")) // 2 != len(text)
    zurich = text.index("Zürich")
    a = [(zurich, zurich + 6, "actor"), (len(text) - 1, len(text), "figure")]
    report = agreement_report([doc("d", text, a=a, b=list(a))], ["a", "b"], LABELS)
    assert report["character"]["units"] == len(text)
    assert report["token"]["units"] == len(re.findall(r"\S+", text)) == 4
    assert report["span_f1"]["pairs"]["a|b"]["strict"]["micro"]["f1"] == 1.0
    assert report["character"]["krippendorff_alpha"] == 1.0


def test_str_split_and_regex_agree_on_whitespace_everywhere():
    # profiles.token_counters relies on this to count tokens without a regex.
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert {c for c in every if c.isspace()} == set(re.findall(r"\s", every))


def test_only_chosen_labels_count():
    text = "0123456789"
    a = [(0, 3, "actor"), (5, 9, "note")]
    b = [(0, 3, "actor")]
    report = agreement_report([doc("d", text, a=a, b=b)], ["a", "b"], ["actor"])
    assert report["labels"] == ["actor"]
    assert report["character"]["krippendorff_alpha"] == 1.0
    assert report["span_f1"]["pairs"]["a|b"]["strict"]["micro"]["n_a"] == 1


def test_pair_keys_sort_names_and_the_first_name_is_the_reference():
    text = "0123456789"
    # zoe (first in the chosen order) has 2 spans, adam 1 of them: adam|zoe, adam = reference.
    documents = [doc("d", text, zoe=[(0, 2, "actor"), (4, 6, "actor")], adam=[(0, 2, "actor")])]
    report = agreement_report(documents, ["zoe", "adam"], LABELS)
    assert report["annotators"] == ["zoe", "adam"]
    figures = report["span_f1"]["pairs"]["adam|zoe"]["strict"]["per_label"]["actor"]
    assert figures == {
        "n_a": 1,
        "n_b": 2,
        "matches": 1,
        "precision": 0.5,
        "recall": 1.0,
        "f1": 2 / 3,
    }
    micro = report["span_f1"]["pairs"]["adam|zoe"]["strict"]["micro"]
    assert micro["precision"] == 0.5 and micro["recall"] == 1.0


def test_report_has_the_json_shape_of_the_contract():
    report = agreement_report([TWO_RATERS], ["alice", "bob"], LABELS)
    assert {
        "annotators",
        "labels",
        "documents",
        "span_f1",
        "character",
        "token",
        "unitizing_alpha",
        "per_document",
    } <= set(report)
    assert report["documents"] == 1
    pair = report["span_f1"]["pairs"]["alice|bob"]
    assert set(pair) == {"documents", "strict", "overlap"}
    assert set(pair["strict"]) == {"per_label", "micro", "macro_f1"}
    assert list(pair["strict"]["per_label"]) == LABELS
    assert set(report["character"]) >= {
        "cohen_kappa_pairwise",
        "cohen_kappa_mean_over_pairs",
        "fleiss_kappa",
        "krippendorff_alpha",
        "per_label",
    }
    assert set(report["per_document"]["d1"]) >= {
        "annotators",
        "span_f1_strict_micro",
        "character_krippendorff_alpha",
        "unitizing_alpha",
    }
    import json

    assert json.loads(json.dumps(report)) == report


def test_span_f1_per_label_micro_and_macro():
    text = "x" * 40
    a = [(0, 5, "actor"), (10, 15, "actor"), (20, 25, "claim")]
    b = [(0, 5, "actor"), (11, 15, "actor"), (30, 35, "figure")]
    report = agreement_report([doc("d", text, a=a, b=b)], ["a", "b"], LABELS)
    strict = report["span_f1"]["pairs"]["a|b"]["strict"]
    overlap = report["span_f1"]["pairs"]["a|b"]["overlap"]
    assert strict["per_label"]["actor"]["f1"] == 0.5
    assert overlap["per_label"]["actor"]["f1"] == 1.0
    assert strict["per_label"]["claim"] == {
        "n_a": 1,
        "n_b": 0,
        "matches": 0,
        "precision": None,
        "recall": 0.0,
        "f1": 0.0,
    }
    assert strict["per_label"]["figure"]["precision"] == 0.0
    assert strict["per_label"]["figure"]["recall"] is None
    assert strict["per_label"]["outcome"]["f1"] is None
    assert strict["micro"]["f1"] == 2 * 1 / 6
    assert overlap["micro"]["f1"] == 2 * 2 / 6
    assert strict["macro_f1"] == (0.5 + 0 + 0) / 3  # outcome is undefined, left out
    assert report["span_f1"]["mean_over_pairs"]["overlap_micro_f1"] == 2 * 2 / 6


def test_unitizing_alpha_mean_over_documents():
    text = "0123456789"
    documents = [
        doc("same", text, a=[(2, 5, "actor")], b=[(2, 5, "actor")]),
        doc("shifted", text, a=[(2, 5, "actor")], b=[(3, 6, "actor")]),
        doc("blank", text, a=[], b=[]),
    ]
    report = agreement_report(documents, ["a", "b"], LABELS)
    # shifted: D_o = 2·2/(2·100); D_e = (2/10)·128/368 (see test_agreement_unitizing).
    shifted = 1 - 0.02 / (0.2 * 128 / 368)
    assert report["per_document"]["same"]["unitizing_alpha"] == 1.0
    assert close(report["per_document"]["shifted"]["unitizing_alpha"], shifted)
    assert report["per_document"]["blank"]["unitizing_alpha"] is None
    assert report["unitizing_alpha"]["documents_averaged"] == 2
    assert close(report["unitizing_alpha"]["mean_over_documents"], (1 + shifted) / 2)


@pytest.mark.parametrize(
    ("documents", "annotators", "labels", "message"),
    [
        ([doc("d", "abc", a=[(0, 4, "actor")], b=[])], ["a", "b"], LABELS, "outside the text"),
        ([doc("d", "abc", a=[(2, 2, "actor")], b=[])], ["a", "b"], LABELS, "empty"),
        ([doc("d", "abc", a=[(-1, 2, "actor")], b=[])], ["a", "b"], LABELS, "outside the text"),
        ([doc("d", "abc", a=[], b=[]), doc("d", "x", a=[])], ["a", "b"], LABELS, "listed twice"),
        ([], ["a", "b", "a"], LABELS, "annotator 'a' is chosen twice"),
        ([], ["a", "b"], ["actor", "actor"], "label 'actor' is chosen twice"),
    ],
)
def test_bad_input_is_one_clear_error(documents, annotators, labels, message):
    with pytest.raises(AgreementError, match=message) as caught:
        agreement_report(documents, annotators, labels)
    assert "\n" not in str(caught.value)


def test_review_imports_no_ui_and_no_database():
    code = (
        "import sys, review, review.agreement, review.render\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'tui', 'store', 'sqlmodel', 'sqlalchemy', 'numpy')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(_repo_root()))


def _repo_root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent
