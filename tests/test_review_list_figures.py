"""The review list shows the figures kept per document, and follows another annotator's edit
(made through another connection) on refresh, recomputing only that document."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from settings.config import Config
from store import Store
from tests.test_tui_support import screen_text, settle
from tui.app import make_app
from tui.screens.review_list import ReviewListScreen
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TEXT = "Reuters said 34,535 people were killed in Gaza, the ministry reported on Monday."
OTHER = "Talks in Cairo ended without an agreement on Gaza, officials said on Tuesday."


def _database(folder: Path) -> Path:
    path = folder / "figures.db"
    with Store.open(path) as store:
        store.ensure_annotator("boss")
        store.set_role("rev", "reviewer", actor="boss")
        toll = (SpanDraft(0, 7, "actor"), SpanDraft(13, 19, "figure"))
        talks = (SpanDraft(10, 15, "actor"),)
        store.import_items(
            [
                ImportItem(
                    Article(text=TEXT, title="Toll"),
                    (LayerDraft("ana", toll, done=True), LayerDraft("ben", toll, done=True)),
                ),
                ImportItem(
                    Article(text=OTHER, title="Talks"),
                    (LayerDraft("ana", talks, done=True), LayerDraft("ben", talks, done=True)),
                ),
            ]
        )
    return path


def _row(app, title: str) -> str:
    (line,) = [line for line in screen_text(app).splitlines() if title in line]
    return line


def _kept_versions(path: Path) -> dict[int, int]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("select document_id, layers_version from document_figures")
        return dict(rows.fetchall())


async def test_the_list_follows_an_edit_from_another_connection(tmp_path: Path) -> None:
    path = _database(tmp_path)
    store = Store.open(path)
    app = make_app(store, "rev", Config(), start="review")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewListScreen)
        assert _row(app, "Talks").count("1.00") >= 2  # full agreement: strict and overlap F1
        kept = _kept_versions(path)
        assert set(kept) == {1, 2}
        with Store.open(path, user="ben") as ben:  # another annotator, another connection
            ben.add_span(2, "ben", 27, 31, "outcome")
        await pilot.press("f5")
        await settle(pilot)
        row = _row(app, "Talks")
        assert "0.67" in row  # strict span F1: 2·1 / (1 + 2)
        after = _kept_versions(path)
        assert after[1] == kept[1] and after[2] > kept[2]  # only the edited document again
        # Talks now agrees less than Toll, so it comes first.
        lines = [
            line for line in screen_text(app).splitlines() if "Toll" in line or "Talks" in line
        ]
        assert "Talks" in lines[0]
    store.close()
