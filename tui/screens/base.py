"""What every full factmark screen shares: the typed app, store failures and review refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import BindingsMap
from textual.screen import Screen

from importers.canonical import strip_controls
from tui import keys
from tui.messages import ReviewRefused, StoreFailed

if TYPE_CHECKING:
    from tui.app import FactmarkApp


class FactmarkScreen(Screen[None]):
    """A screen of the factmark app (library, annotate, review list, review)."""

    @property
    def factmark(self) -> FactmarkApp:
        return self.app  # type: ignore[return-value]

    def add_label_bindings(self) -> None:
        """One binding per configured label: the label set comes from the config, not the class."""
        specs = keys.label_key_specs(self.factmark.config.labels)
        labels = BindingsMap([spec.binding() for spec in specs])
        self._bindings = BindingsMap.merge([labels, self._bindings])

    @on(StoreFailed)
    def show_failure(self, message: StoreFailed) -> None:
        message.stop()
        self.notify(
            f"Could not {message.what}: {strip_controls(message.reason)}",
            title="Nothing was changed",
            severity="error",
            markup=False,
        )
        self.failure_said(message.what)

    def failure_said(self, what: str) -> None:
        """Where a screen has a status line, it repeats the failure there."""

    @on(ReviewRefused)
    def refuse_review(self, message: ReviewRefused) -> None:
        self.factmark.role = message.role
        self.factmark.refuse_review()
