"""The agreement figures of the whole study, read from the store: what `factmark agreement`, the
data card and the TUI's agreement panels compute (review.agreement_report over done layers)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from review import AgreementError, DocumentAnnotations, agreement_report
from review.model import Linked, Marked
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
    configured relation types (None: every type drawn).
    """
    documents = store.list_documents() if documents is None else documents
    annotators = annotators_with_done_work(documents)
    if len(annotators) < 2:
        return None, "Not computed: fewer than two annotators marked documents done."
    layers = list(done_layers(store, annotators))
    if not layers:
        return None, "Not computed: no document was marked done by two annotators."
    try:
        return agreement_report(layers, annotators, labels, relation_labels), None
    except AgreementError as error:
        return None, f"Not computed: {error}"
