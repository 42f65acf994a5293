"""The metadata dialog: correct a document's title, outlet, byline, date and URL.

A small typed modal (as the note dialog): it returns the fields that changed (field -> value as
typed), or None when cancelled. Every value is checked as `factmark docs set` checks it before
the dialog closes, so a bad date is said at once, in the dialog, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from store import DocumentInfo
from store.correction_info import Correction
from tui import keys
from vocabulary.document_fields import DOCUMENT_FIELDS, corrected_values

Changes = dict[str, str | None]

_HINT = "enter saves · tab moves · an empty field clears it (the title must stay) · esc cancels"
_PLACEHOLDERS = {
    "title": "Headline",
    "outlet": "Outlet (e.g. Reuters)",
    "byline": "Author(s)",
    "published": "YYYY-MM-DD (or a timestamp), or empty for no date",
    "url": "https://…",
}


@dataclass
class DocumentCorrected(Message):
    """The write queue corrected a document's metadata: `document` as it is now."""

    document: DocumentInfo
    corrections: list[Correction]


def current_values(document: DocumentInfo) -> dict[str, str]:
    """The values in force, as the dialog's fields start."""
    return {field: getattr(document, field) or "" for field in DOCUMENT_FIELDS}


class MetadataDialog(ModalScreen[Changes | None]):
    """Correct one document's metadata: `enter` saves the changed fields, `escape` cancels."""

    BINDINGS = keys.bindings_for("dialog")

    def __init__(self, document: DocumentInfo) -> None:
        super().__init__()
        self._initial = current_values(document)

    def compose(self) -> ComposeResult:
        with Vertical(id="metadata-dialog"):
            yield Static(Text("Correct this document's metadata", style="bold"))
            # One line a field (label beside a compact input), so the dialog fits 80x24.
            for field in DOCUMENT_FIELDS:
                with Horizontal(classes="metadata-row"):
                    yield Label(Text(field))
                    yield Input(
                        value=self._initial[field],
                        placeholder=_PLACEHOLDERS[field],
                        id=f"metadata-{field}",
                        compact=True,
                    )
            yield Static(Text(_HINT), id="metadata-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#metadata-title", Input))

    def changes(self) -> Changes:
        """The fields whose value differs from the one in force, as typed."""
        typed = {f: self.query_one(f"#metadata-{f}", Input).value for f in DOCUMENT_FIELDS}
        return {field: value for field, value in typed.items() if value != self._initial[field]}

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        event.stop()
        changes = self.changes()
        if not changes:
            self.dismiss(None)
            return
        try:
            corrected_values(changes)
        except ValueError as error:
            hint = self.query_one("#metadata-hint", Static)
            hint.update(Text(str(error)))  # the value is the user's: plain Text, never markup
            hint.add_class("-error")
            return
        self.dismiss(changes)

    def action_cancel(self) -> None:
        self.dismiss(None)
