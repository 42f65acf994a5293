"""The review list: documents with their agreement, worst first, and their adjudication status.

Only reviewers and admins get past the role check its loading worker makes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from review.render import DOCUMENT_FIGURES, UNDEFINED, worst_documents
from store import DocumentSummary
from store.study import study_document_figures
from tui import keys
from tui.messages import ReviewRefused
from tui.screens.agreement_panel import AgreementPanel
from tui.screens.base import MAX_TABLE_ROWS, FactmarkScreen, store_read
from tui.screens.library import filter_text, filtered
from tui.titles import title_column_width, title_text
from tui.widgets.list_filter import ListFilter
from tui.widgets.status_bars import SizeWarning, StatusHeader
from tui.widgets.steady_footer import KeysFooter
from vocabulary.names import REVIEW_ROLES

_COLUMNS = (
    "#",
    "Title",
    "Done by",
    "Strict F1",
    "Overlap F1",
    "Char α",
    "α_U",
    "Link F1",
    "Gold",
    "Status",
)
# Titles are cut to the room the figures leave (title_column_width); this bounds the work.
_TITLE_CELLS = 300
_TITLE = 1


@dataclass(frozen=True)
class ReviewListRow:
    """One document of the review list, with its per-document figures (None: undefined)."""

    summary: DocumentSummary
    done_by: tuple[str, ...]
    figures: dict[str, float | None]


def review_list_rows(
    documents: list[DocumentSummary], report: dict[str, Any] | None
) -> list[ReviewListRow]:
    """Documents somebody marked done (or with gold), lowest agreement first (as
    `review.render.worst_documents` ranks them), then those with fewer than two done layers."""
    per_document = report["per_document"] if report is not None else {}
    ranked = worst_documents(report) if report is not None else []
    rank = {doc_id: index for index, (doc_id, _entry) in enumerate(ranked)}
    rows = []
    for summary in documents:
        done_by = tuple(name for name, p in summary.progress.items() if p.done)
        if not done_by and not summary.gold_spans:
            continue
        entry = per_document.get(summary.ext_id, {})
        figures = {key: entry.get(key) for key, _title in DOCUMENT_FIGURES}
        rows.append(ReviewListRow(summary, done_by, figures))
    return sorted(rows, key=lambda row: (rank.get(row.summary.ext_id, len(rank)), row.summary.id))


class ReviewListScreen(FactmarkScreen):
    """Documents to adjudicate; enter opens one, `A` shows the study's agreement figures."""

    AUTO_FOCUS = "#review-documents"
    BINDINGS = keys.bindings_for("review-list")

    @dataclass
    class Loaded(Message):
        """The documents to review with their figures (`report` None: `note` says why)."""

        rows: list[ReviewListRow]
        report: dict[str, Any] | None
        note: str | None

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ReviewListRow] = []
        self._haystacks: list[str] = []  # filter_text of each row's document
        self._note: str | None = None  # why there are no figures, when there are none
        # The agreement figures depend on the annotators' layers only, not on review decisions:
        # computed once per visit of the app, the list's statuses are re-read on every return.
        self._figures: tuple[dict[str, Any] | None, str | None] | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield ListFilter(
            "review-documents",
            placeholder="/ filters by title, outlet, date or id",
            id="review-filter",
        )
        yield DataTable(id="review-documents", cursor_type="row", zebra_stripes=True)
        yield Static(id="review-list-status")
        yield KeysFooter(compact=True, show_command_palette=False)
        yield SizeWarning()

    def on_mount(self) -> None:
        self._show_header("loading")

    def on_screen_resume(self) -> None:
        if not self.is_current:  # built ahead while the app was idle: load once shown
            return
        if self._figures is None:
            self._say("Computing agreement per document…")
        self.load_rows(self._figures)

    def reload_from_store(self) -> None:
        """Documents, statuses and the figures, computed again: others' done marks since the
        last visit change the agreement, and a document newly done has no figures yet."""
        self._say("Computing agreement per document…")
        self.load_rows(None)

    def returned_to(self) -> None:
        # Documents and statuses only: switching windows should not recompute a large study.
        self.load_rows(self._figures)

    @store_read("list the documents to review", group="review-list")
    def load_rows(self, figures: tuple[dict[str, Any] | None, str | None] | None) -> Message:
        """Documents and statuses from the store; the figures too unless already computed."""
        store, annotator = self.factmark.store, self.factmark.annotator
        role = store.role_of(annotator)
        if role not in REVIEW_ROLES:
            return ReviewRefused(role)
        documents = store.list_documents()
        if figures is None:
            config = self.factmark.config
            figures = study_document_figures(
                store, config.label_names, documents, config.relation_names
            )
        report, note = figures
        return self.Loaded(review_list_rows(documents, report), report, note)

    @on(Loaded)
    def show_rows(self, message: Loaded) -> None:
        self._figures = (message.report, message.note)
        self._rows = message.rows
        self._haystacks = [filter_text(row.summary) for row in self._rows]
        self._note = message.note
        self._fill_table()
        adjudicated = sum(row.summary.adjudicated for row in self._rows)
        self._show_header(f"review · {len(self._rows)} documents · {adjudicated} adjudicated")

    @on(Input.Changed, "#review-filter")
    def apply_filter(self) -> None:
        self._fill_table()

    @on(Input.Submitted, "#review-filter")
    def back_to_list(self) -> None:
        self.query_one("#review-documents", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#review-filter", Input).focus()

    @on(DataTable.RowSelected, "#review-documents")
    def open_selected_row(self, event: DataTable.RowSelected) -> None:
        self.factmark.open_review(int(str(event.row_key.value)))

    def action_open_document(self) -> None:
        table = self.query_one("#review-documents", DataTable)
        if table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self.factmark.open_review(int(str(row_key.value)))

    def action_show_agreement(self) -> None:
        self.app.push_screen(AgreementPanel())

    def action_open_library(self) -> None:
        self.factmark.open_library()

    def _fill_table(self) -> None:
        table = self.query_one("#review-documents", DataTable)
        selected = table.cursor_row if table.row_count else 0
        query = self.query_one("#review-filter", Input).value
        matching = filtered(self._rows, self._haystacks, query)
        rows = matching[:MAX_TABLE_ROWS]
        cells = [_cells(row) for row in rows]
        table.clear(columns=True)
        widths = [
            max([cell_len(heading), *(row[index].cell_len for row in cells)])
            for index, heading in enumerate(_COLUMNS)
        ]
        widths[_TITLE] = title_column_width(widths, _TITLE, self.size.width)
        for line in cells:
            line[_TITLE].truncate(widths[_TITLE], overflow="ellipsis")
        for heading, width in zip(_COLUMNS, widths, strict=True):
            table.add_column(heading, key=heading, width=width)
        for row, line in zip(rows, cells, strict=True):
            table.add_row(*line, key=str(row.summary.id))
        if rows:
            table.move_cursor(row=min(selected, len(rows) - 1))
        self._say_counts(len(rows), len(matching))

    def on_resize(self) -> None:
        if self._rows:
            self._fill_table()

    def _say_counts(self, shown: int, matching: int) -> None:
        total = len(self._rows)
        said = f"{total:,} documents, lowest agreement first."
        if matching < total:
            said = f"{matching:,} of {total:,} documents match the filter, lowest agreement first."
        if shown < matching:
            said = f"The {shown:,} of {matching:,} with the lowest agreement; / filters."
        said += " Enter opens; A: agreement."
        self._say(said if self._note is None else f"{said} {self._note}")

    def _show_header(self, where: str) -> None:
        self.query_one("#header", StatusHeader).show(
            self.factmark.config.organisation, self.factmark.annotator, where
        )

    def _say(self, text: str) -> None:
        self.query_one("#review-list-status", Static).update(Text(text, no_wrap=True))


def _cells(row: ReviewListRow) -> list[Text]:
    """One table row of plain Text (titles come from imported files)."""
    summary = row.summary
    figures = [
        Text(UNDEFINED if value is None else f"{value:.2f}", justify="right")
        for value in row.figures.values()
    ]
    if summary.adjudicated:
        status = Text("adjudicated ✓", "bold green")
    elif summary.gold_spans:
        status = Text("in progress", "yellow")
    else:
        status = Text("open")
    return [
        Text(str(summary.id), justify="right"),
        title_text(summary.title, summary.opening, _TITLE_CELLS),
        Text(str(len(row.done_by)), justify="right"),
        *figures,
        Text(str(summary.gold_spans), justify="right"),
        status,
    ]
