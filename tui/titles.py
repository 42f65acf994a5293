"""A document's title as every screen and `factmark list` show it: one line of plain text, cut to
a number of terminal cells.

Titles, outlets and names come from imported files: control characters go, every run of
whitespace becomes one space, and a cut never splits a grapheme or a wide character. An untitled
document shows its opening words instead. Textual-free (Rich and the vocabulary only), so the
command line can import it without loading the UI.
"""

from __future__ import annotations

from rich.cells import cell_len, split_graphemes
from rich.text import Text

from vocabulary.document_fields import shown_date
from vocabulary.text import strip_controls

UNTITLED = "(untitled)"
ELLIPSIS = "…"
STAND_IN_STYLE = "italic dim"  # opening words standing in for a missing title read as such


def one_line(value: str | None, max_cells: int | None = None) -> str:
    """`value` on one line and safe for a terminal, cut to `max_cells` cells (if given)."""
    flat = " ".join(strip_controls(value or "").split())
    return flat if max_cells is None else cut_to_cells(flat, max_cells)


def cut_to_cells(text: str, max_cells: int) -> str:
    """`text` if it fits in `max_cells` terminal cells (at least 1), else as many whole graphemes
    as fit before a closing "…"."""
    if cell_len(text) <= max_cells:
        return text
    room = max_cells - cell_len(ELLIPSIS)
    end = used = 0
    for _start, stop, cells in split_graphemes(text)[0]:
        if used + cells > room:
            break
        used, end = used + cells, stop
    return text[:end] + ELLIPSIS


def cut_in_middle(text: str, max_cells: int) -> str:
    """`text` if it fits in `max_cells` terminal cells, else its opening and its end, whole
    graphemes of at most half the room each, around a "…" (a quoted span keeps both ends)."""
    if cell_len(text) <= max_cells:
        return text
    half = (max_cells - cell_len(ELLIPSIS)) // 2
    graphemes = split_graphemes(text)[0]
    return (
        _span_end(text, graphemes, half, head=True)
        + ELLIPSIS
        + _span_end(text, graphemes[::-1], half, head=False)
    )


def _span_end(text: str, graphemes: list[tuple[int, int, int]], room: int, head: bool) -> str:
    """As many whole graphemes as fit in `room` cells, taken in the order given."""
    used, edge = 0, 0 if head else len(text)
    for start, stop, cells in graphemes:
        if used + cells > room:
            break
        used, edge = used + cells, stop if head else start
    return text[:edge] if head else text[edge:]


def has_title(title: str | None) -> bool:
    """Whether a title shows anything once made safe (blank and control-only titles do not)."""
    return bool(one_line(title))


def title_line(title: str | None, opening: str = "", max_cells: int | None = None) -> str:
    """The title on one line; for an untitled document the first line of `opening` (the text's
    opening characters), else "(untitled)"."""
    if has_title(title):
        return one_line(title, max_cells)
    return one_line(opening.partition("\n")[0], max_cells) or UNTITLED


def title_text(
    title: str | None, opening: str = "", max_cells: int | None = None, style: str = ""
) -> Text:
    """`title_line` as plain Text (never markup) in `style`; a stand-in is also italic and dim."""
    shown = style if has_title(title) else f"{style} {STAND_IN_STYLE}".strip()
    line = title_line(title, opening, max_cells)
    return Text(line, style=shown, no_wrap=True, overflow="ellipsis")


def title_column_width(widths: list[int], title: int, screen_width: int, least: int = 12) -> int:
    """The title column's width in a table whose columns need `widths`: the room the other
    columns leave (each cell is padded by one; a scrollbar may show), at least `least`."""
    padding = 2 * len(widths) + 2
    room = screen_width - (sum(widths) - widths[title]) - padding
    return max(least, min(widths[title], room))


def date_text(published: str | None) -> Text:
    """A publication date as the library and the annotate header show it: the day of an ISO 8601
    timestamp, or "no date" (dim) when none was found, so a missing date never looks blank."""
    if has_title(published):
        return Text(shown_date(published), no_wrap=True)
    return Text(shown_date(published), style=STAND_IN_STYLE, no_wrap=True)
