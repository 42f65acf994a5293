"""Suggestions as the article view draws them: marks under the text that are not spans.

A span is drawn in its label's colour as a background; a suggestion in the label's colour as
underlined italic text on the normal background, so the two never look alike (in 256 colours
too: one is a coloured block, the other coloured, underlined letters). Kept apart from the spans
so nothing that reads spans (the pane, agreement, exports) ever sees a suggestion.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from typing import Protocol

from rich.color import Color
from rich.style import Style


class Mark(Protocol):
    """What the view needs of a suggestion (suggest.Suggestion fits)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


def mark_style(label_color: str) -> Style:
    """The look of a suggestion of a label whose span colour is `label_color`."""
    return Style(color=Color.parse(label_color), underline=True, italic=True)


class SuggestionMarks:
    """The suggestions shown in one article, found by bisection like the spans."""

    def __init__(self) -> None:
        self.items: list[Mark] = []
        self._starts: list[int] = []
        self._longest = 0
        self.styles: dict[str, Style] = {}

    def replace(self, items: Sequence[Mark], styles: Mapping[str, Style]) -> list[tuple[int, int]]:
        """Show `items` instead; returns the ranges whose look changed (to redraw)."""
        old = {(m.start, m.end, m.label) for m in self.items}
        self.items = sorted(items, key=lambda m: (m.start, m.end))
        self._starts = [m.start for m in self.items]
        self._longest = max((m.end - m.start for m in self.items), default=0)
        self.styles = dict(styles)
        new = {(m.start, m.end, m.label) for m in self.items}
        return [(start, end) for start, end, _label in old ^ new]

    def overlapping(self, start: int, end: int) -> list[Mark]:
        low = bisect_left(self._starts, start - self._longest)
        high = bisect_left(self._starts, max(end, start + 1))
        return [m for m in self.items[low:high] if m.end > start and m.start < max(end, start + 1)]

    def at(self, offset: int) -> Mark | None:
        """The innermost suggestion containing the character at `offset`."""
        found = self.overlapping(offset, offset + 1)
        return min(found, key=lambda m: (m.end - m.start, m.start), default=None)

    def style_of(self, left: int, right: int, marks: Sequence[Mark]) -> Style | None:
        """The look of [left, right) where no span covers it: the innermost suggestion's."""
        covering = [m for m in marks if m.start <= left and m.end >= right]
        if not covering:
            return None
        innermost = min(covering, key=lambda m: (m.end - m.start, -m.start))
        return self.styles.get(innermost.label, Style(underline=True, italic=True))
