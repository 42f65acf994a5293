"""Review keeps everything, driven with Pilot and checked in the database file: a version's note
and attributes go into gold with it (and the provenance says whose), differing ones are shown and
chosen, nested spans of different labels both reach gold, and `e` writes only once confirmed."""

from __future__ import annotations

from pathlib import Path

from settings.config import Config
from store import SpanInfo, Store
from tests.test_tui_support import screen_text, settle
from tui.app import FactmarkApp, make_app
from tui.screens.confirm_dialog import ConfirmDialog
from tui.screens.link_picker import LinkPicker
from tui.screens.review import ReviewScreen
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TEXT = "The minister said that the strike killed 40 people and destroyed the only hospital in town."
ACTOR = (0, 12, "actor")
CLAIM = (23, len(TEXT) - 1, "claim")  # ana's claim, with her outcome nested at its end
OUTCOME = (TEXT.index("destroyed"), len(TEXT) - 1, "outcome")
SHORT_CLAIM = (OUTCOME[0], OUTCOME[1], "claim")  # ben's claim: the outcome's extent
FIGURE = (TEXT.index("40 people"), TEXT.index("40 people") + 9, "figure")


def _database(folder: Path) -> Path:
    """rev reviews; ana and ben agree on the actor's note and attributes, write different notes
    on the figure, and nest differently (ana: claim + outcome; ben: a claim of the outcome)."""
    path = folder / "keeps.db"
    with Store.open(path) as store:
        store.ensure_annotator("boss")
        store.set_role("rev", "reviewer", actor="boss")
        note, attrs = "the health minister", {"certainty": "high"}
        ana = (
            SpanDraft(*ACTOR, note=note, attrs=attrs),
            SpanDraft(*CLAIM),
            SpanDraft(*FIGURE, note="check the toll"),
            SpanDraft(*OUTCOME, attrs={"certainty": "low"}),
        )
        ben = (
            SpanDraft(*ACTOR, note=note, attrs=dict(attrs)),
            SpanDraft(*FIGURE, note="toll from the ministry"),
            SpanDraft(*SHORT_CLAIM),
        )
        layers = (LayerDraft("ana", ana, done=True), LayerDraft("ben", ben, done=True))
        store.import_items([ImportItem(Article(text=TEXT, title="Strike"), layers)])
    return path


def _gold(path: Path) -> dict[tuple[int, int, str], SpanInfo]:
    with Store.open(path) as store:
        return {(s.start, s.end, s.label): s for s in store.spans(1, "gold")}


def _provenance(path: Path, key: tuple[int, int, str]):
    with Store.open(path) as store:
        review = store.review_document(1)
    [span] = [s for s in review.gold if (s.start, s.end, s.label) == key]
    return review.provenance[span.id]


def _app(path: Path) -> tuple[FactmarkApp, Store]:
    store = Store.open(path)
    return make_app(store, "rev", Config(), start="review", doc_id=1), store


def _screen(app: FactmarkApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen), app.screen
    return app.screen


def _detail(app: FactmarkApp) -> str:
    """The explanation of the highlighted candidate (the side pane wraps it on screen)."""
    return str(_screen(app).query_one("#review-detail").render())


def _highlight(screen: ReviewScreen, key: tuple[int, int, str]) -> None:
    """Move the candidate list to the row of `key`, as ↑/↓ would."""
    rows = screen.candidates.rows
    screen.candidates.highlighted = next(i for i, row in enumerate(rows) if row.key == key)


