"""The note editor: a small modal that returns the new note, or None when cancelled."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui import keys
from tui.widgets.line_input import LineInput

_HINT = "enter saves · an empty note removes it · esc cancels"


class _NoteInput(LineInput):
    def on_finish(self, value: str | None) -> None:
        # Dismiss at once, so keys typed after enter go to the annotate screen, not to this input.
        self.screen.dismiss(value)


class NoteDialog(ModalScreen[str | None]):
    """Edit one span's note: `enter` saves (an empty note removes it), `escape` cancels."""

    BINDINGS = keys.bindings_for("dialog")

    def __init__(self, heading: str, note: str | None) -> None:
        super().__init__()
        self._heading = heading
        self._note = note or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(Text(self._heading), id="note-heading")
            yield _NoteInput(value=self._note, placeholder="Note for this span", id="note-input")
            yield Static(Text(_HINT), id="note-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#note-input", _NoteInput))

    def on_key(self, event: events.Key) -> None:
        """Keys that reach the dialog itself were typed before its input had focus (a burst
        right after `e`): they belong in the note, and must not run app keys such as `q`."""
        note_input = self.query_one("#note-input", _NoteInput)
        if event.key == "enter":
            self.dismiss(note_input.value)
        elif event.key == "escape":
            self.dismiss(None)
        elif event.is_printable and event.character:
            note_input.insert_text_at_cursor(event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def action_cancel(self) -> None:
        self.dismiss(None)
