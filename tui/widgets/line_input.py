"""A one-line input that stays right when keys are typed ahead (over SSH keys arrive in bursts).

Textual sends each key to whatever has focus when the key is *read*, while `enter` is normally
acted on later, as a binding. So in a burst like "34,535 Palestinians⏎3", the `3` would land in the
input before the `enter` closed it. This input acts on `enter` and `escape` as soon as it handles
them, in key order, and hands any key that reaches it after it closed back to the app, which sends
it to the widget that has focus by then.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import Input


class LineInput(Input):
    """Input that reports `Finished(value)` on enter, `Finished(None)` on escape, in key order."""

    @dataclass
    class Finished(Message):
        """Enter (`value`: the text) or escape (`value`: None) was handled."""

        line_input: LineInput
        value: str | None

        @property
        def control(self) -> LineInput:
            return self.line_input

    def __init__(
        self, value: str | None = None, placeholder: str = "", *, id: str | None = None
    ) -> None:
        super().__init__(value=value, placeholder=placeholder, id=id)
        self.finished = False

    def reopen(self, value: str = "") -> None:
        self.value = value
        self.finished = False

    async def _on_key(self, event: events.Key) -> None:
        if self.finished:
            self._pass_on(event)
        elif event.key in ("enter", "escape"):
            event.stop()
            event.prevent_default()
            self.finished = True
            value = self.value if event.key == "enter" else None
            self.on_finish(value)
            self.post_message(self.Finished(self, value))

    def on_finish(self, value: str | None) -> None:
        """Called as enter or escape is handled, before the next key: move focus away here."""

    def _pass_on(self, event: events.Key) -> None:
        """A key typed after enter or escape: give it back to the app to route again."""
        event.stop()
        event.prevent_default()
        self.app.post_message(events.Key(event.key, event.character))
