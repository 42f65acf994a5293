"""A step the user confirms before anything is written: what it will do, shown first.

Returns True on `enter`, False on `escape` (or a click outside); the caller writes only on True.
The question is plain Text: it quotes document text, which is untrusted (never markup).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui import keys


class ConfirmDialog(ModalScreen[bool]):
    """Ask `question`; `enter` confirms, `escape` cancels."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog #confirm-dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog #confirm-hint {
        color: $text-muted;
        margin-top: 1;
    }
    """
    BINDINGS = keys.bindings_for("confirm")

    def __init__(self, question: Text, hint: str = "enter confirms · esc cancels") -> None:
        super().__init__()
        self._question = question
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self._question, id="confirm-question")
            yield Static(Text(self._hint), id="confirm-hint")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_click(self, event: events.Click) -> None:
        if event.widget is self:  # outside the box
            self.dismiss(False)
