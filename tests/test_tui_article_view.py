"""The article view alone: highlight styles, overlaps, colours, redrawing only what moved."""

from __future__ import annotations

from dataclasses import dataclass

from rich.color import Color, ColorSystem
from rich.style import Style
from textual.app import App, ComposeResult

from tui.config import label_style
from tui.widgets.article_view import ArticleView
from vocabulary.labels import DEFAULT_LABEL_DEFS

TEXT = "Officials said 34,535 Palestinians were killed.\n\nA second paragraph follows here."
STYLES = {label.name: Style.parse(label_style(label.color)) for label in DEFAULT_LABEL_DEFS}


@dataclass(frozen=True)
class Mark:
    id: int
    start: int
    end: int
    label: str


CLAIM = Mark(1, TEXT.index("34,535"), TEXT.index("."), "claim")  # "34,535 ... killed"
FIGURE = Mark(2, TEXT.index("34,535"), TEXT.index(" were"), "figure")  # nested inside the claim


class ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ArticleView(id="article")

    def on_mount(self) -> None:
        self.query_one(ArticleView).load(TEXT, [CLAIM, FIGURE], STYLES)


def styles_by_character(view: ArticleView, line: int) -> list[tuple[str, Style]]:
    strip = view._draw_line(line, view._ensure_lines().width)
    return [(char, segment.style) for segment in strip for char in segment.text]


async def test_innermost_span_colour_wins_and_overlaps_are_underlined() -> None:
    async with ViewApp().run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        view = pilot.app.query_one(ArticleView)
        view.move_cursor_to(len(TEXT))  # keep the cursor out of the way
        cells = styles_by_character(view, 0)
        figure_bg = STYLES["figure"].bgcolor
        claim_bg = STYLES["claim"].bgcolor
        inside_both = cells[TEXT.index("Palestinians")][1]
        claim_only = cells[TEXT.index("killed")][1]
        outside = cells[TEXT.index("Officials")][1]
        assert inside_both.bgcolor == figure_bg and inside_both.underline
        assert claim_only.bgcolor == claim_bg and not claim_only.underline
        assert outside.bgcolor not in (figure_bg, claim_bg)


def test_default_label_colours_survive_256_colour_terminals() -> None:
    for label in DEFAULT_LABEL_DEFS:
        color = Color.parse(label.color)
        assert color.downgrade(ColorSystem.EIGHT_BIT).get_truecolor() == color.get_truecolor()
        foreground = Style.parse(label_style(label.color)).color
        assert foreground is not None and foreground.name == "black"  # light backgrounds


async def test_a_cursor_move_redraws_only_the_lines_it_touched() -> None:
    long_text = "\n".join(f"Line {n} of a long article." for n in range(500))
    async with ViewApp().run_test(size=(60, 20)) as pilot:
        view = pilot.app.query_one(ArticleView)
        view.load(long_text, [], STYLES)
        await pilot.pause()
        drawn: list[int] = []
        original = view._draw_line

        def counting(index: int, width: int):
            drawn.append(index)
            return original(index, width)

        view._draw_line = counting  # type: ignore[method-assign]
        await pilot.press("right")
        await pilot.pause()
        assert drawn == [0]
        drawn.clear()
        await pilot.press("down")
        await pilot.pause()
        assert sorted(drawn) == [0, 1]


async def test_selection_is_drawn_and_cleared_by_escape() -> None:
    async with ViewApp().run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        view = pilot.app.query_one(ArticleView)
        view.focus()
        await pilot.press("v", "w")
        assert view.selection == (0, TEXT.index("said"))
        selected = styles_by_character(view, 0)[0][1]
        unselected = styles_by_character(view, 0)[TEXT.index("said") + 1][1]
        assert selected != unselected
        await pilot.press("escape")
        assert view.selection is None


def test_a_burst_of_cursor_moves_reports_only_the_last() -> None:
    view, other = ArticleView(), ArticleView()
    first = ArticleView.CursorMoved(view, 1, None)
    assert first.control is view
    assert first.can_replace(ArticleView.CursorMoved(view, 2, (1, 2)))
    assert not first.can_replace(ArticleView.CursorMoved(other, 2, None))
