"""The search screen as a user drives it: from the library, results with the match highlighted,
`enter` opening the document at the match ready to tag, and `c` attaching a match to a check."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import OptionList, Static

from settings.config import Config
from store import Store
from tests.test_tui_support import (
    ANNOTATOR,
    annotate_app,
    annotate_screen,
    make_store,
    screen_text,
    settle,
)
from tui.app import make_app
from tui.screens.library import LibraryScreen
from tui.screens.search import SearchScreen

ARTICLES = [
    ("Hamas and Fatah meet in Cairo", "Hamas said 34,535 Palestinians were killed in Gaza."),
    ("Beijing hosts talks", "China’s Foreign Ministry said the talks made progress."),
    ("[bold]Markup[/bold] title", "The MINISTÈRE said [red]nothing[/red]; talks went on."),
]


def _app(tmp_path: Path):
    store, path = make_store(tmp_path, ARTICLES)
    return make_app(store, ANNOTATOR, Config()), store, path


def _search_screen(app) -> SearchScreen:
    screen = app.screen
    assert isinstance(screen, SearchScreen), f"expected the search screen, got {screen!r}"
    return screen


async def _search(pilot, query: str) -> SearchScreen:
    await pilot.press(*query)
    await pilot.press("enter")
    await settle(pilot)
    return _search_screen(pilot.app)


def _highlighted(prompt: Text) -> list[str]:
    """The stretches of a result drawn in the match style."""
    return [prompt.plain[s.start : s.end] for s in prompt.spans if str(s.style) == "bold reverse"]


async def test_ctrl_f_searches_and_enter_opens_the_match_ready_to_tag(tmp_path: Path) -> None:
    app, _, path = _app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("ctrl+f")
        await settle(pilot)
        screen = await _search(pilot, "34,535")
        [hit] = screen.hits
        assert (hit.document_id, hit.text) == (1, "34,535")
        results = screen.query_one("#search-results", OptionList)
        assert results.has_focus
        assert _highlighted(results.get_option_at_index(0).prompt) == ["34,535"]
        assert "1 document" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        annotate = annotate_screen(app)
        assert annotate.document is not None and annotate.document.id == 1
        assert annotate.article.selection == (hit.start, hit.end)
        assert "press a label key" in screen_text(app)
        await pilot.press("3")  # figure
        await settle(pilot)
    with Store.open(path) as reopened:
        [span] = reopened.spans(1, ANNOTATOR)
        assert (span.start, span.end, span.label, span.text) == (
            hit.start,
            hit.end,
            "figure",
            "34,535",
        )


async def test_results_fold_accents_and_show_article_text_as_plain_text(tmp_path: Path) -> None:
    app, _, _ = _app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        screen = await _search(pilot, "ministere said")
        assert [(hit.document_id, hit.text) for hit in screen.hits] == [(3, "MINISTÈRE said")]
        shown = screen_text(app)
        assert "[bold]Markup[/bold] title" in shown and "[red]nothing[/red]" in shown


async def test_a_query_without_words_is_said_and_escape_goes_back(tmp_path: Path) -> None:
    app, _, _ = _app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await _search(pilot, '"-" ()')
        assert "nothing to search for" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_with_a_check_c_attaches_the_match_as_an_appearance(tmp_path: Path) -> None:
    app, store, path = _app(tmp_path)
    store.ensure_annotator(ANNOTATOR)
    claim = store.add_span(1, ANNOTATOR, 0, 51, "claim")
    check = store.create_check(claim.id, user=ANNOTATOR)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(SearchScreen(check_uid=check.uid, query="talks"))
        await settle(pilot)
        screen = _search_screen(app)
        assert sorted(hit.document_id for hit in screen.hits) == [2, 3]
        assert "c attaches" in screen_text(app)
        first = screen.hits[0]
        await pilot.press("c")
        await settle(pilot)
        said = str(screen.query_one("#search-status", Static).content)
        assert "Attached “talks” (document 2)" in said and "2 appearances" in said
        assert (
            screen.query_one("#search-results", OptionList)
            .get_option_at_index(0)
            .prompt.plain.startswith("✓")
        )
    with Store.open(path) as reopened:
        attached = reopened.check(check.uid).appearances
        assert sorted((a.document_id, a.start, a.end) for a in attached) == [
            (1, 0, 51),
            (first.document_id, first.start, first.end),
        ]
        [span] = reopened.spans(first.document_id, ANNOTATOR)
        assert (span.label, span.text) == ("claim", "talks")


async def test_without_a_check_c_is_not_offered(tmp_path: Path) -> None:
    app, _, _ = _app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        screen = await _search(pilot, "talks")
        assert screen.hits
        assert "Attach to the check" not in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert "Attached" not in screen_text(app)


async def test_over_the_annotate_screen_enter_shows_the_document_at_the_match(
    tmp_path: Path,
) -> None:
    store, _ = make_store(tmp_path, ARTICLES)
    app = annotate_app(store, doc_id=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(SearchScreen(query="progress"))
        await settle(pilot)
        [hit] = _search_screen(app).hits
        await pilot.press("enter")
        await settle(pilot)
        annotate = annotate_screen(app)
        assert annotate.document is not None and annotate.document.id == 2
        assert annotate.article.selection == (hit.start, hit.end)


async def test_results_come_as_you_type_and_keep_the_keys_in_the_field(tmp_path: Path) -> None:
    app, _, _ = _app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press(*"talks")
        await pilot.pause(0.6)  # a pause in typing runs the query
        await settle(pilot)
        screen = _search_screen(app)
        assert sorted(hit.document_id for hit in screen.hits) == [2, 3]
        query = screen.query_one("#search-query")
        assert query.has_focus
        await pilot.press(*" china")
        await pilot.press("enter")
        await settle(pilot)
        assert [hit.document_id for hit in screen.hits] == [2]
        assert screen.query_one("#search-results").has_focus
