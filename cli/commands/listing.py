"""`factmark list`: documents with their length and each annotator's progress."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from cli.common import Context, direct_read, json_line, open_store, safe
from tui.titles import cut_to_cells, has_title, title_line

if TYPE_CHECKING:
    from store import AnnotatorProgress, DocumentSummary


def run_list(args: argparse.Namespace, context: Context) -> int:
    documents = _documents(context)
    if args.json:
        print(json_line([_as_json(doc) for doc in documents], indent=1))
    elif len(documents) > MAX_TABLE_ROWS:
        sys.stdout.writelines(f"{line}\n" for line in _plain_lines(documents))
    else:
        console = Console()
        console.print(_table(documents, console.width))
    return 0


def _documents(context: Context) -> list[DocumentSummary]:
    """The library, read straight from a current SQLite file where that serves (no SQLAlchemy to
    load: `store.direct`), else through the full store; the same listing either way."""
    from store.direct import snapshot
    from store.listing import document_summaries

    with direct_read(context) as direct:
        if direct is not None:
            with snapshot(direct.connection, direct.name) as rows:
                return document_summaries(rows)
    with open_store(context) as store:
        return store.list_documents()


_COLUMNS: tuple[tuple[str, JustifyMethod], ...] = (
    ("id", "right"),
    ("title", "left"),
    ("outlet", "left"),
    ("length", "right"),
    ("assigned", "left"),
)
# Above this many documents the list is plain aligned text, not a rich table (see _plain_lines).
MAX_TABLE_ROWS = 1_000
TITLE_CHARS = 60
MIN_TITLE = 12
OUTLET_CHARS = 24


def _as_json(doc: DocumentSummary) -> dict[str, Any]:
    return {
        "id": doc.id,
        "ext_id": doc.ext_id,
        "title": doc.title,
        "outlet": doc.outlet,
        "published": doc.published,
        "length": doc.length,
        "annotators": {
            name: {"spans": p.spans, "done": p.done} for name, p in sorted(doc.progress.items())
        },
        "assigned": list(doc.assigned),
        "adjudicated": doc.adjudicated,
    }


def _table(documents: Sequence[DocumentSummary], width: int) -> Table:
    names = sorted({name for doc in documents for name in doc.progress})
    headings = [column for column, _ in _COLUMNS] + [safe(name) for name in names]
    rows = [_cells(doc, names) for doc in documents]
    for row in rows:
        row[2] = cut_to_cells(row[2], OUTLET_CHARS)
    table = Table(title=f"{len(documents)} documents", title_justify="left")
    justify: list[JustifyMethod] = [justify for _, justify in _COLUMNS] + ["right"] * len(names)
    widths = [
        max(cell_len(value) for value in column) for column in zip(headings, *rows, strict=True)
    ]
    # Every column but the title keeps its width; on a narrow terminal the title gives way (with
    # an ellipsis) rather than squeezing the numbers out of sight. 3 = a cell's border and padding.
    room = width - (sum(widths) - widths[1]) - 3 * len(widths) - 1
    widths[1] = max(MIN_TITLE, min(widths[1], room))
    for heading, column_width, side in zip(headings, widths, justify, strict=True):
        table.add_column(
            Text(heading),
            justify=side,
            no_wrap=True,
            overflow="ellipsis",
            width=column_width,
        )
    for doc, row in zip(documents, rows, strict=True):
        cells = [Text(cell) for cell in row]  # Text: never markup
        if not has_title(doc.title):
            cells[1].stylize("italic dim")  # an untitled document's opening words
        table.add_row(*cells)
    return table


def _cells(doc: DocumentSummary, names: list[str]) -> list[str]:
    """One row's values, made safe to print (titles, outlets and names come from users)."""
    cells = [
        str(doc.id),
        title_line(doc.title, doc.opening),
        safe(doc.outlet or "—"),
        f"{doc.length:,}",
        safe(", ".join(doc.assigned)) or "—",
    ]
    return cells + [_progress(doc.progress.get(name)) for name in names]


def _progress(progress: AnnotatorProgress | None) -> str:
    return "·" if progress is None else f"{progress.spans}{' ✓' if progress.done else ''}"


def _plain_lines(documents: Sequence[DocumentSummary]) -> Iterator[str]:
    """The same columns as plain aligned text: rich lays a table out cell by cell, which takes
    half a minute for 100,000 documents; this takes a second. Titles are cut to TITLE_CHARS,
    outlets to OUTLET_CHARS."""
    names = sorted({name for doc in documents for name in doc.progress})
    headings = [column for column, _ in _COLUMNS] + [safe(name) for name in names]
    rows = [_cells(doc, names) for doc in documents]
    for row in rows:
        row[1], row[2] = cut_to_cells(row[1], TITLE_CHARS), cut_to_cells(row[2], OUTLET_CHARS)
    columns = zip(headings, *rows, strict=True)
    widths = [max(cell_len(value) for value in column) for column in columns]
    right = [justify == "right" for _, justify in _COLUMNS] + [True] * len(names)
    yield f"{len(documents)} documents"
    for row in (headings, *rows):
        cells = (
            _pad(value, width, at_right)
            for value, width, at_right in zip(row, widths, right, strict=True)
        )
        yield "  ".join(cells).rstrip()


def _pad(value: str, width: int, at_right: bool) -> str:
    gap = " " * (width - cell_len(value))
    return gap + value if at_right else value + gap
