"""The plain, frozen objects the store hands out: never live ORM rows, safe across threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple


@dataclass(frozen=True)
class AnnotatorInfo:
    id: int
    name: str
    role: str  # annotator | reviewer | admin


@dataclass(frozen=True)
class AnnotatorProgress:
    """How far one annotator got with one document."""

    spans: int
    done: bool


@dataclass(frozen=True)
class DocumentSummary:
    """A library row: a document without its text, with per-annotator progress (key = name)."""

    id: int
    ext_id: str
    title: str | None
    outlet: str | None
    published: str | None
    length: int
    progress: dict[str, AnnotatorProgress]
    gold_spans: int = 0
    assigned: tuple[str, ...] = ()  # annotators this document is assigned to, by name
    adjudicated: bool = False
    opening: str = ""  # the text's first characters: what to show for a document without a title


@dataclass(frozen=True)
class DocumentInfo:
    """A whole document; `ext_id` ("d-" + 16 hex digits of its sha256) is stable everywhere."""

    id: int
    ext_id: str
    text: str
    text_sha256: str
    title: str | None
    byline: str | None
    outlet: str | None
    url: str | None
    published: str | None
    imported_at: datetime
    extractor: str
    extractor_version: str
    source_file: str | None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SpanInfo:
    """A span of one layer (an annotator's name, or "gold"); `text` is document.text[start:end]."""

    id: int
    document_id: int
    layer: str
    start: int
    end: int
    label: str
    text: str
    note: str | None
    attrs: dict[str, Any]
    origin: str
    created_at: datetime
    updated_at: datetime
    gold_source: str | None = None  # gold layer only: auto | accepted | edited | added
    reviewer_id: int | None = None  # gold layer only: the annotator who put it there
    entity_id: int | None = None  # actor spans: the entity named (see `entity`)
    entity: EntityRef | None = None  # not a column: the named entity, read with the span


@dataclass(frozen=True)
class EntityRef:
    """An entity as a span carries it: its number, public id ("e-…"), name and type."""

    id: int
    uid: str
    name: str
    type: str

    def as_attrs(self) -> dict[str, str]:
        """`attrs.entity` as formats.md writes it."""
        return {"id": self.uid, "name": self.name, "type": self.type}


@dataclass(frozen=True)
class EntityInfo:
    """A canonical actor: `aliases` are its other spellings, `span_count` how many spans (of
    every layer) name it, `external_id` one the user typed (a Wikidata QID, say)."""

    id: int
    uid: str
    name: str
    type: str
    aliases: tuple[str, ...]
    external_id: str | None
    span_count: int
    created_at: datetime
    updated_at: datetime

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.id, self.uid, self.name, self.type)


@dataclass(frozen=True)
class RelationInfo:
    id: int
    document_id: int
    layer: str
    head_id: int
    child_id: int
    label: str


@dataclass(frozen=True)
class EventInfo:
    """One entry of the append-only event log; `actor` None means the system (e.g. an import)."""

    id: int
    at: datetime
    actor: str | None
    kind: str
    document_id: int | None
    span_id: int | None
    payload: dict[str, Any]
    layer: str | None = None


@dataclass(frozen=True)
class ImportOutcome:
    """What importing one item did: the document it became, whether it was new, spans added,
    and of the page's ClaimReviews how many were new and how many already stored."""

    document_id: int
    created: bool
    spans_added: int
    external_added: int = 0
    external_duplicates: int = 0
    # What it added to spans and layers already stored (store.import_merge), and the values it
    # brought that differ from stored ones (one line each; the stored value was kept).
    relations_added: int = 0
    spans_updated: int = 0
    attributes_added: int = 0
    notes_added: int = 0
    done_marked: int = 0
    conflicts: tuple[str, ...] = ()


class ExportSpan(NamedTuple):
    """A span as exports see it: SpanInfo without its creation time.

    A named tuple, not a dataclass: an export builds millions of these, and a tuple is built
    several times faster than a frozen dataclass.
    """

    id: int
    document_id: int
    layer: str
    start: int
    end: int
    label: str
    text: str
    note: str | None
    attrs: dict[str, Any]
    origin: str
    updated_on: str  # the UTC day ("2026-11-20") the span last changed
    gold_source: str | None = None
    reviewer_id: int | None = None
    entity_id: int | None = None  # its entity is also in attrs["entity"] (formats.md)


class SpanExtent(NamedTuple):
    """Where a span is and what it is labelled: all agreement figures need of it."""

    start: int
    end: int
    label: str


class RelationExtent(NamedTuple):
    """A relation as agreement reads it: its two ends and its label."""

    head: SpanExtent
    child: SpanExtent
    label: str


@dataclass(frozen=True)
class DoneLayers:
    """One document and the spans (and relations) of each chosen annotator who marked it done."""

    document_id: int
    ext_id: str
    text: str
    layers: dict[str, list[SpanExtent]]
    relations: dict[str, list[RelationExtent]] = field(default_factory=dict)


