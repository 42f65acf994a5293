"""`agreement_report`: every figure of agreement.md for a set of documents, annotators, labels.

Pure: plain data in (see `review.model`), the `factmark agreement --json` dictionary out, with
`None` wherever a figure is undefined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import combinations
from typing import Any

from review.coefficients import (
    Profile,
    ProfileTable,
    add_table,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    mean_of_defined,
    recode,
)
from review.matrices import CountRecord, add_counts, matrices
from review.matrices import document_counts as matrix_counts
from review.model import AgreementError, DocumentAnnotations, IndexedSpan, indexed_spans
from review.profiles import character_table, code_covers, code_value, token_table
from review.relation_f1 import (
    RelationTotals,
    add_relation_document,
    relation_f1_section,
    relation_keys,
    relation_notes,
)
from review.span_f1 import Interval, f1_figures, overlap_matches, strict_matches
from review.unitizing import document_alpha


@dataclass(frozen=True)
class Pair:
    """Two chosen annotators: `first` sorts before `second`; `key` is `"first|second"`."""

    key: str
    first: int  # position in the chosen annotators
    second: int


@dataclass
class PairTotals:
    """Span counts of one pair summed over the documents both did, per label."""

    documents: int = 0
    n_a: list[int] = field(default_factory=list)
    n_b: list[int] = field(default_factory=list)
    strict: list[int] = field(default_factory=list)
    overlap: list[int] = field(default_factory=list)


@dataclass
class Corpus:
    """What the document pass gathers for the pooled figures."""

    documents: int = 0
    everyone_did_everything: bool = True
    characters: ProfileTable[int] = field(default_factory=dict)
    tokens: ProfileTable[int] = field(default_factory=dict)
    unitizing: list[float] = field(default_factory=list)
    per_document: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Character-code profiles already turned into value profiles (see `recode`).
    value_profiles: dict[Profile[int], Profile[int]] = field(default_factory=dict)


def agreement_report(
    documents: Sequence[DocumentAnnotations],
    annotators: Sequence[str],
    labels: Sequence[str],
    relation_labels: Sequence[str] | None = None,
) -> dict[str, Any]:
    """agreement.md's `--json` report over the documents at least two chosen annotators did.

    Only spans whose label is in `labels` count; the order of `labels` breaks precedence ties.
    Only relations whose label is in `relation_labels` count (None: every label drawn).
    Raises `AgreementError` on repeated names or document ids and on spans outside their text.
    """
    annotators, labels = list(annotators), list(labels)
    if relation_labels is None:
        relation_labels = drawn_relation_labels(documents)
    relation_labels = list(relation_labels)
    check_choice(annotators, labels)
    check_choice([], relation_labels, "relation label")
    seen: set[str] = set()
    parts = []
    for document in documents:
        if document.doc_id in seen:
            raise AgreementError(f"document {document.doc_id!r} is listed twice")
        seen.add(document.doc_id)
        part = document_counts(document, annotators, labels, relation_labels)
        if part is not None:
            parts.append(part)
    return report_from_counts(parts, annotators, labels, relation_labels)


@dataclass
class DocumentCounts:
    """One counted document's share of the study: every count the report sums over documents
    (all additive), and the document's own figures (`entry`, its `per_document` item).

    What the store keeps per document (see `review.figure_payload`), so a study's report is
    summed from these without reading the spans of documents that did not change.
    """

    doc_id: str
    complete: bool  # every chosen annotator did the document
    characters: ProfileTable[int]
    tokens: ProfileTable[int]
    span_pairs: dict[str, PairTotals]  # pairs who both did the document
    relation_pairs: dict[str, RelationTotals]
    unitizing_alpha: float | None
    entry: dict[str, Any]
    # The label confusion and annotator matrices' counts (review.matrices), pairs of the chosen.
    matrix_counts: CountRecord = field(default_factory=dict)


def document_counts(
    document: DocumentAnnotations,
    annotators: Sequence[str],
    labels: Sequence[str],
    relation_labels: Sequence[str],
) -> DocumentCounts | None:
    """The document's counts, or None when fewer than two chosen annotators did it."""
    annotators = list(annotators)
    label_index = {label: index for index, label in enumerate(labels)}
    layers = [
        indexed_spans(document, name, label_index) if name in document.layers else None
        for name in annotators
    ]
    if sum(spans is not None for spans in layers) < 2:
        return None
    pairs = annotator_pairs(annotators)
    counts = span_counts(document, layers, annotators, pairs, len(labels))
    add_relations(counts, pairs, document, annotators, list(relation_labels))
    chosen = {name: document.layers[name] for name in annotators if name in document.layers}
    counts.matrix_counts = matrix_counts(replace(document, layers=chosen), labels)
    return counts


