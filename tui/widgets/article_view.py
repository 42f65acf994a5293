"""The article text with a cursor, a selection and label highlights: a Line API widget.

Built for long articles: the text is folded into display lines once per width, each line is drawn
on demand from the spans that overlap it (found by bisection), drawn lines are cached, and a cursor
move redraws only the lines it touched. Offsets are code-point offsets into the document text.
Article text is drawn as plain segments, never parsed as markup.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui import keys
from tui.display_lines import (
    DisplayLines,
    column_of,
    display_text,
    offset_at_column,
    wrap_text,
)
from tui.find_text import fold_char
from tui.text_objects import select_object
from tui.text_units import (
    next_grapheme,
    next_word_start,
    previous_grapheme,
    previous_word_start,
)
from tui.widgets.suggestion_marks import Mark, SuggestionMarks

_OVERLAP = Style(underline=True)


class MarkedSpan(Protocol):
    """What the view needs of a span (store.SpanInfo fits)."""

    @property
    def id(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


class ArticleView(ScrollView, can_focus=True):
    """Article text: move with the keyboard or mouse, select, see the spans in label colours."""

    DEFAULT_CSS = """
    ArticleView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        padding: 0 1;
        background: $surface;
    }
    ArticleView > .article-view--cursor {
        text-style: reverse;
    }
    ArticleView > .article-view--selection {
        background: $primary;
        color: $text;
    }
    ArticleView > .article-view--linked {
        text-style: bold italic underline;
    }
    """
    COMPONENT_CLASSES = {"article-view--cursor", "article-view--selection", "article-view--linked"}
    BINDINGS = keys.bindings_for("article")

    @dataclass
    class CursorMoved(Message):
        """The cursor or the selection changed (a burst of moves reports only the last)."""

        view: ArticleView
        cursor: int
        selection: tuple[int, int] | None

        @property
        def control(self) -> ArticleView:
            return self.view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.CursorMoved) and message.view is self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = ""
        self._shown = ""
        self._lines: DisplayLines | None = None
        self._spans: list[MarkedSpan] = []
        self._span_starts: list[int] = []
        self._longest_span = 0
        self._label_styles: dict[str, Style] = {}
        # The spans linked to the one under the cursor, marked in the text (see set_linked).
        self._linked: dict[int, tuple[int, int]] = {}
        self._strips: LRUCache[int, Strip] = LRUCache(2048)
        self.suggestions = SuggestionMarks()  # drawn under the text where no span is
        self._component_styles_cache: dict[str, Style] = {}
        self.cursor = 0
        self._anchor: int | None = None
        self._anchor_sticky = False
        self._goal_column: int | None = None
        self._dragging = False
        self._count = ""  # digits typed before a motion or text object (`3w`)
        self._count_read_by: str | None = None  # the key after the count, once it has come
        self._char_search: str | None = None  # "next"/"previous" after `f`/`F`: a char comes
        self._last_char_search: tuple[str, str] | None = None  # (char, direction), for `;`
        # The keys that label rather than count; every digit until the screen says which.
        self.label_keys: frozenset[str] = frozenset("0123456789")

    # -- content -------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    def load(
        self, text: str, spans: Sequence[MarkedSpan], label_styles: Mapping[str, Style]
    ) -> None:
        """Show a new text (cursor at its start, no selection)."""
        self._text = text
        self._shown = display_text(text)
        self._label_styles = dict(label_styles)
        self.cursor = 0
        self._anchor = None
        self._anchor_sticky = False
        self._goal_column = None
        self._count, self._char_search = "", None
        self._lines = None
        self._linked = {}
        self._index_spans(spans)
        self._rewrap()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def set_spans(self, spans: Sequence[MarkedSpan]) -> None:
        """Replace the highlighted spans, redrawing only the lines whose highlights changed."""
        old = {(span.id, span.start, span.end, span.label) for span in self._spans}
        new = {(span.id, span.start, span.end, span.label) for span in spans}
        self._index_spans(spans)
        for _id, start, end, _label in old ^ new:
            self._invalidate(start, end)

    def set_linked(self, spans: Sequence[MarkedSpan]) -> None:
        """Mark `spans` as linked to the span at the cursor, redrawing only the lines of the
        spans that gain or lose the mark (a cursor move on a long article stays cheap)."""
        new = {span.id: (span.start, span.end) for span in spans}
        if new == self._linked:
            return
        old, self._linked = self._linked, new
        for extent in set(old.items()) ^ set(new.items()):
            self._invalidate(*extent[1])

    @property
    def linked_ids(self) -> frozenset[int]:
        """The ids of the spans marked as linked to the one at the cursor."""
        return frozenset(self._linked)

    def set_suggestions(self, marks: Sequence[Mark], styles: Mapping[str, Style]) -> None:
        """Replace the suggestion marks, redrawing only the lines whose marks changed."""
        for start, end in self.suggestions.replace(marks, styles):
            self._invalidate(start, end)

    def _index_spans(self, spans: Sequence[MarkedSpan]) -> None:
        self._spans = sorted(spans, key=lambda span: (span.start, span.end))
        self._span_starts = [span.start for span in self._spans]
        self._longest_span = max((span.end - span.start for span in self._spans), default=0)

    def spans_overlapping(self, start: int, end: int) -> list[MarkedSpan]:
        """Spans sharing a character with [start, end) (or containing `start` if it is empty)."""
        low = bisect_left(self._span_starts, start - self._longest_span)
        high = bisect_left(self._span_starts, max(end, start + 1))
        return [
            span
            for span in self._spans[low:high]
            if span.end > start and span.start < max(end, start + 1)
        ]

    # -- selection -----------------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected range [start, end), or None."""
        if self._anchor is None or self._anchor == self.cursor:
            return None
        return (min(self._anchor, self.cursor), max(self._anchor, self.cursor))

    @property
    def anchor_is_set(self) -> bool:
        return self._anchor is not None

    @property
    def anchor_is_sticky(self) -> bool:
        """True while a `v` selection is open (motions and find extend it)."""
        return self._anchor is not None and self._anchor_sticky

    def select_range(self, start: int, end: int) -> None:
        """Select [start, end) with the cursor at its end (used by find and span jumps)."""
        self._change(lambda: self._set_selection(start, end))

    def _set_selection(self, start: int, end: int) -> None:
        self._anchor, self._anchor_sticky = start, False
        self.cursor = end

    def move_cursor_to(self, offset: int) -> None:
        """Put the cursor at `offset` and drop any selection."""
        self._change(lambda: self._place(offset))

    def _place(self, offset: int) -> None:
        self._anchor, self._anchor_sticky = None, False
        self.cursor = max(0, min(offset, len(self._text)))

    def clear_selection(self) -> None:
        self._change(lambda: self._place(self.cursor))

    # -- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_selection":
            # Without a selection, escape belongs to the screen (back to the library).
            return self._anchor is not None
        return True

    def action_move(self, motion: str) -> None:
        self._repeat_motion(motion, extend=False)

    def action_select(self, motion: str) -> None:
        self._repeat_motion(motion, extend=True)

    def _repeat_motion(self, motion: str, extend: bool) -> None:
        count = self.take_count()

        def repeat() -> None:
            for _ in range(count):
                self._step(self._motion_target(motion), extend=extend)

        self._change(repeat, vertical=motion in _VERTICAL)

    def take_count(self) -> int:
        """The count typed before this key (1 if none), forgotten once taken."""
        count, self._count, self._count_read_by = self._count, "", None
        return max(1, min(int(count or "1"), 9999))

    @property
    def awaiting_char(self) -> bool:
        """True after `f`/`F`: the next key is the character to jump to, whatever it binds."""
        return self._char_search is not None

    @property
    def pending(self) -> str:
        """What the view waits for, said in the status line ("3", "f…"), or ""."""
        if self._char_search is not None:
            return f"{self._count}{'f' if self._char_search == 'next' else 'F'}…"
        return self._count

    def action_select_object(self, kind: str) -> None:
        """Select the sentence, clause, quotation or parenthesis around the cursor (or the
        selection); pressed again, the next larger one."""
        count = self.take_count()
        found = select_object(self._text, kind, self.cursor, self.selection, count)
        if found is None:
            self.post_message(self.NothingThere(self, kind))
        elif self.anchor_is_sticky:
            self.extend_to(*found)  # `v` then `,`: from the anchor to the clause's end
        else:
            self.select_range(*found)

    @dataclass
    class NothingThere(Message):
        """A text object key found nothing of its kind around the cursor."""

        view: ArticleView
        kind: str

    def action_find_char(self, direction: str) -> None:
        """`f`/`F`: the next key typed is a character to jump to (folded as find folds)."""
        self._char_search = direction
        self.post_message(self.CursorMoved(self, self.cursor, self.selection))

    def action_repeat_find_char(self) -> None:
        """`;`: the last `f`/`F` jump again."""
        if self._last_char_search is not None:
            self._jump_to_char(*self._last_char_search)

    def _jump_to_char(self, char: str, direction: str) -> None:
        self._last_char_search = (char, direction)
        exact = char.isupper()  # smart case: a capital finds only itself
        wanted = fold_char(char, exact)
        text, position = self._text, self.cursor
        for _ in range(self.take_count()):
            if direction == "next":
                indices = range(position + 1, len(text))
            else:
                indices = range(position - 1, -1, -1)
            found = next((i for i in indices if fold_char(text[i], exact) == wanted), None)
            if found is None:
                break
            position = found
        self._change(lambda: self._step(position, extend=False))

    def extend_to(self, start: int, end: int) -> None:
        """Extend the anchored selection to cover [start, end) (find while `v` is on)."""

        def extend() -> None:
            anchor = self._anchor if self._anchor is not None else self.cursor
            if end > anchor:
                self.cursor = end
            else:
                self._anchor = max(anchor, self.cursor)
                self.cursor = start

        self._change(extend)

    def on_key(self, event: events.Key) -> None:
        """Counts and the character after `f`: keys read here, before any binding sees them."""
        if self._char_search is not None:
            direction, self._char_search = self._char_search, None
            event.stop()
            event.prevent_default()
            if event.is_printable and event.character:
                self._jump_to_char(event.character, direction)
            else:
                self._count = ""
                self.post_message(self.CursorMoved(self, self.cursor, self.selection))
            return
        char = event.character
        if char is None or not char.isdigit() or not char.isascii():
            # A count lasts for the one key after it: a key that took no count leaves it stale.
            if self._count and self._count_read_by is not None:
                self._count = ""
            self._count_read_by = event.key if self._count else None
            if event.key == "escape" and self._count:
                self._count = ""
                event.stop()
                event.prevent_default()
                self.post_message(self.CursorMoved(self, self.cursor, self.selection))
            return
        if self._count_read_by is not None:  # a stale count: this digit starts afresh
            self._count, self._count_read_by = "", None
        waiting = self._anchor is not None and self.selection is None
        if self._count or (char != "0" and (char not in self.label_keys or waiting)):
            event.stop()
            event.prevent_default()
            self._count = (self._count + char)[-4:]
            self.post_message(self.CursorMoved(self, self.cursor, self.selection))

    def action_toggle_anchor(self) -> None:
        """`v`: start a selection at the cursor that plain motions extend; `v` again drops it."""
        if self._anchor is not None and self._anchor_sticky:
            self._change(lambda: self._place(self.cursor))
        else:
            self._change(lambda: self._stick_anchor())

    def _stick_anchor(self) -> None:
        self._anchor, self._anchor_sticky = self.cursor, True

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def _step(self, target: int, extend: bool) -> None:
        if extend and self._anchor is None:
            self._anchor = self.cursor
        elif not extend and not self._anchor_sticky:
            self._anchor = None
        self.cursor = target

    def _motion_target(self, motion: str) -> int:
        text, cursor = self._text, self.cursor
        lines = self._ensure_lines()
        line = lines.line_of(cursor)
        page = max(1, self.scrollable_content_region.height - 1)
        targets = {
            "left": lambda: previous_grapheme(text, cursor),
            "right": lambda: next_grapheme(text, cursor),
            "up": lambda: self._vertical_target(-1),
            "down": lambda: self._vertical_target(1),
            "page_up": lambda: self._vertical_target(-page),
            "page_down": lambda: self._vertical_target(page),
            "word_next": lambda: next_word_start(text, cursor),
            "word_previous": lambda: previous_word_start(text, cursor),
            "line_start": lambda: lines.starts[line],
            "line_end": lambda: lines.last_cursor_offset(line, len(text)),
            "text_start": lambda: 0,
            "text_end": lambda: len(text),
        }
        return targets[motion]()

    def _vertical_target(self, delta: int) -> int:
        lines = self._ensure_lines()
        line = lines.line_of(self.cursor)
        if self._goal_column is None:
            self._goal_column = column_of(self._shown, lines.starts[line], self.cursor)
        target_line = max(0, min(len(lines) - 1, line + delta))
        if target_line == line:
            return 0 if delta < 0 else len(self._text) if line == len(lines) - 1 else self.cursor
        last = lines.last_cursor_offset(target_line, len(self._text))
        offset = offset_at_column(self._shown, lines.starts[target_line], last, self._goal_column)
        return min(offset, last)

    # -- change tracking -----------------------------------------------------------------------

    def _change(self, mutate: Callable[[], None], *, vertical: bool = False) -> None:
        """Apply a cursor/selection change, redraw the lines it touched, keep the cursor in view."""
        old_cursor, old_selection = self.cursor, self.selection
        mutate()
        if not vertical:
            self._goal_column = None
        new_selection = self.selection
        self._invalidate(min(old_cursor, self.cursor), max(old_cursor, self.cursor))
        if old_selection != new_selection:
            for changed in (old_selection, new_selection):
                if changed is not None:
                    self._invalidate(*changed)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self, self.cursor, new_selection))

    def _invalidate(self, start: int, end: int) -> None:
        """Forget the drawn lines showing offsets start..end and ask for them to be redrawn."""
        lines = self._lines
        if lines is None:
            return
        first, last = lines.line_of(start), lines.line_of(end)
        if last - first > 4 * max(1, self.size.height):
            self._strips.clear()
            self.refresh()
            return
        for index in range(first, last + 1):
            self._strips.discard(index)
        self.refresh_lines(first, last - first + 1)

    def _scroll_to_cursor(self) -> None:
        lines = self._ensure_lines()
        line = lines.line_of(self.cursor)
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    # -- layout --------------------------------------------------------------------------------

    def _wrap_width(self) -> int:
        return max(1, self.scrollable_content_region.width)

    def _ensure_lines(self) -> DisplayLines:
        if self._lines is None:
            self._rewrap()
        assert self._lines is not None
        return self._lines

    def _rewrap(self) -> None:
        width = self._wrap_width()
        self._lines = wrap_text(self._shown, width)
        self._strips.clear()
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self._lines is None or self._lines.width != self._wrap_width():
            self._rewrap()
            self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._component_styles_cache.clear()
        self._strips.clear()

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        lines = self._ensure_lines()
        index = y + round(self.scroll_y)
        width = lines.width
        if index >= len(lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._draw_line(index, width)
            self._strips.set(index, strip)
        return strip

    def _draw_line(self, index: int, width: int) -> Strip:
        lines = self._ensure_lines()
        start, end = lines.starts[index], lines.ends[index]
        spans = self.spans_overlapping(start, end) if end > start else []
        marks = self.suggestions.overlapping(start, end) if end > start else []
        selection = self.selection
        cursor_end = self._cursor_end(index)
        cuts = {start, end}
        for span in (*spans, *marks):
            cuts.update((max(start, span.start), min(end, span.end)))
        if selection is not None:
            cuts.update((max(start, min(end, selection[0])), max(start, min(end, selection[1]))))
        if start <= self.cursor < end:
            cuts.update((self.cursor, min(end, cursor_end)))
        bounds = sorted(cuts)
        base = self.rich_style
        segments = [
            Segment(
                self._shown[left:right],
                base + self._style_of(left, right, spans, selection, marks),
            )
            for left, right in zip(bounds, bounds[1:], strict=False)
            if right > left
        ]
        if self.cursor == end and lines.last_cursor_offset(index, len(self._text)) == end:
            segments.append(Segment(" ", base + self._component_style("article-view--cursor")))
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def _cursor_end(self, index: int) -> int:
        lines = self._ensure_lines()
        if not lines.starts[index] <= self.cursor < lines.ends[index]:
            return self.cursor
        return next_grapheme(self._text, self.cursor)

    def _style_of(
        self,
        left: int,
        right: int,
        spans: list[MarkedSpan],
        selection: tuple[int, int] | None,
        marks: Sequence[Mark] = (),
    ) -> Style:
        """The style of the characters [left, right): innermost span colour, overlap underline,
        else a suggestion's mark; then selection and cursor on top."""
        style = Style()
        covering = [span for span in spans if span.start <= left and span.end >= right]
        if not covering and marks:
            style += self.suggestions.style_of(left, right, marks) or Style()
        if covering:
            innermost = min(covering, key=lambda span: (span.end - span.start, -span.start))
            style += self._label_styles.get(innermost.label, Style(reverse=True))
            if len(covering) > 1:
                style += _OVERLAP
            if self._linked and any(span.id in self._linked for span in covering):
                style += self._component_style("article-view--linked")
        if selection is not None and selection[0] <= left and right <= selection[1]:
            style += self._component_style("article-view--selection")
        if left <= self.cursor < right:
            style += self._component_style("article-view--cursor")
        return style

    def _component_style(self, name: str) -> Style:
        """A component style, looked up once per style change (the lookup is slow per segment)."""
        style = self._component_styles_cache.get(name)
        if style is None:
            style = self.get_component_rich_style(name, partial=True)
            self._component_styles_cache[name] = style
        return style

    # -- mouse ---------------------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int:
        lines = self._ensure_lines()
        point = event.get_content_offset_capture(self)
        index = max(0, min(len(lines) - 1, point.y + round(self.scroll_y)))
        last = lines.last_cursor_offset(index, len(self._text))
        return min(offset_at_column(self._shown, lines.starts[index], last, point.x), last)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or event.get_content_offset(self) is None:
            return
        offset = self._offset_at(event)
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self._change(lambda: self._start_drag(offset))

    def _start_drag(self, offset: int) -> None:
        self._anchor, self._anchor_sticky = offset, False
        self.cursor = offset

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            offset = self._offset_at(event)
            if offset != self.cursor:
                self._change(lambda: self._step(offset, extend=True))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        if self._anchor == self.cursor:
            self._change(lambda: self._place(self.cursor))


_VERTICAL = frozenset({"up", "down", "page_up", "page_down"})
