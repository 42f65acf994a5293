"""The find bar of the annotate screen: type text, `enter` selects the next match.

What is matched is `tui.find_text`'s: typed quotes and dashes find their typographic forms, and
case and accents are folded unless the bar is in exact mode (ctrl+t, or `find_exact` in the
configuration).
"""

from __future__ import annotations

from textual.widget import Widget

from tui import keys
from tui.widgets.line_input import LineInput

_FOLDED_HINT = "Find (enter: next match · ctrl+t: exact case and accents · esc: cancel)"
_EXACT_HINT = "Find, exact case and accents (enter: next match · ctrl+t: fold them · esc: cancel)"


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
    BINDINGS = keys.bindings_for("find")

    def __init__(self, *, id: str | None = None, exact: bool = False) -> None:
        super().__init__(placeholder=_EXACT_HINT if exact else _FOLDED_HINT, id=id)
        self._return_to: Widget | None = None
        self.exact = exact

    def open(self, initial: str, return_to: Widget) -> None:
        """Show the bar with focus; focus is set at once so keys typed right after `/` land here."""
        self._return_to = return_to
        self.reopen(initial)
        self.add_class("-active")
        self.screen.set_focus(self)

    def action_toggle_exact(self) -> None:
        self.set_exact(not self.exact)

    def set_exact(self, exact: bool) -> None:
        self.exact = exact
        self.placeholder = _EXACT_HINT if exact else _FOLDED_HINT
        self.border_title = "exact" if exact else None
        self.notify(
            "Find: exact case and accents." if exact else "Find: case and accents folded.",
            timeout=2,
        )

    def on_finish(self, value: str | None) -> None:
        self.remove_class("-active")
        if self._return_to is not None:
            self.screen.set_focus(self._return_to)
