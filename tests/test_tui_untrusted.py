"""Untrusted text is inert: markup-looking article text, titles and notes are shown as typed, run
no action, send no control sequence to the terminal, and offsets stay right."""

from __future__ import annotations

from pathlib import Path

from settings.config import Config
from store import Store
from tests.test_tui_support import ANNOTATOR, annotate_app, annotate_screen, settle, stored_spans
from tui.app import make_app
from vocabulary.records import Article, ImportItem
from vocabulary.text import canonical_text

HOSTILE = "[@click=app.quit]x[/] [link=http://x]a[/link] [/foo] \x1b[2J \u202eevil"
ARTICLE = f"Before the trap. {HOSTILE} After the trap: [b]bold?[/b] and [red]red?[/red]."


def _hostile_store(tmp_path: Path) -> tuple[Store, Path]:
    path = tmp_path / "factmark.db"
    store = Store.open(path)
    article = Article(
        text=canonical_text(ARTICLE), title=f"Title {HOSTILE}", outlet="[i]Outlet[/i] \x1b[31m"
    )
    store.import_items([ImportItem(article=article)])
    return store, path


def _all_segments_text(app) -> str:
    """Every character the app would send to the terminal for the current screen."""
    return "".join(
        segment.text for strip in app.screen._compositor.render_strips() for segment in strip
    )


async def test_hostile_text_is_shown_literally_and_runs_nothing(tmp_path: Path) -> None:
    store, path = _hostile_store(tmp_path)
    app = annotate_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        screen = annotate_screen(app)
        text = screen.document.text
        assert "\x1b" not in text and "\u202e" not in text  # canonical_text removed them
        sent = _all_segments_text(app)
        for literal in (
            "[@click=app.quit]x[/]",
            "[link=http://x]a[/link]",
            "[/foo]",
            "[b]bold?[/b]",
        ):
            assert literal in sent, literal
        assert "\x1b" not in sent and "\u202e" not in sent
        # clicking on the would-be @click markup must not quit
        view = screen.article
        column = text.index("[@click") + 2 + view.styles.padding.left
        await pilot.click(view, offset=(column, 0))
        await settle(pilot)
        assert app.return_code is None and app.is_running
        # offsets stay right: find the fake closing tag and label it
        await pilot.press("slash", *"[/foo]", "enter")
        await pilot.press("2")
        await settle(pilot)
        (span,) = stored_spans(path)
        assert span.text == "[/foo]" == text[span.start : span.end]


async def test_hostile_notes_and_titles_are_inert(tmp_path: Path) -> None:
    store, path = _hostile_store(tmp_path)
    app = annotate_app(store)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        screen = annotate_screen(app)
        note = "[/foo][@click=app.quit]n[/]\x1b\u202e"  # short enough to show unshortened
        screen.pane.focus()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#note-input").value = note
        await pilot.press("enter")
        await settle(pilot)
        sent = _all_segments_text(app)
        assert "[@click=app.quit]n[/]" in sent and "[/foo]" in sent
        assert "Title [@click=app.quit]x[/]" in sent
        assert "[i]Outlet[/i]" in sent
        assert "\x1b" not in sent and "\u202e" not in sent
        assert app.is_running
    (span,) = stored_spans(path)
    assert span.note is not None and "[@click=app.quit]n[/]" in span.note


async def test_library_shows_hostile_titles_as_text(tmp_path: Path) -> None:
    store, _ = _hostile_store(tmp_path)
    app = make_app(store, ANNOTATOR, Config())
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        sent = _all_segments_text(app)
        assert "Title [@click=app.quit]x[/]" in sent
        assert "\x1b" not in sent and "\u202e" not in sent
