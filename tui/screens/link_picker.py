"""The link picker: a modal list to choose one row from, filtered as you type.

`l` uses it to choose the span at the other end of a link, then (where several fit) the relation
type; `L` to choose which link to remove. It returns the chosen row's index in the rows it was
given, or None when cancelled. Rows are one line of plain Text (span text is untrusted: never
markup); typing filters on each row's `search` text (every word typed must occur in it); the
first `pinned` rows stay listed whatever is typed (the check picker's "New check" row).

A picker given `hold` asks it first about a picked row: when `hold` takes the row (it started a
store write, say), the picker stays on screen, inert, until `release()`, so that closing it and
showing what the write did land in one frame (about 10 ms sooner than closing first). Keys typed
meanwhile are kept and handed to the app once it closes; it closes by itself after HOLD_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui import keys
from tui.widgets.line_input import LineInput

_NO_MATCH = "Nothing matches: backspace to widen the filter."
_HINT = "type to filter · ↑↓ choose · enter links · click picks · esc cancels"
HOLD_SECONDS = 0.5
# Rows listed at once: a list of thousands takes a tenth of a second to fill on every key typed
# (the rows come nearest first, and the filter reaches the rest).
MAX_ROWS = 100


@dataclass(frozen=True)
class PickerRow:
    """One row: what it shows, and what typing filters it on."""

    prompt: Text
    search: str


def matches(search: str, query: str) -> bool:
    """Whether every word of `query` occurs in `search` (case-insensitive)."""
    haystack = search.casefold()
    return all(word in haystack for word in query.casefold().split())


class _FilterInput(LineInput):
    def on_finish(self, value: str | None) -> None:
        # Act at once, in key order: keys typed after enter belong to the screen below.
        picker = self.screen
        assert isinstance(picker, LinkPicker)
        if value is None:
            picker.action_cancel()
        elif not picker.pick_highlighted():
            self.finished = False  # nothing to pick: keep typing


class LinkPicker(ModalScreen[int | None]):
    """Choose one of `rows`: type to filter, ↑/↓ to move, `enter` or a click to pick."""

    BINDINGS = keys.bindings_for("picker")

    def __init__(
        self,
        heading: str,
        rows: Sequence[PickerRow],
        hint: str = _HINT,
        hold: Callable[[LinkPicker, int], bool] | None = None,
        pinned: int = 0,
    ) -> None:
        super().__init__()
        self._hold = hold
        self._pinned = pinned  # the first rows stay listed whatever is typed
        self._held = False  # taken by `hold`, still on screen
        self._taken = False  # taken by `hold` (stays True once released)
        self._typed_ahead: list[events.Key] = []
        self._heading = heading
        self._rows = list(rows)
        self._hint = hint
        self._shown: list[int] = list(range(len(self._rows)))  # indices into rows, as listed
        self._done = False  # picked or cancelled: later keys and clicks are not ours

    @property
    def taken(self) -> bool:
        """Whether a picked row was taken by `hold` (the result is then None, not the pick)."""
        return self._taken

    def release(self) -> None:
        """Close a held picker and hand the keys typed meanwhile to the app."""
        if not self._held or not self.is_attached:
            return
        self._held = False
        self.dismiss(None)
        for key in self._typed_ahead:
            self._hand_back(key)
        self._typed_ahead.clear()

    def _hand_back(self, key: events.Key) -> None:
        """Give a key to the app to route again, as a terminal's key (sent by the app: a key
        sent by a screen would stop bubbling at that screen, before the app's bindings)."""
        self.app.post_message(events.Key(key.key, key.character).set_sender(self.app))

    @property
    def shown(self) -> list[int]:
        """The indices (into the rows given) of the rows the filter lets through, in order."""
        return self._shown

    def compose(self) -> ComposeResult:
        with Vertical(id="link-picker"):
            yield Static(Text(self._heading, no_wrap=True, overflow="ellipsis"), id="link-heading")
            yield _FilterInput(placeholder="Type to filter", id="link-filter")
            options = OptionList(id="link-options")
            options.can_focus = False  # typing always goes to the filter
            yield options
            yield Static(Text(self._hint), id="link-hint")

    @property
    def options(self) -> OptionList:
        return self.query_one("#link-options", OptionList)

    def add_rows(
        self, rows: Sequence[PickerRow], hint: str | None = None, *, pinned: bool = False
    ) -> None:
        """Rows read after the picker opened (it opens at once, so that keys typed right after
        the key that opened it go to its filter): listed after the others, filtered alike
        (`pinned`: listed whatever is typed, which only rows given first can be)."""
        if pinned and self._pinned == len(self._rows):
            self._pinned += len(rows)
        self._rows.extend(rows)
        if hint is not None:
            self._hint = hint
            if self.is_mounted:
                self.query_one("#link-hint", Static).update(Text(hint))
        if self.is_mounted:
            highlighted = self.options.highlighted
            self._refilter(self.query_one("#link-filter", _FilterInput).value)
            if highlighted is not None and self._shown:
                self.options.highlighted = min(highlighted, len(self._shown) - 1)

    def on_mount(self) -> None:
        self._refilter("")
        self.set_focus(self.query_one("#link-filter", _FilterInput))

    @on(Input.Changed, "#link-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._refilter(event.value)

    def _refilter(self, query: str) -> None:
        matching = [
            i for i, row in enumerate(self._rows) if i < self._pinned or matches(row.search, query)
        ]
        self._shown = matching[:MAX_ROWS]
        options = self.options
        if not self._shown:
            options.set_options([Option(Text(_NO_MATCH), disabled=True)])
            return
        listed = [Option(self._rows[i].prompt, id=str(i)) for i in self._shown]
        if len(matching) > MAX_ROWS:
            more = f"… {len(matching) - MAX_ROWS} more further away: type to narrow the list"
            listed.append(Option(Text(more, style="dim"), disabled=True))
        options.set_options(listed)
        options.highlighted = 0

    def pick_highlighted(self) -> bool:
        """Dismiss with the highlighted row; False when no row is listed."""
        index = self.options.highlighted
        if self._done:
            return True
        if not self._shown or index is None or not 0 <= index < len(self._shown):
            return False
        picked = self._shown[index]
        if self._hold is not None and self._hold(self, picked):
            self._done = self._held = self._taken = True
            self._typed_ahead.clear()
            self.set_focus(None)  # keys come to on_key, which keeps them for the app
            self.set_timer(HOLD_SECONDS, self._release_held)
            return True
        self._finish(picked)
        return True

    def _release_held(self) -> None:
        if self._held:
            self.release()

    def _finish(self, result: int | None) -> None:
        if not self._done:
            self._done = True
            self.dismiss(result)

    def action_move(self, delta: int) -> None:
        if not self._shown:
            return
        current = self.options.highlighted or 0
        self.options.highlighted = max(0, min(len(self._shown) - 1, current + delta))

    def action_pick(self) -> None:
        self.pick_highlighted()

    def action_cancel(self) -> None:
        self._finish(None)

    @on(OptionList.OptionSelected, "#link-options")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.options.highlighted = event.option_index
        self.pick_highlighted()

    def on_click(self, event: events.Click) -> None:
        """A click on a row picks it. Rows are one line each, so the row is found from the
        position (the list's own click needs the row drawn first)."""
        options = self.options
        offset = event.get_content_offset(options)
        if offset is None or not self._shown:
            return
        index = offset.y + round(options.scroll_y)
        if 0 <= index < len(self._shown):
            event.stop()
            options.highlighted = index
            self.pick_highlighted()

    def on_key(self, event: events.Key) -> None:
        """Keys that reach the picker itself were typed before its filter had focus (a burst
        right after `l`): they belong in the filter, and must not run the screen's keys."""
        if self._held:
            self._typed_ahead.append(event)
            event.stop()
            event.prevent_default()
            return
        if self._done:
            # Closing: the key belongs to the screen below; hand it back to the app until this
            # picker is off the stack (as LineInput does with keys typed after enter).
            event.stop()
            event.prevent_default()
            self._hand_back(event)
            return
        field = self.query_one("#link-filter", _FilterInput)
        if event.key == "enter":
            self.pick_highlighted()
        elif event.key == "escape":
            self._finish(None)
        elif event.is_printable and event.character:
            field.insert_text_at_cursor(event.character)
        else:
            return
        event.stop()
        event.prevent_default()
