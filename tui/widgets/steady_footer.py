"""A footer that redraws its keys only when the keys it shows change.

Textual's Footer rebuilds every key widget whenever its screen reports that bindings changed,
which it does on every focus change and whenever a modal (a picker, the note dialog) closes, even
when the keys shown are the same. On a loaded 2-core machine that rebuild took 20-50 ms, and it
ran before the message that shows a new link, so a link took up to 80 ms to appear after `enter`.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """Footer that skips the rebuild when the shown keys (and whether each is enabled) are
    what it last showed."""

    _shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = _shown_keys(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)


def _shown_keys(screen: Screen[object]) -> tuple[object, ...]:
    return tuple(
        (binding.key, binding.action, binding.description, enabled, tooltip)
        for (_, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show
    )
