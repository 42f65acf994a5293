"""What the store hands out about a document's corrected metadata (plain frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Correction:
    """One change of one field of a document's metadata: who made it, when, from what to what."""

    document_id: int
    field: str
    old: str | None
    new: str | None
    actor: str | None
    at: datetime


@dataclass(frozen=True)
class DocumentMeta:
    """A document's metadata as the importer found it and as it is in force now (after every
    correction), with the corrections in the order they were made."""

    document_id: int
    ext_id: str
    found: dict[str, str | None]
    in_force: dict[str, str | None]
    corrections: tuple[Correction, ...] = ()

    def corrected(self, field: str) -> bool:
        return self.found.get(field) != self.in_force.get(field)