def report_from_counts(
    parts: Iterable[DocumentCounts],
    annotators: Sequence[str],
    labels: Sequence[str],
    relation_labels: Sequence[str],
) -> dict[str, Any]:
    """The `--json` report summed from documents' counts (in the order given)."""
    annotators, labels = list(annotators), list(labels)
    pairs = annotator_pairs(annotators)
    totals = {pair.key: PairTotals(0, *([0] * len(labels) for _ in range(4))) for pair in pairs}
    relation_totals = {pair.key: RelationTotals() for pair in pairs}
    corpus = Corpus()
    matrix_total: CountRecord = {}
    for part in parts:
        pool_counts(corpus, totals, relation_totals, part)
        add_counts(matrix_total, part.matrix_counts)
    report = assemble_report(corpus, totals, pairs, annotators, labels)
    report["relation_f1"] = relation_f1_section(relation_totals, relation_labels)
    report["notes"] += relation_notes(report["relation_f1"]) if corpus.documents else []
    report.update(matrices(matrix_total, annotators, labels))
    return report


def pool_counts(
    corpus: Corpus,
    totals: dict[str, PairTotals],
    relation_totals: dict[str, RelationTotals],
    part: DocumentCounts,
) -> None:
    """Add one document's counts to the study's."""
    corpus.documents += 1
    corpus.everyone_did_everything &= part.complete
    add_table(corpus.characters, part.characters)
    add_table(corpus.tokens, part.tokens)
    for key, pair in part.span_pairs.items():
        total = totals[key]
        total.documents += pair.documents
        for name in ("n_a", "n_b", "strict", "overlap"):
            into, values = getattr(total, name), getattr(pair, name)
            for index, value in enumerate(values):
                into[index] += value
    for key, relations in part.relation_pairs.items():
        relation_total = relation_totals[key]
        relation_total.documents += relations.documents
        for name in KINDS_AND_SIZES:
            into_counter: Counter[str] = getattr(relation_total, name)
            for label, value in getattr(relations, name).items():
                into_counter[label] += value
    if part.unitizing_alpha is not None:
        corpus.unitizing.append(part.unitizing_alpha)
    corpus.per_document[part.doc_id] = part.entry


KINDS_AND_SIZES = ("n_a", "n_b", "strict", "overlap")


def empty_totals() -> DocumentCounts:
    """A sum of no documents' counts (see `add_to_totals`)."""
    return DocumentCounts("", True, {}, {}, {}, {}, None, {})


def add_to_totals(
    totals: DocumentCounts, part: DocumentCounts, label_count: int, sign: int = 1
) -> None:
    """Add (`sign` 1) or take away (-1) one document's additive counts: characters, tokens,
    span and relation counts per pair. Exact integers, so taking away what was added restores
    the sum; a profile whose count drops to 0 goes, as if never added."""
    for total_table, table in ((totals.characters, part.characters), (totals.tokens, part.tokens)):
        for profile, count in table.items():
            value = total_table.get(profile, 0) + sign * count
            if value:
                total_table[profile] = value
            else:
                total_table.pop(profile, None)
    for key, pair in part.span_pairs.items():
        total = totals.span_pairs.get(key)
        if total is None:
            total = totals.span_pairs[key] = PairTotals(0, *([0] * label_count for _ in range(4)))
        total.documents += sign * pair.documents
        for name in KINDS_AND_SIZES:
            into, values = getattr(total, name), getattr(pair, name)
            for index, value in enumerate(values):
                into[index] += sign * value
    for key, relations in part.relation_pairs.items():
        relation_total = totals.relation_pairs.setdefault(key, RelationTotals())
        relation_total.documents += sign * relations.documents
        for name in KINDS_AND_SIZES:
            counter: Counter[str] = getattr(relation_total, name)
            for label, value in getattr(relations, name).items():
                counter[label] += sign * value
    add_counts(totals.matrix_counts, part.matrix_counts, sign)


