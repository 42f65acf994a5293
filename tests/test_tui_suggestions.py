"""Suggestions in the annotate screen, as a user meets them: they appear after the document,
look unlike spans, `a` makes a span (origin suggested:<rule>), `r` keeps one away for good,
`A` then a label key accepts them all, `u` undoes an accept, `S` hides them."""

from __future__ import annotations

from pathlib import Path

from settings.config import Config
from store import Store
from tests.test_tui_support import (
    annotate_app,
    annotate_screen,
    make_store,
    settle,
    stored_spans,
)

TEXT = (
    "According to Gaza's Ministry of Health, at least 34,535 Palestinians have been killed, "
    "and 77,704 wounded. Israel says that 1,200 soldiers and civilians were killed."
)
FIGURE = "at least 34,535 Palestinians"


def _marks(app) -> list[tuple[str, str, str]]:
    screen = annotate_screen(app)
    return [(TEXT[m.start : m.end], m.label, m.rule) for m in screen.article.suggestions.items]


async def _open(tmp_path: Path, config: Config | None = None):
    store, path = make_store(tmp_path, [("Toll", TEXT)])
    app = annotate_app(store, config=config)
    return app, store, path


async def test_suggestions_appear_after_load_and_are_drawn_unlike_spans(tmp_path: Path) -> None:
    app, store, path = await _open(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        marks = _marks(app)
        assert (FIGURE, "figure", "number") in marks
        assert ("Gaza's Ministry of Health", "actor", "org") in marks
        screen = annotate_screen(app)
        view = screen.article
        # The figure suggestion's characters: underlined italic in the label colour, no
        # background; a span of the same label would be a coloured block instead.
        start = TEXT.index(FIGURE)
        marks_here = view.suggestions.overlapping(start, start + 1)
        style = view._style_of(start + 3, start + 4, [], None, marks_here)
        assert style.underline and style.italic and style.bgcolor is None
        assert style.color is not None
        span_style = app.label_styles["figure"]
        assert span_style.bgcolor is not None and not span_style.underline
        # Not spans: nothing is stored, the pane lists nothing.
        assert stored_spans(path) == []
        assert screen.spans == []
    store.close()


async def test_accept_makes_a_span_with_its_rule_as_origin_and_undo_takes_it_back(
    tmp_path: Path,
) -> None:
    app, store, path = await _open(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(app)
        screen.article.move_cursor_to(TEXT.index("34,535"))
        await pilot.press("a")
        await settle(pilot)
        [span] = stored_spans(path)
        assert (span.text, span.label, span.origin) == (FIGURE, "figure", "suggested:number")
        assert FIGURE not in [text for text, _, _ in _marks(app)]  # now a span, not a mark
        assert [s.text for s in screen.spans] == [FIGURE]
        with Store.open(path) as reader:
            kinds = [event.kind for event in reader.events(1)]
        assert kinds[-2:] == ["span_add", "suggestion_accept"]
        await pilot.press("u")
        await settle(pilot)
        assert stored_spans(path) == []
        assert (FIGURE, "figure", "number") in _marks(app)  # offered again
    store.close()


async def test_reject_persists_and_does_not_come_back_after_reopening(tmp_path: Path) -> None:
    app, store, path = await _open(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(app)
        screen.article.move_cursor_to(TEXT.index("Ministry"))
        await pilot.press("r")
        await settle(pilot)
        assert "Gaza's Ministry of Health" not in [text for text, _, _ in _marks(app)]
        assert stored_spans(path) == []
    store.close()
    with Store.open(path) as reader:
        assert reader.events(1)[-1].kind == "suggestion_reject"
    store = Store.open(path)
    again = annotate_app(store)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        texts = [text for text, _, _ in _marks(again)]
        assert "Gaza's Ministry of Health" not in texts
        assert FIGURE in texts  # the others are still offered
    store.close()
    # Another annotator still gets it: the answer was alice's.
    store = Store.open(path)
    bob = annotate_app(store)
    bob.annotator = "bob"
    async with bob.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "Gaza's Ministry of Health" in [text for text, _, _ in _marks(bob)]
    store.close()


async def test_accept_all_of_one_label(tmp_path: Path) -> None:
    app, store, path = await _open(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        figures = sorted(text for text, label, _ in _marks(app) if label == "figure")
        assert len(figures) == 3
        await pilot.press("A")
        await pilot.press("3")  # figure's key
        await settle(pilot)
        stored = stored_spans(path)
        assert sorted(s.text for s in stored) == figures
        assert {s.label for s in stored} == {"figure"}
        assert all(s.origin.startswith("suggested:") for s in stored)
        assert not [m for m in _marks(app) if m[1] == "figure"]
        assert [m for m in _marks(app) if m[1] == "actor"]  # other labels untouched
        await pilot.press("u")  # one step takes all three back
        await settle(pilot)
        assert stored_spans(path) == []
        assert sorted(text for text, label, _ in _marks(app) if label == "figure") == figures
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert sorted(s.text for s in stored_spans(path)) == figures
        # Right after, a label key labels again (the `A` question was answered).
        await pilot.press("A")
        await pilot.press("escape")
        await settle(pilot)
        assert annotate_screen(app).is_current  # escape cancelled the question, not the screen
    store.close()


async def test_hide_and_show_and_blindness(tmp_path: Path) -> None:
    app, store, path = await _open(tmp_path)
    # Bob's spans never become alice's suggestions (or hide hers).
    store.add_span(1, "bob", 0, 9, "claim")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = _marks(app)
        assert before and all(rule != "claim" or label == "claim" for _, label, rule in before)
        await pilot.press("S")
        await settle(pilot)
        assert _marks(app) == []
        await pilot.press("a")  # nothing shown, nothing accepted
        await settle(pilot)
        assert stored_spans(path) == []
        await pilot.press("S")
        await settle(pilot)
        assert _marks(app) == before
    store.close()


async def test_a_label_set_without_figures_gets_no_figure_suggestions(tmp_path: Path) -> None:
    from vocabulary.labels import LabelDef

    labels = (LabelDef("actor", "1", "#87afff", "Who."),)
    app, store, _ = await _open(tmp_path, Config(labels=labels, relations=()))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert {label for _, label, _ in _marks(app)} == {"actor"}
    store.close()


async def test_an_accept_from_a_find_then_l_links_the_new_span(tmp_path: Path) -> None:
    """A user finds a figure, accepts its suggestion and links it at once: the selection the
    find made is gone and the cursor is in the new span, so `l` starts from that span."""
    app, store, path = await _open(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"34,535", "enter")
        await settle(pilot)
        screen = annotate_screen(app)
        assert screen.article.selection is not None
        await pilot.press("a")
        await settle(pilot)
        assert screen.article.selection is None
        [span] = screen.spans
        assert span.text == FIGURE and span.start <= screen.article.cursor < span.end
        await pilot.press("l")  # the ministry is no span yet: nothing this figure can link to
        await settle(pilot)
        assert "No span of yours can be linked to this figure" in str(
            screen.query_one("#status").render()
        )
    store.close()
