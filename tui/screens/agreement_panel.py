"""The agreement panel: the study's figures (as `factmark agreement` prints them), over the text.

The two matrices come first (labels between annotators, then the pairs), as coloured cells
with their numbers in them, so they read without colour too; the tables of figures follow.
The figures are computed in a thread worker (a large study takes seconds); the panel says so
meanwhile. `escape`, `q` or `A` closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from review.matrix_render import matrices_renderable
from review.render import render_report
from store.study import study_agreement
from tui import keys
from tui.screens.base import factmark_app, store_read

if TYPE_CHECKING:
    from tui.app import FactmarkApp


@dataclass
class FiguresComputed(Message):
    """The figures are ready (`report` None: not computable, `note` says why)."""

    report: dict[str, Any] | None
    note: str | None


def _not_computed(reason: str) -> FiguresComputed:
    return FiguresComputed(None, f"Could not compute the figures: {reason}")


class AgreementPanel(ModalScreen[None]):
    """Agreement figures between the annotators who marked documents done."""

    BINDINGS = keys.bindings_for("panel")

    @property
    def factmark(self) -> FactmarkApp:
        return factmark_app(self)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="agreement-body"):
            yield Static(id="agreement-matrices")
            yield Static(Text("Computing the agreement figures…"), id="agreement-figures")

    def on_mount(self) -> None:
        self.compute()

    @store_read("compute the figures", group="agreement", failed=_not_computed)
    def compute(self) -> FiguresComputed:
        config = self.factmark.config
        report, note = study_agreement(
            self.factmark.store, config.label_names, relation_labels=config.relation_names
        )
        return FiguresComputed(report, note)

    @on(FiguresComputed)
    def show_figures(self, message: FiguresComputed) -> None:
        figures = self.query_one("#agreement-figures", Static)
        if message.report is None:
            figures.update(Text(message.note or "No figures."))
            return
        self.query_one("#agreement-matrices", Static).update(matrices_renderable(message.report))
        figures.update(render_report(message.report, matrices=False))
