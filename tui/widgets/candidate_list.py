"""The review screen's list: each candidate's versions (who marked what) and the gold spans.

One row per version of a candidate, then one per gold span that is not one of its versions
(an edited or added span); the first row of a candidate carries its number, state and kind.
Rows are plain `Text`: span text and names come from imported files and users.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from review.alignment import (
    ACCEPTED,
    EDITED,
    GOLD_ONLY,
    OPEN,
    REJECTED,
    GoldRef,
    ReviewItem,
    SpanKey,
    Version,
)
from tui import keys
from tui.widgets.annotation_pane import span_snippet

STATE_MARKS = {OPEN: "•", ACCEPTED: "✓", EDITED: "✎", REJECTED: "✗", GOLD_ONLY: "★"}
STATE_STYLES = {
    OPEN: "bold yellow",
    ACCEPTED: "bold green",
    EDITED: "bold cyan",
    REJECTED: "bold red",
    GOLD_ONLY: "bold magenta",
}
_EMPTY_HINT = "Nothing to review: no annotator marked a span and gold is empty."


@dataclass(frozen=True)
class ReviewRow:
    """One row: a version of item `item`, or one of its gold spans (exactly one is set)."""

    item: int
    version: Version | None
    gold: GoldRef | None
    first: bool

    @property
    def span(self) -> Version | GoldRef:
        """The version or gold span this row shows."""
        if self.version is not None:
            return self.version
        assert self.gold is not None
        return self.gold

    @property
    def key(self) -> SpanKey:
        return self.span.key


# Below this, a row's text would say nothing; the names are cut at the right instead.
_MIN_SNIPPET = 12


def rows_for(items: Sequence[ReviewItem]) -> list[ReviewRow]:
    """The list's rows, in item order: versions first, then gold spans that are no version."""
    rows: list[ReviewRow] = []
    for index, item in enumerate(items):
        versions = item.candidate.versions if item.candidate is not None else ()
        keys = {version.key for version in versions}
        entries: list[tuple[Version | None, GoldRef | None]] = [(v, None) for v in versions]
        entries += [(None, g) for g in item.gold if g.key not in keys]
        rows += [
            ReviewRow(index, version, gold, position == 0)
            for position, (version, gold) in enumerate(entries)
        ]
    return rows


