"""The plain, frozen objects of the fact-check desk: checks, their evidence and appearances, the
desk's rows, search hits and other fact-checkers' reviews (like `store.info`, never live rows).

Kept apart from `store.info` so that the annotate screen's start-up, which reads that module,
does not build these classes too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.info import EntityInfo


@dataclass(frozen=True)
class ExternalCheckInfo:
    """A stored external check (another fact-checker's ClaimReview: see
    `vocabulary.external_checks.ExternalCheck` for the fields). From `external_checks_like`,
    `likeness` is how alike its claim is to the one asked about (0..1) and `reasons` why."""

    id: int
    uid: str
    claim: str
    rating: str | None
    rating_value: float | None
    best: float | None
    worst: float | None
    publisher: str | None
    url: str | None
    date: str | None
    claimant: str | None
    appearance_url: str | None
    language: str | None
    source_file: str | None
    imported_at: datetime
    likeness: float | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckTally:
    """The fact-check desk in numbers (see store.check_tally), for a data card: checks per
    status and per rating (None: no verdict yet), each check's evidence count, and the checks
    each reviewer signed off that are published now."""

    statuses: dict[str, int]
    ratings: dict[str | None, int]
    evidence: tuple[int, ...]
    signed_off: dict[str, int]

    @property
    def checks(self) -> int:
        return len(self.evidence)


@dataclass(frozen=True)
class EvidenceInfo:
    """A check's evidence item: a web source, a span of another stored document, or both."""

    uid: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    accessed: str | None = None
    archived: str | None = None
    excerpt: str | None = None
    stance: str | None = None
    document_id: int | None = None
    document_ext_id: str | None = None
    start: int | None = None  # the stretch of that document, when it points at one
    end: int | None = None
    span_id: int | None = None
    span_text: str | None = None  # the text of that stretch

    def value(self, field_name: str) -> str | None:
        value = getattr(self, field_name)
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class AppearanceInfo:
    """A claim span that is an appearance of a check, with the article it is in."""

    span_id: int
    document_id: int
    document_ext_id: str
    layer: str
    start: int
    end: int
    text: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None


@dataclass(frozen=True)
class CheckInfo:
    """A check with its verdict, claimant, appearances and evidence (see `store.check_api`)."""

    id: int
    uid: str
    claim: str
    status: str
    assignee: str | None
    claimant: EntityInfo | None
    rating: str | None
    rating_value: float | None
    explanation: str | None
    summary: str | None
    url: str | None
    date: str | None
    verdict_by: str | None  # who last wrote the verdict
    reviewed_by: str | None  # who signed it off when it was published
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    appearances: tuple[AppearanceInfo, ...] = ()
    evidence: tuple[EvidenceInfo, ...] = ()

    @property
    def first_appearance(self) -> AppearanceInfo | None:
        """The earliest published appearance; those without a date come after the dated ones."""
        if not self.appearances:
            return None
        return min(
            self.appearances,
            key=lambda a: (a.published is None, a.published or "", a.document_id, a.start),
        )

    def value(self, field_name: str) -> str | None:
        """A settable field (`vocabulary.checks.CHECK_FIELDS`) as the form shows it: the
        claimant as its entity id, the assignee by name, empty as None."""
        if field_name == "claimant":
            return self.claimant.uid if self.claimant is not None else None
        value = getattr(self, field_name)
        return value or None if isinstance(value, str) or value is None else str(value)


@dataclass(frozen=True)
class CheckSummary:
    """A row of the claims desk: a check without its appearances' and evidence's details."""

    uid: str
    claim: str
    status: str
    rating: str | None
    claimant: str | None  # the claimant entity's name
    appearances: int
    evidence: int
    assignee: str | None
    changed_at: datetime
    changed_by: str | None


@dataclass(frozen=True)
class CheckChange:
    """One entry of a check's history: who changed which field from what to what, when."""

    at: datetime
    actor: str | None
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class CheckFilter:
    """Which checks the desk shows: each given criterion must hold (text: claim or appearance
    words; claimant: a part of the claimant's name), case folded."""

    text: str | None = None
    status: str | None = None
    rating: str | None = None
    claimant: str | None = None
    assignee: str | None = None


@dataclass(frozen=True)
class SearchHit:
    """One match of a full-text search (`Store.search`): where in which document.

    `start`/`end`: code-point offsets of the match in the document's text (`text` is that
    stretch); `snippet`: one line of plain text around it, the match at
    `snippet[snippet_start:snippet_end]`; `rank`: the document's place in the results (1 best).
    """

    document_id: int
    ext_id: str
    title: str | None
    outlet: str | None
    published: str | None
    start: int
    end: int
    text: str
    snippet: str
    snippet_start: int
    snippet_end: int
    rank: int
    opening: str = ""  # the text's first characters: the stand-in title of an untitled document
