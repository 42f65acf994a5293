"""The drafts that importers produce and the store consumes: plain data, no database, no UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vocabulary.check_records import CheckRecord
from vocabulary.external_checks import ExternalCheck


@dataclass(frozen=True)
class Article:
    """A cleaned article: canonical `text` (what offsets index into, forever) plus metadata."""

    text: str
    title: str | None = None
    byline: str | None = None
    published: str | None = None  # ISO 8601 where known
    outlet: str | None = None
    url: str | None = None
    extractor: str = ""
    extractor_version: str = ""
    meta: dict[str, Any] = field(default_factory=dict)  # extra keys kept from imported records


@dataclass(frozen=True)
class SpanDraft:
    """A span about to be stored; `local_id` lets relations of the same record refer to it."""

    start: int
    end: int
    label: str
    note: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    origin: str = "imported"
    local_id: str | None = None
    # A claim span that is an appearance of a fact-check (formats.md `attrs.check`): the store
    # joins it to that check, creating it if new.
    check: CheckRecord | None = None


@dataclass(frozen=True)
class RelationDraft:
    head: str  # local id of the head span (e.g. the claim)
    child: str  # local id of the child span (e.g. the actor)
    label: str


@dataclass(frozen=True)
class LayerDraft:
    """One annotator's (or the gold layer's) annotations of one document."""

    annotator: str  # an annotator name, or names.GOLD_LAYER
    spans: tuple[SpanDraft, ...] = ()
    relations: tuple[RelationDraft, ...] = ()
    done: bool = True  # importing an annotated record marks the document done for its annotator


@dataclass(frozen=True)
class ImportItem:
    """Everything one input brings: the article, its annotation layers and its provenance."""

    article: Article
    layers: tuple[LayerDraft, ...] = ()
    raw: bytes | None = None  # the original bytes, kept compressed for re-extraction
    source_file: str | None = None
    # The ClaimReviews a fact-check page embeds: stored as external checks with the document.
    external_checks: tuple[ExternalCheck, ...] = ()
    line: int | None = None  # where a record of a JSON-lines file starts (errors name it)