class ExportRelation(NamedTuple):
    id: int
    document_id: int
    layer: str
    head_id: int
    child_id: int
    label: str


@dataclass(frozen=True)
class ExportRecord:
    """One document in one layer, ready to be written out by an exporter."""

    document: DocumentInfo
    layer: str
    spans: list[ExportSpan]
    relations: list[ExportRelation]
    done: bool

    @property
    def document_id(self) -> int:
        return self.document.id


@dataclass(frozen=True)
class ExportTally:
    """What an export of one source holds (see store.tally): per document its outlet,
    (extractor, version), publication date where known and import time; counts per layer
    (records), label and gold source (spans; None: imported)."""

    documents: int
    characters: int
    spans: int
    layers: dict[str, int]
    outlets: list[str | None]
    extractors: list[tuple[str, str]]
    published: list[str]
    imported: list[datetime]
    labels: dict[str, int]
    gold_sources: dict[str | None, int]
    documents_listed: tuple[DocumentProvenance, ...] = ()  # in the order of their ids


class DocumentProvenance(NamedTuple):
    """Where one exported document comes from, for a data card's provenance table."""

    ext_id: str
    outlet: str | None
    url: str | None
    published: str | None
    text_sha256: str


class ExportLine(NamedTuple):
    """One document in one layer as a finished line of formats.md's native JSONL (UTF-8, without
    the newline): what the fast JSONL export writes."""

    document_id: int
    line: bytes


@dataclass(frozen=True)
class GoldProvenance:
    """How a gold span got there: `source` auto | accepted | edited | added (None: imported),
    the reviewer who put it there, and the annotators whose version it came from."""

    source: str | None
    reviewer: str | None
    from_annotators: tuple[str, ...] = ()
    note_from: tuple[str, ...] = ()  # whose note the span took
    attrs_from: tuple[str, ...] = ()  # whose attributes (and entity) it took
    left_out: tuple[str, ...] = ()  # values its annotators gave differently that it did not take


@dataclass(frozen=True)
class GoldDecisionInfo:
    """A span (start, end, label) a reviewer kept out of gold: "rejected", or "edited" away."""

    start: int
    end: int
    label: str
    decision: str
    reviewer: str | None
    decided_at: datetime


@dataclass(frozen=True)
class RelationDecisionInfo:
    """A relation (head and child span keys, label) a reviewer kept out of gold: "rejected"."""

    head: tuple[int, int, str]
    child: tuple[int, int, str]
    label: str
    decision: str
    reviewer: str | None
    decided_at: datetime


@dataclass(frozen=True)
class SuggestionDecisionInfo:
    """An annotator's answer to a suggestion: "accepted" (now a span) or "rejected"."""

    document_id: int
    layer: str
    start: int
    end: int
    label: str
    rule: str
    decision: str
    decided_at: datetime


@dataclass(frozen=True)
class ReviewStatus:
    """Whether a document is adjudicated (its gold final), by whom and when."""

    document_id: int
    adjudicated: bool
    reviewer: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ReviewDocument:
    """Everything the review screen shows of one document, read in one transaction.

    `layers`: the spans of each annotator who marked the document done (by name); `pending`: the
    annotators assigned to it or with spans on it who have not marked it done.
    """

    document: DocumentInfo
    layers: dict[str, list[SpanInfo]]
    pending: tuple[str, ...]
    gold: list[SpanInfo]
    provenance: dict[int, GoldProvenance]
    decisions: list[GoldDecisionInfo]
    status: ReviewStatus
    # Links: each done layer's relations, gold's, whose link each gold one was, and rejections.
    relations: dict[str, list[RelationInfo]] = field(default_factory=dict)
    gold_relations: list[RelationInfo] = field(default_factory=list)
    relation_sources: dict[int, tuple[str, ...]] = field(default_factory=dict)
    relation_decisions: list[RelationDecisionInfo] = field(default_factory=list)


@dataclass(frozen=True)
class AutoSummary:
    """What `auto_adjudicate` did: spans added to gold, and qualifying spans it left alone."""

    documents: int  # documents looked at
    added: int
    documents_changed: int
    already_in_gold: int
    decided: int  # a reviewer had rejected or edited them
    conflicting: int  # rival spans: left for the review screen
    adjudicated_skipped: int  # documents a reviewer had marked adjudicated
    relations_added: int = 0  # links put into gold between gold spans
    relations_already_in_gold: int = 0
    relations_decided: int = 0  # a reviewer had rejected them
    relations_ends_not_in_gold: int = 0  # a head or child not (exactly) in gold
    added_beside_rival: int = 0  # (K = 1) added though another version rivals it: for review
    notes_carried: int = 0  # spans added with their annotators' note
    attrs_carried: int = 0  # spans added with their annotators' attributes (or entity)
    values_left_out: int = 0  # spans added without a note or attribute annotators gave differently


@dataclass(frozen=True)
class AssignSummary:
    """What `assign` did: new assignments per annotator and documents now fully staffed."""

    documents: int
    added: dict[str, int]
    load: dict[str, int]  # each chosen annotator's assignments in total, after this run
