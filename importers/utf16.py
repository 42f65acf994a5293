"""Offsets in UTF-16 code units (what JavaScript's string indices count) and code points.

factmark stores code-point offsets (Python `str` indices). A character outside the Basic
Multilingual Plane (most emoji) is one code point but two UTF-16 units, so offsets after it
differ between the two; tools written in JavaScript (doccano) count units.
"""

from __future__ import annotations

from bisect import bisect_left


class Utf16Offsets:
    """Converts offsets into one text between code points and UTF-16 code units."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # Code-point positions of the characters that take two units, in order.
        self._astral = [i for i, char in enumerate(text) if ord(char) > 0xFFFF]
        self._astral_units = [position + n for n, position in enumerate(self._astral)]

    @property
    def same(self) -> bool:
        """True when both counts agree everywhere (no character outside the BMP)."""
        return not self._astral

    def to_units(self, code_point: int) -> int:
        return code_point + bisect_left(self._astral, code_point)

    def to_code_points(self, unit: int) -> int | None:
        """The code-point offset of a unit offset; None if it falls inside a surrogate pair."""
        before = bisect_left(self._astral_units, unit)
        if before and self._astral_units[before - 1] + 1 == unit:
            return None
        return unit - before
