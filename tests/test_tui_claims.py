"""The claims desk as a user drives it (Pilot, on the demo database in a real SQLite file): one
key from the library, the store's order, the filter line's words and terms, escape, the refresh
when the desk comes back, 80×24; and the filter line's parser on its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from cli.demo import build_demo_database
from settings.config import Config
from store import Store
from store.desk_info import CheckSummary
from tests.test_tui_support import screen_text, settle
from tui.app import FactmarkApp, make_app
from tui.claim_filter import haystack, matches, parse_claim_query, unknown_values
from tui.screens.claims import ClaimsScreen, age, fit_widths
from tui.screens.help import keys_table
from tui.screens.library import LibraryScreen
from vocabulary.records import Article, ImportItem

ME = "alice"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("desk") / "demo.db"
    build_demo_database(path, "tester").close()
    return path


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copy(built, path)
    return path


def _app(path: Path, annotator: str = ME) -> FactmarkApp:
    return make_app(Store.open(path, user=annotator), annotator, Config(), start="library")


async def _open_desk(pilot: Pilot) -> ClaimsScreen:
    await settle(pilot)
    await pilot.press("ctrl+l")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ClaimsScreen)
    return screen


def _rows(screen: ClaimsScreen) -> list[str]:
    table = screen.query_one("#claims-table", DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


async def _type(pilot: Pilot, text: str) -> None:
    """Type into the desk's filter, entering it with `/` first as a user does."""
    names = {" ": "space", '"': "quotation_mark", ":": "colon"}
    if not isinstance(pilot.app.focused, Input):
        await pilot.press("slash")
    await pilot.press(*(names.get(char, char) for char in text))
    await settle(pilot)


def _said(screen: ClaimsScreen) -> str:
    return str(screen.query_one("#claims-status", Static).render())


def _desk(path: Path) -> list[CheckSummary]:
    with Store.open(path) as store:
        return store.checks()


async def test_ctrl_l_opens_every_check_in_the_stores_order_at_80_by_24(demo: Path) -> None:
    app = _app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_desk(pilot)
        desk = _desk(demo)
        assert _rows(screen) == [check.uid for check in desk]
        shown = screen_text(app)
        lines = shown.splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        for heading in ("Claim", "Status", "Verdict", "Claimant", "Ap", "Ev", "Changed"):
            assert heading in lines[2]
        for status in ("in review", "researching", "new", "not checkable", "published"):
            assert status in shown
        assert "claims · 6 checks · 3 assigned to you" in lines[0]
        # The highlighted check whole under the table: the first, the one awaiting sign-off.
        assert desk[0].claim in shown and desk[0].uid in shown
        await pilot.press("down")
        await settle(pilot)
        assert desk[1].claim in screen_text(app)


@pytest.mark.parametrize(
    ("typed", "statuses"),
    [
        ("status:pub", ["published", "published"]),
        ('status:"not checkable"', ["not checkable"]),
        ("status:new status:researching", ["researching", "new"]),
        ("verdict:false", ["published"]),  # "Mostly false"
        ("claimant:lin", ["in review", "researching", "published"]),
        ("assignee:me", ["researching", "not checkable", "published"]),
        ("assignee:none", ["new"]),
        ("beijing china", ["in review", "published"]),
        ("claimant:lin status:review", ["in review"]),
    ],
)
async def test_the_filter_line(demo: Path, typed: str, statuses: list[str]) -> None:
    app = _app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_desk(pilot)
        await _type(pilot, typed)
        by_uid = {check.uid: check for check in _desk(demo)}
        assert [by_uid[uid].status for uid in _rows(screen)] == statuses
        assert f"{len(statuses)} of 6 checks match" in _said(screen)


async def test_a_status_the_desk_does_not_have_is_said(demo: Path) -> None:
    app = _app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_desk(pilot)
        await _type(pilot, "status:done")
        assert _rows(screen) == []
        assert _said(screen).startswith("No such status:done on this desk.")


async def test_escape_leaves_the_filter_clears_it_then_goes_back_to_the_library(
    demo: Path,
) -> None:
    app = _app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_desk(pilot)
        await _type(pilot, "status:new")
        assert len(_rows(screen)) == 1
        await pilot.press("escape")  # out of the field, the filter kept: letters are keys again
        await settle(pilot)
        assert isinstance(app.focused, DataTable) and len(_rows(screen)) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_one("#claims-filter", Input).value == ""
        assert len(_rows(screen)) == 6
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_the_desk_shows_what_others_changed_when_it_comes_back(demo: Path) -> None:
    app = _app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_desk(pilot)
        new = next(check for check in _desk(demo) if check.status == "new")
        with Store.open(demo, user="bob") as other:  # another person, another connection
            other.set_check_field(new.uid, "assignee", "bob", expected=None, user="bob")
            other.set_check_field(new.uid, "status", "researching", expected="new", user="bob")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen is screen
        assert _rows(screen) == [check.uid for check in _desk(demo)]
        await _type(pilot, "assignee:bob status:res")
        assert _rows(screen) == [new.uid]
        assert "now bob" in screen_text(app)


async def test_claims_and_names_are_shown_as_typed_never_as_markup(tmp_path: Path) -> None:
    text = "The minister said [bold]taxes[/bold] fell by 40% [/foo] last year."
    path = tmp_path / "m.db"
    with Store.open(path) as store:
        store.ensure_annotator(ME, "admin")
        store.import_items([ImportItem(Article(text=text, title="T"), (), None, "t")])
        span = store.add_span(1, ME, 0, len(text), "claim")
        store.create_check(span.id, claim="[b]Taxes[/b] fell [/foo]", user=ME)
    app = _app(path)
    async with app.run_test(size=(100, 24)) as pilot:
        await _open_desk(pilot)
        assert "[b]Taxes[/b] fell [/foo]" in screen_text(app)


