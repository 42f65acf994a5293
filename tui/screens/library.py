"""The library screen: documents with the annotator's own progress and the team's; `/` filters,
enter opens, ctrl+r reviews, ctrl+g shows the agreement figures, ctrl+f searches every text,
ctrl+l opens the claims desk, f5 reads the library again (others' new documents and progress)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from store import DocumentSummary
from tui import keys
from tui.messages import LibraryLoaded
from tui.screens.agreement_panel import AgreementPanel
from tui.screens.base import MAX_TABLE_ROWS, FactmarkScreen, store_read
from tui.titles import date_text, one_line, title_column_width, title_line, title_text
from tui.widgets.list_filter import ListFilter
from tui.widgets.status_bars import SizeWarning, StatusHeader
from tui.widgets.steady_footer import KeysFooter

T = TypeVar("T")
# Titles are cut to the room left by the other columns (`_title_width`); this only bounds the
# work for a pathological title.
_TITLE_CELLS = 300
_COLUMNS = ("#", "Title", "Outlet", "Date", "Length", "Team", "My spans", "Done")
_TITLE = _COLUMNS.index("Title")
_MIN_TITLE = 12
_TEAM_CHARS = 28


def team_progress(summary: DocumentSummary, me: str) -> Text:
    """Everyone else assigned to or working on a document: name, ✓ when done; · marks an
    assignment not started. Plain Text: names come from users."""
    team = Text(no_wrap=True, overflow="ellipsis")
    for name, progress in summary.progress.items():
        if name == me:
            continue
        if team:
            team.append(" ")
        team.append(one_line(name, 12))
        if progress.done:
            team.append("✓", "green")
        elif progress.spans == 0:
            team.append("·", "dim")
    team.truncate(_TEAM_CHARS, overflow="ellipsis")
    return team


def filter_text(summary: DocumentSummary) -> str:
    """What the filter searches: title (else the opening words), outlet, date and id, folded."""
    title = title_line(summary.title, summary.opening)  # what the row shows
    fields = (title, summary.outlet or "", summary.published or "")
    return " ".join((*fields, str(summary.id))).casefold()


def filtered(items: Sequence[T], haystacks: Sequence[str], query: str) -> list[T]:
    """The items whose filter_text (in `haystacks`, folded once per load) holds every word of
    `query`, ignoring case."""
    words = query.casefold().split()
    return [
        item
        for item, haystack in zip(items, haystacks, strict=True)
        if all(word in haystack for word in words)
    ]


class LibraryScreen(FactmarkScreen):
    """Documents, their length, and the current annotator's span count and done mark."""

    AUTO_FOCUS = "#documents"
    BINDINGS = keys.bindings_for("library")

    def __init__(self) -> None:
        super().__init__()
        self._documents: list[DocumentSummary] = []
        self._haystacks: list[str] = []  # filter_text of each document, folded once per load

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield ListFilter(
            "documents", placeholder="/ filters by title, outlet, date or id", id="filter"
        )
        table: DataTable[Text] = DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="library-status")
        yield KeysFooter(compact=True, show_command_palette=False)
        yield SizeWarning()

    def on_mount(self) -> None:
        self._show_header()

    def on_screen_resume(self) -> None:
        self.load_library()

    def reload_from_store(self) -> None:
        self.load_library()

    @store_read("list the documents", group="library")
    def load_library(self) -> LibraryLoaded:
        return LibraryLoaded(self.factmark.store.list_documents())

    @on(LibraryLoaded)
    def show_documents(self, message: LibraryLoaded) -> None:
        self._documents = message.documents
        self._haystacks = [filter_text(summary) for summary in self._documents]
        self._fill_table()
        self._show_header()

    @on(Input.Changed, "#filter")
    def apply_filter(self) -> None:
        self._fill_table()

    @on(Input.Submitted, "#filter")
    def open_from_filter(self) -> None:
        self.action_open_document()

    @on(DataTable.RowSelected, "#documents")
    def open_selected_row(self, event: DataTable.RowSelected) -> None:
        self._open(int(str(event.row_key.value)))

    def action_open_document(self) -> None:
        table = self.query_one("#documents", DataTable)
        if table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self._open(int(str(row_key.value)))

    def action_move_row(self, delta: int) -> None:
        table = self.query_one("#documents", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_open_next(self) -> None:
        self.factmark.open_document(None)

    def action_open_review(self) -> None:
        self.factmark.open_review(None)

    def action_show_agreement(self) -> None:
        self.app.push_screen(AgreementPanel())

    def action_open_claims(self) -> None:
        self.factmark.open_claims()

    def action_open_search(self) -> None:
        from tui.screens.search import SearchScreen  # when first asked for: start-up is shorter

        self.app.push_screen(SearchScreen())

    def _open(self, doc_id: int) -> None:
        self.factmark.open_document(doc_id)

    def _fill_table(self) -> None:
        table = self.query_one("#documents", DataTable)
        query = self.query_one("#filter", Input).value
        matching = filtered(self._documents, self._haystacks, query)
        shown = matching[:MAX_TABLE_ROWS]
        selected = self._selected_id(table)
        rows = [self._row(summary) for summary in shown]
        table.clear(columns=True)
        # Widths are set here, from the rows, rather than left to DataTable's auto width, which
        # only settles on a later idle cycle and so can leave columns at their heading's width.
        widths = [
            max([cell_len(heading), *(row[index].cell_len for row in rows)])
            for index, heading in enumerate(_COLUMNS)
        ]
        widths[_TITLE] = title_column_width(widths, _TITLE, self.size.width, _MIN_TITLE)
        for row in rows:
            row[_TITLE].truncate(widths[_TITLE], overflow="ellipsis")
        for heading, width in zip(_COLUMNS, widths, strict=True):
            table.add_column(heading, key=heading, width=width)
        for summary, row in zip(shown, rows, strict=True):
            table.add_row(*row, key=str(summary.id))
        if selected is not None and any(summary.id == selected for summary in shown):
            table.move_cursor(row=table.get_row_index(str(selected)))
        said = f"{len(matching):,} of {len(self._documents):,} documents. Enter opens."
        if len(matching) > len(shown):
            said = (
                f"The first {len(shown):,} of {len(matching):,} matching documents "
                f"({len(self._documents):,} in all): / to narrow. Enter opens."
            )
        if any(self.factmark.annotator in summary.assigned for summary in shown):
            said += " ● assigned to you."
        self._say(said)

    def on_resize(self) -> None:
        if self._documents:
            self._fill_table()

    def _selected_id(self, table: DataTable[Text]) -> int | None:
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(str(row_key.value))

    def _row(self, summary: DocumentSummary) -> list[Text]:
        """One table row of plain Text: titles and outlets come from imported files."""
        me = self.factmark.annotator
        progress = summary.progress.get(me)
        mine = Text("●" if me in summary.assigned else "", "bold")
        return [
            Text(str(summary.id), justify="right"),
            title_text(summary.title, summary.opening, _TITLE_CELLS),
            Text(one_line(summary.outlet, 20)),
            date_text(summary.published),
            Text(f"{summary.length:,}", justify="right"),
            team_progress(summary, me),
            Text(str(progress.spans if progress else 0), justify="right"),
            Text("✓" if progress and progress.done else "", style="bold green") or mine,
        ]

    def _show_header(self) -> None:
        total = len(self._documents)
        annotator = self.factmark.annotator
        done = sum(1 for d in self._documents if (p := d.progress.get(annotator)) and p.done)
        assigned = sum(annotator in d.assigned for d in self._documents)
        where = f"library · {total} documents · {done} done"
        if assigned:
            where += f" · {assigned} assigned to you"
        self.query_one("#header", StatusHeader).show(
            self.factmark.config.organisation, annotator, where
        )

    def _say(self, text: str) -> None:
        self.query_one("#library-status", Static).update(Text(text))
