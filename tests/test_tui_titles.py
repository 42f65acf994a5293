"""Document titles as the screens and `factmark list` show them: one safe line, cut by cells."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rich.cells import cell_len

from tui.titles import UNTITLED, cut_in_middle, cut_to_cells, one_line, title_line, title_text
from tui.widgets.annotation_pane import span_snippet


def test_titles_are_one_line_without_controls() -> None:
    assert one_line(" Talks\tin\n\nCairo \x1b[2J\u202e ") == "Talks in Cairo [2J"
    assert one_line(None) == ""


@pytest.mark.parametrize(
    ("text", "cells", "expected"),
    [
        ("Talks in Cairo", 14, "Talks in Cairo"),
        ("Talks in Cairo", 8, "Talks i…"),
        ("加沙停火谈判", 6, "加沙…"),  # a wide character is never halved
        ("加沙停火谈判", 5, "加沙…"),
        ("Cafe\u0301 talks", 5, "Cafe\u0301…"),  # the accent stays with its letter
        ("Cafe\u0301 talks", 4, "Caf…"),
        ("👩‍👩‍👧 families", 4, "👩‍👩‍👧 …"),  # a family emoji is one grapheme
        ("👩‍👩‍👧 families", 2, "…"),
    ],
)
def test_cuts_are_by_terminal_cells_and_whole_graphemes(
    text: str, cells: int, expected: str
) -> None:
    cut = cut_to_cells(text, cells)
    assert cut == expected
    assert cell_len(cut) <= cells


def test_an_untitled_document_shows_its_opening_words_dimmed() -> None:
    opening = "Hamas said 34,535 Palestinians were killed.\n\nMore."
    assert title_line(None, opening) == "Hamas said 34,535 Palestinians were killed."
    assert title_line(" \x1b ", opening, 12) == "Hamas said …"
    assert title_line("", "") == UNTITLED
    stand_in = title_text("", opening, style="bold")
    assert "italic" in str(stand_in.style) and "bold" in str(stand_in.style)
    titled = title_text("[b]Title[/b]", opening, style="bold")
    assert titled.plain == "[b]Title[/b]" and str(titled.style) == "bold"  # never markup


def test_the_titles_module_loads_no_textual() -> None:
    code = "import sys, tui.titles; assert not any(m.startswith('textual') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("text", "cells", "expected"),
    [
        ("Hamas said the talks would resume", 13, "Hamas …resume"),
        ("short", 13, "short"),
        ("加沙停火谈判加沙停火谈判", 9, "加沙…谈判"),  # wide characters are never halved
        ("Cafe\u0301 talks in Cafe\u0301", 9, "Cafe\u0301…Cafe\u0301"),  # accents stay
    ],
)
def test_cut_in_middle_keeps_whole_graphemes_at_both_ends(
    text: str, cells: int, expected: str
) -> None:
    cut = cut_in_middle(text, cells)
    assert cut == expected
    assert cell_len(cut) <= cells


def test_span_snippet_is_one_safe_line_cut_in_cells() -> None:
    snippet = span_snippet("Talks\x1b[31m in\n\nCairo 加沙停火谈判加沙停火谈判", 16)
    assert "\x1b" not in snippet and "\n" not in snippet
    assert snippet == "Talks[3…火谈判"  # 7 cells each side; a wide character is never halved
    assert cell_len(snippet) <= 16