def report_from_totals(
    totals: DocumentCounts,
    entries: dict[str, dict[str, Any]],
    annotators: Sequence[str],
    labels: Sequence[str],
    relation_labels: Sequence[str],
) -> dict[str, Any]:
    """The `--json` report from the study's summed counts and each counted document's own
    figures (`entries`, in document order: the unitizing mean adds them in that order)."""
    annotators, labels = list(annotators), list(labels)
    pairs = annotator_pairs(annotators)
    corpus = Corpus(
        documents=len(entries),
        everyone_did_everything=all(
            len(entry["annotators"]) == len(annotators) for entry in entries.values()
        ),
        characters=totals.characters,
        tokens=totals.tokens,
        unitizing=[
            entry["unitizing_alpha"]
            for entry in entries.values()
            if entry["unitizing_alpha"] is not None
        ],
        per_document=entries,
    )
    span_totals = {
        pair.key: totals.span_pairs.get(pair.key)
        or PairTotals(0, *([0] * len(labels) for _ in range(4)))
        for pair in pairs
    }
    relation_totals = {
        pair.key: totals.relation_pairs.get(pair.key) or RelationTotals() for pair in pairs
    }
    report = assemble_report(corpus, span_totals, pairs, annotators, labels)
    report["relation_f1"] = relation_f1_section(relation_totals, relation_labels)
    report["notes"] += relation_notes(report["relation_f1"]) if corpus.documents else []
    report.update(matrices(totals.matrix_counts, annotators, labels))
    return report


def drawn_relation_labels(documents: Sequence[DocumentAnnotations]) -> list[str]:
    """Every relation label some annotator drew, sorted."""
    return sorted(
        {r.label for document in documents for drawn in document.relations.values() for r in drawn}
    )


def add_relations(
    counts: DocumentCounts,
    pairs: list[Pair],
    document: DocumentAnnotations,
    annotators: list[str],
    relation_labels: list[str],
) -> None:
    """Count one document's relations per pair (pairs who both did it)."""
    chosen, length = set(relation_labels), len(document.text)
    keys = [
        relation_keys(document.doc_id, name, length, document.relations.get(name, ()), chosen)
        if name in document.layers
        else None
        for name in annotators
    ]
    strict_f1: list[float | None] = []
    for pair in pairs:
        first, second = keys[pair.first], keys[pair.second]
        if first is not None and second is not None:
            totals = counts.relation_pairs[pair.key] = RelationTotals()
            strict_f1.append(add_relation_document(totals, first, second)[0])
    counts.entry["relation_f1_strict_micro"] = mean_of_defined(strict_f1)


def check_choice(annotators: list[str], labels: list[str], label_kind: str = "label") -> None:
    """Refuse a chosen annotator or label listed twice: its figures would be ambiguous."""
    for kind, names in (("annotator", annotators), (label_kind, labels)):
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise AgreementError(f"{kind} {repeated[0]!r} is chosen twice")


def annotator_pairs(annotators: list[str]) -> list[Pair]:
    """Every pair of chosen annotators, names in sorted order, sorted by key."""
    pairs = []
    for i, j in combinations(range(len(annotators)), 2):
        first, second = (i, j) if annotators[i] <= annotators[j] else (j, i)
        pairs.append(Pair(f"{annotators[first]}|{annotators[second]}", first, second))
    return sorted(pairs, key=lambda pair: pair.key)


