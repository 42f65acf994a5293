"""A reviewer's review screens are built while the app is idle on the library, so the review list
appears without building them; built ahead, they read nothing until shown, and an annotator's app
never builds them."""

from __future__ import annotations

from pathlib import Path

import pytest

import tui.app as app_module
from settings.config import Config
from store import Store
from tests.test_review_screen import _database
from tests.test_tui_support import screen_text, settle
from tui.app import REVIEW_LIST_MODE, REVIEW_MODE, make_app
from tui.screens.review_list import ReviewListScreen


@pytest.fixture(autouse=True)
def quick_prebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "REVIEW_PREBUILD_SECONDS", 0.2)


async def test_a_reviewers_review_screens_are_built_ahead_and_read_nothing_until_shown(
    tmp_path: Path,
) -> None:
    path = _database(tmp_path)
    app = make_app(Store.open(path, user="rev"), "rev", Config(), start="library")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.pause(0.6)
        await settle(pilot)
        assert REVIEW_MODE in app._screen_stacks and REVIEW_LIST_MODE in app._screen_stacks
        review_list = app.get_screen_stack(REVIEW_LIST_MODE)[0]
        assert isinstance(review_list, ReviewListScreen)
        assert review_list._rows == [] and review_list._figures is None  # nothing read yet
        assert "library" in screen_text(app)  # and nothing shown
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen is review_list
        shown = screen_text(app)
        assert "Toll" in shown and "Talks" in shown


async def test_an_annotators_app_does_not_build_the_review_screens(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app = make_app(Store.open(path, user="ana"), "ana", Config(), start="library")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.pause(0.6)
        assert REVIEW_MODE not in app._screen_stacks
        assert REVIEW_LIST_MODE not in app._screen_stacks
