"""agreement_report against established implementations on random annotations (to 1e-9).

The units are rebuilt here the slow, obvious way — one value per character or token per
annotator, by scanning every span — and handed to scikit-learn's `cohen_kappa_score`,
statsmodels' `fleiss_kappa` and the `krippendorff` package; span matching is checked against
scipy's `linear_sum_assignment`. (Test-only dependencies.)
"""

from __future__ import annotations

import math
import re
import warnings
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review import AnnotatedSpan, DocumentAnnotations, agreement_report

np = pytest.importorskip("numpy")
krippendorff = pytest.importorskip("krippendorff")
sklearn_metrics = pytest.importorskip("sklearn.metrics")
inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
optimize = pytest.importorskip("scipy.optimize")

LABELS = ["actor", "claim", "figure"]
ALPHABET = ["a", "b", "c", " ", " ", "\n", "é", "😀", "\u00a0"]
TOLERANCE = 1e-9


@st.composite
def corpora(draw):
    """1–4 documents of up to 30 code points; 2–4 annotators, each doing a document or not."""
    annotators = [f"r{n}" for n in range(draw(st.integers(2, 4)))]
    documents = []
    for number in range(draw(st.integers(1, 4))):
        text = "".join(draw(st.lists(st.sampled_from(ALPHABET), max_size=30)))
        layers = {}
        for name in annotators:
            if draw(st.booleans()) or draw(st.booleans()):
                layers[name] = draw(span_lists(len(text)))
        documents.append(DocumentAnnotations(f"d{number}", text, layers))
    return documents, annotators


def span_lists(length: int):
    if length == 0:
        return st.just([])
    span = st.tuples(
        st.integers(0, length - 1), st.integers(1, length), st.sampled_from([*LABELS, "unchosen"])
    ).map(lambda t: AnnotatedSpan(min(t[0], t[1] - 1), max(t[1], t[0] + 1), t[2]))
    return st.lists(span, max_size=5)


def winner(spans: list[AnnotatedSpan]) -> str:
    """agreement.md's precedence among spans covering one unit."""
    if not spans:
        return "O"
    best = min(spans, key=lambda s: (s.end - s.start, s.start, LABELS.index(s.label)))
    return best.label


def chosen(spans: list[AnnotatedSpan]) -> list[AnnotatedSpan]:
    return [span for span in spans if span.label in LABELS]


def character_values(document: DocumentAnnotations, name: str) -> list[str]:
    spans = chosen(document.layers[name])
    return [winner([s for s in spans if s.start <= i < s.end]) for i in range(len(document.text))]


def character_bits(document: DocumentAnnotations, name: str, label: str) -> list[int]:
    spans = [s for s in document.layers[name] if s.label == label]
    return [int(any(s.start <= i < s.end for s in spans)) for i in range(len(document.text))]


def token_values(document: DocumentAnnotations, name: str) -> list[str]:
    spans = chosen(document.layers[name])
    return [
        winner([s for s in spans if s.start < token.end() and s.end > token.start()])
        for token in re.finditer(r"\S+", document.text)
    ]


def unit_matrix(documents, annotators, values_of) -> list[list[str | int | None]]:
    """Rows = annotators, columns = units of the counted documents, None = not done."""
    rows: list[list] = [[] for _ in annotators]
    for document in documents:
        if sum(name in document.layers for name in annotators) < 2:
            continue
        width = None
        for row, name in zip(rows, annotators, strict=True):
            if name in document.layers:
                values = values_of(document, name)
                width = len(values)
                row.extend(values)
        for row, name in zip(rows, annotators, strict=True):
            if name not in document.layers:
                row.extend([None] * width)
    return rows