def span_counts(
    document: DocumentAnnotations,
    layers: list[list[IndexedSpan] | None],
    annotators: list[str],
    pairs: list[Pair],
    label_count: int,
) -> DocumentCounts:
    """One counted document's character, token and span counts and its own figures."""
    length = len(document.text)
    characters = character_table(length, layers, label_count)
    tokens = token_table(document.text, layers, label_count)
    by_label = [None if spans is None else spans_by_label(spans, label_count) for spans in layers]
    span_pairs: dict[str, PairTotals] = {}
    strict_f1: list[float | None] = []
    overlap_f1: list[float | None] = []
    for pair in pairs:
        first, second = by_label[pair.first], by_label[pair.second]
        if first is not None and second is not None:
            totals = PairTotals(0, *([0] * label_count for _ in range(4)))
            strict, overlap = add_pair_document(totals, first, second)
            span_pairs[pair.key] = totals
            strict_f1.append(strict)
            overlap_f1.append(overlap)
    present = [spans for spans in layers if spans is not None]
    alpha_u = document_alpha(present, length)
    entry = {
        "annotators": [
            name for name, spans in zip(annotators, layers, strict=True) if spans is not None
        ],
        "span_f1_strict_micro": mean_of_defined(strict_f1),
        "span_f1_overlap_micro": mean_of_defined(overlap_f1),
        "character_krippendorff_alpha": krippendorff_alpha_nominal(
            recode(characters, lambda code: code_value(code, label_count))
        ),
        "unitizing_alpha": alpha_u,
    }
    return DocumentCounts(
        document.doc_id,
        all(spans is not None for spans in layers),
        characters,
        tokens,
        span_pairs,
        {},
        alpha_u,
        entry,
    )


def spans_by_label(spans: list[IndexedSpan], label_count: int) -> list[list[Interval]]:
    """One annotator's spans of a document as (start, end) lists, one list per label index."""
    grouped: list[list[Interval]] = [[] for _ in range(label_count)]
    for start, end, label in spans:
        grouped[label].append((start, end))
    return grouped


def add_pair_document(
    totals: PairTotals, first: list[list[Interval]], second: list[list[Interval]]
) -> tuple[float | None, float | None]:
    """Add one document's span counts to a pair's totals; return its strict and overlap micro F1."""
    totals.documents += 1
    n_a = n_b = strict = overlap = 0
    for label, (reference, predicted) in enumerate(zip(first, second, strict=True)):
        if not reference and not predicted:
            continue
        label_strict = strict_matches(reference, predicted)
        label_overlap = overlap_matches(reference, predicted)
        totals.n_a[label] += len(reference)
        totals.n_b[label] += len(predicted)
        totals.strict[label] += label_strict
        totals.overlap[label] += label_overlap
        n_a += len(reference)
        n_b += len(predicted)
        strict += label_strict
        overlap += label_overlap
    if n_a + n_b == 0:
        return None, None
    return 2 * strict / (n_a + n_b), 2 * overlap / (n_a + n_b)


def assemble_report(
    corpus: Corpus,
    totals: dict[str, PairTotals],
    pairs: list[Pair],
    annotators: list[str],
    labels: list[str],
) -> dict[str, Any]:
    span_f1 = span_f1_section(totals, labels)
    character = character_section(corpus, pairs, labels)
    token = coefficient_section(corpus.tokens, corpus.everyone_did_everything, pairs)
    report = {
        "annotators": annotators,
        "labels": labels,
        "documents": corpus.documents,
        "span_f1": span_f1,
        "character": character,
        "token": token,
        "unitizing_alpha": {
            "mean_over_documents": mean_of_defined(corpus.unitizing),
            "documents_averaged": len(corpus.unitizing),
        },
        "per_document": corpus.per_document,
    }
    report["notes"] = undefined_notes(report, corpus)
    return report


