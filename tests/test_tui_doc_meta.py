"""Document metadata on screen: corrected from the annotate screen (`M`), "no date" where none was
found, and one title for an untitled page in the library, the annotate header and search."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from settings.config import Config
from store import Store
from tests.test_tui_support import (
    ANNOTATOR,
    SEEDS,
    annotate_app,
    annotate_screen,
    make_store,
    screen_text,
    settle,
)
from tui.app import make_app
from tui.screens.library import LibraryScreen
from tui.screens.metadata_dialog import MetadataDialog
from tui.screens.search import SearchScreen

SEED_002 = (SEEDS / "002_6f423198392cab83.txt").read_text(encoding="utf-8")
OPENING = "The two sides “fully expressed their political will"


def _header_lines(app) -> list[str]:
    return screen_text(app).splitlines()[1:3]  # under the status bar: title, then metadata


async def _open_dialog(pilot) -> MetadataDialog:
    await pilot.press("M")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, MetadataDialog), f"expected the metadata dialog, got {dialog!r}"
    return dialog


async def test_correcting_outlet_and_date_from_the_annotate_screen(tmp_path: Path) -> None:
    store, path = make_store(tmp_path, [("Talks in Beijing", SEED_002)])
    app = annotate_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "Test Outlet · no date · " in _header_lines(app)[1]
        dialog = await _open_dialog(pilot)
        await pilot.press("tab")  # title -> outlet
        assert dialog.query_one("#metadata-outlet", Input).has_focus
        await pilot.press(*["backspace"] * len("Test Outlet"), *"Reuters")
        await pilot.press("tab", "tab")  # -> byline -> published
        await pilot.press(*"2024-04-30", "enter")
        await settle(pilot)
        await app.wait_for_writes()
        await settle(pilot)
        annotate_screen(app)  # the dialog is gone
        title, meta = _header_lines(app)
        assert "Talks in Beijing" in title
        assert "Reuters · 2024-04-30 · " in meta
        assert "Corrected outlet, published." in screen_text(app)
        await pilot.press("escape")  # the library shows the date in force too
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        [row] = [line for line in screen_text(app).splitlines() if "Talks in Beijing" in line]
        assert "Reuters" in row and "2024-04-30" in row and "no date" not in row
    with Store.open(path) as reopened:
        document = reopened.document(1)
        assert (document.outlet, document.published) == ("Reuters", "2024-04-30")
        meta_now = reopened.document_meta(1)
    assert meta_now.found["outlet"] == "Test Outlet" and meta_now.found["published"] is None
    assert [(c.field, c.old, c.new, c.actor) for c in meta_now.corrections] == [
        ("outlet", "Test Outlet", "Reuters", ANNOTATOR),
        ("published", None, "2024-04-30", ANNOTATOR),
    ]


async def test_a_bad_date_is_said_in_the_dialog_and_nothing_is_written(tmp_path: Path) -> None:
    store, path = make_store(tmp_path, [("Talks in Beijing", SEED_002)])
    app = annotate_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        dialog = await _open_dialog(pilot)
        await pilot.press("tab", "tab", "tab", *"2024-02-30", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "not a day of the calendar" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        annotate_screen(app)
        assert "Metadata unchanged." in screen_text(app)
    with Store.open(path) as reopened:
        assert reopened.document(1).published is None
        assert reopened.document_meta(1).corrections == ()


async def test_an_untitled_page_has_one_title_everywhere_and_says_no_date(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, [(None, SEED_002)])  # type: ignore[list-item]
    app = make_app(store, ANNOTATOR, Config())
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        [row] = [line for line in screen_text(app).splitlines() if OPENING[:20] in line]
        assert row.split()[0] == "1" and "no date" in row, row
        await pilot.press("enter")
        await settle(pilot)
        title, meta = _header_lines(app)
        assert OPENING in title and "no date" in meta
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press(*"reconciliation", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        results = app.screen.query_one("#search-results", OptionList)
        heading = results.get_option_at_index(0).prompt.plain.splitlines()[0]
        assert OPENING in heading
        assert "(untitled)" not in screen_text(app)


async def test_an_annotator_is_told_only_reviewers_correct_before_typing_anything(
    tmp_path: Path,
) -> None:
    store, path = make_store(tmp_path, [("Talks in Beijing", SEED_002)])
    store.ensure_annotator("carol")  # the first of the database: its admin; alice annotates
    app = annotate_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        annotate_screen(app)  # no dialog: nothing typed in vain
        said = [notification.message for notification in app._notifications]
        assert any(
            f"{ANNOTATOR} is an annotator: only reviewers and admins can correct" in line
            for line in said
        ), said
        assert "Test Outlet · no date" in _header_lines(app)[1]
    with Store.open(path) as reopened:
        assert reopened.document(1).outlet == "Test Outlet"
        assert reopened.document_meta(1).corrections == ()


async def test_the_store_still_refuses_an_annotator_whose_role_the_screen_did_not_know(
    tmp_path: Path,
) -> None:
    store, path = make_store(tmp_path, [("Talks in Beijing", SEED_002)])
    store.ensure_annotator("carol")
    app = annotate_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.role = None  # as before the annotator's registration has been answered
        await _open_dialog(pilot)
        await pilot.press("tab", *"X", "enter")
        await settle(pilot)
        await app.wait_for_writes()
        await settle(pilot)
        annotate_screen(app)
        assert "Could not correct the metadata; nothing was changed." in screen_text(app)
        said = [notification.message for notification in app._notifications]
        assert any("only reviewers and admins can correct" in line for line in said), said
    with Store.open(path) as reopened:
        assert reopened.document(1).outlet == "Test Outlet"
        assert reopened.document_meta(1).corrections == ()
