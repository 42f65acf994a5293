"""App-wide messages: past-tense reports that a store call finished (posted by workers).

Each carries plain data from the store (frozen dataclasses), never live rows, and is posted only
after the store call returned, so a handler that updates the screen shows what is already saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from store import AnnotatorInfo, DocumentInfo, DocumentSummary, RelationInfo, SpanInfo

if TYPE_CHECKING:  # dataclass fields' annotations stay strings: the classes load with the form
    from store.desk_info import CheckInfo, CheckSummary


@dataclass(frozen=True)
class QueuePosition:
    """Where a document sits in the annotator's queue (documents in id order)."""

    index: int  # 1-based
    total: int
    done: int  # documents this annotator has marked done


@dataclass
class DocumentLoaded(Message):
    document: DocumentInfo
    spans: list[SpanInfo]
    position: QueuePosition
    relations: list[RelationInfo] = field(default_factory=list)  # the links between the spans


@dataclass
class NothingToAnnotate(Message):
    """Every document is done for this annotator (or there are none)."""

    total: int


@dataclass
class SpanAdded(Message):
    span: SpanInfo


@dataclass
class SpanRemoved(Message):
    span: SpanInfo


@dataclass
class NoteChanged(Message):
    span: SpanInfo


@dataclass
class EntityNamed(Message):
    """An actor span now names `span.entity` (None: none); `created`: the entity is new."""

    span: SpanInfo
    created: bool = False


@dataclass
class HistoryStepped(Message):
    """An undo or redo went through; `spans` is the layer as it now is in the store."""

    document_id: int
    description: str | None
    spans: list[SpanInfo]
    redo: bool
    relations: list[RelationInfo] = field(default_factory=list)


@dataclass
class RelationAdded(Message):
    """A link was stored; `span` is the span made with it in the same step (select, then `l`)."""

    relation: RelationInfo
    span: SpanInfo | None = None


@dataclass
class RelationRemoved(Message):
    relation: RelationInfo


@dataclass
class DocumentMarkedDone(Message):
    document_id: int
    next_document_id: int | None


@dataclass
class LibraryLoaded(Message):
    documents: list[DocumentSummary]


@dataclass
class AnnotatorRegistered(Message):
    """The person working is registered in the database, with this role."""

    annotator: AnnotatorInfo


@dataclass
class StoreFailed(Message):
    """A store call failed: nothing changed; `what` names the attempted operation."""

    what: str
    reason: str


@dataclass
class ReviewRefused(Message):
    """The person working is not a reviewer or admin: the review screens send them back."""

    role: str | None


# -- checks (tui.screens.check_flow, tui.screens.check_form) ------------------------------------


@dataclass
class CheckOfSpan(Message):
    """What `c` found for a claim span: its check, or (none yet) the checks to choose from."""

    span: SpanInfo
    check: CheckInfo | None
    similar: list[tuple[CheckSummary, float, str]] = field(default_factory=list)
    others: list[CheckSummary] = field(default_factory=list)


@dataclass
class AppearanceChecks(Message):
    """Which claim spans of a document are appearances of a check: span id -> check id."""

    document_id: int
    checks: dict[int, str]


@dataclass
class CheckAttached(Message):
    """A claim span became an appearance of `check` (`created`: the check is new)."""

    span: SpanInfo
    check: CheckInfo
    created: bool


@dataclass
class ChecksListed(Message):
    """Every check, for choosing the one a passage is evidence for (`E`)."""

    document_id: int
    extent: tuple[int, int]
    checks: list[CheckSummary]


@dataclass
class EvidenceAttached(Message):
    """A passage of document `document_id` is now evidence for `check`."""

    check: CheckInfo
    stance: str
    document_id: int
    passage: str
