"""Logical lines of a plain-text scrape: hard-wrapped paragraphs re-joined, list items marked.

A text-browser dump (w3m, lynx) breaks every paragraph near a fixed column; a copy-pasted scrape
keeps one paragraph per line. `logical_lines` turns either into the same thing: one `Line` per
paragraph, heading, menu entry or list item, with the blank-line block it came from.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

# A list item: a bullet glyph, a dash, "+" or "o" (nested levels in some dumpers), or "1." /
# "1)", followed by a space.
BULLET = re.compile(r"^\s*(?:[•·▪◦‣●○■□☆*]|[-–—+o](?=\s)|\d{1,3}[.)](?=\s))\s*")
# East Asian wide and fullwidth characters (Unicode EastAsianWidth W and F), by block.
_WIDE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615"
    "\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4"
    "\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e"
    "\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55"
    "\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f300-\U0001f64f"
    "\U0001f680-\U0001f6ff\U0001f900-\U0001f9ff\U0001fa70-\U0001faff\U00020000-\U0003fffd]"
)
# Every wide character, and every box-drawing one, is Hangul jamo (the only wide block below
# U+231A) or at U+231A and beyond. Most pages and rows hold none: a search for these two plain
# ranges runs many times faster than one for _WIDE, and spares it.
_MAYBE_WIDE = re.compile("[\u1100-\u115f\u231a-\U0010ffff]")
_BOX_DRAWING = re.compile("[\u2500-\u257f]")
_PADDED_COLUMNS = re.compile(r"\S {2,}\S")
# Lines this wide or wider that end near the same column are the signature of hard wrapping.
_MIN_WRAPPED_WIDTH = 40
_NEAR_EDGE = 12
_OVERHANG = 3  # an unbreakable word may stick out a little past the edge
_MIN_EDGE_LINES = 4
_MIN_EDGE_SHARE = 0.15
_MIN_FIT_SHARE = 0.8
_EDGE_REPEAT_SHARE = 0.05


@dataclass(slots=True)
class Line:
    """One logical line: `text` without its list marker; `block` numbers blank-line blocks."""

    text: str
    block: int
    marker: str = ""  # the list marker as written ("•", "-", "1."), empty for other lines
    raw_lines: int = 1
    tabular: bool = False

    @property
    def bullet(self) -> bool:
        return bool(self.marker)


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK) characters count two, as a text browser counts."""
    if text.isascii() or _MAYBE_WIDE.search(text) is None:
        return len(text)
    return len(text) + len(_WIDE.findall(text))


def _edge_of(widths: list[int]) -> tuple[int, int]:
    """The right edge that most long rows end just before, and how many rows end near it."""
    best_edge, best_near, best_score = 0, 0, -len(widths)
    for edge in set(widths):
        near = bisect_right(widths, edge) - bisect_left(widths, edge - _NEAR_EDGE)
        above = len(widths) - bisect_right(widths, edge + _OVERHANG)
        score = near - 2 * above
        if score > best_score or (score == best_score and edge > best_edge):
            best_edge, best_near, best_score = edge, near, score
    if best_score < best_near / 2:
        return 0, 0
    # Rows sticking out by a column or two are unbreakable words, not the edge itself.
    counts = Counter(w for w in widths if best_edge - _NEAR_EDGE <= w <= best_edge)
    repeated = [w for w, n in counts.items() if n >= max(2, _EDGE_REPEAT_SHARE * best_near)]
    return (max(repeated) if repeated else best_edge), best_near


def is_tabular(row: str) -> bool:
    """A table row as text browsers draw it: box-drawing borders or columns padded with spaces."""
    return _is_tabular_stripped(row.strip())


def _is_tabular_stripped(row: str) -> bool:
    if "  " in row and _PADDED_COLUMNS.search(row):
        return True
    return not row.isascii() and _BOX_DRAWING.search(row) is not None


def _fits(rows: list[str], widths: list[int], tables: list[bool], i: int, width: int) -> bool:
    """True when row `i` (stripped, not blank) went to a new row only because its first word did
    not fit on row i-1."""
    if widths[i - 1] + 1 + widths[i] <= width:  # the whole row would have fitted
        return False
    return _first_word_overflows(rows[i], widths[i - 1], width) and not (
        tables[i - 1] or tables[i] or BULLET.match(rows[i])
    )


def wrap_width(rows: list[str], widths: list[int], tables: list[bool]) -> int | None:
    """The column a dump was hard-wrapped at, or None when rows were not wrapped."""
    return _wrap(rows, widths, tables)[0]


