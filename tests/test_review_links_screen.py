"""Links in the review screen, driven with Pilot: relation candidates with who drew them (names
hidden too), accepted into gold between gold spans (refused in one line while an end is not in
gold), rejected, and undone; each checked in the database file through a new connection."""

from __future__ import annotations

from pathlib import Path

from settings.config import Config
from store import Store
from tests.test_tui_support import screen_text, settle
from tui.app import FactmarkApp, make_app
from tui.screens.review import ReviewScreen
from vocabulary.records import Article, ImportItem, LayerDraft, RelationDraft, SpanDraft

TEXT = "Hamas said 34,535 Palestinians were killed in Gaza, officials in Cairo said on Monday."
GAZA = TEXT.index("Gaza")
HAMAS, FIGURE, GAZA_ACTOR = (0, 5, "actor"), (11, 30, "figure"), (GAZA, GAZA + 4, "actor")


def _database(folder: Path) -> Path:
    """rev reviews; ana and ben marked the same three spans and both linked the figure to Hamas
    (`source`); ben alone also linked it to Gaza."""
    path = folder / "links.db"
    spans = (
        SpanDraft(*HAMAS, local_id="h"),
        SpanDraft(*FIGURE, local_id="f"),
        SpanDraft(*GAZA_ACTOR, local_id="g"),
    )
    ana = LayerDraft("ana", spans, (RelationDraft("f", "h", "source"),))
    ben = LayerDraft(
        "ben", spans, (RelationDraft("f", "h", "source"), RelationDraft("f", "g", "source"))
    )
    with Store.open(path) as store:
        store.ensure_annotator("boss")
        store.set_role("rev", "reviewer", actor="boss")
        store.import_items([ImportItem(Article(text=TEXT, title="Toll"), (ana, ben))])
    return path


def _gold_links(path: Path) -> list[tuple[tuple[int, int, str], tuple[int, int, str], str]]:
    with Store.open(path) as store:
        spans = {s.id: (s.start, s.end, s.label) for s in store.spans(1, "gold")}
        links = store.relations(1, "gold")
        return [(spans[r.head_id], spans[r.child_id], r.label) for r in links]


def _decided(path: Path) -> list[tuple]:
    with Store.open(path) as store:
        return [
            (d.head, d.child, d.label, d.reviewer)
            for d in store.review_document(1).relation_decisions
        ]


def _app(path: Path, **options) -> tuple[FactmarkApp, Store]:
    store = Store.open(path)
    return make_app(store, "rev", Config(), start="review", doc_id=1, **options), store


def _status(app: FactmarkApp) -> str:
    return str(app.screen.query_one("#review-status").render())


async def test_links_are_reviewed_from_the_keyboard(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _app(path)
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert [(r.label, r.state, len(r.versions)) for r in screen.relations] == [
            ("source", "open", 1),
            ("source", "open", 1),
        ]
        shown = screen_text(app)
        assert "L1" in shown and "L2" in shown and "ana, ben" in shown
        # Both ends of the link are not in gold yet: accepting it is refused, in one line.
        await pilot.press("tab", "tab", "a")
        await settle(pilot)
        assert screen.links.has_focus and screen.article.selection is None
        assert screen.article.cursor == FIGURE[0]  # the link's head, drawn with its child
        assert "Not linked: the head figure “34,535 Palestinians” is not in gold" in _status(app)
        assert _gold_links(path) == []
        # Accept the actor and the figure (candidates 1 and 2), then the link.
        await pilot.press("tab", "a", "right_square_bracket", "a")
        await settle(pilot)
        await pilot.press("tab", "tab", "a")
        await settle(pilot)
        assert _gold_links(path) == [(FIGURE, HAMAS, "source")]
        with Store.open(path) as fresh:
            [added] = [e for e in fresh.events(1) if e.kind == "relation_add"]
        assert (added.layer, added.actor, added.payload["from"]) == ("gold", "rev", ["ana", "ben"])
        assert screen.relations[0].state == "accepted" and "✓ gold" in screen_text(app)
        # ben's link to Gaza: rejected, kept out of gold.
        await pilot.press("down", "r")
        await settle(pilot)
        assert _decided(path) == [(FIGURE, GAZA_ACTOR, "source", "rev")]
        assert screen.relations[1].state == "rejected"
        assert "Rejected link source: 1 version kept out of gold." in _status(app)
        # Undo takes back the rejection, then the link; redo puts the link back.
        await pilot.press("u")
        await settle(pilot)
        assert _decided(path) == [] and screen.relations[1].state == "open"
        await pilot.press("u")
        await settle(pilot)
        assert _gold_links(path) == []
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert _gold_links(path) == [(FIGURE, HAMAS, "source")]
    store.close()


async def test_who_drew_a_link_respects_hidden_names(tmp_path: Path) -> None:
    app, store = _app(_database(tmp_path), anonymous=True)
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("tab", "tab")  # the links list: its detail names who drew each
        await settle(pilot)
        shown = screen_text(app)
        assert "annotator 1, annotator 2" in shown and "not drawn by: annotator 1" not in shown
        assert "ana" not in shown.replace("annotator", "") and "ben" not in shown
        await pilot.press("down")
        await settle(pilot)
        assert "not drawn by: annotator 1" in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        shown = screen_text(app)
        assert "ana, ben" in shown and "not drawn by: ana" in shown
    store.close()
