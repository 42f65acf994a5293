"""The agreement matrices as rich tables of coloured cells, for the terminal and the TUI's panel.

Every cell shows its number, so the tables read the same without colour (NO_COLOR) as with it;
the colours are entries of the 256-colour palette with black text, so they look alike in
256-colour and true-colour terminals. Labels and annotator names are user data: they enter as
`Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from review.matrices import NO_SPAN

UNDEFINED = "—"
LABEL_CONFUSION_TITLE = "Labels between annotators, in spans (— = the other drew none)"
ANNOTATOR_MATRIX_TITLE = "Pairs: overlap F1 above the diagonal, character α below"
# Light to strong: agreement (the diagonal) in greens, confusion in reds.
AGREEMENT_RAMP = ("color(194)", "color(157)", "color(120)", "color(83)")
CONFUSION_RAMP = ("color(224)", "color(217)", "color(210)", "color(203)")
# Krippendorff's reading of a coefficient: reliable, tentative, not for conclusions.
READING_COLOURS = ((0.8, "color(114)"), (0.667, "color(222)"), (float("-inf"), "color(174)"))


def matrices_renderable(report: dict[str, Any]) -> RenderableType:
    """Both matrices, the label confusion first; nothing when the report has none."""
    parts: list[RenderableType] = []
    if "label_confusion" in report and report["label_confusion"]["pairs"]:
        parts.append(Text(LABEL_CONFUSION_TITLE, style="bold"))
        parts.append(label_confusion_table(report["label_confusion"]))
    if "annotator_matrix" in report and report["annotator_matrix"]["pairs"]:
        parts.append(Text(ANNOTATOR_MATRIX_TITLE, style="bold"))
        parts.append(annotator_matrix_table(report["annotator_matrix"]))
    return Group(*parts)


def _square_table(headings: list[str]) -> Table:
    """A matrix's table: a blank corner, then one right-aligned column per heading (user data,
    as plain Text)."""
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False)
    table.add_column("")
    for heading in headings:
        table.add_column(Text(heading), justify="right")
    return table


def label_confusion_table(section: dict[str, Any]) -> Table:
    """The pooled, symmetric label confusion: how often one side's label met the other's."""
    values: list[str] = section["values"]
    grid: dict[str, dict[str, int]] = section["pooled"]
    table = _square_table(values)
    diagonal = max((grid[v][v] for v in values), default=0)
    off = max((grid[r][c] for r in values for c in values if r != c), default=0)
    for row in values:
        cells = [
            _count_cell(grid[row][column], diagonal if row == column else off, row == column)
            if row != NO_SPAN or column != NO_SPAN
            else Text("·", style="dim", justify="right")
            for column in values
        ]
        table.add_row(Text(row), *cells)
    return table


def annotator_matrix_table(section: dict[str, Any]) -> Table:
    """Annotators against annotators: overlap F1 above the diagonal, character α below."""
    names: list[str] = section["annotators"]
    table = _square_table(names)
    for row, first in enumerate(names):
        cells = [
            _pair_cell(section["pairs"], first, second, row, column)
            for column, second in enumerate(names)
        ]
        table.add_row(Text(first), *cells)
    return table


def reading_style(value: float | None) -> str:
    """The cell colour of a coefficient by Krippendorff's reading ("" when undefined)."""
    if value is None:
        return ""
    return next(f"black on {colour}" for bound, colour in READING_COLOURS if value >= bound)


def _count_cell(count: int, largest: int, agreeing: bool) -> Text:
    if count == 0:
        return Text("0", style="dim", justify="right")
    ramp = AGREEMENT_RAMP if agreeing else CONFUSION_RAMP
    step = min(len(ramp) - 1, (count * len(ramp) - 1) // max(largest, 1))
    return Text(str(count), style=f"black on {ramp[step]}", justify="right")


def _pair_cell(
    pairs: dict[str, dict[str, Any]], first: str, second: str, row: int, column: int
) -> Text:
    if row == column:
        return Text("·", style="dim", justify="right")
    key = "|".join(sorted((first, second)))
    figure_name = "overlap_f1" if row < column else "character_krippendorff_alpha"
    value = pairs[key][figure_name]
    shown = UNDEFINED if value is None else f"{value:.2f}"
    return Text(shown, style=reading_style(value), justify="right")


def largest_confusions(section: dict[str, Any], limit: int = 3) -> list[tuple[str, str, int]]:
    """The most frequent disagreements (label vs label or vs —), most first, each pair once."""
    values: Sequence[str] = section["values"]
    grid = section["pooled"]
    found = [
        (grid[row][column], row, column)
        for index, row in enumerate(values)
        for column in values[index + 1 :]
        if grid[row][column] and not (row == NO_SPAN and column == NO_SPAN)
    ]
    found.sort(key=lambda item: (-item[0], values.index(item[1]), values.index(item[2])))
    return [(row, column, count) for count, row, column in found[:limit]]
