"""Every screen, as a desk meets it: `?` (F1 in a text field) opens help everywhere, 80x24 keeps
the header, `? Help` and a status that is not stuck at "Loading…", the palette offers factmark's
own actions once each, the library's filter is entered with `/`, a wide terminal keeps a reading
measure, and no label key of a custom label set is shadowed by another binding."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input

from cli.demo import build_demo_database
from settings.config import LABEL_KEY_SCOPES, Config, ConfigError, load_config
from settings.keys import KEY_SPECS, label_binding_id
from store import Store
from tests.test_tui_support import screen_text, settle
from tui.app import FactmarkApp, make_app
from tui.screens.annotate import AnnotateScreen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.review import ReviewScreen

ME = "tester"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("every-screen") / "demo.db"
    build_demo_database(path, ME).close()
    return path


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(built, path)
    return path


@asynccontextmanager
async def running(
    path: Path, size: tuple[int, int], config: Config | None = None
) -> AsyncIterator[tuple[FactmarkApp, Pilot]]:
    app = make_app(Store.open(path, user=ME), ME, config or Config(), start="library")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot


async def _keys(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)
    await pilot.pause(0.2)


# Each step goes from the library to one screen: (name, keys from the library).
SCREENS: list[tuple[str, tuple[str, ...]]] = [
    ("library", ()),
    ("annotate", ("enter",)),
    ("review list", ("ctrl+r",)),
    ("review", ("ctrl+r", "enter")),
    ("claims desk", ("ctrl+l",)),
    ("check form", ("ctrl+l", "enter")),
    ("search", ("ctrl+f",)),
    ("metadata dialog", ("enter", "M")),
    ("extent to confirm", ("ctrl+r", "enter", "e")),
]


@pytest.mark.parametrize(("name", "path_there"), SCREENS, ids=[name for name, _ in SCREENS])
async def test_help_opens_on_every_screen_and_80x24_keeps_its_way_in_sight(
    demo: Path, name: str, path_there: tuple[str, ...]
) -> None:
    async with running(demo, (80, 24)) as (app, pilot):
        await _keys(pilot, *path_there)
        shown = screen_text(app).splitlines()
        assert len(shown) == 24 and all(len(line) <= 80 for line in shown)
        assert "factmark" in shown[0] or "Check" in shown[0], f"{name}: no header: {shown[0]!r}"
        typing = isinstance(app.focused, Input)
        dialog = isinstance(app.screen, ModalScreen)
        # `?` is typed in a text field, and a dialog keeps the app's keys: F1 reaches help there.
        help_key = "f1" if typing or dialog else "question_mark"
        if not dialog:  # a dialog says its keys itself
            assert shown[-1].startswith("f1 Help" if typing else "? Help"), f"{name}: {shown[-1]}"
        assert not any("Loading…" in line for line in shown), f"{name} still says Loading…"
        screen = app.screen
        await _keys(pilot, help_key)
        assert isinstance(app.screen, HelpScreen), f"{name}: {help_key} did not open help"
        await _keys(pilot, "escape")
        assert app.screen is screen


async def test_the_library_filter_is_entered_with_slash_so_q_and_question_mark_are_keys(
    demo: Path,
) -> None:
    async with running(demo, (100, 30)) as (app, pilot):
        assert isinstance(app.screen, LibraryScreen)
        await _keys(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await _keys(pilot, "escape", "slash", *"q?")
        field = app.screen.query_one("#filter", Input)
        assert field.value == "q?" and isinstance(app.screen, LibraryScreen)  # typed, not run
        await _keys(pilot, "backspace", "backspace", *"cairo")
        assert "of 5 documents" in screen_text(app)
        await _keys(pilot, "escape")  # back to the list, the filter kept
        assert field.value == "cairo" and not isinstance(app.focused, Input)
        await _keys(pilot, "q")
        assert app.return_code == 0


def _palette(app: FactmarkApp) -> list[tuple[str, str]]:
    return [(command.title, command.help) for command in app.get_system_commands(app.screen)]


@pytest.mark.parametrize(("name", "path_there"), SCREENS, ids=[name for name, _ in SCREENS])
async def test_the_palette_offers_factmarks_own_actions_once_each_with_their_keys(
    demo: Path, name: str, path_there: tuple[str, ...]
) -> None:
    async with running(demo, (120, 36)) as (app, pilot):
        await _keys(pilot, *path_there)
        if name == "library":
            await _keys(pilot, "slash")  # a text field focused: its editing keys stay out
        commands = _palette(app)
        titles = [title for title, _ in commands]
        assert len(titles) == len(set(titles)), f"{name}: twice in the palette: {titles}"
        if not isinstance(app.screen, ModalScreen):  # a dialog offers its own keys only
            assert "Help" in titles and titles.count("Quit") == 1
        assert not any("copy" in title.casefold() for title in titles)
        descriptions = {spec.description for spec in KEY_SPECS} | {
            label.name.capitalize() for label in Config().labels
        }
        assert set(titles) <= descriptions, f"{name}: not factmark's: {set(titles) - descriptions}"
        assert all(" · " in help_text and help_text.split(" · ")[0] for _, help_text in commands)


async def test_text_is_not_sent_to_the_terminal_clipboard(demo: Path) -> None:
    async with running(demo, (100, 30)) as (app, pilot):
        written: list[str] = []
        driver = app._driver
        assert driver is not None
        original = driver.write
        driver.write = lambda data: (written.append(data), original(data))[1]  # type: ignore[method-assign]
        app.copy_to_clipboard("Hamas")
        await pilot.pause()
        assert not any("\x1b]52" in data for data in written)
        assert app.clipboard == "Hamas"  # kept for the text fields' own paste


async def test_a_wide_terminal_keeps_a_reading_measure_and_gives_the_pane_the_rest(
    demo: Path,
) -> None:
    async with running(demo, (200, 50)) as (app, pilot):
        await _keys(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        article = screen.query_one("#article").size.width
        pane = screen.query_one("#pane").size.width
        assert 80 <= article <= 104 and pane >= 90, (article, pane)
        await _keys(pilot, "p")  # the pane hidden: the text may take the room
        assert screen.query_one("#article").size.width > 150


async def test_the_library_title_takes_the_free_width(demo: Path) -> None:
    async with running(demo, (200, 50)) as (app, _pilot):
        with Store.open(demo) as store:
            longest = max((d.title or "" for d in store.list_documents()), key=len)
        assert 60 < len(longest) < 110  # the demo has such a title; the check needs one
        assert longest in screen_text(app)


# Label keys that no binding of the annotate or review screens uses.
CUSTOM_LABELS = """
[[labels]]
name = "who"
key = "g"
color = "red"