async def test_an_empty_desk_says_how_checks_are_made(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    Store.open(path).close()
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_desk(pilot)
        assert _rows(screen) == []
        assert _said(screen).startswith("No checks yet")


def test_help_lists_the_key_and_the_filter_terms() -> None:
    console = Console(width=120, record=True)
    console.print(keys_table(Config()))
    keys = console.export_text()
    assert "Claims desk" in keys
    assert any(line.split()[:2] == ["ctrl+l", "Claims"] for line in keys.splitlines() if line)
    from tui.claim_filter import FILTER_TERMS_HELP

    for term in ("status:", "verdict:", "claimant:", "assignee:me", "assignee:none"):
        assert term in FILTER_TERMS_HELP


async def test_a_keymap_moves_the_desks_key(demo: Path, tmp_path: Path) -> None:
    from settings.config import load_config

    config_path = tmp_path / "c.toml"
    config_path.write_text('[keymap]\nlibrary-claims = "ctrl+t"\n', encoding="utf-8")
    config = load_config(config_path)
    app = make_app(Store.open(demo, user=ME), ME, config, start="library")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)


# -- the filter line on its own --------------------------------------------------------------


def _summary(**fields: object) -> CheckSummary:
    from datetime import UTC, datetime

    base: dict[str, object] = {
        "uid": "c-0123456789ab",
        "claim": "Taxes fell by 40%",
        "status": "in review",
        "rating": "Mostly false",
        "claimant": "Lin Jian",
        "appearances": 1,
        "evidence": 0,
        "assignee": "alice",
        "changed_at": datetime(2024, 5, 1, tzinfo=UTC),
        "changed_by": "bob",
    }
    return CheckSummary(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("", True),
        ("taxes 40%", True),
        ("TAXES", True),
        ("c-0123", True),
        ("taxes rose", False),
        ("status:review", True),
        ("status:in", True),
        ("status:view", False),  # a word's start, not any part of it
        ('status:"in review"', True),
        ("status:new status:in", True),
        ("verdict:false", True),
        ("rating:mostly", True),
        ("verdict:true", False),
        ("claimant:jian", True),
        ("claimant:none", False),
        ("assignee:me", True),
        ("assignee:ali", True),
        ("assignee:bob", False),
        ("status:", True),  # a term still being typed filters nothing
        ("foo:bar", False),  # not a term: a free word, found nowhere
    ],
)
def test_terms_and_words(typed: str, found: bool) -> None:
    check = _summary()
    assert matches(parse_claim_query(typed), check, haystack(check), "alice") is found


def test_none_matches_unset_fields_and_unknown_values_are_named() -> None:
    unassigned = _summary(assignee=None, rating=None, claimant=None)
    for typed in ("assignee:none", "verdict:none claimant:none"):
        query = parse_claim_query(typed)
        assert matches(query, unassigned, haystack(unassigned), "alice")
    query = parse_claim_query('status:done verdict:"pants on fire" status:new claimant:x')
    known = {"status": ("new", "published"), "rating": ("False",)}
    assert unknown_values(query, known) == ["status:done", "verdict:pants on fire"]


def test_fit_widths_gives_way_in_order() -> None:
    natural = [60, 13, 12, 15, 2, 2, 8, 10]
    assert fit_widths(natural, 200) == natural
    narrow = fit_widths(natural, 62)
    assert sum(narrow) <= 62 and narrow[1] == 13 and narrow[4:6] == [2, 2]
    assert narrow[0] >= 8


async def test_f1_shows_help_with_the_filter_terms(demo: Path) -> None:
    from tui.screens.help import HelpScreen

    app = _app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_desk(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        terms = app.screen.query_one("#help-claims-filter", Static)
        assert "assignee:me" in str(terms.render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)


def test_age_in_a_few_cells() -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
    ages = [
        age(now - timedelta(**{unit: n}), now)
        for unit, n in (("seconds", 30), ("minutes", 5), ("hours", 3), ("days", 6), ("days", 30))
    ]
    assert ages == ["now", "5m", "3h", "6d", "2024-04-20"]


async def test_enter_opens_the_highlighted_check_and_escape_comes_back_to_a_fresh_desk(
    demo: Path,
) -> None:
    from tui.screens.check_form import CheckScreen

    app = _app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await _open_desk(pilot)
        await _type(pilot, "status:new")
        [new] = _rows(desk)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CheckScreen) and form.uid == new
        with Store.open(demo, user="bob") as other:  # changed while the form is open
            other.set_check_field(new, "status", "researching", expected="new", user="bob")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is desk
        assert _rows(desk) == []  # read again: no longer "new"
        await pilot.press("escape", "escape", "down", "down")  # leave the filter, clear it
        await settle(pilot)
        second = _rows(desk)[2]
        desk.query_one("#claims-table", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckScreen) and app.screen.uid == second


async def test_back_on_the_desk_after_a_check_sent_us_to_its_article(demo: Path) -> None:
    from tui.screens.check_form import CheckScreen

    app = _app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await _open_desk(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckScreen)
        with Store.open(demo) as store:
            appearance = store.check(app.screen.uid).appearances[0]
        # What enter on one of the form's appearances does (see the check form's tests).
        app.open_document_at(appearance.document_id, appearance.start, appearance.end)
        await settle(pilot)
        await pilot.press("escape")  # the annotate screen's way to the library
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen is desk
