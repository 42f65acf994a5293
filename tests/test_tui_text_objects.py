"""The fewer-keys features in the app: text objects, counts, the character jump, folded find.

Each test presses keys with Pilot and checks what the screen says and what the database file holds.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from settings.config import Config
from tests.test_tui_support import (
    annotate_app,
    annotate_screen,
    make_store,
    settle,
    stored_spans,
)
from tui.screens.help import HelpScreen, keys_table

ARTICLE = (
    "According to Reuters news agency, the talks “went well, ‘very’ well,” said Lin (the envoy). "
    "The U.S. envoy said 34,535 people – mostly civilians – were killed.\n"
    "Réunion’s “second\nline” ends here."
)


def _status(app: object) -> str:
    screen = annotate_screen(app)  # type: ignore[arg-type]
    return str(screen.query_one("#status").render())


async def _press(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*keys)
    await settle(pilot)


def _texts(path: Path) -> list[tuple[str, str]]:
    return [(span.label, span.text) for span in stored_spans(path)]


async def test_sentence_key_selects_the_sentence_and_the_label_drops_its_stop(
    tmp_path: Path,
) -> None:
    store, path = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        screen.article.move_cursor_to(ARTICLE.index("U.S."))
        await _press(pilot, "s")
        assert "“The U.S. envoy said" in _status(pilot.app)
        await _press(pilot, "2")
    assert _texts(path) == [
        ("claim", "The U.S. envoy said 34,535 people – mostly civilians – were killed")
    ]


async def test_clause_after_v_extends_from_the_anchor_and_snaps(tmp_path: Path) -> None:
    store, path = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _press(pilot, "f", "R", "v", "comma", "1")
        await _press(pilot, "comma", "comma", "2")  # the next clause, then one more
    assert _texts(path) == [
        ("actor", "Reuters news agency"),
        ("claim", "the talks “went well, ‘very’ well"),
    ]


async def test_quotation_key_inside_then_with_the_quotes(tmp_path: Path) -> None:
    store, path = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        screen.article.move_cursor_to(ARTICLE.index("went"))
        await _press(pilot, "quotation_mark", "2")
        screen.article.move_cursor_to(ARTICLE.index("very"))
        await _press(pilot, "quotation_mark", "quotation_mark", "4")
        screen.article.move_cursor_to(ARTICLE.index("the envoy"))
        await _press(pilot, "left_parenthesis", "1")
    assert sorted(_texts(path)) == [
        ("actor", "the envoy"),
        ("claim", "went well, ‘very’ well"),
        ("outcome", "‘very’"),
    ]


async def test_a_quotation_across_lines_shows_its_line_break(tmp_path: Path) -> None:
    store, path = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        screen.article.move_cursor_to(ARTICLE.index("second"))
        await _press(pilot, "quotation_mark")
        assert "second⏎line" in _status(pilot.app)
        await _press(pilot, "2")
    assert _texts(path) == [("claim", "second\nline")]


async def test_counts_before_motions(tmp_path: Path) -> None:
    store, path = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        await _press(pilot, "5", "w")  # 5 is no label key: a count
        assert screen.article.cursor == ARTICLE.index("the talks")
        assert stored_spans(path) == []
        await _press(pilot, "v", "3", "w")  # after v, even a label key's digit counts
        assert "the talks “went" in _status(pilot.app)
        await _press(pilot, "2")  # with a selection, a label key labels
        await _press(pilot, "7", "x", "2")  # a count no key took is gone after one key
    assert _texts(path) == [("claim", "the talks “went"), ("claim", "well")]


async def test_the_character_jump_is_smart_about_case(tmp_path: Path) -> None:
    store, path = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        await _press(pilot, "f", "L", "1")
        await _press(pilot, "f", "3", "W", "W", "3")
        await _press(pilot, "F", "r")  # backwards: the nearest r
        assert screen.article.cursor == ARTICLE.index("very") + 2
        await _press(pilot, "F", "R")  # a capital finds only itself: not According's r
        assert screen.article.cursor == ARTICLE.index("Reuters")
        await _press(pilot, "f", "e", "semicolon")  # ; jumps to the same character again
        assert screen.article.cursor == ARTICLE.index("Reuters") + 4
    assert _texts(path) == [("actor", "Lin"), ("figure", "34,535 people")]


async def test_find_folds_counts_matches_and_wraps(tmp_path: Path) -> None:
    store, path = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        await _press(pilot, "slash", *"reunion", "apostrophe", "s", "enter")
        assert screen.article.selection == (
            ARTICLE.index("Réunion’s"),
            ARTICLE.index("Réunion’s") + 9,
        )
        assert "match 1 of 1" in _status(pilot.app)
        await _press(pilot, "slash", "minus", "enter")
        assert "match 1 of 2" in _status(pilot.app) and "wrapped" in _status(pilot.app)
        await _press(pilot, "n")
        assert "match 2 of 2" in _status(pilot.app)
        assert "wrapped" not in _status(pilot.app)


async def test_find_exact_toggle_and_setting(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _press(pilot, "slash", "ctrl+t", *"reunion", "enter")
        assert "Not found" in _status(pilot.app)
        await _press(pilot, "slash", "ctrl+t", "enter")  # folded again: found
        assert "match 1 of 1" in _status(pilot.app)
    exact = Config(find_exact=True)
    async with annotate_app(store, config=exact).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _press(pilot, "slash", *"reuters", "enter")
        assert "Not found" in _status(pilot.app)


async def test_find_while_anchored_extends_the_selection(tmp_path: Path) -> None:
    store, path = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        screen.article.move_cursor_to(ARTICLE.index("The U.S."))
        await _press(pilot, "v", "slash", *"killed", "enter")
        assert "selection extended" in _status(pilot.app)
        await _press(pilot, "2")
    assert _texts(path) == [
        ("claim", "The U.S. envoy said 34,535 people – mostly civilians – were killed")
    ]


async def test_text_object_keys_are_in_help_and_remappable(tmp_path: Path) -> None:
    config = Config(keymap={"object-sentence": "o"})
    rows = str(keys_table(config).columns[1]._cells)
    assert "Select sentence" in rows and "Select clause" in rows
    store, path = make_store(tmp_path, [("Talks", ARTICLE)])
    async with annotate_app(store, config=config).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await _press(pilot, "s")  # no longer bound here
        assert annotate_screen(pilot.app).article.selection is None
        await _press(pilot, "o", "2")
        await _press(pilot, "question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
    assert _texts(path) == [
        (
            "claim",
            "According to Reuters news agency, the talks “went well, ‘very’ well,” said Lin"
            " (the envoy)",
        )
    ]


async def test_the_scripted_annotator_of_seed_002_needs_at_most_5_keys_a_span(
    tmp_path: Path,
) -> None:
    from bench.bench_keys import document_text, load_script, replay, script_mismatches

    script = load_script()
    assert script_mismatches(script, document_text(script)) == []
    result = await replay(script, tmp_path)
    assert result.wrong == []
    assert len(result.stored) == len(script.spans) == 35
    keys = [len(span.keys) for span in script.spans]
    assert statistics.median(keys) <= 5
    assert max(keys) <= 12