[[labels]]
name = "what"
key = "t"
color = "blue"

[[labels]]
name = "howmuch"
key = "y"
color = "green"

[[labels]]
name = "result"
key = "z"
color = "magenta"
"""


def _config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def _live_keys() -> set[str]:
    return {
        key.strip()
        for spec in KEY_SPECS
        if spec.scope in LABEL_KEY_SCOPES
        for key in spec.key.split(",")
    }


@pytest.mark.parametrize("key", sorted(_live_keys()))
def test_a_label_key_that_another_live_binding_has_is_refused_naming_both(
    tmp_path: Path, key: str
) -> None:
    text = CUSTOM_LABELS.replace('key = "g"', f'key = "{key}"', 1)
    with pytest.raises(ConfigError) as refused:
        _config(tmp_path, text)
    said = str(refused.value)
    assert "\n" not in said and f"label key {key!r} of 'who' is also the key of" in said


async def _label_keys_win_everywhere(
    app: FactmarkApp, pilot: Pilot, focus_ids: list[str], config: Config
) -> None:
    for focus_id in focus_ids:
        app.screen.query_one(f"#{focus_id}").focus()
        await pilot.pause()
        active = app.screen.active_bindings
        for label in config.labels:
            binding = active[label.key].binding
            assert binding.id == label_binding_id(label.name), (
                f"{label.key!r} in {type(app.screen).__name__} with #{focus_id} focused runs "
                f"{binding.id}, not the label {label.name}"
            )


async def test_every_label_key_of_a_custom_set_labels_in_every_screen_and_focus(
    demo: Path, tmp_path: Path
) -> None:
    config = _config(tmp_path, CUSTOM_LABELS)
    steps: list[tuple[tuple[str, ...], type, list[str]]] = [
        (("enter",), AnnotateScreen, ["article", "pane"]),
        (("escape", "ctrl+r", "enter"), ReviewScreen, ["review-article", "candidates", "links"]),
    ]
    async with running(demo, (120, 36), config) as (app, pilot):
        for keys, screen_type, focus_ids in steps:
            await _keys(pilot, *keys)
            assert isinstance(app.screen, screen_type)
            await _label_keys_win_everywhere(app, pilot, focus_ids, config)
        # And pressing one labels: `t` adds the selection to gold as "what" on review.
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        doc_id = screen._doc_id()
        screen.query_one("#review-article").focus()
        await _keys(pilot, "shift+right", "shift+right", "shift+right", "t")
    with Store.open(demo) as store:
        assert [span.label for span in store.spans(doc_id, "gold")] == ["what"]