async def test_accepting_carries_the_agreed_note_and_attributes(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _app(path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert "note “the health minister” · certainty=high" in _detail(app)  # version's values
        await pilot.press("a")  # the actor: both annotators gave the same note and attributes
        await settle(pilot)
        gold = _gold(path)[ACTOR]
        assert (gold.note, gold.attrs, gold.gold_source) == (
            "the health minister",
            {"certainty": "high"},
            "accepted",
        )
        found = _provenance(path, ACTOR)
        assert found.note_from == ("ana", "ben") and found.attrs_from == ("ana", "ben")
        assert found.left_out == ()
        assert "note from ana, ben · attributes from ana, ben" in _detail(app)
        await pilot.press("u")  # one undo takes the span, note and all, out again
        await settle(pilot)
        assert _gold(path) == {}
    store.close()


async def test_differing_notes_are_shown_and_the_reviewer_chooses(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _app(path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        _highlight(screen, FIGURE)
        await settle(pilot)
        rows = [line for line in screen_text(app).splitlines() if "ana, ben" in line]
        assert any("40 people ana, ben ≠" in row for row in rows)  # the list flags it too
        assert any("The minister ana, ben ✎" in row for row in rows)
        shown = _detail(app)
        assert "ana: note “check the toll”" in shown
        assert "ben: note “toll from the ministry”" in shown
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, LinkPicker)  # the choice, before anything is written
        picker_text = screen_text(app)
        assert "check the toll" in picker_text and "toll from the ministry" in picker_text
        await pilot.press("escape")
        await settle(pilot)
        assert _gold(path) == {}
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("down", "enter")  # ben's note
        await settle(pilot)
        gold = _gold(path)[FIGURE]
        assert gold.note == "toll from the ministry"
        found = _provenance(path, FIGURE)
        assert found.from_annotators == ("ana", "ben") and found.note_from == ("ben",)
        assert "note of ben" in screen_text(app)  # the status line says what was taken
        assert "note from ben" in _detail(app)
    store.close()


async def test_nested_claim_and_outcome_both_reach_gold(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _app(path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        kinds = {
            item.candidate.keys: item.candidate.kind for item in screen.items if item.candidate
        }
        assert kinds[(CLAIM, SHORT_CLAIM)] == "boundary"  # ben's claim rivals ana's claim
        assert kinds[(OUTCOME,)] == "partial"  # not ben's claim: ana drew both labels
        _highlight(screen, OUTCOME)
        await pilot.press("a")
        await settle(pilot)
        _highlight(screen, CLAIM)
        await pilot.press("a")
        await settle(pilot)
        gold = _gold(path)
        assert set(gold) == {CLAIM, OUTCOME}
        assert gold[OUTCOME].attrs == {"certainty": "low"}
        _highlight(screen, SHORT_CLAIM)  # the other claim replaces the claim, not the outcome
        await pilot.press("a")
        await settle(pilot)
        assert set(_gold(path)) == {SHORT_CLAIM, OUTCOME}
        states = {item.candidate.keys: item.state for item in screen.items if item.candidate}
        assert states[(CLAIM, SHORT_CLAIM)] == states[(OUTCOME,)] == "accepted"
    store.close()


async def test_e_asks_first_escape_writes_nothing_enter_writes(tmp_path: Path) -> None:
    path = _database(tmp_path)
    app, store = _app(path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        _highlight(screen, OUTCOME)
        await settle(pilot)
        assert screen.article.selection == OUTCOME[:2]
        screen.article.select_range(OUTCOME[0], OUTCOME[0] + len("destroyed the only hospital"))
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        asked = screen_text(app)
        assert f"outcome {OUTCOME[0]}-{OUTCOME[0] + 27}" in asked
        assert "“destroyed the only hospital”" in asked and "enter confirms" in asked
        await pilot.press("escape")
        await settle(pilot)
        assert _gold(path) == {} and isinstance(app.screen, ReviewScreen)
        assert "Nothing changed" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        edited = (OUTCOME[0], OUTCOME[0] + 27, "outcome")
        gold = _gold(path)
        assert set(gold) == {edited} and gold[edited].gold_source == "edited"
        assert gold[edited].attrs == {"certainty": "low"}  # ana's attributes came along
    store.close()


async def test_after_min_agree_one_accepting_a_rival_takes_the_other_out(tmp_path: Path) -> None:
    path = _database(tmp_path)
    with Store.open(path) as store:
        summary = store.auto_adjudicate(1, reviewer="rev")
    assert summary.added == 5 and summary.added_beside_rival == 2  # both claims went in
    app, store = _app(path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        screen = _screen(app)
        states = {item.candidate.keys: item.state for item in screen.items if item.candidate}
        assert states[(CLAIM, SHORT_CLAIM)] == "open"  # two rival claims in gold: choose one
        assert states[(OUTCOME,)] == "accepted"
        _highlight(screen, CLAIM)
        await pilot.press("a")
        await settle(pilot)
        assert set(_gold(path)) == {ACTOR, CLAIM, FIGURE, OUTCOME}
        states = {item.candidate.keys: item.state for item in screen.items if item.candidate}
        assert states[(CLAIM, SHORT_CLAIM)] == "accepted"
        assert "1 rival version taken out" in screen_text(app)
    store.close()
    with Store.open(path) as fresh:  # and a later run does not put it back
        assert fresh.auto_adjudicate(1, reviewer="rev").added == 0


async def test_a_on_a_version_gold_holds_without_its_values_takes_them(tmp_path: Path) -> None:
    path = _database(tmp_path)
    with Store.open(path) as store:  # gold got the actor bare (added by hand, say)
        store.add_gold_span(1, *ACTOR, reviewer="rev")
    app, store = _app(path)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        _highlight(_screen(app), ACTOR)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        gold = _gold(path)[ACTOR]
        assert (gold.note, gold.attrs) == ("the health minister", {"certainty": "high"})
        assert "is in gold already; it took the note of ana, ben and" in screen_text(app)
        assert _provenance(path, ACTOR).note_from == ("ana", "ben")
        _highlight(_screen(app), ACTOR)
        await pilot.press("a")  # nothing more to take
        await settle(pilot)
        assert "is in gold already." in screen_text(app), screen_text(app)
        await pilot.press("u")  # the taking is one undoable step; the span stays
        await settle(pilot)
        gold = _gold(path)[ACTOR]
        assert (gold.note, gold.attrs) == (None, {})
    store.close()
