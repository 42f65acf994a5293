"""The plain data the agreement figures are computed from: no database, no UI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

# A span reduced to what the coefficients need: code-point offsets and the label's index in the
# chosen label set (its position also decides precedence between overlapping spans).
IndexedSpan = tuple[int, int, int]


class AgreementError(ValueError):
    """Input the agreement figures cannot be computed from; the message is one line."""


class Marked(Protocol):
    """What the figures and the alignment need of a span: AnnotatedSpan, the store's SpanInfo and
    SpanExtent all fit."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


class AnnotatedSpan(NamedTuple):
    """One annotator's span: `text[start:end]` in code points, end exclusive.

    A named tuple: a study of 10,000 documents builds hundreds of thousands of these.
    """

    start: int
    end: int
    label: str


class Linked(Protocol):
    """What relation F1 needs of a relation: its two ends as spans and its label. The store's
    RelationExtent and AnnotatedRelation both fit."""

    @property
    def head(self) -> Marked: ...
    @property
    def child(self) -> Marked: ...
    @property
    def label(self) -> str: ...


class AnnotatedRelation(NamedTuple):
    """One annotator's relation: a link from the `head` span to the `child` span."""

    head: AnnotatedSpan
    child: AnnotatedSpan
    label: str


@dataclass(frozen=True)
class DocumentAnnotations:
    """A document and the spans of every annotator who marked it done.

    `layers` maps an annotator name to their spans, only for annotators who marked the document
    done: done with no spans is an empty list (every character `O`), not done is absent (missing).
    `relations` maps an annotator of `layers` to their relations (absent: none).
    """

    doc_id: str
    text: str
    layers: dict[str, Sequence[Marked]] = field(default_factory=dict)
    relations: dict[str, Sequence[Linked]] = field(default_factory=dict)


def indexed_spans(
    document: DocumentAnnotations, annotator: str, label_index: dict[str, int]
) -> list[IndexedSpan]:
    """The annotator's spans whose label is chosen, checked against the text, as index triples."""
    length = len(document.text)
    kept: list[IndexedSpan] = []
    for span in document.layers[annotator]:
        start, end = span.start, span.end
        if not (type(start) is int and type(end) is int and 0 <= start < end <= length):
            raise AgreementError(
                f"document {document.doc_id!r}, annotator {annotator!r}: span {start!r}-{end!r} "
                f"is empty or outside the text (length {length})"
            )
        label = label_index.get(span.label)
        if label is not None:
            kept.append((start, end, label))
    return kept
