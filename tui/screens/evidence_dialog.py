"""The evidence editor: one evidence item's fields, validated as you type.

Returns the fields as typed (empty ones None), or None when cancelled. A URL that is not
http(s) or a date that is not YYYY-MM-DD is said beside its field and the item cannot be saved
until it is fixed; the stance must be chosen. The check form writes what it returns (and, if the
store refuses it, opens this dialog again with the values and the store's reason).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from tui import keys
from tui.titles import one_line
from vocabulary.checks import EVIDENCE_FIELDS, STANCES, field_problem

if TYPE_CHECKING:
    from store.desk_info import EvidenceInfo

EVIDENCE_TITLES: dict[str, str] = {
    "url": "URL",
    "title": "Title",
    "publisher": "Publisher",
    "published": "Published",
    "accessed": "Accessed",
    "archived": "Archived URL",
    "excerpt": "Excerpt",
    "stance": "Stance",
}
_PLACEHOLDERS = {
    "url": "https://…",
    "archived": "https://web.archive.org/…",
    "published": "YYYY-MM-DD",
    "accessed": "YYYY-MM-DD",
}
_HINT = "tab / enter: next field · ctrl+s saves · esc cancels"


def evidence_values(item: EvidenceInfo) -> dict[str, str | None]:
    """An evidence item's editable fields, as the dialog shows them."""
    return {field: item.value(field) for field in EVIDENCE_FIELDS}


def evidence_problem(field: str, value: str | None) -> str | None:
    """Why `value` cannot be saved in the evidence `field` (None: it can): the store's rules,
    and a stance the dialog asks for."""
    if field == "stance":
        return None if value in STANCES else "choose a stance"
    return field_problem(field, value or "")


class EvidenceDialog(ModalScreen[dict[str, str | None] | None]):
    """Add or edit one evidence item (see the module docstring)."""

    BINDINGS = keys.bindings_for("evidence-dialog")

    def __init__(
        self,
        heading: str,
        values: dict[str, str | None] | None,
        *,
        problem: str | None = None,
        pointer: str | None = None,
    ) -> None:
        super().__init__()
        self._heading = heading
        # A new item: accessed today, the date a checker records when they read a source.
        self._values = values or {"accessed": date.today().isoformat()}
        self._problem = problem
        self._pointer = pointer

    def compose(self) -> ComposeResult:
        with Vertical(id="evidence-dialog"):
            yield Static(Text(self._heading, "bold"), id="evidence-heading")
            if self._pointer:
                yield Static(Text(one_line(self._pointer), "italic"), id="evidence-pointer")
            yield Static(Text(one_line(self._problem or ""), "red"), id="evidence-problem")
            with VerticalScroll(id="evidence-fields"):
                for field in EVIDENCE_FIELDS:
                    yield from self._row(field)
            yield Static(Text(_HINT), id="evidence-hint")

    def _row(self, field: str) -> ComposeResult:
        value = self._values.get(field)
        widget: Widget
        if field == "stance":
            options = [(Text(stance), stance) for stance in STANCES]
            widget = Select[str](options, prompt="choose…", compact=True)
            if value in STANCES:
                widget.value = value
        elif field == "excerpt":
            widget = TextArea(value or "", compact=True, soft_wrap=True)
        else:
            widget = Input(value or "", placeholder=_PLACEHOLDERS.get(field, ""), compact=True)
        widget.id = f"e-{field}"
        widget.add_class("evidence-field")
        with Horizontal(classes="evidence-row"):
            yield Static(Text(EVIDENCE_TITLES.get(field, field)), classes="evidence-label")
            yield widget
            yield Static(classes="evidence-note", id=f"en-{field}")

    def on_mount(self) -> None:
        self.query_one("#e-url").focus()
        for field in EVIDENCE_FIELDS:
            self._check(field)

    def value(self, field: str) -> str | None:
        widget = self.query_one(f"#e-{field}")
        if isinstance(widget, Select):
            return widget.selection
        text = widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]
        return str(text).strip() or None

    def _check(self, field: str) -> str | None:
        problem = evidence_problem(field, self.value(field))
        note = self.query_one(f"#en-{field}", Static)
        # A stance not chosen yet is said when saving, not as a fault of an untouched form.
        shown = problem if problem is not None and field != "stance" else None
        note.update(Text(f"✗ {shown}", "red") if shown else Text(""))
        return problem

    @on(Input.Changed, ".evidence-field")
    @on(TextArea.Changed, ".evidence-field")
    @on(Select.Changed, ".evidence-field")
    def changed(self, event: Input.Changed | TextArea.Changed | Select.Changed) -> None:
        self._check((event.control.id or "").removeprefix("e-"))

    @on(Input.Submitted, ".evidence-field")
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        problems = [(f, p) for f in EVIDENCE_FIELDS if (p := self._check(f)) is not None]
        if problems:
            field, problem = problems[0]
            self.query_one("#evidence-problem", Static).update(
                Text(f"{EVIDENCE_TITLES.get(field, field)}: {problem}", "red")
            )
            self.query_one(f"#e-{field}").focus()
            return
        self.dismiss({field: self.value(field) for field in EVIDENCE_FIELDS})

    def action_cancel(self) -> None:
        self.dismiss(None)
