"""Messages of the check form only (loaded with it, not with the annotate screen's start-up)."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from store.desk_info import CheckChange, CheckInfo
from store.info import EntityInfo


@dataclass
class CheckLoaded(Message):
    """Everything the check form shows, read at once."""

    check: CheckInfo
    history: list[CheckChange]
    proposed: list[EntityInfo]
    people: list[str]  # who can be assigned: every registered annotator
    checked_before: list[str] = field(default_factory=list)  # "PolitiFact, False, 2024-05-02"


@dataclass
class CheckSaved(Message):
    """A change to the check was stored (`field`: which form field, or "evidence")."""

    check: CheckInfo
    history: list[CheckChange]
    field: str
    said: str


@dataclass
class CheckRefused(Message):
    """The store refused a change to the check (one line); `conflict`: someone else changed it
    first (the form reloads); `draft`: the evidence item as typed, offered again."""

    uid: str
    field: str
    reason: str
    conflict: bool = False
    draft: dict[str, str | None] | None = None
    evidence_uid: str | None = None
