"""The annotate screen shows its first document before the store opens, and writes wait for it."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

import cli.commands.interactive as interactive
from cli.common import CliError
from cli.main import main
from settings.config import Config
from store import Store, StoreError
from store.direct import connect_direct
from store.first_screen import read_first_screen
from tests.test_tui_support import (
    ANNOTATOR,
    annotate_screen,
    make_store,
    screen_text,
    select_text,
    settle,
    stored_spans,
)
from tui.app import FactmarkApp, make_app

ARTICLES = [("Hamas and Fatah meet in Cairo", "Hamas said 34,535 Palestinians were killed.")]


def _late_app(path: Path, opener) -> FactmarkApp:
    connection = connect_direct(path)
    assert connection is not None
    first = read_first_screen(connection, "1", ANNOTATOR)
    connection.close()
    assert first is not None
    return make_app(opener, ANNOTATOR, Config(), start="annotate", doc_id=1, first_screen=first)


async def test_a_label_pressed_before_the_store_opens_is_shown_once_committed(tmp_path: Path):
    make_store(tmp_path, ARTICLES)[0].close()
    path = tmp_path / "factmark.db"
    release = threading.Event()

    def open_late() -> Store:
        release.wait(10)
        return Store.open(path, user=ANNOTATOR)

    app = _late_app(path, open_late)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = annotate_screen(app)
        assert screen.document is not None and screen.document.id == 1
        assert "Hamas said 34,535" in screen_text(app)
        await select_text(pilot, 0, 5)
        await pilot.press("1")  # actor
        await pilot.pause(0.2)
        assert screen.spans == [] and stored_spans(path) == []
        assert "Saved" not in screen_text(app)
        release.set()
        await settle(pilot)
        assert [(s.start, s.end, s.label) for s in stored_spans(path)] == [(0, 5, "actor")]
        assert [(s.start, s.end, s.label) for s in screen.spans] == [(0, 5, "actor")]
        assert "Saved actor" in screen_text(app)
    assert app.opened_store is not None
    app.opened_store.close()


async def test_a_store_that_fails_to_open_ends_the_app_with_its_reason(tmp_path: Path):
    make_store(tmp_path, ARTICLES)[0].close()

    def fail() -> Store:
        raise StoreError("cannot open factmark.db: disk I/O error")

    app = _late_app(tmp_path / "factmark.db", fail)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
    assert app.store_failure == "cannot open factmark.db: disk I/O error"
    assert app.opened_store is None


def test_the_command_line_says_why_the_store_did_not_open_in_one_line(
    tmp_path: Path, monkeypatch, capsys
):
    make_store(tmp_path, ARTICLES)[0].close()
    path = tmp_path / "factmark.db"

    shown: list[str] = []  # what the app showed before the store failed

    def run_headless(app: FactmarkApp, **_: object) -> None:
        async def run() -> None:
            async with app.run_test(size=(120, 36)) as pilot:
                shown.append(screen_text(app))
                await settle(pilot)

        asyncio.run(run())

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(FactmarkApp, "run", run_headless)
    monkeypatch.setattr(interactive, "open_store", _failing_open_store)
    code = main(["--db", str(path), "--annotator", ANNOTATOR, "annotate", "1"])
    assert code == 2
    assert "Hamas said 34,535" in shown[0]
    assert capsys.readouterr().err == "factmark: cannot open factmark.db: disk I/O error\n"


def _failing_open_store(context: object) -> Store:
    raise CliError("cannot open factmark.db: disk I/O error")
