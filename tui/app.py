"""The factmark Textual app: owns the store, the annotator's name, the config and the write queue.

Writes go through `submit_write`: one dedicated thread runs them strictly in the order they were
asked for (a label then an undo must reach the database in that order), and the message the job
returns is posted only after the store call has committed.

The app is given an open store, or (`factmark annotate` on a current SQLite file) a way to open
one and the first screen read without it: the annotate screen shows that read, and the store
opens in a thread behind it. Writes and reads wait for it there (`store` blocks in their threads
until it is open), so nothing is shown as saved before the store has it; a store that fails to
open ends the app, and the command line prints `store_failure` as its one-line error. Screens
other than annotate are imported when first shown.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, Literal, get_args

from rich.style import Style
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.worker import Worker

from settings.config import Config
from settings.keys import display_keys, known_binding_ids
from store.errors import StoreError
from tui import keys
from tui.config import label_style
from tui.messages import AnnotatorRegistered, StoreFailed
from tui.screens.annotate import AnnotateScreen
from tui.screens.base import FactmarkScreen
from tui.widgets.status_bars import MIN_HEIGHT, MIN_WIDTH
from vocabulary.names import REVIEW_ROLES

if TYPE_CHECKING:
    from store import Store
    from store.first_screen import FirstScreen
    from tui.screens.review import ReviewScreen

WRITE_GROUP = "store-write"
LIBRARY_MODE = "library"
ANNOTATE_MODE = "annotate"
REVIEW_LIST_MODE = "review"
REVIEW_MODE = "review-document"
CLAIMS_MODE = "claims"
Start = Literal["library", "annotate", "review"]
STARTS: tuple[Start, ...] = get_args(Start)
WIDE_LAYOUT_WIDTH = 100
# A reviewer's review screens are built this long after the app knows the role (idle time).
REVIEW_PREBUILD_SECONDS = 1.5
# From here the text keeps a reading measure (about 100 characters a line) and the side pane
# takes the rest: lines of 150 characters are hard to read, and the pane's notes were cut.
ROOMY_LAYOUT_WIDTH = 160

StoreJob = Callable[["Store"], Message | None]
StoreOpener = Callable[[], "Store"]


def _library_screen() -> Screen[None]:
    from tui.screens.library import LibraryScreen

    return LibraryScreen()


def _review_list_screen() -> Screen[None]:
    from tui.screens.review_list import ReviewListScreen

    return ReviewListScreen()


def _claims_screen() -> Screen[None]:
    from tui.screens.claims import ClaimsScreen

    return ClaimsScreen()


def _review_screen() -> Screen[None]:
    from tui.screens.review import ReviewScreen

    return ReviewScreen()


class FactmarkApp(App[None]):
    """Library, annotate, review and help screens over one store, for one person."""

    TITLE = "factmark"
    CSS_PATH = ["factmark.tcss"]
    BINDINGS = keys.bindings_for("app")
    MODES = {
        LIBRARY_MODE: _library_screen,
        ANNOTATE_MODE: AnnotateScreen,
        REVIEW_LIST_MODE: _review_list_screen,
        REVIEW_MODE: _review_screen,
        CLAIMS_MODE: _claims_screen,
    }
    HORIZONTAL_BREAKPOINTS = [
        (0, "-tiny"),
        (MIN_WIDTH, "-narrow"),
        (WIDE_LAYOUT_WIDTH, "-wide"),
        (ROOMY_LAYOUT_WIDTH, "-roomy"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (MIN_HEIGHT, "-tall")]

    def __init__(
        self,
        store: Store | StoreOpener,
        annotator: str,
        config: Config,
        *,
        start: Start = "library",
        doc_id: int | None = None,
        anonymous: bool = False,
        first_screen: FirstScreen | None = None,
    ) -> None:
        super().__init__()
        self._store: Store | None = None
        self._opener: StoreOpener | None = None
        self._store_ready = threading.Event()
        if callable(store):
            self._opener = store
        else:
            self._store = store
            self._store_ready.set()
        self.store_failure: str | None = None  # why the store did not open, if it did not
        self._first_screen = first_screen
        self.annotator = annotator
        self.config = config
        self._binding_ids = known_binding_ids(config.labels)  # what the palette offers
        self.role: str | None = None  # known once the annotator is registered
        self.anonymous = anonymous  # review: annotator names hidden
        self._review_screen_built = False
        self.label_styles: dict[str, Style] = {
            label.name: Style.parse(label_style(label.color)) for label in config.labels
        }
        self._start = start
        self._start_doc = doc_id
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="factmark-write")
        self._recent_checks: list[str] = []  # check uids, the one opened last first

    async def on_mount(self) -> None:
        self.set_keymap(self.config.keymap)
        annotator = self.annotator
        self.submit_write(lambda store: _ensure(store, annotator), self, "register the annotator")
        await self._show_start()
        self.call_after_refresh(self._open_store_behind)  # after the first screen's frame

    async def _show_start(self) -> None:
        if self._start == "annotate":
            await self.switch_mode(ANNOTATE_MODE)
            self.annotate_screen.request_document(self._start_doc)
            return
        if self._start == "review":
            self._open_review_mode(self._start_doc)
            return
        # Build the annotate screen now, while the library is the first thing on screen, so that
        # opening a document later only reads it and wraps it.
        await self.switch_mode(ANNOTATE_MODE)
        await self.switch_mode(LIBRARY_MODE)

    # -- the store -----------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The store. Until it is open, only worker threads may ask: they wait for it here."""
        self._store_ready.wait()
        if self._store is None:
            raise StoreError(f"the database did not open: {self.store_failure}")
        return self._store

    @property
    def opened_store(self) -> Store | None:
        """The store this app opened itself (its caller closes it after the run), if any."""
        return self._store if self._opener is not None else None

    def take_first_screen(self) -> FirstScreen | None:
        """The first screen read without the store (given once; later loads read the store)."""
        first, self._first_screen = self._first_screen, None
        return first

    def _open_store_behind(self) -> None:
        if self._opener is not None and not self._store_ready.is_set():
            self.run_worker(self._open_store, thread=True, group="store-open", exit_on_error=False)

    def _open_store(self) -> None:
        assert self._opener is not None
        try:
            self._store = self._opener()
        except Exception as error:  # noqa: BLE001 - the command line reports it, in one line
            self.store_failure = str(error)
            self.call_from_thread(self.exit, return_code=1)
        finally:
            self._store_ready.set()

    # -- the write queue -----------------------------------------------------------------------

    def submit_write(self, job: StoreJob, reply_to: MessagePump, what: str) -> Worker[None]:
        """Run `job(store)` after every write asked for before it; post its message to `reply_to`
        once it has committed, or a StoreFailed naming `what` if it raised."""
        return self.run_worker(
            self._run_write(job, reply_to, what),
            group=WRITE_GROUP,
            description=what,
            exit_on_error=False,
        )

    async def _run_write(self, job: StoreJob, reply_to: MessagePump, what: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            message = await loop.run_in_executor(self._writer, self._with_store, job)
        except Exception as error:  # noqa: BLE001 - reported on screen; the store rolled back
            message = StoreFailed(what, str(error))
        if message is not None:
            reply_to.post_message(message)

    def _with_store(self, job: StoreJob) -> Message | None:
        return job(self.store)  # in the write thread: waits here while the store opens

    async def wait_for_writes(self) -> None:
        """Return once every write asked for so far has finished."""
        pending = [worker for worker in self.workers if worker.group == WRITE_GROUP]
        if pending:
            await self.workers.wait_for_complete(pending)

    async def action_quit(self) -> None:
        """Quit once queued writes are in: nothing shown as saving is lost by quitting."""
        await self.wait_for_writes()
        self.exit()

    def on_unmount(self) -> None:
        self._writer.shutdown(wait=True)

    def on_app_focus(self) -> None:
        """The terminal (or browser tab) has the focus again: the screen reads again what others
        may have saved meanwhile (library, review list, review)."""
        screen = self.screen
        if isinstance(screen, FactmarkScreen):
            screen.returned_to()

    def on_store_failed(self, message: StoreFailed) -> None:
        self.notify(f"Could not {message.what}: {message.reason}", severity="error", markup=False)

    def on_annotator_registered(self, message: AnnotatorRegistered) -> None:
        self.role = message.annotator.role
        if self.role in REVIEW_ROLES and not self._review_screen_built:
            self.set_timer(REVIEW_PREBUILD_SECONDS, self._prebuild_review)

    async def _prebuild_review(self) -> None:
        """Build the review list and review screens while a reviewer's app is idle, without
        showing them: building them (their styles, compose, layout) was most of the time the list
        took to appear. They load nothing until shown (`ReviewListScreen.on_screen_resume`)."""
        if self._review_screen_built or self.current_mode != LIBRARY_MODE:
            return
        self._review_screen_built = True
        # App._init_mode builds a mode's screen stack without switching to it (Textual < 9).
        for mode in (REVIEW_MODE, REVIEW_LIST_MODE):
            # The timer may fire while the app closes: a stack added then breaks Textual's walk
            # over the stacks it is closing ("dictionary changed size"), or, once it has cleared
            # the modes, registers a second default screen (DuplicateIds).
            if not self.is_running:
                return
            await self._init_mode(mode)

    # -- navigation ----------------------------------------------------------------------------

    @property
    def annotate_screen(self) -> AnnotateScreen:
        """The one annotate screen (the base of the annotate mode), reused for every document.
        Exists once the annotate mode has been switched to."""
        screen = self.get_screen_stack(ANNOTATE_MODE)[0]
        assert isinstance(screen, AnnotateScreen)
        return screen

    def open_document(self, doc_id: int | None, select: tuple[int, int] | None = None) -> None:
        """Annotate `doc_id` (None: the annotator's next unfinished document); `select`: a
        stretch of its text to select once it is shown (a search match, ready to tag)."""
        self.switch_mode(ANNOTATE_MODE)
        self.annotate_screen.request_document(doc_id, select=select)

    def open_library(self) -> None:
        self.switch_mode(LIBRARY_MODE)

    def open_claims(self) -> None:
        """The claims desk: every check, what needs work first (read again on every visit)."""
        self.switch_mode(CLAIMS_MODE)
        while len(self.screen_stack) > 1:  # a check form left when its article was opened
            self.pop_screen()

    def open_document_at(self, doc_id: int, start: int, end: int) -> None:
        """Annotate `doc_id` with the cursor at `start` (an appearance, an evidence passage)."""
        self.switch_mode(ANNOTATE_MODE)
        while len(self.screen_stack) > 1:  # a check form left over this mode's base
            self.pop_screen()
        self.annotate_screen.request_document_at(doc_id, start, end)

    # -- checks --------------------------------------------------------------------------------

    def open_check(self, uid: str) -> None:
        """Show the check form of `uid` over the current screen."""
        from tui.screens.check_form import CheckScreen  # when first asked for: start-up

        self.push_screen(CheckScreen(uid))

    @property
    def recent_checks(self) -> list[str]:
        """The checks opened in this session, the latest first (`E` lists them first)."""
        return list(self._recent_checks)

    def note_check_opened(self, uid: str) -> None:
        self._recent_checks = [uid, *(u for u in self._recent_checks if u != uid)][:50]

    @property
    def review_screen(self) -> ReviewScreen:
        """The one review screen for single documents (built when its mode is first entered)."""
        from tui.screens.review import ReviewScreen

        screen = self.get_screen_stack(REVIEW_MODE)[0]
        assert isinstance(screen, ReviewScreen)
        return screen

    def open_review(self, doc_id: int | None = None) -> None:
        """The review list (or `doc_id` under review), for reviewers and admins only.

        A role known to fall short is refused here; otherwise the review screens check it as they
        load, and the store checks it again on every gold write.
        """
        if self.role is not None and self.role not in REVIEW_ROLES:
            self.refuse_review()
            return
        self._open_review_mode(doc_id)

    def _open_review_mode(self, doc_id: int | None) -> None:
        if doc_id is None:
            self.call_later(self._enter_review_list)
            return
        self._review_screen_built = True
        self.switch_mode(REVIEW_MODE)
        self.review_screen.request_document(doc_id)

    async def _enter_review_list(self) -> None:
        """The review list; the first time, build the document screen on the way (it loads
        nothing until asked), so that opening a document later only reads and draws it."""
        if not self._review_screen_built:
            self._review_screen_built = True
            await self.switch_mode(REVIEW_MODE)
        await self.switch_mode(REVIEW_LIST_MODE)

    def refuse_review(self) -> None:
        """Tell an annotator that review is for reviewers and admins; back to the library."""
        role = self.role or "annotator"
        self.notify(
            f"{self.annotator} is {'an' if role[:1] in 'aeiou' else 'a'} {role}: only reviewers "
            f"and admins can review (an admin can run: factmark annotators add "
            f"{self.annotator} --role reviewer).",
            title="Review is not open to you",
            severity="warning",
            markup=False,
        )
        if self.current_mode != LIBRARY_MODE:
            self.switch_mode(LIBRARY_MODE)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()  # the help key closes help too
        else:
            self.push_screen(HelpScreen(self.config))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: factmark's own actions active on the screen, each once, with
        their keys. Not Textual's defaults (theme, screenshot, a second Quit) nor the text
        field's editing keys, which are not factmark's to offer."""
        # One entry per action and title: two ids for one action (the app's help and the
        # claims desk's F1) are one command with both keys.
        keys_of: dict[tuple[str, str], list[str]] = {}
        chosen: dict[tuple[str, str], tuple[Binding, DOMNode]] = {}
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if binding.id not in self._binding_ids or not active.enabled:
                continue
            if binding.action == "command_palette":
                continue
            entry = (binding.action, binding.description)
            keys_of.setdefault(entry, []).append(key)
            chosen.setdefault(entry, (binding, active.node))
        for entry, (binding, node) in chosen.items():
            title = binding.description or binding.action
            shortcut = display_keys(",".join(dict.fromkeys(keys_of[entry])))
            yield SystemCommand(
                title,
                f"{shortcut} · {binding.tooltip or title}",
                partial(self.run_action, binding.action, node),
            )

    def copy_to_clipboard(self, text: str) -> None:
        """Kept inside the app (a text field's cut and paste still work), never sent to the
        terminal: factmark does not write the system clipboard (no OSC 52 escape)."""
        self._clipboard = text


def _ensure(store: Store, annotator: str) -> AnnotatorRegistered:
    return AnnotatorRegistered(store.ensure_annotator(annotator))


def _start_named(name: str) -> Start:
    for start in STARTS:
        if start == name:
            return start
    raise ValueError(f"start must be one of {', '.join(STARTS)}, not {name!r}")


def make_app(
    store: Store | StoreOpener,
    annotator: str,
    config: Config,
    *,
    start: str = "library",
    doc_id: int | None = None,
    anonymous: bool = False,
    first_screen: FirstScreen | None = None,
) -> FactmarkApp:
    """The app the command line runs and the tests drive: `start` is "library", "annotate"
    (opens `doc_id`, else the annotator's next unfinished document) or "review" (the review list,
    or `doc_id` under review); `anonymous` hides annotator names in review.

    `store` is an open store, or a function that opens one: then the app opens it in a thread
    after its first frame, which shows `first_screen` (annotate only) read without it."""
    return FactmarkApp(
        store,
        annotator,
        config,
        start=_start_named(start),
        doc_id=doc_id,
        anonymous=anonymous,
        first_screen=first_screen,
    )
