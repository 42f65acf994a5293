"""Checks of what callers hand the store, before any transaction: names, labels, offsets, JSON.

Each raises ValueError with a one-line reason (StoreError for a malformed document reference);
notes are cleaned rather than refused.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from store.errors import StoreError
from vocabulary.entities import ACTOR_LABEL, parse_entity_ref
from vocabulary.names import ALL_LAYERS, GOLD_LAYER, SPAN_ORIGINS, is_span_origin
from vocabulary.text import strip_controls

if TYPE_CHECKING:  # annotations only: the first screen's read imports this module
    from vocabulary.records import ImportItem, LayerDraft

RESERVED_NAMES = frozenset({GOLD_LAYER, ALL_LAYERS})
MAX_NAME = 200
MAX_LABEL = 100
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def check_annotator_name(name: str) -> None:
    """Refuse a name that is not canonical: two names that look alike must be one name, so a name
    is NFC, has no control or format character (U+200B, U+202E, ...) and no surrounding space."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("an annotator name must be a non-empty string")
    if name != name.strip() or strip_controls(name) != name or "\n" in name or "\t" in name:
        raise ValueError(f"annotator name {name!r} has surrounding spaces or control characters")
    hidden = invisible_in_name(name)
    if hidden is not None:
        raise ValueError(
            f"annotator name {name!r} has an invisible character (U+{ord(hidden):04X}): "
            "names that look alike must be the same name"
        )
    if unicodedata.normalize("NFC", name) != name:
        raise ValueError(f"annotator name {name!r} is not in Unicode normal form NFC")
    if len(name) > MAX_NAME:
        raise ValueError(f"annotator name is longer than {MAX_NAME} characters")
    if name in RESERVED_NAMES:
        raise ValueError(f"{name!r} is reserved and cannot be an annotator name")


def invisible_in_name(name: str) -> str | None:
    """The first control, format (Cf), line or paragraph separator character of `name`, if any."""
    for char in name:
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            return char
    return None


def name_key(name: str) -> str:
    """What two annotator names are compared by: NFC without invisible characters (names made
    before names had to be canonical may hold them; a new name must not look like one)."""
    kept = "".join(c for c in name if unicodedata.category(c) not in _INVISIBLE_CATEGORIES)
    return unicodedata.normalize("NFC", kept)


def check_layer_name(layer: str) -> None:
    if layer != GOLD_LAYER:
        check_annotator_name(layer)


def check_choice(value: str, allowed: Sequence[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")


def check_origin(origin: str) -> None:
    if not is_span_origin(origin):
        raise ValueError(
            f"origin {origin!r} is not one of {', '.join(SPAN_ORIGINS)} or suggested:<rule>"
        )


def check_label(label: str) -> None:
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
        raise ValueError(f"label {label!r} must be a non-empty string of at most {MAX_LABEL} chars")
    if strip_controls(label) != label or "\n" in label or "\t" in label:
        raise ValueError(f"label {label!r} contains control characters")


def check_offsets(start: int, end: int, length: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValueError(f"span offsets must be integers (got {start!r}, {end!r})")
    if not 0 <= start < end <= length:
        raise ValueError(
            f"span {start}-{end} is outside the text or empty (need 0 <= start < end <= {length})"
        )


def check_json(value: Any, what: str) -> None:
    """Refuse what is not JSON, NaN and Infinity included (Python writes them, JSON readers and
    SQLite's JSON functions refuse them, so one would break every later export)."""
    try:
        # ensure_ascii=False and UTF-8: a lone surrogate ("\\ud800") is escaped by the default
        # and would be stored, and then break every export that writes the value out.
        json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} holds a lone surrogate, which is not a character") from None
    except RecursionError:
        raise ValueError(f"{what} is nested too deeply") from None
    except ValueError as exc:
        reason = "NaN and Infinity are not JSON numbers" if "float" in str(exc) else str(exc)
        raise ValueError(f"{what} cannot be stored as JSON ({reason})") from None
    except TypeError as exc:
        raise ValueError(f"{what} cannot be stored as JSON ({exc})") from None


def clean_note(note: str | None) -> str | None:
    """Notes are untrusted text: no control characters (newlines and tabs stay); "" means none."""
    if note is None:
        return None
    cleaned = strip_controls(note)
    return cleaned if cleaned.strip() else None


def _item_name(item: ImportItem, position: int) -> str:
    return item.source_file or item.article.title or f"item {position + 1}"


def check_item(item: ImportItem, position: int) -> None:
    """ValueError naming the item if it cannot be stored as it is."""
    try:
        _check_article_text(item.article.text)
        check_json(item.article.meta, "meta")
        for layer in item.layers:
            _check_layer_draft(layer, len(item.article.text))
    except ValueError as exc:
        raise ValueError(f"{_item_name(item, position)}: {exc}") from None


def _check_article_text(text: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("the article text is empty")
    if not unicodedata.is_normalized("NFC", text):
        raise ValueError("the article text is not NFC-normalised")


def _check_layer_draft(layer: LayerDraft, length: int) -> None:
    check_layer_name(layer.annotator)
    local_ids: set[str] = set()
    for span in layer.spans:
        check_offsets(span.start, span.end, length)
        check_label(span.label)
        check_origin(span.origin)
        check_json(span.attrs, "attrs")
        if span.label == ACTOR_LABEL and "entity" in span.attrs:
            parse_entity_ref(span.attrs["entity"])  # what the import makes an entity of
        if span.local_id is not None:
            if span.local_id in local_ids:
                raise ValueError(
                    f"span id {span.local_id!r} appears twice in layer {layer.annotator}"
                )
            local_ids.add(span.local_id)
    for relation in layer.relations:
        check_label(relation.label)
        for end in (relation.head, relation.child):
            if end not in local_ids:
                raise ValueError(f"relation {relation.label} names unknown span id {end!r}")


def ext_id_prefix(ref: str) -> str:
    """The sha256 prefix an external id ("d-3f9a...") stands for."""
    digits = ref[2:].lower() if ref.lower().startswith("d-") else ""
    if not digits or len(digits) > 64 or any(c not in "0123456789abcdef" for c in digits):
        raise StoreError(f"{ref!r} is not a document id (a number, or d- and hex digits)")
    return digits
