"""Every SQLModel table of the factmark database, in one place.

Rows never leave the store: `store.row_info` and `store.span_columns` make them into the frozen
dataclasses of `store.info`.
Times are aware UTC datetimes (SQLModel's UTCDateTime: timestamptz on PostgreSQL, UTC on SQLite).
A span or relation whose annotator is NULL belongs to the gold layer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, LargeBinary, String, Text, inspect
from sqlmodel import Field, SQLModel

GOLD_SOURCES: tuple[str, ...] = ("auto", "accepted", "edited", "added")
# What a reviewer decided about a span that is not (or no longer) in gold.
GOLD_DECISIONS: tuple[str, ...] = ("rejected", "edited")


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC, as every timestamp column holds it."""
    return datetime.now(UTC)


def _fk(target: str, *, nullable: bool, index: bool = False, ondelete: str = "CASCADE") -> Any:
    """An integer foreign-key column; by default rows pointing at a deleted parent go with it."""
    return Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index
        ),
    )


class MetaEntry(SQLModel, table=True):
    """Key/value facts about the database itself, such as its schema version."""

    __tablename__ = "factmark_meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_type=Text)


class Annotator(SQLModel, table=True):
    """A person who annotates or reviews; the gold layer is not an annotator."""

    __tablename__ = "annotators"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True, index=True)
    role: str = Field(default="annotator", max_length=20)
    created_at: datetime = Field(default_factory=utc_now)


class Document(SQLModel, table=True):
    """An imported article: its canonical text never changes once stored."""

    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_type=Text)
    text_sha256: str = Field(max_length=64, unique=True, index=True)
    title: str | None = Field(default=None, sa_type=Text)
    byline: str | None = Field(default=None, sa_type=Text)
    outlet: str | None = Field(default=None, sa_type=Text)
    url: str | None = Field(default=None, sa_type=Text)
    published: str | None = Field(default=None, max_length=64)
    imported_at: datetime = Field(default_factory=utc_now)
    extractor: str = Field(default="", max_length=100)
    extractor_version: str = Field(default="", max_length=100)
    source_file: str | None = Field(default=None, sa_type=Text)
    meta: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    raw_zlib: bytes | None = Field(default=None, sa_type=LargeBinary)


class Entity(SQLModel, table=True):
    """A canonical actor that actor spans of every document and layer may name.

    `uid` ("e-" + 12 hex digits) is its id in exports, stable across databases; `external_id` is
    one the user typed (a Wikidata QID, say), never looked up. `aliases`: other spellings.
    """

    __tablename__ = "entities"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=300, index=True)
    type: str = Field(max_length=20)
    aliases: list[str] = Field(default_factory=list, sa_type=JSON)
    external_id: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


