"""The find bar of the annotate screen: type text, `enter` selects the next match."""

from __future__ import annotations

import re

from textual.widget import Widget

from tui.widgets.line_input import LineInput


def find_next(text: str, query: str, start: int) -> tuple[int, int] | None:
    """The next match of `query` at or after `start`, wrapping to the top; None if there is none.

    Smart case: a query with no capital letter ignores case. Regex IGNORECASE matches code point by
    code point, so the offsets are offsets into `text` itself (str.lower could change lengths).
    """
    if not query:
        return None
    flags = 0 if any(char.isupper() for char in query) else re.IGNORECASE
    pattern = re.compile(re.escape(query), flags)
    match = pattern.search(text, start) or pattern.search(text, 0)
    return (match.start(), match.end()) if match else None


class FindBar(LineInput):
    """An input docked under the article, hidden until `/`; posts `Finished(query or None)`."""

    DEFAULT_CSS = """
    FindBar {
        dock: bottom;
        display: none;
    }
    FindBar.-active {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="Find (enter: select the next match · esc: cancel)", id=id)
        self._return_to: Widget | None = None

    def open(self, initial: str, return_to: Widget) -> None:
        """Show the bar with focus; focus is set at once so keys typed right after `/` land here."""
        self._return_to = return_to
        self.reopen(initial)
        self.add_class("-active")
        self.screen.set_focus(self)

    def on_finish(self, value: str | None) -> None:
        self.remove_class("-active")
        if self._return_to is not None:
            self.screen.set_focus(self._return_to)
