"""What an imported span adds to the same span already stored: attributes and a note it lacks.

A span already in its layer (same start, end and label) is not added twice, but what the file
says about it that the store does not know yet is: attributes under keys the stored span lacks,
and a note where it has none. A value that differs from the stored one is never overwritten:
it is reported, one line per value, so the user sees what was kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from store.validation import clean_note
from vocabulary.records import SpanDraft

ENTITY_ATTR = "entity"  # an actor span's entity reference: kept in `entity_id`, not in attrs


@dataclass
class StoredSpan:
    """What the store holds of a span that an import may add to."""

    note: str | None
    attrs: dict[str, Any]
    entity_id: int | None


@dataclass
class SpanMerge:
    """What one imported span adds to its stored twin, and what it would have changed."""

    note: str | None = None  # a note for a span that had none
    attrs: dict[str, Any] = field(default_factory=dict)  # keys the stored span lacks
    conflicts: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return self.note is not None or bool(self.attrs)


def merge_span(stored: StoredSpan, draft: SpanDraft, layer: str) -> SpanMerge:
    """The additions `draft` brings to `stored`; its differing values as conflict lines."""
    merge = SpanMerge()
    where = f"{draft.label} span {draft.start}-{draft.end} of {layer}"
    note = clean_note(draft.note)
    if note:
        if not stored.note:
            merge.note = note
        elif stored.note != note:
            merge.conflicts.append(
                f"{where}: the note differs from the stored one; kept the stored note"
            )
    for key, value in draft.attrs.items():
        if key == ENTITY_ATTR:
            continue  # joined to an entity by the caller (it needs the entity table)
        if key not in stored.attrs:
            merge.attrs[key] = value
        elif stored.attrs[key] != value:
            merge.conflicts.append(
                f"{where}: attribute {key!r} is {_shown(stored.attrs[key])} in the store, "
                f"{_shown(value)} in the file; kept the stored value"
            )
    return merge


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
