"""Article text folded into terminal display lines, and the map between offsets and screen cells.

A display line is a range [start, end) of code-point offsets; lines are computed once per width and
looked up by bisection, so moving the cursor costs the same on 2,000 and 200,000 characters.
Paragraph newlines are not part of any line: the newline's offset is the `end` of the last line of
its paragraph, where the cursor is drawn just after the text.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import regex
from rich.cells import cell_len

_GRAPHEME = regex.compile(r"\X")

# Characters that must not reach the terminal, each shown as one visible replacement character so
# offsets and cells stay in step. Canonical text has none of these except tab, but a database can
# hold anything.
_UNSAFE = [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_DISPLAY_MAP = {code: "\ufffd" for code in _UNSAFE} | {ord("\t"): " ", ord("\n"): "\n"}

# Code points that are exactly one cell and one grapheme on their own (printable ASCII, Latin-1 and
# Latin Extended without combining marks, Greek and Cyrillic letters, general punctuation that has
# width). Text made only of these wraps with plain string arithmetic.
_SINGLE_CELL_RUN = regex.compile(
    r"[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20bf]*"
)


def display_text(text: str) -> str:
    """The text as drawn: same length as `text`, tabs as spaces, controls as U+FFFD."""
    return text.translate(_DISPLAY_MAP)


def _is_single_cell(paragraph: str) -> bool:
    return _SINGLE_CELL_RUN.fullmatch(paragraph) is not None


@dataclass(frozen=True)
class DisplayLines:
    """The display lines of one text at one width."""

    starts: list[int]
    ends: list[int]
    width: int

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """The index of the display line that shows `offset` (the cursor position)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def last_cursor_offset(self, line: int, text_length: int) -> int:
        """The rightmost offset the cursor can take on `line`.

        The end of a paragraph's last line (its newline, or the end of the text) is a cursor
        position; the end of a wrapped line is the next line's start, so there it is the last
        character.
        """
        end = self.ends[line]
        if line + 1 < len(self.starts) and self.starts[line + 1] == end:
            return max(self.starts[line], end - 1)
        return min(end, text_length)


def wrap_text(text: str, width: int) -> DisplayLines:
    """Fold `text` (already passed through `display_text`) into lines of at most `width` cells.

    Lines break after whitespace where they can and between grapheme clusters where a word is wider
    than the line; a cluster is never split.
    """
    width = max(1, width)
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for paragraph in text.split("\n"):
        if _is_single_cell(paragraph):
            _wrap_single_cell(paragraph, offset, width, starts, ends)
        else:
            _wrap_clusters(paragraph, offset, width, starts, ends)
        offset += len(paragraph) + 1
    return DisplayLines(starts, ends, width)


def _wrap_single_cell(
    paragraph: str, base: int, width: int, starts: list[int], ends: list[int]
) -> None:
    """Wrap a paragraph whose code points are each one cell: pure index arithmetic."""
    start = 0
    length = len(paragraph)
    while length - start > width:
        space = paragraph.rfind(" ", start, start + width)
        cut = space + 1 if space >= start else start + width
        starts.append(base + start)
        ends.append(base + cut)
        start = cut
    starts.append(base + start)
    ends.append(base + length)


def _wrap_clusters(
    paragraph: str, base: int, width: int, starts: list[int], ends: list[int]
) -> None:
    """Wrap a paragraph with wide, zero-width or multi-code-point clusters, cluster by cluster."""
    line_start = 0
    cells = 0
    break_after_space = -1
    for match in _GRAPHEME.finditer(paragraph):
        cluster = match.group()
        cluster_cells = cell_len(cluster)
        if cells + cluster_cells > width and match.start() > line_start:
            cut = break_after_space if break_after_space > line_start else match.start()
            starts.append(base + line_start)
            ends.append(base + cut)
            cells = cell_len(paragraph[cut : match.start()])
            line_start = cut
            break_after_space = -1
        cells += cluster_cells
        if cluster.isspace():
            break_after_space = match.end()
    starts.append(base + line_start)
    ends.append(base + len(paragraph))


def column_of(shown: str, line_start: int, offset: int) -> int:
    """The screen column (in cells) of `offset` on the line that starts at `line_start`."""
    return cell_len(shown[line_start:offset])


def offset_at_column(shown: str, line_start: int, line_end: int, column: int) -> int:
    """The offset of the cluster drawn at `column` on a line (line_end if the column is past it)."""
    if column <= 0:
        return line_start
    segment = shown[line_start:line_end]
    if _is_single_cell(segment):
        return line_start + min(column, len(segment))
    cells = 0
    for match in _GRAPHEME.finditer(segment):
        cells += cell_len(match.group())
        if cells > column:
            return line_start + match.start()
    return line_end
