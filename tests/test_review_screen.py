"""The review screens driven with Pilot: every decision key, checked in the database file through
a new connection; anonymised names; the review list; the agreement panel; annotators refused."""

from __future__ import annotations

from pathlib import Path

import tui.screens.review_list as review_list_module
from settings.config import Config
from store import Store
from tests.test_tui_support import screen_text, settle
from tui.app import FactmarkApp, make_app
from tui.screens.agreement_panel import AgreementPanel
from tui.screens.library import LibraryScreen
from tui.screens.review import ReviewScreen
from tui.screens.review_list import ReviewListScreen
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TEXT = "Hamas said 34,535 Palestinians were killed in Gaza, officials in Cairo said on Monday."
CAIRO = TEXT.index("Cairo")
OTHER = "Fatah agreed to talks in Cairo. The talks ended without a deal on Tuesday night."


def _span(start: int, end: int, label: str) -> SpanDraft:
    return SpanDraft(start, end, label)


def _database(folder: Path) -> Path:
    """boss (admin), rev (reviewer); ana and ben marked both documents done.

    Document 1's candidates: actor 0-5 (agreed), figure 11-17 / 11-30 (boundary), Cairo as actor
    or outcome (label). Document 2: full agreement.
    """
    path = folder / "review.db"
    with Store.open(path) as store:
        store.ensure_annotator("boss")
        store.set_role("rev", "reviewer", actor="boss")
        ana = (_span(0, 5, "actor"), _span(11, 30, "figure"), _span(CAIRO, CAIRO + 5, "actor"))
        ben = (_span(0, 5, "actor"), _span(11, 17, "figure"), _span(CAIRO, CAIRO + 5, "outcome"))
        agreed = (_span(0, 5, "actor"),)
        store.import_items(
            [
                ImportItem(
                    Article(text=TEXT, title="Toll"),
                    (LayerDraft("ana", ana, done=True), LayerDraft("ben", ben, done=True)),
                ),
                ImportItem(
                    Article(text=OTHER, title="Talks"),
                    (LayerDraft("ana", agreed, done=True), LayerDraft("ben", agreed, done=True)),
                ),
            ]
        )
    return path


def _gold(path: Path, doc_id: int = 1) -> list[tuple[int, int, str, str | None]]:
    """The gold layer as a new connection to the file sees it."""
    with Store.open(path) as store:
        return [(s.start, s.end, s.label, s.gold_source) for s in store.spans(doc_id, "gold")]


def _review_app(path: Path, who: str = "rev", **options) -> tuple[FactmarkApp, Store]:
    store = Store.open(path)
    return make_app(store, who, Config(), **options), store


def _screen(app: FactmarkApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen), app.screen
    return app.screen


def _notices(app: FactmarkApp) -> str:
    return " ".join(str(notice.message) for notice in app._notifications)


