"""The entity picker as an annotator uses it: `enter` on an actor span, type, pick or create;
the pane shows the entity's name, and the database holds the naming."""

from __future__ import annotations

from pathlib import Path

from store import Store
from tests.test_tui_support import (
    annotate_app,
    annotate_screen,
    make_store,
    screen_text,
    settle,
    stored_spans,
)
from tui.screens.entity_picker import EntityPicker, EntityTypeDialog

TEXT = (
    "Haniyeh said the talks had failed. The Hamas chief spoke in Doha.\n\n"
    "Lin Jian said China wanted calm."
)


def _store(tmp_path: Path) -> tuple[Store, Path]:
    store, path = make_store(tmp_path, [("Talks", TEXT)])
    store.create_entity(
        "Ismail Haniyeh", "Person", aliases=["Hamas political bureau chief"], external_id="Q320"
    )
    store.create_entity("Hamas", "Organization")
    for start, end in ((0, 7), (TEXT.index("Hamas chief"), TEXT.index(" spoke"))):
        store.add_span(1, "alice", start, end, "actor")
    store.add_span(1, "alice", TEXT.index("Lin"), TEXT.index(" said China"), "actor")
    store.add_span(1, "alice", 8, 33, "claim")
    return store, path


async def test_enter_on_an_actor_span_picks_an_entity(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        screen.article.move_cursor_to(2)  # inside "Haniyeh"
        await pilot.press("enter")
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, EntityPicker)
        assert picker.query_input.value == "Haniyeh"  # the span's text, typed in already
        shown = screen_text(pilot.app)
        assert "Ismail Haniyeh" in shown and "Person" in shown
        await pilot.press("enter")  # the best match
        await settle(pilot)
        assert annotate_screen(pilot.app) is screen
        assert "→ Ismail Haniyeh" in screen_text(pilot.app)
        # The second actor, by a forgiving query typed over the span's text.
        screen.article.move_cursor_to(TEXT.index("chief"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+u", *"haniya")
        await pilot.pause()
        picker = pilot.app.screen
        assert isinstance(picker, EntityPicker)
        assert picker.options.get_option_at_index(0).id == f"e{_entity_id(path, 'Ismail Haniyeh')}"
        await pilot.press("enter")
        await settle(pilot)
    named = {s.text: (s.entity.name if s.entity else None) for s in stored_spans(path)}
    assert named["Haniyeh"] == "Ismail Haniyeh" and named["Hamas chief"] == "Ismail Haniyeh"
    assert named["Lin Jian"] is None
    with Store.open(path) as check:
        haniyeh = check.entity(_entity_id(path, "Ismail Haniyeh"))
        assert haniyeh.span_count == 2
        assert haniyeh.aliases == ("Hamas political bureau chief", "Haniyeh", "Hamas chief")


async def test_a_new_entity_from_the_span_text_then_undo_and_clear(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        screen.article.move_cursor_to(TEXT.index("Jian"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, EntityTypeDialog)
        await pilot.press("1")  # Person
        await settle(pilot)
        assert "→ Lin Jian" in screen_text(pilot.app)
        assert "new entity Lin Jian (Person)" in screen_text(pilot.app)
        # Naming again: the picker marks the current one, and ctrl+l names none.
        await pilot.press("enter")
        await settle(pilot)
        assert "✓ Lin Jian" in screen_text(pilot.app)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert "→ Lin Jian" not in screen_text(pilot.app)
        await pilot.press("u")  # undo the clearing
        await settle(pilot)
        assert "→ Lin Jian" in screen_text(pilot.app)
        # escape cancels and changes nothing; enter on a claim says why nothing opens.
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen.article.move_cursor_to(12)
        await pilot.press("enter")
        await pilot.pause()
        assert "Only actor spans name an entity" in screen_text(pilot.app)
    [lin] = [s for s in stored_spans(path) if s.text == "Lin Jian"]
    assert lin.entity is not None and (lin.entity.name, lin.entity.type) == ("Lin Jian", "Person")
    with Store.open(path) as check:
        kinds = [e.kind for e in check.events()]
    assert kinds.count("entity_add") == 3 and kinds.count("span_entity") == 2


async def test_the_new_entity_row_creates_from_what_is_typed(tmp_path: Path) -> None:
    store, path = _store(tmp_path)
    async with annotate_app(store).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(pilot.app)
        screen.article.move_cursor_to(TEXT.index("Jian"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+u", *"Lin Jian [/b]")  # no match: the new-entity row only
        await pilot.pause()
        assert "+ new entity “Lin Jian [/b]”" in screen_text(pilot.app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # Country
        await settle(pilot)
        assert "→ Lin Jian [/b]" in screen_text(pilot.app)
    [lin] = [s for s in stored_spans(path) if s.text == "Lin Jian"]
    assert lin.entity is not None and (lin.entity.name, lin.entity.type) == (
        "Lin Jian [/b]",
        "Country",
    )


def _entity_id(path: Path, name: str) -> int:
    with Store.open(path) as store:
        return next(e.id for e in store.entities() if e.name == name)
