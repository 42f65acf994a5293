"""Others' new work shows without a restart: f5 on the library and the review screens, a screen
shown again, and the terminal regaining focus read the database again.

The "other annotator" is another Store connection to the same file, as another `factmark`
process on the desk's machine would be; every check is what the screen shows.
"""

from __future__ import annotations

from pathlib import Path

from textual import events

from settings.config import Config
from settings.keys import KEY_SPECS
from store import Store
from tests.test_tui_support import screen_text, settle
from tui.app import make_app
from tui.screens.agreement_panel import AgreementPanel
from tui.screens.library import LibraryScreen
from tui.screens.review import ReviewScreen
from tui.screens.review_list import ReviewListScreen
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TEXT = "Hamas said 34,535 Palestinians were killed in Gaza, officials in Cairo said on Monday."
LATER = "Fatah agreed to talks in Cairo. The talks ended without a deal on Tuesday night."
NEWEST = "The ministry in Beijing said fourteen factions signed the declaration on Tuesday."


def _database(folder: Path) -> Path:
    """boss (admin), rev (reviewer), ana (annotator), and one document ana marked done."""
    path = folder / "desk.db"
    with Store.open(path) as store:
        store.ensure_annotator("boss")
        store.set_role("rev", "reviewer", actor="boss")
        store.ensure_annotator("ana")
        layer = LayerDraft("ana", (SpanDraft(0, 5, "actor"),), done=True)
        store.import_items([ImportItem(Article(text=TEXT, title="Toll"), (layer,))])
    return path


def _another_annotator_adds(path: Path, title: str, text: str, *, done: bool) -> int:
    """ben, in his own session: imports a document, labels it, maybe marks it done."""
    with Store.open(path, user="ben") as other:
        other.ensure_annotator("ben")
        (outcome,) = other.import_items([ImportItem(Article(text=text, title=title))])
        doc_id = outcome.document_id
        other.add_span(doc_id, "ben", 0, 5, "actor")
        if done:
            other.set_done(doc_id, "ben", True)
        return doc_id


def test_the_refresh_keys_are_in_the_key_table_without_clashes() -> None:
    refresh = {spec.scope: spec for spec in KEY_SPECS if spec.action == "reload"}
    assert set(refresh) == {"library", "review-list", "review"}
    for scope, spec in refresh.items():
        taken = [other.id for other in KEY_SPECS if other.scope == scope and other is not spec]
        keys_here = {
            key
            for other in KEY_SPECS
            if other.scope in (scope, "app") and other is not spec
            for key in other.key.split(",")
        }
        assert spec.key not in keys_here, (spec.id, taken)


async def test_f5_and_a_return_show_others_new_documents_in_the_library(tmp_path: Path) -> None:
    path = _database(tmp_path)
    with Store.open(path) as store:
        app = make_app(store, "ana", Config())
        async with app.run_test(size=(140, 36)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
            assert "Talks" not in screen_text(app)
            _another_annotator_adds(path, "Talks", LATER, done=True)
            await settle(pilot)
            assert "Talks" not in screen_text(app)  # nothing re-reads on its own
            await pilot.press("f5")
            await settle(pilot)
            shown = screen_text(app)
            assert "Talks" in shown and "ben✓" in shown  # the document, and ben's progress
            assert "library · 2 documents" in shown

            _another_annotator_adds(path, "Declaration", NEWEST, done=False)
            await pilot.press("ctrl+g")  # the agreement panel over the library, then back
            await settle(pilot)
            assert isinstance(app.screen, AgreementPanel)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)
            assert "Declaration" in screen_text(app)


async def test_the_terminal_regaining_focus_refreshes_the_library(tmp_path: Path) -> None:
    path = _database(tmp_path)
    with Store.open(path) as store:
        app = make_app(store, "ana", Config())
        async with app.run_test(size=(140, 36)) as pilot:
            await settle(pilot)
            _another_annotator_adds(path, "Talks", LATER, done=False)
            await _shown_only_after_focus_returns(app, pilot, "Talks")


async def test_f5_shows_new_done_work_in_the_review_list_and_the_review(tmp_path: Path) -> None:
    path = _database(tmp_path)
    with Store.open(path) as store:
        app = make_app(store, "rev", Config(), start="review")
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ReviewListScreen)
            assert "Toll" in screen_text(app) and "Talks" not in screen_text(app)
            doc_id = _another_annotator_adds(path, "Talks", LATER, done=True)
            await pilot.press("f5")
            await settle(pilot)
            assert "Talks" in screen_text(app)
            assert "review · 2 documents" in screen_text(app)

            app.open_review(1)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            assert screen.review is not None and set(screen.review.layers) == {"ana"}
            with Store.open(path, user="ben") as other:  # ben labels the first one too
                other.add_span(1, "ben", 0, 5, "actor")
                other.add_span(1, "ben", TEXT.index("Cairo"), TEXT.index("Cairo") + 5, "actor")
                other.set_done(1, "ben", True)
            await settle(pilot)
            assert set(screen.review.layers) == {"ana"}
            await pilot.press("f5")
            await settle(pilot)
            assert screen.review is not None and set(screen.review.layers) == {"ana", "ben"}
            assert "done by 2 annotators" in screen_text(app)
            assert "Cairo" in screen_text(app)  # ben's own candidate is listed
            assert doc_id == 2


async def test_the_review_list_regaining_focus_lists_new_done_documents(tmp_path: Path) -> None:
    path = _database(tmp_path)
    with Store.open(path) as store:
        app = make_app(store, "rev", Config(), start="review")
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ReviewListScreen)
            _another_annotator_adds(path, "Talks", LATER, done=True)
            await _shown_only_after_focus_returns(app, pilot, "Talks")


async def _shown_only_after_focus_returns(app, pilot, title: str) -> None:
    """Another process's new document is not on screen while the terminal is away, and is once
    the terminal has focus again (no key pressed)."""
    app.post_message(events.AppBlur())
    await settle(pilot)
    assert title not in screen_text(app)
    app.post_message(events.AppFocus())
    await settle(pilot)
    assert title in screen_text(app)
