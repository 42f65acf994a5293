"""The library screen, the 80×24 layout, the minimum-size message, blindness and the header."""

from __future__ import annotations

from pathlib import Path

import tui.screens.library as library_module
from settings.config import Config
from tests.test_tui_support import (
    ANNOTATOR,
    annotate_app,
    annotate_screen,
    make_store,
    screen_text,
    settle,
)
from tui.app import make_app
from tui.screens.annotate import AnnotateScreen
from tui.screens.library import LibraryScreen
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

ARTICLES = [
    ("Hamas and Fatah meet in Cairo", "Hamas said 34,535 Palestinians were killed in Gaza."),
    ("Beijing hosts reconciliation talks", "China said the talks made positive progress."),
    ("Ceasefire holds", "The ceasefire held for a third day, officials said."),
]


def _library_app(tmp_path: Path):
    store, path = make_store(tmp_path, ARTICLES)
    return make_app(store, ANNOTATOR, Config(organisation="Example Desk")), store, path


async def test_library_lists_documents_with_my_progress(tmp_path: Path) -> None:
    app, store, _ = _library_app(tmp_path)
    store.add_span(1, ANNOTATOR, 0, 5, "actor")
    store.add_span(1, "bob", 6, 10, "claim")  # someone else's work is not counted
    store.set_done(2, ANNOTATOR)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        shown = screen_text(app)
        assert "Example Desk" in shown and f"annotator {ANNOTATOR}" in shown
        assert "3 documents · 1 done" in shown
        rows = {line.split()[0]: line for line in shown.splitlines() if line.strip()[:1].isdigit()}
        assert "Hamas and Fatah meet in Cairo" in rows["1"] and "Test Outlet" in rows["1"]
        assert rows["1"].split()[-1] == "1"  # my span count, bob's not included
        assert rows["2"].rstrip().endswith("✓")


async def test_typing_filters_and_enter_opens(tmp_path: Path) -> None:
    app, _, _ = _library_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("/", *"beijing")
        await pilot.pause()
        shown = screen_text(app)
        assert "Beijing hosts" in shown and "Ceasefire holds" not in shown
        assert "1 of 3 documents" in shown
        await pilot.press("enter")
        await settle(pilot)
        screen = annotate_screen(app)
        assert screen.document is not None and screen.document.id == 2
        assert "document 2 of 3" in screen_text(app)


