"""The claims desk: every check of the corpus, what needs work first, filtered as you type.

From the library with one key (`library-claims`). The filter line takes free words and
`status:`, `verdict:`, `claimant:` and `assignee:` terms (`tui.claim_filter`); up and down move
through the checks while typing, enter opens the highlighted one in the check form, escape clears
the filter (or, when it is empty, goes back to the library), F1 shows the keys and the terms. The
list is read again whenever the screen comes back (from the check form, or another mode), so what
others changed shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from store.desk_info import CheckSummary
from tui import keys
from tui.claim_filter import FILTER_HELP, haystack, matches, parse_claim_query, unknown_values
from tui.screens.base import MAX_TABLE_ROWS, FactmarkScreen, store_read
from tui.titles import one_line
from tui.widgets.list_filter import ListFilter
from tui.widgets.status_bars import SizeWarning, StatusHeader
from tui.widgets.steady_footer import KeysFooter
from vocabulary.checks import NOT_CHECKABLE, PUBLISHED

NONE = "—"
_COLUMNS = ("Claim", "Status", "Verdict", "Claimant", "Ap", "Ev", "Assignee", "Changed")
_CLAIM, _STATUS, _VERDICT, _CLAIMANT, _APPEARANCES, _EVIDENCE, _ASSIGNEE, _CHANGED = range(8)
# The widest each column is drawn (the claim takes what is left, the detail line shows it all).
_MOST = {_CLAIM: 80, _CLAIMANT: 20, _ASSIGNEE: 14, _CHANGED: 14}
# On a narrow terminal columns give way in this order, each down to its least width: the claim
# first (the detail line under the table shows the highlighted one whole), then the names.
_GIVE_WAY = (
    (_CLAIM, 16),
    (_CLAIMANT, 8),
    (_CHANGED, 7),
    (_ASSIGNEE, 6),
    (_VERDICT, 8),
    (_STATUS, 8),
    (_CLAIM, 8),
)
_STATUS_STYLES = {PUBLISHED: "green", NOT_CHECKABLE: "dim"}


def fit_widths(widths: list[int], room: int) -> list[int]:
    """Column widths that fit `room` cells, shrinking columns in _GIVE_WAY order."""
    fitted = list(widths)
    for index, least in _GIVE_WAY:
        excess = sum(fitted) - room
        if excess <= 0:
            break
        fitted[index] = max(min(least, fitted[index]), fitted[index] - excess)
    return fitted


def age(when: datetime, now: datetime) -> str:
    """How long ago, in a few cells: now, 5m, 3h, 6d, else the date."""
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 14 * 86400:
        return f"{int(seconds // 86400)}d"
    return when.astimezone(UTC).strftime("%Y-%m-%d")


class ClaimsScreen(FactmarkScreen):
    """Every check with its status, verdict, claimant, counts, assignee and last change."""

    AUTO_FOCUS = "#claims-table"
    BINDINGS = keys.bindings_for("claims")

    @dataclass
    class Loaded(Message):
        """The checks as the store orders them (what needs work first)."""

        checks: list[CheckSummary]

    def __init__(self) -> None:
        super().__init__()
        self._checks: list[CheckSummary] = []
        self._haystacks: list[str] = []  # each check's folded text, made once per load
        self._shown: list[CheckSummary] = []
        self._cells: dict[str, list[Text]] = {}  # each check's row, made once per load
        self._drawn: tuple[tuple[str, ...], int] | None = None  # the rows shown, at what width
        self._loaded = False

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield ListFilter(
            "claims-table", placeholder=f"/ filters: {FILTER_HELP}", id="claims-filter"
        )
        yield DataTable(id="claims-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="claims-detail")
        yield Static(id="claims-status")
        yield KeysFooter(compact=True, show_command_palette=False)
        yield SizeWarning()

    def on_mount(self) -> None:
        self._show_header()

    def on_screen_resume(self) -> None:
        if not self._loaded:
            self._say("Reading the checks…")
        self.load_checks()

    @store_read("list the checks", group="claims")
    def load_checks(self) -> Message:
        return self.Loaded(self.factmark.store.checks(None, self.factmark.config.checks))

    @on(Loaded)
    def show_checks(self, message: Loaded) -> None:
        self._loaded = True
        self._checks = message.checks
        self._haystacks = [haystack(check) for check in self._checks]
        now = datetime.now(UTC)
        self._cells = {check.uid: _cells(check, now) for check in self._checks}
        self._fill_table(redraw=True)
        self._show_header()

    @on(Input.Changed, "#claims-filter")
    def apply_filter(self) -> None:
        self._fill_table()

    @on(Input.Submitted, "#claims-filter")
    def open_from_filter(self) -> None:
        self.action_open_check()

    @on(DataTable.RowSelected, "#claims-table")
    def open_selected_row(self, event: DataTable.RowSelected) -> None:
        self._open(str(event.row_key.value))

    @on(DataTable.RowHighlighted, "#claims-table")
    def show_highlighted(self) -> None:
        self._show_detail()

    def action_open_check(self) -> None:
        uid = self._selected_uid()
        if uid is not None:
            self._open(uid)

    def action_move_row(self, delta: int) -> None:
        table = self.query_one("#claims-table", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def action_back(self) -> None:
        """Escape: clear the filter; with none, back to the library."""
        field = self.query_one("#claims-filter", Input)
        if field.value:
            field.value = ""
            self.query_one("#claims-table", DataTable).focus()
        else:
            self.factmark.open_library()

    def action_filter(self) -> None:
        self.query_one("#claims-filter", Input).focus()

    def action_help(self) -> None:
        self.factmark.action_help()

    def _open(self, uid: str) -> None:
        self.factmark.open_check(uid)

    def _selected_uid(self) -> str | None:
        table = self.query_one("#claims-table", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def _matching(self) -> list[CheckSummary]:
        query = parse_claim_query(self.query_one("#claims-filter", Input).value)
        if query.empty:
            return list(self._checks)
        me = self.factmark.annotator
        return [
            check
            for check, folded in zip(self._checks, self._haystacks, strict=True)
            if matches(query, check, folded, me)
        ]

    def _fill_table(self, *, redraw: bool = False) -> None:
        """Show the checks the filter lets through. A key that changes nothing shown (a term
        still being typed) redraws nothing: a table of 500 rows takes tens of milliseconds."""
        table = self.query_one("#claims-table", DataTable)
        selected = self._selected_uid()
        matching = self._matching()
        shown = matching[:MAX_TABLE_ROWS]
        drawn = (tuple(check.uid for check in shown), self.size.width)
        if drawn == self._drawn and not redraw:
            self._say_counts(len(matching))
            return
        self._drawn, self._shown = drawn, shown
        rows = [[cell.copy() for cell in self._cells[check.uid]] for check in shown]
        widths = self._widths(rows)
        table.clear(columns=True)
        for heading, width in zip(_COLUMNS, widths, strict=True):
            table.add_column(heading, key=heading, width=width)
        for check, row in zip(self._shown, rows, strict=True):
            for cell, width in zip(row, widths, strict=True):
                cell.truncate(width, overflow="ellipsis")
            table.add_row(*row, key=check.uid)
        uids = [check.uid for check in self._shown]
        if selected in uids:
            table.move_cursor(row=uids.index(selected))
        self._say_counts(len(matching))
        self._show_detail()

    def _widths(self, rows: Sequence[list[Text]]) -> list[int]:
        """Each column as wide as its widest cell (up to _MOST), narrowed to fit the screen.
        Set here, not left to DataTable's auto width, which settles only on a later refresh."""
        widths = [
            min(
                _MOST.get(index, 1_000),
                max([cell_len(heading), *(r[index].cell_len for r in rows)]),
            )
            for index, heading in enumerate(_COLUMNS)
        ]
        padding = 2 * len(widths) + 2  # a cell's padding each side; room for a scrollbar
        return fit_widths(widths, self.size.width - padding)

    def on_resize(self) -> None:
        if self._loaded:
            self._fill_table(redraw=True)

    def _say_counts(self, matching: int) -> None:
        total = len(self._checks)
        if total == 0:
            self._say("No checks yet: a check is opened on a claim span, in the annotate screen.")
            return
        said = f"{total:,} checks, what needs work first. Enter opens; esc: library."
        if matching < total:
            said = f"{matching:,} of {total:,} checks match. Enter opens; esc clears the filter."
        if matching > len(self._shown):
            said = f"The first {len(self._shown):,} of {matching:,} matching checks: narrow it."
        query = parse_claim_query(self.query_one("#claims-filter", Input).value)
        settings = self.factmark.config.checks
        known = {"status": settings.statuses, "rating": settings.rating_names}
        unknown = unknown_values(query, known)
        if unknown:
            said = f"No such {', '.join(unknown)} on this desk. " + said
        self._say(said)

    def _show_detail(self) -> None:
        """The highlighted check whole: its claim, id, names and last change."""
        detail = self.query_one("#claims-detail", Static)
        uid = self._selected_uid()
        check = next((c for c in self._shown if c.uid == uid), None)
        if check is None:
            detail.update("")
            return
        line = Text(one_line(check.claim), style="bold")
        line.append("\n")
        line.append(check.uid, "dim")
        line.append(f" · {one_line(check.status)}")
        line.append(f" · verdict {one_line(check.rating or NONE)}")
        line.append(f" · claimant {one_line(check.claimant or NONE)}")
        line.append(f" · assignee {one_line(check.assignee or NONE)}")
        when = check.changed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        line.append(f" · changed {when} by {one_line(check.changed_by or NONE)}")
        detail.update(line)

    def _show_header(self) -> None:
        me = self.factmark.annotator
        mine = sum(check.assignee == me for check in self._checks)
        where = f"claims · {len(self._checks)} checks"
        if mine:
            where += f" · {mine} assigned to you"
        self.query_one("#header", StatusHeader).show(self.factmark.config.organisation, me, where)

    def _say(self, text: str) -> None:
        self.query_one("#claims-status", Static).update(Text(text, no_wrap=True))


def _cells(check: CheckSummary, now: datetime) -> list[Text]:
    """One row of plain Text: claims and names come from people, never markup."""
    changed = age(check.changed_at, now)
    if check.changed_by:
        changed += f" {one_line(check.changed_by)}"
    return [
        Text(one_line(check.claim), no_wrap=True),
        Text(one_line(check.status), style=_STATUS_STYLES.get(check.status, ""), no_wrap=True),
        Text(one_line(check.rating or NONE), no_wrap=True),
        Text(one_line(check.claimant or NONE), no_wrap=True),
        Text(str(check.appearances), justify="right"),
        Text(str(check.evidence), justify="right"),
        Text(one_line(check.assignee or NONE), no_wrap=True),
        Text(changed, no_wrap=True),
    ]
