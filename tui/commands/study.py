"""The agreement figures of the whole study, as the data card and the TUI panels show them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from review import AgreementError, agreement_report
from tui.commands.agreement import done_layers


def annotators_with_done_work(documents) -> list[str]:
    """Everyone who marked at least one of `documents` (store summaries) done."""
    return sorted({name for doc in documents for name, p in doc.progress.items() if p.done})


def study_agreement(
    store, labels: Sequence[str], documents=None
) -> tuple[dict[str, Any] | None, str | None]:
    """agreement.md's report over everyone who marked documents done, or (None, why not).

    `documents`: the store's summaries, if the caller already has them.
    """
    documents = store.list_documents() if documents is None else documents
    annotators = annotators_with_done_work(documents)
    if len(annotators) < 2:
        return None, "Not computed: fewer than two annotators marked documents done."
    layers = list(done_layers(store, annotators))
    if not layers:
        return None, "Not computed: no document was marked done by two annotators."
    try:
        return agreement_report(layers, annotators, labels), None
    except AgreementError as error:
        return None, f"Not computed: {error}"
