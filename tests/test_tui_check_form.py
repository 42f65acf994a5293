"""The check form and the check keys of the annotate screen, driven with Pilot at 80×24 over real
SQLite files: every field reachable, validation said and not saved, changes committed, the
sign-off refused in one line, evidence, appearances and history."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select
from textual.widgets._select import SelectOverlay

from settings.config import Config
from store import Store
from tests.test_tui_support import (
    ANNOTATOR,
    annotate_app,
    annotate_screen,
    make_store,
    screen_text,
    settle,
)
from tui.app import FactmarkApp, make_app
from tui.screens.check_form import FIELD_TITLES, CheckScreen
from tui.screens.entity_picker import EntityPicker
from tui.screens.evidence_dialog import EvidenceDialog
from tui.screens.search import SearchScreen
from vocabulary.checks import CheckSettings, RatingDef
from vocabulary.external_checks import ExternalCheck
from vocabulary.records import Article, ImportItem

SIZE = (80, 24)
FIRST = "Lin Jian said the talks failed. The ministry says 34,535 people were killed in Gaza."
SECOND = "Again: 34,535 people were killed in Gaza, the ministry says. Lin Jian spoke later."
STATEMENT = "The ministry's statement: 34,535 people were killed, counted by name and ID number."
CLAIM = "34,535 people were killed in Gaza"


def _extent(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _seeded(tmp_path: Path) -> tuple[Store, Path]:
    store, path = make_store(
        tmp_path, [("Talks fail", FIRST), ("Again", SECOND), ("Statement", STATEMENT)]
    )
    store.set_role("admin", "admin", actor="admin")  # the first person is the admin
    store.set_role(ANNOTATOR, "annotator", actor="admin")
    store.set_role("carol", "reviewer", actor="admin")
    return store, path


def _claim_check(store: Store, doc: int = 1, text: str = FIRST) -> str:
    span = store.add_span(doc, ANNOTATOR, *_extent(text, CLAIM), "claim")
    return store.create_check(span.id, user=ANNOTATOR).uid


def form(app: FactmarkApp) -> CheckScreen:
    screen = app.screen
    assert isinstance(screen, CheckScreen), f"expected the check form, got {screen!r}"
    return screen


async def _open(pilot, uid: str) -> CheckScreen:
    await settle(pilot)
    pilot.app.open_check(uid)
    await settle(pilot)
    return form(pilot.app)


async def test_the_form_shows_every_field_at_80x24(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        await _open(pilot, uid)
        lines = screen_text(pilot.app).splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        assert lines[0].startswith(f" Check {uid} · new · no verdict · 1 appearance")
        starts = [line.strip().split("  ")[0] for line in lines]
        for title in FIELD_TITLES.values():
            assert title in starts, f"{title} is not on the screen"
        for section in ("Evidence (0)", "Appearances (1)", "History"):
            assert section in starts
        assert f"“{CLAIM}”" in screen_text(pilot.app)  # the appearance
        # The focus is in a field, where `?` is typed: the footer names F1 for help.
        assert lines[-1].startswith("f1 Help esc Back ^s Save field ^f Search for appearances")


def _stored(path: Path, uid: str):
    with Store.open(path) as store:
        return store.check(uid)


async def test_every_field_and_list_is_reached_with_tab(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        assert screen.focused is not None and screen.focused.id == "f-claim"
        reached = []
        for _ in range(14):
            await pilot.press("tab")
            focused = screen.focused
            reached.append(focused.id if focused is not None else None)
            assert focused is not None and focused.region.height > 0
            assert screen.query_one("#check-body").region.contains_region(focused.region) or (
                focused.id in ("f-claim",)
            ), f"{focused.id} is focused but not on screen"
        wanted = [f"f-{f}" for f in ("status", "assignee", "claimant", "rating", "explanation")]
        wanted += ["f-summary", "f-url", "f-date", "evidence", "appearances", "history"]
        assert reached[: len(wanted)] == wanted


async def test_an_invalid_value_is_said_beside_its_field_and_not_saved(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        screen.query_one("#f-url").focus()
        await pilot.press(*"ftp://example.org/x")
        url_line = next(line for line in screen_text(pilot.app).splitlines() if "ftp://" in line)
        assert "✗ a URL starts with" in url_line  # beside the field, as it is typed
        await pilot.press("enter")
        await settle(pilot)
        assert "Verdict URL not saved: a URL starts with http" in screen_text(pilot.app)
        await pilot.press("tab")  # leaving the field does not save it either
        await settle(pilot)
        screen.query_one("#f-summary").focus()
        await pilot.press(*("x" * 76))
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(pilot.app)
        assert "76/75" in text
        assert "Summary not saved: a summary has at most 75 characters" in text
        screen.query_one("#f-date").focus()
        await pilot.press(*"2024-02-30", "enter")
        await settle(pilot)
        assert "Verdict date not saved: a date is written YYYY-MM-DD" in screen_text(pilot.app)
    check = _stored(path, uid)
    assert (check.url, check.summary, check.date) == (None, None, None)


async def test_a_valid_change_is_saved_before_it_shows_as_saved(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        screen.query_one("#f-summary").focus()
        await pilot.press(*"The toll is the ministry's", "enter")
        await settle(pilot)
        assert "✓ saved" in screen_text(pilot.app)
        assert _stored(path, uid).summary == "The toll is the ministry's"
        screen.query_one("#f-url").focus()
        await pilot.press(*"https://factcheck.example.org/toll")
        await pilot.press("tab")  # leaving a valid edited field saves it
        await settle(pilot)
        assert _stored(path, uid).url == "https://factcheck.example.org/toll"
        assert "Saved the verdict url: https://factcheck.example.org/toll." in screen_text(
            pilot.app
        )


async def _choose(pilot, screen: CheckScreen, field: str, value: str) -> None:
    """Choose `value` in a choice field with the keyboard: enter opens it, ↓ moves, enter picks."""
    select = screen.query_one(f"#f-{field}", Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    for _ in range(12):
        overlay = select.query_one(SelectOverlay)
        option = overlay.get_option_at_index(overlay.highlighted or 0)
        if option.id == value or str(option.prompt) == value or value in str(option.prompt):
            break
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


def _status_line(app: FactmarkApp) -> str:
    return screen_text(app).splitlines()[-2].strip()


async def test_publishing_is_refused_for_the_verdicts_author_and_done_by_a_second_reviewer(
    tmp_path: Path,
) -> None:
    store, path = _seeded(tmp_path)
    store.set_role("dave", "reviewer", actor="admin")
    uid = _claim_check(store)
    app = make_app(store, "carol", Config(), start="annotate", doc_id=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        await _choose(pilot, screen, "rating", "False")
        assert _stored(path, uid).rating == "False"
        await _choose(pilot, screen, "status", "published")
        line = _status_line(pilot.app)
        assert line.startswith(f"carol wrote the verdict of check {uid}: another reviewer must")
        assert screen.query_one("#f-status", Select).selection == "new"  # what is stored
        assert _stored(path, uid).status == "new"
    app = make_app(store, "dave", Config(), start="annotate", doc_id=1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        await _choose(pilot, screen, "status", "published")
        assert _status_line(pilot.app) == "Saved the status: published."
        assert "signed off by dave" in screen_text(pilot.app)
    check = _stored(path, uid)
    assert (check.status, check.reviewed_by, check.verdict_by) == ("published", "dave", "carol")


async def test_an_annotator_cannot_publish_and_is_told_in_one_line(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    store.set_check_field(uid, "rating", "False", expected=None, user="carol")
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        await _choose(pilot, screen, "status", "published")
        assert _status_line(pilot.app) == (
            "alice is an annotator: only reviewers and admins publish a check"
        )
    assert _stored(path, uid).status == "new"


async def test_evidence_is_added_edited_and_removed(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        screen.query_one("#evidence").focus()
        await pilot.press("a")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, EvidenceDialog)
        await pilot.press(*"www.health.gov/toll")  # not http(s): said, and ctrl+s refuses
        assert "✗ a URL starts with" in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        assert pilot.app.screen is dialog
        await pilot.press("home", *"https://")
        await pilot.press("enter", *"Daily toll", "enter", *"Ministry of Health", "enter")
        await pilot.press(*"2024-05-01", "enter")
        accessed = dialog.query_one("#e-accessed", Input)
        assert accessed.value  # a new item was accessed today
        await pilot.press("enter", "enter")  # accessed, archived: as they are
        await pilot.press(*"34,535 killed, counted by name")
        await pilot.press("ctrl+s")  # no stance yet: said, not saved
        assert pilot.app.screen is dialog
        assert "Stance: choose a stance" in screen_text(pilot.app)
        dialog.query_one("#e-stance", Select).focus()
        await pilot.press("enter", "down", "enter")  # supports
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert _status_line(pilot.app) == "Added supports evidence: Daily toll."
        [item] = _stored(path, uid).evidence
        assert (item.url, item.title, item.publisher, item.published, item.stance) == (
            "https://www.health.gov/toll",
            "Daily toll",
            "Ministry of Health",
            "2024-05-01",
            "supports",
        )
        assert item.excerpt == "34,535 killed, counted by name"
        assert "supports  Daily toll · Ministry of Health · 2024-05-01" in screen_text(pilot.app)

        await pilot.press("enter")  # edit the highlighted item
        await settle(pilot)
        title = pilot.app.screen.query_one("#e-title", Input)
        title.focus()
        await pilot.press("end", *" (updated)", "ctrl+s")
        await settle(pilot)
        assert _stored(path, uid).evidence[0].title == "Daily toll (updated)"

        await pilot.press("x")
        assert "Press x again to remove" in _status_line(pilot.app)
        assert len(_stored(path, uid).evidence) == 1
        await pilot.press("x")
        await settle(pilot)
        assert _stored(path, uid).evidence == ()
        assert _status_line(pilot.app) == "Removed the evidence “Daily toll (updated)”."
        history = screen_text(pilot.app)
        assert "evidence: “Daily toll (updated)” → —" in history


async def test_enter_on_an_appearance_opens_its_document_at_the_span(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path)
    uid = _claim_check(store)
    second = store.add_span(2, "carol", *_extent(SECOND, CLAIM), "claim")
    store.attach_appearance(uid, second.id, user="carol")
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        rows = [line for line in screen_text(pilot.app).splitlines() if "“34,535" in line]
        assert rows[0].lstrip().startswith("★ Talks fail")  # no dates: the first stored first
        screen.query_one("#appearances").focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        annotate = annotate_screen(pilot.app)
        assert annotate.document is not None and annotate.document.id == 2
        assert annotate.article.cursor == SECOND.index(CLAIM)
        assert f"At {SECOND.index(CLAIM)}: “{CLAIM}”" in screen_text(pilot.app)


async def test_the_first_published_appearance_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "factmark.db"
    store = Store.open(path)
    items = [
        ImportItem(Article(text=FIRST, title="Later", published="2024-05-02"), (), None, "a"),
        ImportItem(Article(text=SECOND, title="Earlier", published="2024-04-30"), (), None, "b"),
    ]
    store.import_items(items)
    store.set_role("admin", "admin", actor="admin")
    store.set_role(ANNOTATOR, "annotator", actor="admin")
    uid = _claim_check(store)
    second = store.add_span(2, ANNOTATOR, *_extent(SECOND, CLAIM), "claim")
    store.attach_appearance(uid, second.id, user=ANNOTATOR)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        await _open(pilot, uid)
        rows = [line.strip() for line in screen_text(pilot.app).splitlines() if "“34,535" in line]
        assert rows[0].startswith("Later · 2024-05-02  “34,535")
        assert rows[1].startswith("★ Earlier · 2024-04-30  “34,535")


async def test_the_history_shows_who_changed_what_from_what_to_what(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path)
    uid = _claim_check(store)
    store.set_check_field(uid, "rating", "Mostly false", expected=None, user="carol")
    store.set_check_field(uid, "rating", "False", expected="Mostly false", user="carol")
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        screen.query_one("#f-summary").focus()
        await pilot.press(*"Counted by name", "enter")
        await settle(pilot)
        history = [line.strip() for line in screen_text(pilot.app).splitlines()]
        start = history.index("History")
        rows = [row.split(" ", 2)[2] for row in history[start + 1 : start + 4]]  # no timestamp
        assert rows == [
            "alice summary: — → Counted by name",
            "carol rating: Mostly false → False",
            "carol rating: — → Mostly false",
        ]


async def test_a_field_changed_by_someone_else_is_refused_in_one_line_and_reloaded(
    tmp_path: Path,
) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        screen.query_one("#f-summary").focus()
        await pilot.press(*"Mine")
        # Meanwhile, in another process, carol writes the summary.
        with Store.open(path) as other:
            other.set_check_field(uid, "summary", "Hers", expected=None, user="carol")
        await pilot.press("enter")
        await settle(pilot)
        line = _status_line(pilot.app)
        assert line.startswith(f"check {uid} changed under you: carol set its summary")
        assert screen.query_one("#f-summary", Input).value == "Hers"  # the form reloaded
    assert _stored(path, uid).summary == "Hers"


async def test_the_claimant_is_picked_from_the_proposed_entities(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    claim = store.spans(1, ANNOTATOR)[0]
    store.create_entity("Zhao Lijian")  # more entities than the proposed one
    lin = store.create_entity("Lin Jian")
    actor = store.add_span(1, ANNOTATOR, *_extent(FIRST, "Lin Jian"), "actor")
    store.name_entity(actor.id, ANNOTATOR, lin.id)
    store.add_relation(1, ANNOTATOR, claim.id, actor.id, "said_by")
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        assert "proposed: Lin Jian" in screen_text(pilot.app)
        screen.query_one("#f-claimant").focus()
        await pilot.press("enter")
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, EntityPicker)
        first = picker.options.get_option_at_index(0)
        assert "Lin Jian" in str(first.prompt) and "proposed" in str(first.prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert _status_line(pilot.app) == "Saved the claimant."
        assert "Lin Jian (Person)" in screen_text(pilot.app)
    check = _stored(path, uid)
    assert check.claimant is not None and check.claimant.uid == lin.uid


async def test_choices_and_the_explanation_are_saved_as_made(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        await _choose(pilot, screen, "assignee", "carol")
        assert _stored(path, uid).assignee == "carol"
        await _choose(pilot, screen, "rating", "Mostly false (2)")  # the scale's values shown
        assert _stored(path, uid).rating == "Mostly false"
        screen.query_one("#f-explanation").focus()
        await pilot.press(*"The ministry counts by name; Iraq? no.")  # q and ? are text here
        assert "edited: ctrl+s saves" in screen_text(pilot.app)
        assert _stored(path, uid).explanation is None  # not saved until asked (or left)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _stored(path, uid).explanation == "The ministry counts by name; Iraq? no."
        assert _status_line(pilot.app).startswith("Saved the explanation: The ministry counts")


async def test_escape_over_an_unsaved_edit_warns_once_then_leaves_without_it(
    tmp_path: Path,
) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        screen.query_one("#f-summary").focus()
        await pilot.press(*"Half typed")
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert _status_line(pilot.app) == (
            "Not saved: summary (enter saves). esc again leaves without them."
        )
        await pilot.press("escape")
        await settle(pilot)
        annotate_screen(pilot.app)
    assert _stored(path, uid).summary is None


async def test_untrusted_text_is_shown_as_it_is_never_as_markup(tmp_path: Path) -> None:
    store, path = _seeded(tmp_path)
    span = store.add_span(1, ANNOTATOR, *_extent(FIRST, CLAIM), "claim")
    uid = store.create_check(span.id, claim="[bold]34,535[/bold] [link=x]dead[/]", user="carol").uid
    store.add_evidence(
        uid, {"url": "https://example.org/a", "title": "[red]Toll[/red]", "stance": "supports"}
    )
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        await _open(pilot, uid)
        text = screen_text(pilot.app)
        assert "[bold]34,535[/bold] [link=x]dead[/]" in text
        assert "supports  [red]Toll[/red]" in text


async def test_a_click_on_an_appearance_opens_its_document(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path)
    uid = _claim_check(store)
    second = store.add_span(2, "carol", *_extent(SECOND, CLAIM), "claim")
    store.attach_appearance(uid, second.id, user="carol")
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        await _open(pilot, uid)
        await pilot.click("#appearances", offset=(10, 1))
        await settle(pilot)
        annotate = annotate_screen(pilot.app)
        assert annotate.document is not None and annotate.document.id == 2
        assert annotate.article.cursor == SECOND.index(CLAIM)


async def test_the_form_says_what_was_checked_before(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path)
    uid = _claim_check(store)
    alike = ExternalCheck(
        claim="34,535 people were killed in Gaza, says the ministry",
        rating="False",
        publisher="PolitiFact",
        url="https://politifact.example/toll",
        date="2024-05-02",
    )
    unlike = ExternalCheck(claim="The moon is made of cheese", rating="False", publisher="Snopes")
    store.add_external_checks([alike, unlike], "reviews.json", user="carol")
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        await _open(pilot, uid)
        text = screen_text(pilot.app)
        assert "checked before: PolitiFact, False, 2024-05-02" in text
        assert "Snopes" not in text


async def test_ctrl_f_searches_the_corpus_for_the_claim_and_c_attaches_a_match(
    tmp_path: Path,
) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        await pilot.press("ctrl+f")
        await settle(pilot)
        search = pilot.app.screen
        assert isinstance(search, SearchScreen)
        assert search.check_uid == uid
        assert {hit.document_id for hit in search.hits} >= {2}
        await settle(pilot)
        while search.highlighted_hit() is not None and search.highlighted_hit().document_id != 2:
            await pilot.press("down")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert "2 appearances" in screen_text(pilot.app)  # the form read the check again
    assert [a.document_id for a in _stored(path, uid).appearances] == [1, 2]


async def test_a_stored_value_the_configuration_lacks_is_shown_and_never_lost(
    tmp_path: Path,
) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    store.set_check_field(uid, "rating", "Mostly false", expected=None, user="carol")
    scale = CheckSettings(ratings=(RatingDef("Correct", 1), RatingDef("Incorrect", 0)))
    app = make_app(store, ANNOTATOR, Config(checks=scale), start="annotate", doc_id=1)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, uid)
        assert "Mostly false (not configured)" in screen_text(pilot.app)
        await settle(pilot)
    assert _stored(path, uid).rating == "Mostly false"


async def test_evidence_the_store_refuses_comes_back_with_the_reason_and_what_was_typed(
    tmp_path: Path,
) -> None:
    store, path = _seeded(tmp_path)
    uid = _claim_check(store)
    async with annotate_app(store).run_test(size=SIZE) as pilot:
        screen = await _open(pilot, uid)
        screen.query_one("#evidence").focus()
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter", *"A title only")  # no URL, no document: the store refuses
        dialog = pilot.app.screen
        assert isinstance(dialog, EvidenceDialog)
        dialog.query_one("#e-stance", Select).focus()
        await pilot.press("enter", "down", "down", "enter", "ctrl+s")  # refutes
        await settle(pilot)
        again = pilot.app.screen
        assert isinstance(again, EvidenceDialog) and again is not dialog
        assert "evidence needs a URL or a stretch of a stored document" in screen_text(pilot.app)
        assert again.value("title") == "A title only" and again.value("stance") == "refutes"
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
    assert _stored(path, uid).evidence == ()
