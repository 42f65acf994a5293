"""The annotation pane: the annotator's spans in text order, with label, text and note marker."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store import SpanInfo
from tui import keys
from tui.titles import cut_in_middle, one_line

_SNIPPET_CELLS = 60
NOTE_MARK = "✎"
_EMPTY_HINT = "No spans yet: select text, then press a label key."


def span_snippet(text: str, limit: int = _SNIPPET_CELLS) -> str:
    """A span's text on one line, shortened in the middle to `limit` terminal cells: what the
    pane and messages show."""
    return cut_in_middle(one_line(text), limit)


class AnnotationPane(OptionList):
    """Lists spans; `enter` asks the screen to jump to the highlighted one."""

    DEFAULT_CSS = """
    AnnotationPane {
        border: none;
        padding: 0;
    }
    """
    BINDINGS = keys.bindings_for("pane")

    @dataclass
    class SpanChosen(Message):
        """The annotator asked to go to a span of the pane."""

        pane: AnnotationPane
        span: SpanInfo

        @property
        def control(self) -> AnnotationPane:
            return self.pane

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._spans: list[SpanInfo] = []

    @property
    def spans(self) -> list[SpanInfo]:
        return self._spans

    def show_spans(
        self,
        spans: Sequence[SpanInfo],
        label_styles: Mapping[str, Style],
        highlight: int | None = None,
    ) -> None:
        """List `spans` (already in text order); keep `highlight` (a span id) highlighted."""
        self._spans = list(spans)
        if not self._spans:
            self.set_options([Option(Text(_EMPTY_HINT), disabled=True)])
            return
        self.set_options(
            Option(_span_prompt(span, label_styles), id=str(span.id)) for span in self._spans
        )
        self.highlight_span(highlight)

    def highlight_span(self, span_id: int | None) -> None:
        """Highlight the span with this id (nothing happens if it is not listed)."""
        for index, span in enumerate(self._spans):
            if span.id == span_id:
                self.highlighted = index
                return

    @property
    def highlighted_span(self) -> SpanInfo | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self._spans):
            return None
        return self._spans[index]

    def action_jump_to_span(self) -> None:
        span = self.highlighted_span
        if span is not None:
            self.post_message(self.SpanChosen(self, span))

    def on_click(self, event: events.Click) -> None:
        """A click on a row jumps to its span.

        Rows are one line each (prompts do not wrap), so the row is found from the position: the
        first click on an unfocused pane can arrive before the row's metadata is drawn.
        """
        event.prevent_default()
        offset = event.get_content_offset(self)
        if offset is None or not self._spans:
            return
        index = offset.y + round(self.scroll_y)
        if 0 <= index < len(self._spans):
            self.highlighted = index
            self.action_jump_to_span()


def _span_prompt(span: SpanInfo, label_styles: Mapping[str, Style]) -> Text:
    """One pane row as plain Text: untrusted span text and notes are never markup."""
    style = label_styles.get(span.label, Style(reverse=True))
    prompt = Text.assemble((f" {span.label} ", style), " ", span_snippet(span.text, 48))
    if span.entity is not None:  # the corpus-wide entity an actor span names
        prompt.append(f" → {span_snippet(span.entity.name, 30)}", "bold")
    if span.note:
        prompt.append(f"  {NOTE_MARK} ", "bold")
        prompt.append(span_snippet(span.note, 30), "italic")
    prompt.no_wrap = True
    prompt.overflow = "ellipsis"
    return prompt
