"""The agreement panel shows both matrices at 80×24 with their numbers in the cells: coloured
cells in colour, the same numbers with NO_COLOR; names and labels shown as typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from settings.config import Config
from store import Store
from tests.test_tui_support import screen_text, settle
from tui.app import make_app
from tui.screens.agreement_panel import AgreementPanel
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TEXT = "Hamas said 34,535 Palestinians were killed in Gaza, officials in Cairo said on Monday."
CAIRO = TEXT.index("Cairo")


def _database(folder: Path) -> Path:
    """Three annotators on one document. By hand, pooled over the three pairs: the actor 0-5
    agreed by all (3); ana's and ben's figures overlap (figure 1); cy's claim meets both their
    figures (claim vs figure 2); Cairo is ana's actor and ben's outcome (actor vs outcome 1),
    and cy drew nothing there (actor vs — 1, outcome vs — 1)."""
    path = folder / "panel.db"
    spans = {
        "ana": [(0, 5, "actor"), (11, 30, "figure"), (CAIRO, CAIRO + 5, "actor")],
        "ben": [(0, 5, "actor"), (11, 17, "figure"), (CAIRO, CAIRO + 5, "outcome")],
        "cy": [(0, 5, "actor"), (11, 30, "claim")],
    }
    with Store.open(path) as store:
        store.ensure_annotator("boss")
        layers = tuple(
            LayerDraft(name, tuple(SpanDraft(*span) for span in drawn), done=True)
            for name, drawn in spans.items()
        )
        store.import_items([ImportItem(Article(text=TEXT, title="Toll"), layers)])
    return path


def _row(shown: str, label: str) -> list[str]:
    """The numbers of the label confusion row of `label`, as the screen shows them."""
    line = next(line for line in shown.splitlines() if re.search(rf"[│┃ ]{label} +\d", line))
    after = line[line.index(label) + len(label) :]
    return re.findall(r"\d+", after)[:5]


def _cell_styles(app, text: str) -> list:
    """The styles of the screen segments whose text is `text` (stripped)."""
    return [
        segment.style
        for strip in app.screen._compositor.render_strips()
        for segment in strip
        if segment.text.strip() == text and segment.style is not None
    ]


@pytest.mark.parametrize("no_color", [False, True])
async def test_the_panel_shows_both_matrices_at_80x24(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    store = Store.open(_database(tmp_path))
    app = make_app(store, "boss", Config())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, AgreementPanel)
        shown = screen_text(app)
        assert "Labels between annotators" in shown
        #              actor claim figure outcome —
        assert _row(shown, "actor") == ["3", "0", "0", "1", "1"]
        assert _row(shown, "figure") == ["0", "2", "1", "0", "0"]
        assert _row(shown, "outcome") == ["1", "0", "0", "0", "1"]
        assert "Pairs: overlap F1 above the diagonal, character α below" in shown
        # ana|ben: 2 of 3 spans each matched by overlap: F1 2·2/6 = 0.67, in ana's row.
        ana = next(line for line in shown.splitlines() if re.search(r"[│┃ ]ana +·", line))
        assert "0.67" in ana
        if not no_color:
            backgrounds = [style.bgcolor for style in _cell_styles(app, "3")]
            assert any(colour is not None for colour in backgrounds)  # a coloured cell
        else:
            assert app.no_color
    store.close()