async def test_a_large_library_shows_its_first_rows_and_the_filter_reaches_the_rest(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(library_module, "MAX_TABLE_ROWS", 2)  # as 500 of 100,000 documents
    app, _, _ = _library_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Hamas and Fatah" in shown and "Beijing hosts" in shown
        assert "Ceasefire holds" not in shown
        assert "The first 2 of 3 matching documents (3 in all): / to narrow." in shown
        await pilot.press("/", *"cease")
        await pilot.pause()
        shown = screen_text(app)
        assert "Ceasefire holds" in shown and "1 of 3 documents" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert annotate_screen(app).document.id == 3


async def test_arrow_keys_choose_the_row_while_typing(tmp_path: Path) -> None:
    app, _, _ = _library_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert annotate_screen(app).document.id == 3
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_annotating_shows_only_my_own_layer(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, ARTICLES[:1])
    text = store.document(1).text
    theirs = LayerDraft("bob", spans=(SpanDraft(0, 5, "actor"),), done=True)
    gold = LayerDraft("gold", spans=(SpanDraft(11, 17, "figure"),), done=False)
    store.import_items([ImportItem(article=Article(text=text), layers=(theirs, gold))])
    store.add_span(1, ANNOTATOR, 18, 30, "actor")
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(app := pilot.app)
        assert [span.text for span in screen.spans] == ["Palestinians"]
        assert [span.text for span in screen.article.spans_overlapping(0, len(text))] == [
            "Palestinians"
        ]
        shown = screen_text(app)
        assert "actor  Palestinians" in shown and "figure" not in shown.split("\n")[1]


async def test_80_by_24_shows_text_pane_status_and_footer(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, ARTICLES)
    async with annotate_app(store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        lines = screen_text(pilot.app).splitlines()
        assert len(lines) == 24
        assert "annotator alice" in lines[0] and "document 1 of 3" in lines[0]
        assert lines[1].strip() == "Hamas and Fatah meet in Cairo"
        assert any("Hamas said 34,535 Palestinians" in line for line in lines[3:8])
        assert any("actor  Hamas" in line for line in lines[8:22]), "pane stacked below the text"
        assert "Saved actor" in lines[-2]
        assert "Actor" in lines[-1]
        screen = annotate_screen(pilot.app)
        assert screen.article.size.height >= 8
        await pilot.press("p")  # the pane can be hidden to give the text the whole height
        await pilot.pause()
        assert not screen.pane.display or screen.pane.size.height == 0
        assert screen.article.size.height >= 15


async def test_below_the_minimum_size_a_message_says_so(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, ARTICLES)
    async with annotate_app(store).run_test(size=(50, 12)) as pilot:
        await settle(pilot)
        shown = " ".join(screen_text(pilot.app).split())
        assert "too small" in shown and "60 columns × 15 rows" in shown
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert "too small" not in screen_text(pilot.app)
        assert isinstance(pilot.app.screen, AnnotateScreen)


async def test_annotate_without_a_document_id_opens_the_next_unfinished(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, ARTICLES)
    store.set_done(1, ANNOTATOR)
    async with annotate_app(store, doc_id=None).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert annotate_screen(pilot.app).document.id == 2


async def test_when_everything_is_done_annotate_says_so(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, ARTICLES[:1])
    store.set_done(1, ANNOTATOR)
    async with annotate_app(store, doc_id=None).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "All 1 documents are marked done by you" in screen_text(pilot.app)


async def test_the_library_starts_without_opening_a_document(tmp_path: Path) -> None:
    app, _, _ = _library_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "3 of 3 documents" in screen_text(app)
        assert app.annotate_screen.document is None  # built in advance, but nothing loaded


async def test_library_fits_80_columns_by_shortening_titles(tmp_path: Path) -> None:
    long_title = "A very long headline about the talks in Cairo that goes on and on " * 2
    store, _ = make_store(tmp_path, [(long_title, "Hamas said the talks went well.")])
    store.set_done(1, ANNOTATOR)
    app = make_app(store, ANNOTATOR, Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        header = next(line for line in shown.splitlines() if "Title" in line and "Done" in line)
        assert len(header.rstrip()) <= 80
        (row,) = [line for line in shown.splitlines() if "A very long" in line]
        assert "…" in row and row.rstrip().endswith("✓")


async def test_untitled_documents_show_their_opening_words(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, [("", "Hamas said 34,535 Palestinians were killed.\n\nMore.")])
    app = make_app(store, ANNOTATOR, Config())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Hamas said 34,535 Palestinians were killed." in shown
        assert "(untitled)" not in shown and "More." not in shown
        await pilot.press(*"34,535")
        await pilot.pause()
        assert "1 of 1 documents" in screen_text(app)


async def test_a_store_failure_is_told_once_in_plain_text(tmp_path: Path) -> None:
    from tui.messages import StoreFailed

    store, _ = make_store(tmp_path, ARTICLES)
    app = annotate_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(app)
        screen.post_message(StoreFailed("save the span", "disk full [b]\x1b[2J"))
        await pilot.pause()
        (notice,) = app._notifications
        assert notice.message == "Could not save the span: disk full [b][2J"
        assert not notice.markup
        assert "Could not save the span; nothing was changed." in screen_text(app)


async def test_a_failed_read_is_told_and_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    app, store, _ = _library_app(tmp_path)

    def broken() -> None:
        raise OSError("disk unreadable")

    monkeypatch.setattr(store, "list_documents", broken)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        notices = [notice.message for notice in app._notifications]
        assert "Could not list the documents: disk unreadable" in notices
        assert app.is_running
