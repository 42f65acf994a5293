"""The agreement figures of the whole study, read from the store: what `factmark agreement`, the
data card and the TUI's agreement panels compute (review.agreement_report over done layers)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from review import AgreementError, DocumentAnnotations, agreement_report
from review.agreement import check_choice, report_from_totals
from review.model import Linked, Marked
from store.doc_figures import FigureChoice
from store.info import DocumentSummary

if TYPE_CHECKING:
    from store.store import Store


def done_layers(store: Store, annotators: Sequence[str]) -> Iterator[DocumentAnnotations]:
    """Per document, the chosen annotators' layers they marked done (others are missing data)."""
    for found in store.iter_done_layers(annotators):
        # The store's SpanExtents go in as they are (both they and AnnotatedSpan are review.Marked):
        # converting hundreds of thousands of them would cost a second on a large study.
        layers: dict[str, Sequence[Marked]] = dict(found.layers)
        relations: dict[str, Sequence[Linked]] = dict(found.relations)
        yield DocumentAnnotations(found.ext_id, found.text, layers, relations)


def annotators_with_done_work(documents: Sequence[DocumentSummary]) -> list[str]:
    """Everyone who marked at least one of `documents` (store summaries) done."""
    return sorted({name for doc in documents for name, p in doc.progress.items() if p.done})


def study_agreement(
    store: Store,
    labels: Sequence[str],
    documents: Sequence[DocumentSummary] | None = None,
    relation_labels: Sequence[str] | None = None,
) -> tuple[dict[str, Any] | None, str | None]:
    """agreement.md's report over everyone who marked documents done, or (None, why not).

    `documents`: the store's summaries, if the caller already has them; `relation_labels`: the
    configured relation types (None: every type drawn, computed afresh rather than from the
    figures kept per document).
    """
    annotators, note = _study_annotators(store, documents)
    if note is not None:
        return None, note
    try:
        if relation_labels is None:
            report = agreement_report(list(done_layers(store, annotators)), annotators, labels)
        else:
            report = kept_report(store, annotators, labels, relation_labels)
    except AgreementError as error:
        return None, f"Not computed: {error}"
    if report["documents"] == 0:
        return None, _NONE_DONE_BY_TWO
    return report, None


def study_document_figures(
    store: Store,
    labels: Sequence[str],
    documents: Sequence[DocumentSummary],
    relation_labels: Sequence[str],
) -> tuple[dict[str, Any] | None, str | None]:
    """Only the per-document figures (`{"per_document": ...}`, what the review list shows), read
    from the figures kept per document; or (None, why not)."""
    annotators, note = _study_annotators(store, documents)
    if note is not None:
        return None, note
    try:
        check_choice(annotators, list(labels))
        check_choice([], list(relation_labels), "relation label")
        kept = store.document_figures(_choice(annotators, labels, relation_labels))
    except AgreementError as error:
        return None, f"Not computed: {error}"
    if not kept.entries:
        return None, _NONE_DONE_BY_TWO
    return {"per_document": kept.entries}, None


def kept_report(
    store: Store, annotators: Sequence[str], labels: Sequence[str], relation_labels: Sequence[str]
) -> dict[str, Any]:
    """`agreement_report` over the done layers, from the figures kept per document and their
    kept sum (documents whose layers changed since are counted again first); computed afresh
    by whoever may not keep them. AgreementError as `agreement_report`."""
    check_choice(list(annotators), list(labels))
    check_choice([], list(relation_labels), "relation label")
    kept = store.study_figures(_choice(annotators, labels, relation_labels))
    if kept.totals is None:
        layers = list(done_layers(store, annotators))
        return agreement_report(layers, annotators, labels, relation_labels)
    return report_from_totals(kept.totals, kept.entries, annotators, labels, relation_labels)


_NONE_DONE_BY_TWO = "Not computed: no document was marked done by two annotators."


def _study_annotators(
    store: Store, documents: Sequence[DocumentSummary] | None
) -> tuple[list[str], str | None]:
    documents = store.list_documents() if documents is None else documents
    annotators = annotators_with_done_work(documents)
    if len(annotators) < 2:
        return annotators, "Not computed: fewer than two annotators marked documents done."
    return annotators, None


def _choice(
    annotators: Sequence[str], labels: Sequence[str], relation_labels: Sequence[str]
) -> FigureChoice:
    return FigureChoice(tuple(annotators), tuple(labels), tuple(relation_labels))
