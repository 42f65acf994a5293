"""The agreement panel: the study's figures (as `factmark agreement` prints them), over the text.

The figures are computed in a thread worker (a large study takes seconds); the panel says so
meanwhile. `escape`, `q` or `A` closes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from review.render import render_report
from store.study import study_agreement
from tui import keys

if TYPE_CHECKING:
    from tui.app import FactmarkApp


class AgreementPanel(ModalScreen[None]):
    """Agreement figures between the annotators who marked documents done."""

    DEFAULT_CSS = """
    AgreementPanel {
        align: center middle;
    }
    AgreementPanel #agreement-body {
        width: 95%;
        height: 95%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS = keys.bindings_for("panel")

    class Computed(Message):
        """The figures are ready (`report` None: not computable, `note` says why)."""

        def __init__(self, report: dict[str, Any] | None, note: str | None) -> None:
            super().__init__()
            self.report = report
            self.note = note

    @property
    def factmark(self) -> FactmarkApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="agreement-body"):
            yield Static(Text("Computing the agreement figures…"), id="agreement-figures")

    def on_mount(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def compute(self) -> None:
        labels = self.factmark.config.label_names
        try:
            report, note = study_agreement(self.factmark.store, labels)
        except Exception as error:  # noqa: BLE001 - shown in the panel; nothing was changed
            report, note = None, f"Could not compute the figures: {error}"
        self.post_message(self.Computed(report, note))

    @on(Computed)
    def show_figures(self, message: Computed) -> None:
        figures = self.query_one("#agreement-figures", Static)
        if message.report is None:
            figures.update(Text(message.note or "No figures."))
            return
        figures.update(render_report(message.report))
