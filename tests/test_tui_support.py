"""Shared helpers for the TUI tests: a database with given articles, waiting, reading the screen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.pilot import Pilot

from settings.config import Config
from store import SpanInfo, Store
from tui.app import FactmarkApp, make_app
from tui.screens.annotate import AnnotateScreen
from vocabulary.records import Article, ImportItem
from vocabulary.text import canonical_text

ANNOTATOR = "alice"
SEEDS = Path(__file__).parent / "data" / "seeds"


def make_store(folder: Path, articles: Sequence[tuple[str, str]]) -> tuple[Store, Path]:
    """A new database in `folder` with `articles` ((title, text) pairs) as documents 1, 2, ..."""
    path = folder / "factmark.db"
    store = Store.open(path)
    items = [
        ImportItem(article=Article(text=canonical_text(text), title=title, outlet="Test Outlet"))
        for title, text in articles
    ]
    store.import_items(items)
    return store, path


def stored_spans(path: Path, doc_id: int = 1, layer: str = ANNOTATOR) -> list[SpanInfo]:
    """The spans as a new connection to the database file sees them (what survives a crash)."""
    with Store.open(path) as store:
        return store.spans(doc_id, layer)


def stored_done(path: Path, doc_id: int, annotator: str = ANNOTATOR) -> bool:
    with Store.open(path) as store:
        return store.is_done(doc_id, annotator)


def annotate_app(store: Store, doc_id: int | None = 1, config: Config | None = None) -> FactmarkApp:
    return make_app(store, ANNOTATOR, config or Config(), start="annotate", doc_id=doc_id)


async def settle(pilot: Pilot) -> None:
    """Let workers finish and their messages be handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: FactmarkApp) -> str:
    """What the terminal shows, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def annotate_screen(app: FactmarkApp) -> AnnotateScreen:
    screen = app.screen
    assert isinstance(screen, AnnotateScreen), f"expected the annotate screen, got {screen!r}"
    return screen


async def select_text(pilot: Pilot, start: int, end: int) -> None:
    """Select [start, end) in the open article the way a user would: move, `v`, move."""
    screen = annotate_screen(pilot.app)  # type: ignore[arg-type]
    screen.article.move_cursor_to(start)
    await pilot.press("v")
    while screen.article.cursor < end:
        await pilot.press("right")