async def test_review_keys_write_the_gold_layer(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _review_app(path, start="review", doc_id=1)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        assert [item.candidate.kind for item in screen.items] == ["agreed", "boundary", "label"]
        assert screen.article.selection == (0, 5)  # the candidate under review is selected
        await pilot.press("a")  # accept the agreed actor
        await settle(pilot)
        assert _gold(path) == [(0, 5, "actor", "accepted")]
        await pilot.press("right_square_bracket", "tab", "down", "a")  # ana's figure 11-30
        await settle(pilot)
        assert _gold(path) == [(0, 5, "actor", "accepted"), (11, 30, "figure", "accepted")]
        await pilot.press("u")
        await settle(pilot)
        assert _gold(path) == [(0, 5, "actor", "accepted")]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert (11, 30, "figure", "accepted") in _gold(path)
        await pilot.press("right_square_bracket", "r")  # reject the label disagreement
        await settle(pilot)
        with Store.open(path) as fresh:
            decisions = fresh.review_document(1).decisions
        assert {(d.label, d.decision, d.reviewer) for d in decisions} == {
            ("actor", "rejected", "rev"),
            ("outcome", "rejected", "rev"),
        }
        assert "✗" in screen_text(app)
        await pilot.press("left_square_bracket")  # back to the figure: 11-17 selected
        await settle(pilot)
        assert screen.article.selection == (11, 17)
        await pilot.press("e", "enter")  # gold figure takes the selected boundaries, confirmed
        await settle(pilot)
        assert (11, 17, "figure", "edited") in _gold(path)
        screen.article.move_cursor_to(TEXT.index("Gaza") + 1)
        await pilot.press("tab", "1")  # a gold span no annotator marked: the word at the cursor
        await settle(pilot)
        gaza = TEXT.index("Gaza")
        assert (gaza, gaza + 4, "actor", "added") in _gold(path)
        await pilot.press("d")
        await settle(pilot)
        with Store.open(path) as fresh:
            review = fresh.review_document(1)
        assert review.status.adjudicated and review.status.reviewer == "rev"
        assert "adjudicated ✓" in screen_text(app)
        kinds = [e.kind for e in review_events(path) if e.layer == "gold"]
        assert kinds[:3] == ["span_add", "span_add", "undo"] and "gold_reject" in kinds
    store.close()


def review_events(path: Path):
    with Store.open(path) as store:
        return store.events(1)


async def test_names_can_be_hidden(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _review_app(path, start="review", doc_id=1, anonymous=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "annotator 1, annotator 2" in shown and "names hidden" in shown
        assert "ana" not in shown.replace("annotator", "") and "ben" not in shown
        await pilot.press("h")
        await settle(pilot)
        assert "ana, ben" in screen_text(app)
    store.close()


async def test_review_list_worst_first_and_opening(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _review_app(path, start="review")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewListScreen)
        rows = [line for line in screen_text(app).splitlines() if "Toll" in line or "Talks" in line]
        assert "Toll" in rows[0] and "Talks" in rows[1]  # document 1 agrees less
        assert "1.00" in rows[1]
        await pilot.press("enter")
        await settle(pilot)
        assert _screen(app).review.document.id == 1
        await pilot.press("escape", "escape")  # the first clears the selection, as in annotate
        await settle(pilot)
        assert isinstance(app.screen, ReviewListScreen)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AgreementPanel)
        assert "Krippendorff" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewListScreen)
    store.close()


async def test_a_long_review_list_keeps_the_lowest_agreement_rows(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(review_list_module, "MAX_TABLE_ROWS", 1)  # as 500 of 10,000 documents
    app, store = _review_app(_database(tmp_path), start="review")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Toll" in shown and "Talks" not in shown  # document 1 agrees less
        assert "The 1 of 2 with the lowest agreement; / filters." in shown
        await pilot.press("slash", *"talks")
        await pilot.pause()
        shown = screen_text(app)
        assert "Talks" in shown and "Toll" not in shown
        assert "1 of 2 documents match the filter" in shown
        await pilot.press("escape")  # back to the list, the filter kept
        assert app.screen.focused is app.screen.query_one("#review-documents")
        await pilot.press("enter")
        await settle(pilot)
        assert _screen(app).review.document.id == 2
    store.close()


async def test_annotators_are_refused_review_with_a_notification(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _review_app(path, who="ana")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "ana is an annotator: only reviewers and admins can review" in _notices(app)
    started_in_review, second = _review_app(path, who="ana", start="review", doc_id=1)
    async with started_in_review.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(started_in_review.screen, LibraryScreen)
        assert "only reviewers and admins" in _notices(started_in_review)
    assert _gold(path) == []
    store.close()
    second.close()


async def test_library_opens_review_and_the_agreement_panel(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _review_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, AgreementPanel)
        await pilot.press("escape")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewListScreen)
    store.close()


async def test_untrusted_names_and_titles_are_shown_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "markup.db"
    with Store.open(path) as store:
        store.ensure_annotator("boss")
        store.set_role("rev", "reviewer", actor="boss")
        layers = tuple(
            LayerDraft(name, (_span(0, 5, "actor"),), done=True) for name in ("[b]x[/b]", "ben")
        )
        store.import_items([ImportItem(Article(text=TEXT, title="[red]Toll[/foo]"), layers)])
    app, store = _review_app(path, start="review", doc_id=1)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "[red]Toll[/foo]" in shown and "[b]x[/b], ben" in shown
    store.close()
