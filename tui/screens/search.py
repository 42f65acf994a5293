"""The search screen: full-text search over every stored document (`Store.search`).

Type a query (words ANDed, "quoted text" a phrase, `word*` a prefix; case and accents ignored);
the results show each document with a snippet, the match highlighted. `enter` on a result opens
the document in the annotate screen with the match selected, ready for a label key.

Open it from the library (`ctrl+f`), or push it from anywhere with a check as context:

    SearchScreen(check_uid="c-0123456789ab", query=check.claim)

then `c` on a result attaches that match as an appearance of the check
(`Store.add_appearance_at`: a claim span at the match in the user's layer), through the write
queue, and says so. Without `check_uid`, `c` is not offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store import SearchHit
from tui import keys
from tui.screens.annotate import AnnotateScreen
from tui.screens.base import FactmarkScreen, store_read
from tui.titles import one_line, title_text
from tui.widgets.status_bars import SizeWarning, StatusHeader
from tui.widgets.steady_footer import KeysFooter

if TYPE_CHECKING:
    from store import Store

RESULTS = 100  # documents a search shows
_TYPING_PAUSE = 0.35  # seconds of no typing before the query runs by itself
_MATCH_STYLE = "bold reverse"
_HEADING_STYLE = "dim"
_ATTACHED = "✓ "


@dataclass
class SearchFinished(Message):
    """A search came back: its query (as typed) and its hits, best document first."""

    query: str
    hits: list[SearchHit]


@dataclass
class SearchRefused(Message):
    """A query with nothing to search for, or a failed read: said on the status line."""

    query: str
    reason: str


@dataclass
class AppearanceAttached(Message):
    """The write queue attached a result as an appearance of the check."""

    check_uid: str
    hit: SearchHit
    appearances: int  # the check's appearances now


def hit_text(hit: SearchHit, attached: bool = False) -> Text:
    """A result: a heading line (id, date, outlet, title) and the snippet with the match
    highlighted. Plain Text, styled by offsets: titles and article text are never markup."""
    fields = [f"#{hit.document_id}", one_line(hit.published)[:10], one_line(hit.outlet, 30)]
    heading = Text(_ATTACHED if attached else "", "bold green")
    heading.append(" · ".join(field for field in fields if field), _HEADING_STYLE)
    heading.append("  ")
    heading.append_text(title_text(hit.title, hit.opening, 80, style="bold"))
    # The snippet is one line already, without control characters (vocabulary.fulltext).
    line = Text(hit.snippet[: hit.snippet_start], no_wrap=True, overflow="ellipsis")
    line.append(hit.snippet[hit.snippet_start : hit.snippet_end], _MATCH_STYLE)
    line.append(hit.snippet[hit.snippet_end :])
    return Text("\n").join([heading, line])


class SearchScreen(FactmarkScreen):
    """Full-text search; `enter` opens a result at its match; with a check, `c` attaches it.

    `query`: run at once (e.g. a check's claim); `check_uid`: the check `c` attaches to.
    """

    AUTO_FOCUS = "#search-query"
    BINDINGS = keys.bindings_for("search")

    def __init__(self, *, query: str = "", check_uid: str | None = None) -> None:
        super().__init__()
        self._initial = query
        self._check_uid = check_uid
        self._hits: list[SearchHit] = []
        self._attached: set[tuple[int, int, int]] = set()  # (document, start, end) attached
        self._requested = ""  # the query last sent to the store
        self._focus_on_results = bool(query.strip())
        self._typing: Timer | None = None

    @property
    def check_uid(self) -> str | None:
        return self._check_uid

    @property
    def hits(self) -> list[SearchHit]:
        """The results shown, best document first."""
        return self._hits

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield Input(
            value=self._initial,
            placeholder='Search every document: words, "a phrase", prefix*',
            id="search-query",
        )
        yield OptionList(id="search-results")
        yield Static(id="search-status")
        yield KeysFooter(compact=True, show_command_palette=False)
        yield SizeWarning()

    def on_mount(self) -> None:
        where = "search"
        if self._check_uid is not None:
            where += f" · for check {one_line(self._check_uid)} (c attaches a match)"
        self.query_one("#header", StatusHeader).show(
            self.factmark.config.organisation, self.factmark.annotator, where
        )
        if self._initial.strip():
            self._start_search(self._initial)
        else:
            self._say("Type words to find, then enter.")

    # -- searching -----------------------------------------------------------------------------

    @on(Input.Changed, "#search-query")
    def query_changed(self, message: Input.Changed) -> None:
        if self._typing is not None:
            self._typing.stop()
        # The field reports its first value too: that query has run already (on_mount).
        if message.value.strip() and message.value != self._requested:
            self._typing = self.set_timer(_TYPING_PAUSE, lambda: self._start_search(message.value))

    @on(Input.Submitted, "#search-query")
    def query_submitted(self, message: Input.Submitted) -> None:
        if self._typing is not None:
            self._typing.stop()
        if message.value.strip() and message.value != self._requested:
            self._focus_on_results = True  # enter: to the results once they are in
            self._start_search(message.value)
        elif self._hits:
            self.query_one("#search-results", OptionList).focus()

    def _start_search(self, query: str) -> None:
        self._requested = query
        self._say(f"Searching for {one_line(query, 60)}…")
        self.run_search(query)

    @store_read("search", group="search")
    def run_search(self, query: str) -> Message:
        try:
            return SearchFinished(query, self.factmark.store.search(query, RESULTS))
        except ValueError as error:  # nothing to search for: said, not a failure
            return SearchRefused(query, str(error))

    @on(SearchRefused)
    def show_refusal(self, message: SearchRefused) -> None:
        self._say(message.reason)

    @on(SearchFinished)
    def show_results(self, message: SearchFinished) -> None:
        self._hits = message.hits
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options(self._option(hit) for hit in self._hits)
        if not self._hits:
            self._say(f"No document matches {one_line(message.query, 60)}.")
            return
        results.highlighted = 0
        count = len(self._hits)
        said = f"{count} document{'s' if count != 1 else ''}"
        if count == RESULTS:
            said = f"The best {RESULTS} documents"
        said += ". Enter opens a result at its match"
        self._say(said + (", c attaches it to the check." if self._check_uid else "."))
        # Only after enter (or a query given to open with): a pause in typing must not move the
        # keys typed next from the field to the results.
        if self._focus_on_results and message.query == self._requested:
            self._focus_on_results = False
            results.focus()

    def _option(self, hit: SearchHit) -> Option:
        attached = (hit.document_id, hit.start, hit.end) in self._attached
        return Option(hit_text(hit, attached), id=f"{hit.document_id}:{hit.start}:{hit.end}")

    # -- acting on a result --------------------------------------------------------------------

    def highlighted_hit(self) -> SearchHit | None:
        index = self.query_one("#search-results", OptionList).highlighted
        if index is None or not 0 <= index < len(self._hits):
            return None
        return self._hits[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Priority keys (so the results list does not take enter first); in the query field
        # enter searches and letters are text.
        in_query = isinstance(self.focused, Input)
        if action in {"open_hit", "focus_query"}:
            return not in_query
        if action == "attach":
            return self._check_uid is not None and not in_query  # no check: not offered
        return True

    async def action_open_hit(self) -> None:
        hit = self.highlighted_hit()
        if hit is None:
            return
        # Over the library the results stay, for `esc` from the document to come back to. Over
        # the annotate screen (pushed from a check form, say) the document opens under this
        # stack: close what is above it, or the document would not show.
        if any(isinstance(screen, AnnotateScreen) for screen in self.app.screen_stack):
            while not isinstance(self.app.screen, AnnotateScreen):
                await self.app.pop_screen()
        self.factmark.open_document(hit.document_id, select=(hit.start, hit.end))

    @on(OptionList.OptionSelected, "#search-results")
    async def open_selected(self, message: OptionList.OptionSelected) -> None:
        await self.action_open_hit()  # a click

    def action_attach(self) -> None:
        hit, uid = self.highlighted_hit(), self._check_uid
        if hit is None or uid is None:
            return
        user = self.factmark.annotator

        def attach(store: Store) -> AppearanceAttached:
            check = store.add_appearance_at(uid, hit.document_id, hit.start, hit.end, user=user)
            return AppearanceAttached(uid, hit, len(check.appearances))

        self._say(f"Attaching “{one_line(hit.text, 50)}” to check {uid}…")
        self.factmark.submit_write(attach, self, "attach the appearance")

    @on(AppearanceAttached)
    def show_attached(self, message: AppearanceAttached) -> None:
        hit = message.hit
        self._attached.add((hit.document_id, hit.start, hit.end))
        results = self.query_one("#search-results", OptionList)
        if hit in self._hits:
            results.replace_option_prompt_at_index(self._hits.index(hit), hit_text(hit, True))
        self._say(
            f"Attached “{one_line(hit.text, 50)}” (document {hit.document_id}) to check "
            f"{message.check_uid}: {message.appearances} appearances."
        )

    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def action_focus_results(self) -> None:
        if self._hits:
            self.query_one("#search-results", OptionList).focus()

    def action_back(self) -> None:
        self.dismiss()

    def failure_said(self, what: str) -> None:
        self._say(f"Could not {what}; nothing was changed.")

    def _say(self, text: str) -> None:
        self.query_one("#search-status", Static).update(Text(one_line(text), no_wrap=True))