def span_f1_section(totals: dict[str, PairTotals], labels: list[str]) -> dict[str, Any]:
    pairs = {key: pair_f1(pair_totals, labels) for key, pair_totals in totals.items()}
    return {
        "pairs": pairs,
        "mean_over_pairs": {
            f"{kind}_micro_f1": mean_of_defined(p[kind]["micro"]["f1"] for p in pairs.values())
            for kind in ("strict", "overlap")
        },
    }


def pair_f1(totals: PairTotals, labels: list[str]) -> dict[str, Any]:
    figures: dict[str, Any] = {"documents": totals.documents}
    for kind, matches in (("strict", totals.strict), ("overlap", totals.overlap)):
        per_label = {
            label: f1_figures(matches[index], totals.n_a[index], totals.n_b[index])
            for index, label in enumerate(labels)
        }
        figures[kind] = {
            "per_label": per_label,
            "micro": f1_figures(sum(matches), sum(totals.n_a), sum(totals.n_b)),
            "macro_f1": mean_of_defined(f["f1"] for f in per_label.values()),
        }
    return figures


def coefficient_section(
    table: ProfileTable[int], complete: bool, pairs: list[Pair]
) -> dict[str, Any]:
    """Pairwise Cohen, their mean, Fleiss (only with complete data) and Krippendorff's alpha."""
    pairwise = {pair.key: cohen_kappa(table, pair.first, pair.second) for pair in pairs}
    return {
        "cohen_kappa_pairwise": pairwise,
        "cohen_kappa_mean_over_pairs": mean_of_defined(pairwise.values()),
        "fleiss_kappa": fleiss_kappa(table) if complete and table else None,
        "krippendorff_alpha": krippendorff_alpha_nominal(table),
        "units": sum(table.values()),
    }


def character_section(corpus: Corpus, pairs: list[Pair], labels: list[str]) -> dict[str, Any]:
    label_count = len(labels)
    values = recode(
        corpus.characters, lambda code: code_value(code, label_count), corpus.value_profiles
    )
    section = coefficient_section(values, corpus.everyone_did_everything, pairs)
    per_label = {}
    for index, label in enumerate(labels):
        binary = recode(corpus.characters, partial(code_covers, label=index))
        pairwise = [cohen_kappa(binary, pair.first, pair.second) for pair in pairs]
        per_label[label] = {
            "krippendorff_alpha": krippendorff_alpha_nominal(binary),
            "cohen_kappa_mean_over_pairs": mean_of_defined(pairwise),
        }
    section["per_label"] = per_label
    return section


def undefined_notes(report: dict[str, Any], corpus: Corpus) -> list[str]:
    """One line per kind of undefined headline figure, saying why it is undefined."""
    notes: list[str] = []
    if report["documents"] == 0:
        notes.append("no document was done by at least two of the chosen annotators")
        return notes
    if not corpus.everyone_did_everything and len(report["annotators"]) > 1:
        notes.append(
            "Fleiss' kappa needs every chosen annotator to have done every counted document"
        )
    elif report["character"]["fleiss_kappa"] is None or report["token"]["fleiss_kappa"] is None:
        notes.append("Fleiss' kappa is undefined when every unit has the same value (P̄e = 1)")
    kappas = [*report["character"]["cohen_kappa_pairwise"].values()]
    kappas += report["token"]["cohen_kappa_pairwise"].values()
    if any(kappa is None for kappa in kappas):
        notes.append(
            "Cohen's kappa is undefined for a pair sharing no unit, or when both annotators "
            "used one and the same value throughout (p_e = 1)"
        )
    if report["character"]["krippendorff_alpha"] is None or any(
        figures["krippendorff_alpha"] is None
        for figures in report["character"]["per_label"].values()
    ):
        notes.append("Krippendorff's alpha is undefined when only one value occurs")
    if any(
        figures["f1"] is None
        for pair in report["span_f1"]["pairs"].values()
        for kind in ("strict", "overlap")
        for figures in pair[kind]["per_label"].values()
    ):
        notes.append("span F1 is undefined for a label neither annotator of a pair used")
    if report["unitizing_alpha"]["documents_averaged"] < report["documents"]:
        notes.append("unitizing alpha skips documents where no annotator marked a span")
    return notes
