"""What every factmark screen shares: the typed app, store reads in thread workers, store
failures and review refusals."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, ClassVar, Concatenate, ParamSpec, TypeVar, cast

from rich.text import Text
from textual import on, work
from textual.binding import BindingsMap
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker

from tui import keys
from tui.messages import ReviewRefused, StoreFailed
from vocabulary.text import strip_controls

if TYPE_CHECKING:
    from tui.app import FactmarkApp

Reader = TypeVar("Reader", bound=MessagePump)
Params = ParamSpec("Params")


# Rows a document table holds at once: a DataTable of 100,000 rows takes seconds to fill (and
# the library refills on every key typed in its filter). Past this, the library's filter, or
# `factmark review ID`, reaches the rest.
MAX_TABLE_ROWS = 500


def factmark_app(node: MessagePump) -> FactmarkApp:
    """The app a screen of factmark runs in (its type is only named here: the app module imports
    every screen)."""
    return cast("FactmarkApp", node.app)


def store_read(
    what: str, *, group: str, failed: Callable[[str], Message] | None = None
) -> Callable[
    [Callable[Concatenate[Reader, Params], Message | None]],
    Callable[Concatenate[Reader, Params], Worker[None]],
]:
    """Run the decorated method in a thread worker (exclusive in `group`, as Textual's `work`
    makes it) and post the message it returns. If it raises, post `failed(reason)` instead: by
    default a StoreFailed naming `what` (a read changed nothing)."""

    def failure(reason: str) -> Message:
        return failed(reason) if failed is not None else StoreFailed(what, reason)

    def decorate(
        read: Callable[Concatenate[Reader, Params], Message | None],
    ) -> Callable[Concatenate[Reader, Params], Worker[None]]:
        @wraps(read)
        def post_result(node: Reader, *args: Params.args, **kwargs: Params.kwargs) -> None:
            try:
                message = read(node, *args, **kwargs)
            except Exception as error:  # noqa: BLE001 - shown on screen; nothing was changed
                message = failure(str(error))
            if message is not None:
                node.post_message(message)

        return work(thread=True, exclusive=True, group=group, exit_on_error=False)(post_result)

    return decorate


class FactmarkScreen(Screen[None]):
    """A screen of the factmark app (library, annotate, review list, review)."""

    @property
    def factmark(self) -> FactmarkApp:
        return factmark_app(self)

    def add_label_bindings(self) -> None:
        """One binding per configured label: the label set comes from the config, not the class."""
        labels = BindingsMap(keys.label_bindings(self.factmark.config.labels))
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

    def reload_from_store(self) -> None:
        """Read again what the screen shows, with what others saved since (the refresh key; the
        app calls it when the terminal regains focus). Screens showing shared work override it;
        they read in `store_read` workers like any load."""

    def action_reload(self) -> None:
        self.reload_from_store()

    def returned_to(self) -> None:
        """The terminal regained focus: read again, as the refresh key does unless a screen
        keeps what is costly to compute for the key."""
        self.reload_from_store()

    @on(ReviewRefused)
    def refuse_review(self, message: ReviewRefused) -> None:
        self.factmark.role = message.role
        self.factmark.refuse_review()


class DocumentScreen(FactmarkScreen):
    """A screen the app builds once and reuses for one document after another (annotate, review):
    opening a document costs a store read and a re-wrap, not a new screen's layout and styling.

    Subclasses say where their one-line status goes (STATUS_ID) and implement `load_document`
    (a worker) and `_show_header`.
    """

    STATUS_ID: ClassVar[str]

    def __init__(self) -> None:
        super().__init__()
        self.add_label_bindings()
        self._requested_doc: int | None = None
        # The app builds the screen before any document is asked for; load nothing until then.
        self._load_requested = False

    def on_mount(self) -> None:
        self._show_header()
        if self._load_requested:
            self._begin_loading(self._requested_doc)

    def request_document(self, doc_id: int | None) -> None:
        """Open `doc_id` now, or as soon as the screen is mounted."""
        self._requested_doc = doc_id
        self._load_requested = True
        if self.is_mounted:
            self._begin_loading(doc_id)

    def _begin_loading(self, doc_id: int | None) -> None:
        self._say("Loading…")
        self.load_document(doc_id)

    def load_document(self, doc_id: int | None) -> object:
        raise NotImplementedError

    def _show_header(self) -> None:
        raise NotImplementedError

    def _say(self, text: str) -> None:
        """Show a one-line status (plain text, whatever it contains)."""
        status = self.query_one(f"#{self.STATUS_ID}", Static)
        status.update(Text(strip_controls(text), no_wrap=True))
