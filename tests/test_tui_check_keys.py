"""The check keys of the annotate screen at 80×24 over real SQLite files: `c` on a claim span
makes its check or attaches it to one the store finds alike, `c` on an appearance opens its
check, `E` makes a passage of another document evidence for a check."""

from __future__ import annotations

from pathlib import Path

from store import Store
from tests.test_tui_check_form import (
    CLAIM,
    FIRST,
    SECOND,
    SIZE,
    STATEMENT,
    _extent,
    _seeded,
    _status_line,
    form,
)
from tests.test_tui_support import ANNOTATOR, annotate_app, annotate_screen, screen_text, settle
from tui.screens.link_picker import LinkPicker


def _picker(app) -> LinkPicker:
    screen = app.screen
    assert isinstance(screen, LinkPicker), f"expected a picker, got {screen!r}"
    return screen


def _rows(picker: LinkPicker) -> list[str]:
    options = picker.options
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def _cursor_in(pilot, text: str, needle: str) -> None:
    annotate_screen(pilot.app).article.move_cursor_to(text.index(needle) + 1)
    await pilot.pause()


async def test_c_on_a_claim_span_makes_its_check_and_opens_it(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    span = store.add_span(1, ANNOTATOR, *_extent(FIRST, CLAIM), "claim")
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _cursor_in(pilot, FIRST, CLAIM)
        await pilot.press("c")
        await settle(pilot)
        picker = _picker(pilot.app)
        assert _rows(picker) == [f"New check: “{CLAIM}”"]
        await pilot.press("enter")
        await settle(pilot)
        screen = form(pilot.app)
        with Store.open(path) as stored:
            check = stored.check_of_span(span.id)
        assert check is not None and check.claim == CLAIM and check.created_by == ANNOTATOR
        assert screen.uid == check.uid
        assert f"Check {check.uid} · new" in screen_text(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        annotate_screen(pilot.app)  # back where `c` was pressed
        assert f"claim  {CLAIM} ✓ {check.uid}" in screen_text(pilot.app)  # the pane marks it
        await pilot.press("c")  # the span is an appearance now: its check opens at once
        await settle(pilot)
        assert form(pilot.app).uid == check.uid


async def test_c_on_a_claim_in_another_document_proposes_the_alike_check_first(
    tmp_path: Path,
) -> None:
    store, path = _seeded(tmp_path)
    first = store.add_span(1, ANNOTATOR, *_extent(FIRST, CLAIM), "claim")
    uid = store.create_check(first.id, user=ANNOTATOR).uid
    other = store.add_span(1, ANNOTATOR, *_extent(FIRST, "the talks failed"), "claim")
    store.create_check(other.id, user=ANNOTATOR)
    second = store.add_span(2, ANNOTATOR, *_extent(SECOND, "34,535 people were killed"), "claim")
    async with annotate_app(store, doc_id=2).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _cursor_in(pilot, SECOND, "34,535 people")
        await pilot.press("c")
        await settle(pilot)
        rows = _rows(_picker(pilot.app))
        assert rows[0] == "New check: “34,535 people were killed”"
        assert uid in rows[1] and rows[1].startswith("same figures")
        assert len(rows) == 3  # and the other check, below
        await pilot.press("down", "enter")
        await settle(pilot)
        assert form(pilot.app).uid == uid
        assert f"Check {uid} · new · no verdict · 2 appearances" in screen_text(pilot.app)
    with Store.open(path) as stored:
        check = stored.check_of_span(second.id)
    assert check is not None and check.uid == uid
    assert [a.document_id for a in check.appearances] == [1, 2]


async def test_typing_in_the_check_picker_filters_the_checks_but_keeps_new_check(
    tmp_path: Path,
) -> None:
    store, _ = _seeded(tmp_path)
    first = store.add_span(1, ANNOTATOR, *_extent(FIRST, CLAIM), "claim")
    store.create_check(first.id, user=ANNOTATOR)
    other = store.add_span(1, ANNOTATOR, *_extent(FIRST, "the talks failed"), "claim")
    store.create_check(other.id, user=ANNOTATOR)
    store.add_span(2, ANNOTATOR, *_extent(SECOND, "Lin Jian spoke later"), "claim")
    async with annotate_app(store, doc_id=2).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _cursor_in(pilot, SECOND, "Lin Jian spoke")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"talks")
        rows = _rows(_picker(pilot.app))
        assert rows[0] == "New check: “Lin Jian spoke later”"
        assert len(rows) == 2 and "the talks failed" in rows[1]
        await pilot.press("escape")
        await settle(pilot)
        assert _status_line(pilot.app) == "No check opened."


async def test_c_on_a_span_that_is_not_a_claim_says_so_in_one_line(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    store.add_span(1, ANNOTATOR, *_extent(FIRST, "Lin Jian"), "actor")
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _cursor_in(pilot, FIRST, "Lin Jian")
        await pilot.press("c")
        await settle(pilot)
        annotate_screen(pilot.app)
        assert _status_line(pilot.app) == "Only claim spans have checks; this is a actor span."
        await pilot.press("right", "right", "right", "right", "right", "right", "right", "right")
        await pilot.press("right", "right", "c")  # past the span: no span here
        await settle(pilot)
        assert _status_line(pilot.app).startswith("No span here: put the cursor in a claim span")
    with Store.open(path) as stored:
        assert stored.checks() == []


async def test_E_makes_a_passage_of_another_document_evidence_with_its_stance(
    tmp_path: Path,
) -> None:
    store, path = _seeded(tmp_path)
    first = store.add_span(1, ANNOTATOR, *_extent(FIRST, CLAIM), "claim")
    older = store.create_check(first.id, user=ANNOTATOR).uid
    other = store.add_span(1, ANNOTATOR, *_extent(FIRST, "the talks failed"), "claim")
    uid = store.create_check(other.id, user=ANNOTATOR).uid
    passage = "counted by name and ID number"
    async with annotate_app(store, doc_id=1).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.open_check(older)  # opened last: listed first when choosing the check
        await settle(pilot)
        await pilot.press("escape")
        pilot.app.open_document(3)
        await settle(pilot)
        annotate = annotate_screen(pilot.app)
        start, end = _extent(STATEMENT, passage)
        annotate.article.select_range(start, end)
        await pilot.pause()
        await pilot.press("E")
        await settle(pilot)
        rows = _rows(_picker(pilot.app))
        assert rows[0].startswith(f"opened lately: {older}") and uid in rows[1]
        await pilot.press("enter")
        await settle(pilot)
        assert _rows(_picker(pilot.app))[:3] == [
            "supports  the passage backs the claim up",
            "refutes  the passage contradicts the claim",
            "context  the passage explains or qualifies it",
        ]
        await pilot.press(*"context", "enter")
        await settle(pilot)
        assert _status_line(pilot.app) == f"Context evidence for {older}: “{passage}”"
        assert annotate.spans == []  # no span is made for the passage
    with Store.open(path) as stored:
        [item] = stored.check(older).evidence
        assert stored.check(uid).evidence == ()
    assert (item.document_id, item.start, item.end, item.stance) == (3, start, end, "context")
    assert (item.span_text, item.excerpt, item.title) == (passage, passage, "Statement")
    assert item.publisher == "Test Outlet"


async def test_E_without_a_selection_or_a_span_says_what_to_do(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert _status_line(pilot.app).startswith("Nothing to use as evidence: select the passage")


async def test_keys_typed_right_after_c_go_to_the_picker_not_to_the_text(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    first = store.add_span(1, ANNOTATOR, *_extent(FIRST, CLAIM), "claim")
    uid = store.create_check(first.id, user=ANNOTATOR).uid
    store.add_span(2, ANNOTATOR, *_extent(SECOND, "34,535 people were killed"), "claim")
    async with annotate_app(store, doc_id=2).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _cursor_in(pilot, SECOND, "34,535 people")
        await pilot.press("c", *"34,535 killed")  # 3 and 4 are label keys on the text
        await settle(pilot)
        picker = _picker(pilot.app)
        rows = _rows(picker)
        assert len(rows) == 2 and uid in rows[1]  # filtered by what was typed
        await pilot.press("down", "enter")
        await settle(pilot)
        assert form(pilot.app).uid == uid
    with Store.open(path) as stored:
        assert [s.label for s in stored.spans(2, ANNOTATOR)] == ["claim"]  # no label was made


async def test_c_on_a_claim_attached_elsewhere_meanwhile_opens_its_check(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    first = store.add_span(1, ANNOTATOR, *_extent(FIRST, CLAIM), "claim")
    uid = store.create_check(first.id, user=ANNOTATOR).uid
    second = store.add_span(2, ANNOTATOR, *_extent(SECOND, "34,535 people were killed"), "claim")
    async with annotate_app(store, doc_id=2).run_test(size=SIZE) as pilot:
        await settle(pilot)
        with Store.open(path) as other:  # after the document was read
            other.attach_appearance(uid, second.id, user="carol")
        await _cursor_in(pilot, SECOND, "34,535 people")
        await pilot.press("c")
        await settle(pilot)
        assert form(pilot.app).uid == uid
        await pilot.press("escape")
        await settle(pilot)
        annotate_screen(pilot.app)  # the picker it replaced is gone too


async def test_E_with_no_checks_yet_says_so_and_typing_after_it_labels_nothing(
    tmp_path: Path,
) -> None:
    store, path = _seeded(tmp_path)
    async with annotate_app(store, doc_id=3).run_test(size=SIZE) as pilot:
        await settle(pilot)
        annotate = annotate_screen(pilot.app)
        annotate.article.select_range(*_extent(STATEMENT, "34,535 people were killed"))
        await pilot.pause()
        await pilot.press("E", "3", "4")  # typed ahead: into the picker's filter, not labels
        await settle(pilot)
        rows = _rows(_picker(pilot.app))
        assert rows == ["There are no checks yet: press c on a claim span to make one."]
        await pilot.press("escape")
        await settle(pilot)
        assert annotate_screen(pilot.app) is annotate
        assert _status_line(pilot.app) == (
            "There are no checks yet: press c on a claim span to make one."
        )
    with Store.open(path) as stored:
        assert stored.spans(3, ANNOTATOR) == []