class CandidateList(ScrollView, can_focus=True):
    """The rows of one document under review, drawn line by line (only the visible ones, so a
    document with hundreds of candidates opens as fast as one with a few); reports the
    highlighted row and the chosen one."""

    DEFAULT_CSS = """
    CandidateList {
        overflow-x: hidden;
        background: $surface;
    }
    CandidateList > .candidate-list--highlight {
        background: $primary 40%;
        text-style: bold;
    }
    CandidateList:focus > .candidate-list--highlight {
        background: $accent 50%;
    }
    """
    COMPONENT_CLASSES = {"candidate-list--highlight"}
    BINDINGS = keys.bindings_for("candidates")

    @dataclass
    class RowHighlighted(Message):
        """The highlight moved to `row` (keyboard, mouse, or a new list); a burst of moves
        reports only the last."""

        candidates: CandidateList
        row: ReviewRow

        @property
        def control(self) -> CandidateList:
            return self.candidates

        def can_replace(self, message: Message) -> bool:
            return (
                isinstance(message, CandidateList.RowHighlighted)
                and message.candidates is self.candidates
            )

    @dataclass
    class RowChosen(Message):
        """Enter (or a click) on `row`: go to it in the text."""

        candidates: CandidateList
        row: ReviewRow

        @property
        def control(self) -> CandidateList:
            return self.candidates

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[ReviewRow] = []
        self._prompts: list[Callable[[int], Text]] = []
        self._strips: LRUCache[int, Strip] = LRUCache(512)
        self._highlighted: int | None = None

    @property
    def rows(self) -> list[ReviewRow]:
        return self._rows

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        """Highlight row `index` (clamped), scroll it into view, report it."""
        if not self._rows or index is None:
            self._highlighted = None
            self.refresh()
            return
        index = max(0, min(index, len(self._rows) - 1))
        old, self._highlighted = self._highlighted, index
        for changed in {index} if old is None else {old, index}:
            self._refresh_row(changed)
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=True)
        self.post_message(self.RowHighlighted(self, self._rows[index]))

    @property
    def highlighted_row(self) -> ReviewRow | None:
        index = self._highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index]

    def show(
        self,
        text: str,
        items: Sequence[ReviewItem],
        names: Mapping[str, str],
        label_styles: Mapping[str, Style],
        highlight: int | None = None,
        marks: Mapping[SpanKey, str] | None = None,
    ) -> None:
        """List the rows of `items` over `text`; `names` maps annotators to what is shown, and
        `marks` a version to a sign after its annotators (its note and attributes: "✎", "≠").
        Prompts are built when first drawn."""
        self._rows = rows_for(items)
        signs = marks or {}
        self._prompts = [
            partial(_prompt, row, items[row.item], text, names, label_styles, signs.get(row.key))
            for row in self._rows
        ]
        self._strips.clear()
        self.virtual_size = Size(self.size.width, max(1, len(self._rows)))
        self.refresh()
        self.highlighted = highlight if self._rows else None

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = y + round(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self._rows:
            hint = Text(_EMPTY_HINT, style="dim") if y == 0 else Text("")
            return self._strip(hint, width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None or strip.cell_length != width:
            style = base
            if index == self._highlighted:
                style += self.get_component_rich_style("candidate-list--highlight")
            strip = self._strip(self._prompts[index](width), width, style)
            self._strips.set(index, strip)
        return strip

    def _strip(self, prompt: Text, width: int, style: Style) -> Strip:
        prompt = prompt.copy()
        prompt.no_wrap, prompt.overflow = True, "ellipsis"
        prompt.truncate(width, overflow="ellipsis", pad=True)
        segments = list(prompt.render(self.app.console))
        return Strip(segments).apply_style(style).crop_extend(0, width, style)

    def _refresh_row(self, index: int) -> None:
        self._strips.discard(index)
        self.refresh_line(index - round(self.scroll_y))

    def _forget_strips(self) -> None:
        """Focus changes the highlight's colour: draw every row again."""
        self._strips.clear()
        self.refresh()

    def on_focus(self) -> None:
        self._forget_strips()

    def on_blur(self) -> None:
        self._forget_strips()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    # -- keys and mouse ------------------------------------------------------------------------

    def action_move_row(self, delta: int) -> None:
        if self._rows:
            current = self._highlighted if self._highlighted is not None else -1
            self.highlighted = current + delta

    def action_first_row(self) -> None:
        self.highlighted = 0

    def action_last_row(self) -> None:
        self.highlighted = len(self._rows) - 1

    def action_choose_row(self) -> None:
        row = self.highlighted_row
        if row is not None:
            self.post_message(self.RowChosen(self, row))

    def on_click(self, event: events.Click) -> None:
        """A click picks the row under the pointer."""
        offset = event.get_content_offset(self)
        if offset is None or not self._rows:
            return
        index = offset.y + round(self.scroll_y)
        if 0 <= index < len(self._rows):
            self.highlighted = index
            self.action_choose_row()


def _prompt(
    row: ReviewRow,
    item: ReviewItem,
    text: str,
    names: Mapping[str, str],
    label_styles: Mapping[str, Style],
    mark: str | None,
    width: int,
) -> Text:
    """One row at `width` cells: the span's text gives way before the annotators' names."""
    start, end, label = row.key
    prompt = Text(no_wrap=True, overflow="ellipsis")
    if row.first:
        prompt.append(f"{row.item + 1:>3} ")
        prompt.append(STATE_MARKS[item.state], STATE_STYLES[item.state])
        kind = item.candidate.kind if item.candidate is not None else "gold"
        prompt.append(f" {kind:<8} ", "dim")
    else:
        prompt.append(" " * 15)
    prompt.append(f" {label} ", label_styles.get(label, Style(reverse=True)))
    tail = Text(no_wrap=True)
    if row.version is not None:
        who = ", ".join(names.get(name, name) for name in row.version.annotators)
        tail.append(who, "italic")
        if mark is not None:
            tail.append(f" {mark}", "bold yellow" if mark == "≠" else "dim")
        if any(gold.key == row.key for gold in item.gold):
            tail.append("  ✓ gold", "bold green")
    else:
        tail.append("gold", "bold magenta")
    room = width - prompt.cell_len - tail.cell_len - 2
    prompt.append(" " + span_snippet(text[start:end], max(_MIN_SNIPPET, room)) + " ")
    return prompt.append_text(tail)
