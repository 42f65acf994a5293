"""Entities: the canonical actors that actor spans name, as every layer spells them.

Plain data shared by the store, the importers, the exporters and the UI: the entity types, the
form an entity takes in `attrs.entity` (formats.md), the folding names are compared in, and how
aliases are kept (one of each folded spelling, the name itself never among them).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from vocabulary.text import strip_controls

ENTITY_TYPES: tuple[str, ...] = ("Person", "Organization", "Country", "Media", "Other")
ENTITY_PREFIX = "e-"  # an entity's public id ("e-" + 12 hex digits), the `id` exports carry
ACTOR_LABEL = "actor"  # the label whose spans name entities
NAME_MAX = 300  # characters of a name or an alias
EXTERNAL_ID_MAX = 100  # characters of an external id (a Wikidata QID, say)


def fold(text: str) -> str:
    """`text` as names are compared: case and diacritics folded, punctuation as spaces.

    "Ismaïl  Haniyeh," and "ismail haniyeh" fold alike; letters of other scripts stay as they
    are (only their combining marks go).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = [
        char if char.isalnum() else " " for char in decomposed if not unicodedata.combining(char)
    ]
    return " ".join("".join(kept).split())


def clean_name(text: str, what: str = "name") -> str:
    """A name or alias as stored: controls stripped, whitespace collapsed; ValueError when
    nothing is left or it is too long."""
    cleaned = " ".join(strip_controls(text).split())
    if not cleaned:
        raise ValueError(f"an entity's {what} cannot be empty")
    if len(cleaned) > NAME_MAX:
        raise ValueError(f"an entity's {what} is longer than {NAME_MAX} characters")
    return cleaned


def check_entity_type(kind: str) -> str:
    if kind not in ENTITY_TYPES:
        raise ValueError(f"entity type {kind!r} is not one of {', '.join(ENTITY_TYPES)}")
    return kind


def clean_external_id(value: str | None) -> str | None:
    """An external id as stored (None or blank: none); ValueError when too long."""
    if value is None:
        return None
    cleaned = "".join(strip_controls(value).split())
    if len(cleaned) > EXTERNAL_ID_MAX:
        raise ValueError(f"an external id is longer than {EXTERNAL_ID_MAX} characters")
    return cleaned or None


def with_aliases(name: str, aliases: Iterable[str], added: Iterable[str]) -> list[str]:
    """`aliases` with those of `added` not yet there: one per folded spelling, in the order
    first seen, none that folds like the name (it is found by its name already)."""
    seen = {fold(name)}
    kept: list[str] = []
    for alias in (*aliases, *added):
        key = fold(alias)
        if key and key not in seen:
            seen.add(key)
            kept.append(alias)
    return kept


def entity_ref(public_id: str, name: str, kind: str) -> dict[str, str]:
    """`attrs.entity` as formats.md writes it."""
    return {"id": public_id, "name": name, "type": kind}


def parse_entity_ref(raw: Any) -> dict[str, str]:
    """An `attrs.entity` read from a file, checked: {"id" (may be ""), "name", "type"}.

    ValueError naming the problem (importers turn it into a failed record).
    """
    if not isinstance(raw, Mapping):
        raise ValueError("attrs.entity must be an object with a name and a type")
    name, kind, public_id = raw.get("name"), raw.get("type"), raw.get("id")
    if not isinstance(name, str):
        raise ValueError("attrs.entity has no name")
    if not isinstance(kind, str):
        raise ValueError("attrs.entity has no type")
    if public_id is not None and not isinstance(public_id, str):
        raise ValueError("attrs.entity.id must be a string")
    return {
        "id": (public_id or "").strip(),
        "name": clean_name(name),
        "type": check_entity_type(kind),
    }