def _wrap(
    rows: list[str], widths: list[int], tables: list[bool]
) -> tuple[int | None, dict[int, bool]]:
    """wrap_width(), and for the rows it looked at, whether each went on only from the row
    above (kept, so that re-joining need not look again).

    `rows` are stripped; `widths` are the columns each row reached, indentation included.

    Wrapped text has many long prose rows ending within a few columns of one right edge and few
    beyond it, and every such row is followed by a word that would not have fitted; free text
    (one paragraph per line) has long lines of every width. Table rows (runs of spaces inside)
    are left out: text browsers do not wrap them.
    """
    prose = [i for i, w in enumerate(widths) if w >= _MIN_WRAPPED_WIDTH and not tables[i]]
    if len(prose) < _MIN_EDGE_LINES:
        return None, {}
    edge, near = _edge_of(sorted(widths[i] for i in prose))
    if near < _MIN_EDGE_LINES or near < _MIN_EDGE_SHARE * len(prose):
        return None, {}
    followed = {
        i + 1: _fits(rows, widths, tables, i + 1, edge)
        for i in prose
        if edge - _NEAR_EDGE <= widths[i] <= edge and i + 1 < len(rows) and rows[i + 1]
    }
    fitting = sum(followed.values())
    if len(followed) < _MIN_EDGE_LINES - 1 or fitting < _MIN_FIT_SHARE * len(followed):
        return None, {}
    return edge, followed


def logical_lines(text: str) -> list[Line]:
    """Split normalised scrape text into logical lines, re-joining hard-wrapped rows."""
    rows = list(map(str.rstrip, text.split("\n")))  # map: no Python-level step per row
    # Most pages hold no wide character and no box drawing: one search of the whole page spares
    # measuring every row.
    narrow = text.isascii() or _MAYBE_WIDE.search(text) is None
    if narrow:
        widths = list(map(len, rows))
    else:
        widths = [len(row) if row.isascii() else display_width(row) for row in rows]
    stripped_rows = list(map(str.lstrip, rows))
    tables = [
        ("  " in row and _PADDED_COLUMNS.search(row) is not None)
        or (not narrow and not row.isascii() and _BOX_DRAWING.search(row) is not None)
        for row in stripped_rows
    ]
    width, fits = _wrap(stripped_rows, widths, tables)
    # Each logical line's rows, stripped, joined once at the end (appending to a string row by
    # row copies a long paragraph again for every row). One flat list, and where each line's
    # rows start in it: a list per line would keep the garbage collector busy.
    pieces: list[str] = []
    starts: list[int] = []
    result: list[Line] = []
    block = 0
    previous_width = 0  # 0: the previous row was blank (or there was none)
    for i, stripped in enumerate(stripped_rows):
        if not stripped:
            block += 1
            previous_width = 0
            continue
        fitted = fits.get(i)
        if fitted is None:
            fitted = bool(
                width
                and previous_width
                and previous_width + 1 + widths[i] > width
                and _first_word_overflows(stripped, previous_width, width)
                and not (tables[i - 1] or tables[i] or BULLET.match(stripped))
            )
        if fitted:
            pieces.append(stripped)
            result[-1].raw_lines += 1
        else:
            bullet = BULLET.match(stripped)
            marker = bullet.group().strip() if bullet else ""
            body = stripped[bullet.end() :] if bullet else stripped
            starts.append(len(pieces))
            pieces.append(body)
            result.append(Line("", block, marker, tabular=tables[i]))
        previous_width = widths[i]
    for line, start in zip(result, starts, strict=True):
        rows_joined = line.raw_lines
        line.text = (
            pieces[start] if rows_joined == 1 else " ".join(pieces[start : start + rows_joined])
        )
    return [line for line in result if line.text]


def _first_word_overflows(stripped: str, previous_width: int, width: int) -> bool:
    """True when the first word of a (stripped, non-empty) row would not fit after the previous
    row's `previous_width` columns on a `width`-column page."""
    word = stripped.split(None, 1)[0]
    word_width = len(word) if word.isascii() else display_width(word)
    return previous_width + 1 + word_width > width


def lines_containing(page: str, starts: list[int], needles: tuple[str, ...]) -> set[int]:
    """Indices of the lines (starting at offsets `starts` in `page`) that contain a needle.

    One substring search of the whole page per needle is much cheaper than a regex per line;
    `starts` must be the offsets of the very strings `page` joins (with one separator each).
    """
    found: set[int] = set()
    for needle in needles:
        at = page.find(needle)
        while at >= 0:
            line = bisect_right(starts, at) - 1
            found.add(line)
            at = page.find(needle, starts[line + 1])  # the rest of this line is settled
    return found
