"""A footer that redraws its keys only when the keys it shows change.

Textual's Footer rebuilds every key widget whenever its screen reports that bindings changed,
which it does on every focus change and whenever a modal (a picker, the note dialog) closes, even
when the keys shown are the same. On a loaded 2-core machine that rebuild took 20-50 ms, and it
ran before the message that shows a new link, so a link took up to 80 ms to appear after `enter`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, TextArea
from textual.widgets._footer import FooterKey

# The key table's id of the help binding (settings.keys): shown apart, first.
HELP_BINDING_IDS = ("help", "help-anywhere")  # `?`, and F1 where `?` is typed


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
    return (typing_in_a_field(screen),) + tuple(
        (binding.key, binding.action, binding.description, enabled, tooltip)
        for (_, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show
    )


class KeysFooter(SteadyFooter):
    """The footer every screen shows: `? Help` first, so the way to every key is on screen at
    80 columns, where the keys after it may be cut off (help lists them all)."""

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        shown_help = _help_binding(self.screen)
        if shown_help is not None:
            binding, enabled = shown_help
            # In a text field `?` is typed: the footer names the key that works there.
            key_display = "f1" if typing_in_a_field(self.screen) else None
            yield FooterKey(
                binding.key,
                key_display or self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=binding.tooltip,
            ).data_bind(compact=Footer.compact)
        yield from super().compose()
        if shown_help is not None:
            self.styles.grid_size_columns = int(self.styles.grid_size_columns or 0) + 1


def typing_in_a_field(screen: Screen[object]) -> bool:
    """Whether the focus is in a field that takes printable keys as text."""
    return isinstance(screen.focused, Input | TextArea)


def _help_binding(screen: Screen[object]) -> tuple[Binding, bool] | None:
    """The help binding in force on `screen` (`?` where it is a key, else F1), if any."""
    found = {
        active.binding.id: (active.binding, active.enabled)
        for active in screen.active_bindings.values()
        if active.binding.id in HELP_BINDING_IDS
    }
    return next((found[binding_id] for binding_id in HELP_BINDING_IDS if binding_id in found), None)