class Span(SQLModel, table=True):
    """A labelled stretch of a document's text in one layer (code-point offsets, end exclusive)."""

    __tablename__ = "spans"
    # AUTOINCREMENT keeps SQLite from reusing the id of a deleted span, so undo can restore it.
    __table_args__ = (
        Index("ix_spans_document_annotator", "document_id", "annotator_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = _fk("documents.id", nullable=False)
    annotator_id: int | None = _fk("annotators.id", nullable=True)
    start: int
    end: int
    label: str = Field(max_length=100)
    note: str | None = Field(default=None, sa_type=Text)
    attrs: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    origin: str = Field(default="manual", max_length=20)
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    # For gold adjudication: how a gold span came to be, and who put it there.
    gold_source: str | None = Field(default=None, max_length=20)
    reviewer_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    # The entity an actor span names (schema version 3); it outlives none of them.
    entity_id: int | None = _fk("entities.id", nullable=True, index=True, ondelete="SET NULL")


class Relation(SQLModel, table=True):
    """A labelled link between two spans of the same document and layer (e.g. claim -> actor)."""

    __tablename__ = "relations"
    __table_args__ = (
        Index("ix_relations_document_annotator", "document_id", "annotator_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = _fk("documents.id", nullable=False)
    annotator_id: int | None = _fk("annotators.id", nullable=True)
    head_id: int = _fk("spans.id", nullable=False, index=True)
    child_id: int = _fk("spans.id", nullable=False, index=True)
    label: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utc_now)


class DocumentStatus(SQLModel, table=True):
    """Whether one annotator has marked one document done, and when that last changed."""

    __tablename__ = "document_status"
    __table_args__ = (Index("ix_document_status_annotator", "annotator_id", "done"),)

    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    )
    annotator_id: int = Field(
        sa_column=Column(Integer, ForeignKey("annotators.id", ondelete="CASCADE"), primary_key=True)
    )
    done: bool = False
    updated_at: datetime = Field(default_factory=utc_now)


class Event(SQLModel, table=True):
    """One entry of the append-only log: who did what, when, to which document and span.

    `layer` is the annotator name or "gold" for edits of a layer; undo/redo stacks are derived from
    the events of one (document, layer). `span_id` is a plain integer: the span may be gone since.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_document_layer", "document_id", "layer", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now)
    actor: str | None = Field(default=None, max_length=200)
    kind: str = Field(max_length=40)
    document_id: int | None = None
    layer: str | None = Field(default=None, max_length=200)
    span_id: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The check a change was made to (schema version 4): its history is these events.
    check_id: int | None = Field(default=None, index=True)


class Assignment(SQLModel, table=True):
    """One document given to one annotator to annotate (their queue follows these)."""

    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_annotator", "annotator_id", "document_id"),)

    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    )
    annotator_id: int = Field(
        sa_column=Column(Integer, ForeignKey("annotators.id", ondelete="CASCADE"), primary_key=True)
    )
    assigned_at: datetime = Field(default_factory=utc_now)
    assigned_by: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")


class GoldDecision(SQLModel, table=True):
    """A reviewer's verdict on a span (start, end, label) that must not enter gold by itself:
    rejected, or edited into another extent. Auto-adjudication never re-adds such a span."""

    __tablename__ = "gold_decisions"
    __table_args__ = (
        Index("ix_gold_decisions_key", "document_id", "start", "end", "label", unique=True),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = _fk("documents.id", nullable=False)
    start: int
    end: int
    label: str = Field(max_length=100)
    decision: str = Field(max_length=20)
    reviewer_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    decided_at: datetime = Field(default_factory=utc_now)


class RelationDecision(SQLModel, table=True):
    """A reviewer's verdict on a relation (its head's and child's start, end and label, and its
    own label) that must not enter gold by itself: rejected. Auto-adjudication never adds it."""

    __tablename__ = "relation_decisions"
    __table_args__ = (
        Index(
            "ix_relation_decisions_key",
            "document_id",
            "head_start",
            "head_end",
            "head_label",
            "child_start",
            "child_end",
            "child_label",
            "label",
            unique=True,
        ),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = _fk("documents.id", nullable=False)
    head_start: int
    head_end: int
    head_label: str = Field(max_length=100)
    child_start: int
    child_end: int
    child_label: str = Field(max_length=100)
    label: str = Field(max_length=100)
    decision: str = Field(max_length=20)
    reviewer_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    decided_at: datetime = Field(default_factory=utc_now)


class SuggestionDecision(SQLModel, table=True):
    """An annotator's answer to a suggestion (start, end, label) of a document: `accepted` (it
    became a span, origin `suggested:<rule>`) or `rejected` (it is not offered to them again)."""

    __tablename__ = "suggestion_decisions"
    __table_args__ = (
        Index(
            "ix_suggestion_decisions_key",
            "document_id",
            "annotator_id",
            "start",
            "end",
            "label",
            unique=True,
        ),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = _fk("documents.id", nullable=False)
    annotator_id: int = _fk("annotators.id", nullable=False)
    start: int
    end: int
    label: str = Field(max_length=100)
    rule: str = Field(max_length=40)
    decision: str = Field(max_length=20)
    decided_at: datetime = Field(default_factory=utc_now)


class DocumentReview(SQLModel, table=True):
    """Whether a reviewer has marked a document adjudicated (its gold layer final)."""

    __tablename__ = "document_reviews"

    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    )
    adjudicated: bool = False
    reviewer_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    updated_at: datetime = Field(default_factory=utc_now)


class Check(SQLModel, table=True):
    """A fact-check: the claim as the checker words it, and every claim span that repeats it.

    `uid` ("c-" + 12 hex digits) is its id in exports. The verdict is rating, explanation,
    summary, url and date; `verdict_by` is who last wrote any of them and `reviewed_by` who
    signed it off when it was published. `updated_at` moves with every change.
    """

    __tablename__ = "checks"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=40, unique=True, index=True)
    claim: str = Field(sa_type=Text)
    status: str = Field(max_length=60, index=True)
    assignee_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    claimant_id: int | None = _fk("entities.id", nullable=True, ondelete="SET NULL")
    rating: str | None = Field(default=None, max_length=100)
    rating_value: float | None = None
    explanation: str | None = Field(default=None, sa_type=Text)
    summary: str | None = Field(default=None, sa_type=Text)
    url: str | None = Field(default=None, sa_type=Text)
    date: str | None = Field(default=None, max_length=10)
    verdict_by_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    reviewed_by_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    created_by_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


class CheckAppearance(SQLModel, table=True):
    """A claim span that is an appearance of a check; a span appears in at most one check."""

    __tablename__ = "check_appearances"

    span_id: int = Field(
        sa_column=Column(Integer, ForeignKey("spans.id", ondelete="CASCADE"), primary_key=True)
    )
    check_id: int = _fk("checks.id", nullable=False, index=True)
    added_by_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    added_at: datetime = Field(default_factory=utc_now)


class Evidence(SQLModel, table=True):
    """One piece of a check's evidence: a web source, or a span of another stored document (or
    both), with its stance towards the claim. `position` orders a check's evidence."""

    __tablename__ = "evidence"
    __table_args__ = (
        Index("ix_evidence_check", "check_id", "position"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=40, unique=True)
    check_id: int = _fk("checks.id", nullable=False)
    position: int = 0
    url: str | None = Field(default=None, sa_type=Text)
    title: str | None = Field(default=None, sa_type=Text)
    publisher: str | None = Field(default=None, sa_type=Text)
    published: str | None = Field(default=None, max_length=10)
    accessed: str | None = Field(default=None, max_length=10)
    archived: str | None = Field(default=None, sa_type=Text)
    excerpt: str | None = Field(default=None, sa_type=Text)
    stance: str | None = Field(default=None, max_length=20)
    # A stretch of another stored document (its extent, and the span there if one was chosen).
    document_id: int | None = _fk("documents.id", nullable=True, ondelete="SET NULL")
    start: int | None = None
    end: int | None = None
    span_id: int | None = _fk("spans.id", nullable=True, ondelete="SET NULL")
    created_by_id: int | None = _fk("annotators.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utc_now)


class ExternalCheckEntry(SQLModel, table=True):
    """Another fact-checker's published verdict (a schema.org ClaimReview), imported from a
    fact-check page or a ClaimReview file: what "checked before?" answers from.

    `dedupe_key` is the sha256 of its URL and claim: importing the same page again adds
    nothing. `raw` is the ClaimReview object as read.
    """

    __tablename__ = "external_checks"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=40, unique=True, index=True)
    dedupe_key: str = Field(max_length=64, unique=True, index=True)
    claim: str = Field(sa_type=Text)
    rating: str | None = Field(default=None, max_length=300)
    rating_value: float | None = None
    best: float | None = None
    worst: float | None = None
    publisher: str | None = Field(default=None, max_length=300)
    url: str | None = Field(default=None, sa_type=Text)
    date: str | None = Field(default=None, max_length=40)
    claimant: str | None = Field(default=None, max_length=300)
    appearance_url: str | None = Field(default=None, sa_type=Text)
    language: str | None = Field(default=None, max_length=300)
    source_file: str | None = Field(default=None, sa_type=Text)
    raw: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    imported_at: datetime = Field(default_factory=utc_now)


class DocumentLayers(SQLModel, table=True):
    """A counter per document that every write to its spans, relations or done marks, in any
    layer and from any process, raises (database triggers: store.layer_versions). No foreign key:
    a cascade deleting a document's spans raises it as the document goes."""

    __tablename__ = "document_layers"

    document_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    version: int = 0


class DocumentFigures(SQLModel, table=True):
    """A document's agreement counts for one choice of annotators and labels (store.doc_figures),
    as they were when its layers were at `layers_version`; NULL figures: not counted (fewer than
    two of the chosen annotators marked it done)."""

    __tablename__ = "document_figures"

    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    )
    choice: str = Field(sa_column=Column(String(64), primary_key=True))
    layers_version: int
    payload_version: int
    figures: str | None = Field(default=None, sa_type=Text)  # the document's own, JSON
    counts: str | None = Field(default=None, sa_type=Text)  # review.figure_payload, JSON


class StudyFigures(SQLModel, table=True):
    """The sum of the counts of every `document_figures` record of one choice, kept in the same
    transactions as they are (store.doc_figures), and how many records it sums."""

    __tablename__ = "study_figures"

    choice: str = Field(sa_column=Column(String(64), primary_key=True))
    documents: int
    counts: str = Field(sa_type=Text)  # review.figure_payload, JSON


def factmark_tables() -> list[Any]:
    """The SQLAlchemy Table objects of this schema, in creation order."""
    models = (
        MetaEntry,
        Annotator,
        Document,
        Entity,
        Span,
        Relation,
        DocumentStatus,
        Event,
        Assignment,
        GoldDecision,
        DocumentReview,
        RelationDecision,
        SuggestionDecision,
        Check,
        CheckAppearance,
        Evidence,
        ExternalCheckEntry,
        DocumentLayers,
        DocumentFigures,
        StudyFigures,
    )
    return [inspect(model).local_table for model in models]
