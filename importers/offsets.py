"""Carrying code-point offsets through canonicalisation of a text."""

from __future__ import annotations

from collections.abc import Sequence

from vocabulary.text import canonical_text

# Private-use code points: untouched by NFC and by the control-character filter.
_SENTINEL_CANDIDATES = range(0xF0000, 0xF0100)


def remap_offsets(text: str, offsets: Sequence[int]) -> dict[int, int] | None:
    """Map offsets into `text` to offsets into `canonical_text(text)`.

    Marks each offset with a sentinel character, canonicalises, and reads where the sentinels
    landed. Returns None when the marks changed the result (an offset inside a line ending
    or a composed character), so the caller can refuse instead of guessing.
    """
    sentinel = next((chr(c) for c in _SENTINEL_CANDIDATES if chr(c) not in text), None)
    if sentinel is None:
        return None
    positions = sorted(set(offsets))
    marked = _insert_marks(text, positions, sentinel)
    canonical_marked = canonical_text(marked)
    if canonical_marked.replace(sentinel, "") != canonical_text(text):
        return None
    landed = _sentinel_positions(canonical_marked, sentinel)
    if len(landed) != len(positions):
        return None
    return dict(zip(positions, landed, strict=True))


def _insert_marks(text: str, positions: list[int], sentinel: str) -> str:
    pieces, previous = [], 0
    for position in positions:
        pieces.append(text[previous:position])
        pieces.append(sentinel)
        previous = position
    pieces.append(text[previous:])
    return "".join(pieces)


def _sentinel_positions(marked: str, sentinel: str) -> list[int]:
    found, removed = [], 0
    for index, char in enumerate(marked):
        if char == sentinel:
            found.append(index - removed)
            removed += 1
    return found
