"""The annotation pane: the annotator's spans in text order, with label, text and note marker,
and under each span its links ("→ said by: Lin Jian"), one row each."""

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
from tui.linking import LinkRow, relation_title
from tui.titles import cut_in_middle, one_line

_SNIPPET_CELLS = 60
NOTE_MARK = "✎"
CHECK_MARK = "✓"  # a claim that is an appearance of a check (its id follows)
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
        # One entry per row: the span, and the link when the row is one of its links.
        self._rows: list[tuple[SpanInfo, LinkRow | None]] = []

    @property
    def spans(self) -> list[SpanInfo]:
        return self._spans

    def show_spans(
        self,
        spans: Sequence[SpanInfo],
        label_styles: Mapping[str, Style],
        highlight: int | None = None,
        links: Mapping[int, Sequence[LinkRow]] | None = None,
        relation_styles: Mapping[str, Style] | None = None,
        checks: Mapping[int, str] | None = None,
    ) -> None:
        """List `spans` (already in text order), each followed by its `links` (by span id) and
        marked with the check it is an appearance of (`checks`: span id -> check id); keep
        `highlight` (a span id) highlighted."""
        self._spans = list(spans)
        checks = checks or {}
        links = links or {}
        self._rows = [
            row
            for span in self._spans
            for row in [(span, None), *((span, link) for link in links.get(span.id, ()))]
        ]
        if not self._spans:
            self.set_options([Option(Text(_EMPTY_HINT), disabled=True)])
            return
        styles = relation_styles or {}
        self.set_options(
            Option(_span_prompt(span, label_styles, checks.get(span.id)), id=str(span.id))
            if link is None
            else Option(_link_prompt(link, styles), id=f"{span.id}:{link.relation.id}")
            for span, link in self._rows
        )
        self.highlight_span(highlight)

    def highlight_span(self, span_id: int | None) -> None:
        """Highlight the span with this id (nothing happens if it is not listed)."""
        for index, (span, link) in enumerate(self._rows):
            if span.id == span_id and link is None:
                self.highlighted = index
                return

    @property
    def highlighted_span(self) -> SpanInfo | None:
        """The highlighted row's span (a link row's: the span it is listed under)."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index][0]

    @property
    def highlighted_link(self) -> LinkRow | None:
        """The highlighted link, when the highlighted row is a link row."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index][1]

    def action_jump_to_span(self) -> None:
        link = self.highlighted_link
        # On a link row, go to the span at its other end.
        span = link.other if link is not None else self.highlighted_span
        if span is not None:
            self.post_message(self.SpanChosen(self, span))

    def on_click(self, event: events.Click) -> None:
        """A click on a row jumps to its span (on a link row: to the span at its other end).

        The row is the one the clicked line was drawn for; the first click on an unfocused pane
        can arrive before that is drawn, and then it is found from the position (rows are one
        line each unless a long text or note wraps).
        """
        event.prevent_default()
        offset = event.get_content_offset(self)
        if offset is None or not self._spans:
            return
        drawn = event.style.meta.get("option")
        index = drawn if isinstance(drawn, int) else offset.y + round(self.scroll_y)
        if 0 <= index < len(self._rows):
            self.highlighted = index
            self.action_jump_to_span()


def _span_prompt(
    span: SpanInfo, label_styles: Mapping[str, Style], check: str | None = None
) -> Text:
    """One pane row as plain Text: untrusted span text and notes are never markup."""
    style = label_styles.get(span.label, Style(reverse=True))
    prompt = Text.assemble((f" {span.label} ", style), " ", span_snippet(span.text, 48))
    if check is not None:  # already routed to the desk: `c` opens this check
        prompt.append(f" {CHECK_MARK} {check}", "bold")
    if span.entity is not None:  # the corpus-wide entity an actor span names
        prompt.append(f" → {span_snippet(span.entity.name, 30)}", "bold")
    if span.note:
        prompt.append(f"  {NOTE_MARK} ", "bold")
        prompt.append(span_snippet(span.note, 30), "italic")
    prompt.no_wrap = True
    prompt.overflow = "ellipsis"
    return prompt


def _link_prompt(link: LinkRow, relation_styles: Mapping[str, Style]) -> Text:
    """A link row: the arrow says which way the relation goes (→ this span is its head)."""
    style = relation_styles.get(link.relation.label, Style(bold=True))
    arrow = "→" if link.outgoing else "←"
    prompt = Text.assemble(
        "   ",
        (f"{arrow} {relation_title(link.relation.label)}:", style),
        " ",
        (f"{link.other.label} ", "dim"),
        span_snippet(link.other.text, 40),
    )
    prompt.no_wrap = True
    prompt.overflow = "ellipsis"
    return prompt