def reference_cohen(first: list, second: list) -> float | None:
    shared = [(a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None]
    if not shared:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = sklearn_metrics.cohen_kappa_score([a for a, _ in shared], [b for _, b in shared])
    return None if math.isnan(kappa) else float(kappa)


def reference_fleiss(rows: list[list]) -> float | None:
    if not rows[0] or any(value is None for row in rows for value in row):
        return None
    codes = sorted({value for row in rows for value in row}, key=str)
    data = np.array([[codes.index(row[u]) for row in rows] for u in range(len(rows[0]))])
    table, _categories = inter_rater.aggregate_raters(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = inter_rater.fleiss_kappa(table, method="fleiss")
    return None if math.isnan(kappa) else float(kappa)


def reference_alpha(rows: list[list]) -> float | None:
    codes = sorted({value for row in rows for value in row if value is not None}, key=str)
    data = np.array(
        [[np.nan if value is None else codes.index(value) for value in row] for row in rows],
        dtype=float,
    )
    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    if len(set(pairable[~np.isnan(pairable)].tolist())) < 2:
        return None  # the package refuses a single-valued domain; agreement.md says null
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alpha = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    return None if math.isnan(alpha) else float(alpha)


def assert_same(ours: float | None, reference: float | None, what: str) -> None:
    if reference is None:
        assert ours is None, f"{what}: {ours} where the reference is undefined"
    else:
        assert ours is not None, f"{what}: None where the reference gives {reference}"
        assert abs(ours - reference) <= TOLERANCE, f"{what}: {ours} vs {reference}"


def check_level(section: dict, rows: list[list], annotators: list[str], complete: bool) -> None:
    for i, j in combinations(range(len(annotators)), 2):
        key = "|".join(sorted((annotators[i], annotators[j])))
        assert_same(section["cohen_kappa_pairwise"][key], reference_cohen(rows[i], rows[j]), key)
    fleiss = reference_fleiss(rows) if complete else None
    assert_same(section["fleiss_kappa"], fleiss, "fleiss")
    assert_same(section["krippendorff_alpha"], reference_alpha(rows), "alpha")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_coefficients_match_the_reference_implementations(corpus):
    documents, annotators = corpus
    report = agreement_report(documents, annotators, LABELS)
    counted = [d for d in documents if sum(name in d.layers for name in annotators) >= 2]
    complete = all(name in d.layers for d in counted for name in annotators)
    assert report["documents"] == len(counted)

    characters = unit_matrix(documents, annotators, character_values)
    check_level(report["character"], characters, annotators, complete)
    tokens = unit_matrix(documents, annotators, token_values)
    check_level(report["token"], tokens, annotators, complete)
    for label in LABELS:
        bits = unit_matrix(documents, annotators, lambda d, n, k=label: character_bits(d, n, k))
        figures = report["character"]["per_label"][label]
        assert_same(figures["krippendorff_alpha"], reference_alpha(bits), f"{label} alpha")
        kappas = [
            reference_cohen(bits[i], bits[j]) for i, j in combinations(range(len(annotators)), 2)
        ]
        defined = [k for k in kappas if k is not None]
        mean = sum(defined) / len(defined) if defined else None
        assert_same(figures["cohen_kappa_mean_over_pairs"], mean, f"{label} kappa mean")
    for document in counted:
        rows = unit_matrix([document], annotators, character_values)
        assert_same(
            report["per_document"][document.doc_id]["character_krippendorff_alpha"],
            reference_alpha(rows),
            f"{document.doc_id} alpha",
        )


@settings(max_examples=150, deadline=None)
@given(corpora())
def test_span_f1_counts_match_a_reference_matching(corpus):
    documents, annotators = corpus
    report = agreement_report(documents, annotators, LABELS)
    for first, second in combinations(sorted(annotators), 2):
        pair = report["span_f1"]["pairs"][f"{first}|{second}"]
        both = [d for d in documents if first in d.layers and second in d.layers]
        assert pair["documents"] == len(both)
        for label in LABELS:
            n_a = n_b = strict = overlap = 0
            for document in both:
                a = [(s.start, s.end) for s in document.layers[first] if s.label == label]
                b = [(s.start, s.end) for s in document.layers[second] if s.label == label]
                n_a, n_b = n_a + len(a), n_b + len(b)
                strict += sum(min(a.count(x), b.count(x)) for x in set(a))
                overlap += reference_matching(a, b)
            for kind, matches in (("strict", strict), ("overlap", overlap)):
                figures = pair[kind]["per_label"][label]
                assert (figures["n_a"], figures["n_b"], figures["matches"]) == (n_a, n_b, matches)


def reference_matching(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    if not a or not b:
        return 0
    overlap = np.array([[int(x0 < y1 and y0 < x1) for y0, y1 in b] for x0, x1 in a])
    rows, columns = optimize.linear_sum_assignment(overlap, maximize=True)
    return int(overlap[rows, columns].sum())
