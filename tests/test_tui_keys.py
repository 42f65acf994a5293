"""Every key of issue 3's table, driven with Pilot, checked on screen and in the database file."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.command import CommandPalette

from settings.config import Config
from tests.test_tui_support import (
    annotate_app,
    annotate_screen,
    make_store,
    screen_text,
    select_text,
    settle,
    stored_done,
    stored_spans,
)
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.note_dialog import NoteDialog

FIRST = "Hamas said 34,535 Palestinians were killed in Gaza."
SECOND = "Fatah agreed to talks in Cairo. The talks ended without a deal."
FILLER = " ".join(
    f"Paragraph {n} repeats the officials' account of the talks for line count." for n in range(6)
)
ARTICLE = "\n\n".join([FIRST, SECOND, *[FILLER] * 30])
OTHER = "A second article, so that done has somewhere to go."


def _store(tmp_path: Path):
    return make_store(tmp_path, [("Talks in Cairo", ARTICLE), ("Second", OTHER)])


async def test_arrows_move_by_character_and_line(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        await pilot.press("right", "right")
        assert view.cursor == 2
        await pilot.press("left")
        assert view.cursor == 1
        await pilot.press("down")
        assert ARTICLE[view.cursor - 1 : view.cursor + 1] != "" and view.cursor > len(FIRST)
        await pilot.press("up")
        assert view.cursor == 1
        assert view.selection is None


async def test_w_and_b_move_by_word(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        await pilot.press("w")
        assert view.cursor == FIRST.index("said")
        await pilot.press("w")
        assert view.cursor == FIRST.index("34,535")  # a number with separators is one word
        await pilot.press("w")
        assert view.cursor == FIRST.index("Palestinians")
        await pilot.press("b", "b")
        assert view.cursor == FIRST.index("said")


async def test_home_and_end_move_to_line_ends(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        await pilot.press("w", "end")
        assert view.cursor == len(FIRST)  # the first paragraph is one display line at this width
        await pilot.press("home")
        assert view.cursor == 0


async def test_pagedown_and_pageup_move_by_a_page(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        await pilot.press("pagedown")
        await pilot.pause()
        lines = view._ensure_lines()
        page = view.scrollable_content_region.height - 1
        assert lines.line_of(view.cursor) == page
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_y > 0, "a page down past the screen scrolls the text"
        await pilot.press("pageup", "pageup")
        assert view.cursor == 0


async def test_shift_motion_extends_a_selection(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        await pilot.press("shift+right", "shift+right", "shift+right", "shift+right", "shift+right")
        assert view.selection == (0, 5)
        assert "Selected 5 characters: “Hamas”" in screen_text(pilot.app)
        await pilot.press("right")  # a plain motion drops a shift selection
        assert view.selection is None


async def test_v_toggles_an_anchor_that_plain_motions_extend(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        await pilot.press("v", "w", "w")
        assert view.selection == (0, FIRST.index("34,535"))
        await pilot.press("v")
        assert view.selection is None


async def test_mouse_drag_selects_and_a_label_saves_it(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        start, end = FIRST.index("34,535"), FIRST.index("34,535") + 4  # ends inside the number
        padding = view.styles.padding.left
        await pilot.mouse_down(view, offset=(padding + start, 0))
        await pilot.hover(view, offset=(padding + end, 0))
        await pilot.mouse_up(view, offset=(padding + end, 0))
        assert view.selection == (start, end)
        await pilot.press("3")
        await settle(pilot)
    assert [(s.text, s.label) for s in stored_spans(path)] == [("34,535", "figure")]


async def test_find_selects_the_match_and_3_labels_it_a_figure(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        await pilot.press("slash", *"34,535 Palestinians", "enter")
        start = ARTICLE.index("34,535 Palestinians")
        assert view.selection == (start, start + len("34,535 Palestinians"))
        await pilot.press("3")
        await settle(pilot)
        assert "figure  34,535 Palestinians" in screen_text(pilot.app)
    spans = stored_spans(path)
    assert [(s.start, s.end, s.label, s.text) for s in spans] == [
        (start, start + 19, "figure", "34,535 Palestinians")
    ]


async def test_n_finds_the_next_match(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        await pilot.press("slash", *"talks", "enter")
        first = ARTICLE.index("talks")
        assert view.selection == (first, first + 5)
        await pilot.press("n")
        second = ARTICLE.index("talks", first + 1)
        assert view.selection == (second, second + 5)


async def test_keys_1_to_4_apply_the_four_labels(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    words = {"1": "Hamas", "2": "were killed", "3": "34,535", "4": "Gaza"}
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for key, word in words.items():
            start = FIRST.index(word)
            await select_text(pilot, start, start + len(word))
            await pilot.press(key)
            await settle(pilot)
        shown = screen_text(pilot.app)
    stored = {(s.text, s.label) for s in stored_spans(path)}
    assert stored == {
        ("Hamas", "actor"),
        ("were killed", "claim"),
        ("34,535", "figure"),
        ("Gaza", "outcome"),
    }
    assert "actor  Hamas" in shown and "outcome  Gaza" in shown


async def test_a_label_snaps_a_partial_selection_to_whole_words(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        start = FIRST.index("lestinians")
        await select_text(pilot, start, start + len("lestinians we"))
        await pilot.press("2")
        await settle(pilot)
    assert [s.text for s in stored_spans(path)] == ["Palestinians were"]


async def test_x_and_delete_remove_the_span_under_the_cursor(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        for key in ("x", "delete"):
            await pilot.press("1")  # labels the word at the cursor: "Hamas"
            await settle(pilot)
            assert len(stored_spans(path)) == 1
            screen.article.move_cursor_to(2)
            await pilot.press(key)
            await settle(pilot)
            assert stored_spans(path) == []
            assert "Removed actor: “Hamas”" in screen_text(pilot.app)


async def test_u_undoes_and_ctrl_r_redoes_through_the_store(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert stored_spans(path) == [] and screen.spans == []
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [s.text for s in stored_spans(path)] == ["Hamas"]
        assert [s.text for s in screen.spans] == ["Hamas"]


async def test_brackets_move_to_the_previous_and_next_span(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = annotate_screen(pilot.app).article
        for word, key in (("Palestinians", "1"), ("Gaza", "4")):
            view.move_cursor_to(FIRST.index(word))
            await pilot.press(key)
            await settle(pilot)
        view.move_cursor_to(0)
        await pilot.press("right_square_bracket")
        assert view.cursor == FIRST.index("Palestinians")
        await pilot.press("right_square_bracket")
        assert view.cursor == FIRST.index("Gaza")
        await pilot.press("left_square_bracket")
        assert view.cursor == FIRST.index("Palestinians")


async def test_tab_enter_and_e_in_the_pane(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        screen.article.move_cursor_to(FIRST.index("Gaza"))
        await pilot.press("4")
        await settle(pilot)
        screen.article.move_cursor_to(0)
        await pilot.press("tab")
        assert screen.pane.has_focus
        await pilot.press("enter")
        assert screen.article.has_focus and screen.article.cursor == FIRST.index("Gaza")
        await pilot.press("tab", "e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, NoteDialog)
        await pilot.press(*"check the source", "enter")
        await settle(pilot)
        assert "✎ check the source" in screen_text(pilot.app)
        await pilot.press("tab")
        assert screen.article.has_focus
    assert [s.note for s in stored_spans(path)] == ["check the source"]


async def test_d_marks_done_and_opens_the_next_unfinished_document(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "document 1 of 2 · 0 done" in screen_text(pilot.app)
        await pilot.press("d")
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        assert screen.document is not None and screen.document.id == 2
        assert "document 2 of 2 · 1 done" in screen_text(pilot.app)
    assert stored_done(path, 1) and not stored_done(path, 2)


async def test_q_quits(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    app = annotate_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.return_code is None
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_ctrl_q_quits_after_pending_writes(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    app = annotate_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("1", "ctrl+q")
        await pilot.pause()
        assert app.return_code == 0
    assert [s.text for s in stored_spans(path)] == ["Hamas"]


async def test_ctrl_p_palette_runs_any_action(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CommandPalette)
        await pilot.press(*"Outcome")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
    assert [(s.text, s.label) for s in stored_spans(path)] == [("Hamas", "outcome")]


async def test_question_mark_shows_keys_and_guidelines(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        shown = screen_text(pilot.app)
        assert "Labels" in shown and "figure" in shown and "Quit" in shown
        body = pilot.app.screen.query_one("#help-body")
        seen = set()
        for top in range(0, body.max_scroll_y + 10, 10):
            body.scroll_to(y=top, animate=False)
            await pilot.pause()
            seen.update(screen_text(pilot.app).splitlines())
        every_line = "\n".join(seen)
        for description in ("Start/stop selecting", "Extend to next word", "Undo", "Go to span"):
            assert description in every_line
        body.scroll_end(animate=False)
        await pilot.pause()
        assert "When spans overlap" in screen_text(pilot.app)  # the shipped guidelines
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_escape_goes_to_the_library(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("shift+right", "escape")  # the first escape only clears the selection
        assert not isinstance(pilot.app.screen, LibraryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert "Talks in Cairo" in screen_text(pilot.app)


async def test_a_config_keymap_remaps_keys(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    config = Config(keymap={"undo": "z", "label-claim": "c"})
    async with annotate_app(store, config=config).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert [(s.text, s.label) for s in stored_spans(path)] == [("Hamas", "claim")]
        await pilot.press("u")  # no longer bound
        await settle(pilot)
        assert len(stored_spans(path)) == 1
        await pilot.press("z")
        await settle(pilot)
        assert stored_spans(path) == []


async def test_clicking_a_span_in_the_pane_jumps_to_it(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        screen.article.move_cursor_to(FIRST.index("Gaza"))
        await pilot.press("4")
        await settle(pilot)
        screen.article.move_cursor_to(0)
        await pilot.click(screen.pane, offset=(3, 0))
        await pilot.pause()
        assert screen.article.cursor == FIRST.index("Gaza")
        assert screen.article.has_focus


def burst(app, keys: list[str]) -> None:
    """Keys arriving all at once, as over SSH: posted without waiting between them."""
    for key in keys:
        character = key if len(key) == 1 else {"slash": "/", "space": " "}.get(key)
        app.post_message(events.Key(key, character))


async def test_keys_typed_ahead_after_find_and_enter_land_in_order(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        burst(pilot.app, ["slash", *"34,535", "space", *"Palestinians", "enter", "3"])
        await settle(pilot)
    assert [(s.text, s.label) for s in stored_spans(path)] == [("34,535 Palestinians", "figure")]


async def test_a_note_typed_ahead_after_e_goes_into_the_note(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    app = annotate_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        burst(app, ["e", *"quote", "enter", "right"])
        await settle(pilot)
        assert app.return_code is None, "the q of 'quote' must not quit"
        assert annotate_screen(app).article.cursor == 1, "the key after enter moved the cursor"
    assert [s.note for s in stored_spans(path)] == ["quote"]
