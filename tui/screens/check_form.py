"""The check form: one check's claim, workflow, verdict, evidence, appearances and history.

`CheckScreen(uid)` is pushed over the screen that opened it (the annotate screen's `c`, the
claims screen's `enter`); `escape` goes back. It fits 80×24: one line per field, the lists under
them in one scrolling body, `tab` / `shift+tab` through every field and list.

Every change is committed before it shows as saved, like spans: a field validates as you type
(`vocabulary.checks`: a URL that is not http(s), a date that is not YYYY-MM-DD, a summary over 75
characters) and says its problem beside it; a valid edit is written when you press `enter` (the
explanation: `ctrl+s`) or leave the field, a choice (status, assignee, rating, claimant) when
made. The write names the value the form showed (`expected=`): if someone changed the field
since, the store refuses it (`CheckConflict`), the form says so in one line and reloads. A
refused status move (publishing without the right, or as the verdict's own author when a second
reviewer is required) is one line too, and the status shows what is stored.

The form's reads and writes are the store's: `check`, `check_history`, `proposed_claimants`,
`set_check_field`, `add_evidence`, `set_evidence_field`, `remove_evidence`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from store.errors import CheckConflict, StoreError
from tui import keys
from tui.check_messages import CheckLoaded, CheckRefused, CheckSaved
from tui.screens.base import FactmarkScreen, store_read
from tui.titles import cut_in_middle, one_line
from tui.widgets.annotation_pane import span_snippet
from tui.widgets.status_bars import SizeWarning
from tui.widgets.steady_footer import KeysFooter
from vocabulary.checks import SUMMARY_MAX
from vocabulary.checks import field_problem as check_field_problem
from vocabulary.external_checks import checked_before_line

if TYPE_CHECKING:
    from store import Store
    from store.desk_info import AppearanceInfo, CheckChange, CheckInfo, EvidenceInfo
    from store.info import EntityInfo
    from tui.screens.entity_picker import EntityChoice

FIELD_TITLES: dict[str, str] = {
    "claim": "Claim",
    "status": "Status",
    "assignee": "Assignee",
    "claimant": "Claimant",
    "rating": "Rating",
    "explanation": "Explanation",
    "summary": "Summary",
    "url": "Verdict URL",
    "date": "Verdict date",
}
TYPED_FIELDS = ("claim", "explanation", "summary", "url", "date")  # edited as text
CHOSEN_FIELDS = ("status", "assignee", "rating")  # Select widgets
FIRST_MARK = "★"  # the first appearance (earliest published)
ADD_EVIDENCE = "add"
CHECKED_BEFORE_SHOWN = 3  # other fact-checkers' reviews listed in the form, the likest first


def field_problem(field: str, value: str | None) -> str | None:
    """Why `value` cannot be saved in `field` (None: it can): the store's own rules."""
    return check_field_problem(field, value or "")


def shown_value(value: object) -> str:
    """A stored value as the history and the notes write it: an appearance or an evidence item
    (a dict in the history) by its text, title or URL."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        for key in ("text", "title", "url", "span_text", "excerpt", "uid"):
            if value.get(key):
                return f"“{one_line(str(value[key]))}”"
        return "…"
    return one_line(str(value))


class _FieldNote(Static):
    """What is true of a field's value now: saved, edited (and how to save it), or its problem."""


class _Claimant(Static, can_focus=True):
    """The claimant, chosen with the entity picker: `enter` or a click opens it."""

    BINDINGS = keys.bindings_for("check-claimant")

    @property
    def form(self) -> CheckScreen:
        screen = self.screen
        assert isinstance(screen, CheckScreen)
        return screen

    def action_pick(self) -> None:
        self.form.pick_claimant()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.form.pick_claimant()


class _EvidenceList(OptionList):
    """The check's evidence items, then the row that adds one."""

    BINDINGS = keys.bindings_for("check-evidence")

    @property
    def form(self) -> CheckScreen:
        screen = self.screen
        assert isinstance(screen, CheckScreen)
        return screen

    def action_add_evidence(self) -> None:
        self.form.add_evidence()

    def action_edit_evidence(self) -> None:
        self.form.edit_evidence(self.highlighted_id())

    def action_remove_evidence(self) -> None:
        self.form.remove_evidence(self.highlighted_id())

    def highlighted_id(self) -> str | None:
        index = self.highlighted
        if index is None:
            return None
        option = self.get_option_at_index(index)
        return str(option.id) if option.id is not None else None


class _AppearanceList(OptionList):
    """The claim spans that are appearances of the check; `enter` opens one's document."""

    BINDINGS = keys.bindings_for("check-appearances")

    def action_open_appearance(self) -> None:
        screen = self.screen
        assert isinstance(screen, CheckScreen)
        if self.highlighted is not None:
            screen.open_appearance(self.highlighted)


class _Body(VerticalScroll, can_focus=False):
    """The scrolling body: focus goes to its fields and lists, which it scrolls into view."""


class CheckScreen(FactmarkScreen):
    """The form of one check (`uid`); see the module docstring."""

    BINDINGS = keys.bindings_for("check")
    # The claim field takes focus once the check is read: typing before would be overwritten.
    AUTO_FOCUS = None

    def __init__(self, uid: str) -> None:
        super().__init__()
        self.uid = uid
        self._check: CheckInfo | None = None
        self._seen: dict[str, Any] = {}  # field -> the stored value the form showed
        self._saving: set[str] = set()
        self._proposed: list[EntityInfo] = []
        self._people: list[str] = []
        self._leaving = False  # escape pressed once over unsaved edits
        self._removing: str | None = None  # evidence uid that `x` once more removes
        self._form_closing = False
        self._after_load: str | None = None  # what the status line says once the check is read
        self._choices: dict[str, list[tuple[Text, str]]] = {}  # field -> its Select's options
        self._reset_on_load = True  # the first read and a conflict replace every field
        self._reload_on_resume = False

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        settings = self.factmark.config.checks
        statuses = [(Text(name), name) for name in settings.statuses]
        ratings = [
            (Text(r.name if r.value is None else f"{r.name} ({r.value:g})"), r.name)
            for r in settings.ratings
        ]
        self._choices = {"status": statuses, "rating": ratings}
        yield Static(id="check-title")
        with _Body(id="check-body"):
            yield from self._row("claim", Input(compact=True))
            yield from self._row("status", Select[str](statuses, allow_blank=False, compact=True))
            yield from self._row("assignee", Select[str]([], prompt="nobody", compact=True))
            yield from self._row("claimant", _Claimant())
            yield from self._row("rating", Select[str](ratings, prompt="no rating", compact=True))
            yield from self._row("explanation", TextArea(compact=True, soft_wrap=True))
            yield from self._row("summary", Input(compact=True))
            yield from self._row("url", Input(compact=True, placeholder="https://…"))
            yield from self._row("date", Input(compact=True, placeholder="YYYY-MM-DD"))
            yield Static(id="checked-before")
            yield Static(classes="check-section", id="evidence-heading")
            yield _EvidenceList(id="evidence")
            yield Static(classes="check-section", id="appearances-heading")
            yield _AppearanceList(id="appearances")
            yield Static(Text("History", "bold"), classes="check-section")
            yield OptionList(id="history")
        yield Static(id="check-status")
        yield KeysFooter(compact=True, show_command_palette=False)
        yield SizeWarning()

    def _row(self, field: str, widget: Widget) -> ComposeResult:
        widget.id = f"f-{field}"
        widget.add_class("check-field")
        with Horizontal(classes="check-row", id=f"row-{field}"):
            yield Static(Text(FIELD_TITLES[field]), classes="check-label")
            yield widget
            yield _FieldNote(classes="check-note", id=f"n-{field}")

    def on_mount(self) -> None:
        self.query_one("#check-title", Static).update(Text(f"Check {self.uid} · loading…"))
        self.load_check()

    def _field(self, field: str) -> Widget:
        return self.query_one(f"#f-{field}")

    def _note(self, field: str, text: Text | str = "") -> None:
        shown = text if isinstance(text, Text) else Text(text, "dim")
        if field == "summary":
            value = self._typed_value("summary") or ""
            count = Text(f"{len(value)}/{SUMMARY_MAX} ", "red" if len(value) > SUMMARY_MAX else "")
            shown = Text.assemble(count, shown)
        self.query_one(f"#n-{field}", _FieldNote).update(shown)

    def say(self, text: str) -> None:
        """The form's one-line status (plain text, whatever it contains)."""
        self.query_one("#check-status", Static).update(Text(one_line(text), no_wrap=True))

    def failure_said(self, what: str) -> None:
        self.say(f"Could not {what}; nothing was changed.")

    # -- reading -------------------------------------------------------------------------------

    @store_read("open the check", group="check-load")
    def load_check(self) -> Message:
        store = self.factmark.store
        check = store.check(self.uid)
        claimant = check.claimant
        # Checked before? Other fact-checkers' reviews of a claim like this one (by the same
        # claimant, under any of its spellings), the first question of every check.
        alike = store.external_checks_like(
            check.claim,
            claimant.name if claimant is not None else None,
            CHECKED_BEFORE_SHOWN,
            aliases=claimant.aliases if claimant is not None else (),
        )
        return CheckLoaded(
            check,
            store.check_history(self.uid),
            store.proposed_claimants(self.uid),
            [person.name for person in store.annotators()],
            [checked_before_line(external) for external in alike],
        )

    @on(CheckLoaded)
    def show_loaded(self, message: CheckLoaded) -> None:
        if message.check.uid != self.uid:
            return
        self._proposed, self._people = list(message.proposed), list(message.people)
        self._fill_assignees()
        self._show(message.check, message.history, reset=self._reset_on_load)
        self._reset_on_load = False
        self._show_checked_before(message.checked_before)
        self.factmark.note_check_opened(self.uid)
        if self.focused is None:
            self._field("claim").focus()
        said, self._after_load = self._after_load, None
        self.say(said or "tab moves between fields; enter saves a field; esc goes back.")

    def _fill_assignees(self) -> None:
        self._choices["assignee"] = [(Text(one_line(name)), name) for name in self._people]
        self.query_one("#f-assignee", Select).set_options(self._choices["assignee"])

    def _show(self, check: CheckInfo, history: list[CheckChange], reset: bool) -> None:
        """Show `check` as stored. Fields with edits not yet saved keep them (and the value they
        were edited from, so that saving them later is checked against it), unless `reset`."""
        self._check = check
        for field in FIELD_TITLES:
            if not reset and field in self._seen and self._is_edited(field):
                continue
            self._seen[field] = check.value(field)
            self._put(field, check.value(field))
            if field not in self._saving:
                self._note(field)
        self._show_claimant(check)
        self._show_title(check)
        self._show_evidence(check.evidence)
        self._show_appearances(check)
        self._show_history(history)

    def _put(self, field: str, value: object) -> None:
        widget = self._field(field)
        text = "" if value is None else str(value)
        if isinstance(widget, Input):
            widget.value = text
        elif isinstance(widget, TextArea):
            if widget.text != text:
                widget.load_text(text)
        elif isinstance(widget, Select):
            if value is None:
                widget.clear()
                return
            options = self._choices.setdefault(field, [])
            if all(option != value for _prompt, option in options):
                # A value the configuration no longer has (a renamed status, say) is shown as it
                # is stored: left out, the form would show none and could write that back.
                options.append((Text(f"{one_line(text)} (not configured)", "italic"), text))
                widget.set_options(options)
            widget.value = text

    def _show_title(self, check: CheckInfo) -> None:
        line = Text.assemble((f"Check {check.uid}", "bold"), f" · {check.status}")
        line.append(f" · {check.rating or 'no verdict'}")
        if check.reviewed_by:
            line.append(f" · signed off by {one_line(check.reviewed_by)}")
        appearances = len(check.appearances)
        line.append(f" · {appearances} appearance{'' if appearances == 1 else 's'}")
        line.append(f" · {len(check.evidence)} evidence")
        line.no_wrap, line.overflow = True, "ellipsis"
        self.query_one("#check-title", Static).update(line)

    def _show_claimant(self, check: CheckInfo) -> None:
        claimant = check.claimant
        line = Text()
        if claimant is None:
            line.append("nobody yet", "dim")
        else:
            line.append(cut_in_middle(one_line(claimant.name), 30), "bold")
            line.append(f" ({claimant.type})", "dim")
        others = [e for e in self._proposed if claimant is None or e.id != claimant.id]
        if others:
            line.append(f"  proposed: {cut_in_middle(one_line(others[0].name), 24)}", "italic")
        line.no_wrap, line.overflow = True, "ellipsis"
        self.query_one("#f-claimant", _Claimant).update(line)
        if "claimant" not in self._saving:
            self._note("claimant", "enter picks")

    def _show_evidence(self, items: tuple[EvidenceInfo, ...]) -> None:
        heading = Text(f"Evidence ({len(items)})", "bold")
        heading.append("  a adds · enter edits · x removes", "dim")
        self.query_one("#evidence-heading", Static).update(heading)
        rows = [Option(evidence_prompt(item), id=item.uid) for item in items]
        rows.append(Option(Text("+ add evidence (a)", "italic"), id=ADD_EVIDENCE))
        listing = self.query_one("#evidence", _EvidenceList)
        keep = listing.highlighted
        listing.set_options(rows)
        listing.highlighted = min(keep, len(rows) - 1) if keep is not None else 0

    def _show_appearances(self, check: CheckInfo) -> None:
        heading = Text(f"Appearances ({len(check.appearances)})", "bold")
        heading.append(f"  {FIRST_MARK} first published · enter opens it", "dim")
        self.query_one("#appearances-heading", Static).update(heading)
        first = check.first_appearance
        rows = [
            Option(
                appearance_prompt(a, first is not None and a.span_id == first.span_id),
                id=str(a.span_id),
            )
            for a in check.appearances
        ]
        listing = self.query_one("#appearances", _AppearanceList)
        keep = listing.highlighted
        listing.set_options(rows)
        if rows:
            listing.highlighted = min(keep, len(rows) - 1) if keep is not None else 0

    def _show_checked_before(self, lines: list[str]) -> None:
        shown = self.query_one("#checked-before", Static)
        text = Text("\n".join(one_line(line) for line in lines), "italic")
        text.no_wrap, text.overflow = True, "ellipsis"
        shown.update(text)
        shown.set_class(bool(lines), "-shown")

    def _show_history(self, history: list[CheckChange]) -> None:
        listing = self.query_one("#history", OptionList)
        rows = [Option(change_prompt(change)) for change in reversed(history)]  # latest first
        listing.set_options(rows or [Option(Text("no changes yet", "dim"), disabled=True)])

    # -- typing --------------------------------------------------------------------------------

    def _typed_value(self, field: str) -> str | None:
        widget = self._field(field)
        if isinstance(widget, TextArea):
            text = widget.text
        else:
            assert isinstance(widget, Input)
            text = widget.value
        if field == "claim":
            return text
        return text.strip() or None

    def _value(self, field: str) -> Any:
        if field in TYPED_FIELDS:
            return self._typed_value(field)
        if field == "claimant":
            return self._seen.get("claimant")
        widget = self._field(field)
        assert isinstance(widget, Select)
        return widget.selection

    def _is_edited(self, field: str) -> bool:
        if field not in self._seen:
            return False
        return self._value(field) != self._seen[field]

    def _unsaved(self) -> list[str]:
        return [f for f in TYPED_FIELDS if self._is_edited(f) and f not in self._saving]

    @on(Input.Changed, ".check-field")
    @on(TextArea.Changed, ".check-field")
    def typed(self, event: Input.Changed | TextArea.Changed) -> None:
        field = (event.control.id or "").removeprefix("f-")
        if field not in TYPED_FIELDS or field not in self._seen:
            return
        self._leaving = False
        problem = field_problem(field, self._typed_value(field))
        if problem is not None:
            self._note(field, Text(f"✗ {problem}", "red"))
        elif self._is_edited(field):
            how = "ctrl+s" if field == "explanation" else "enter"
            self._note(field, Text(f"edited: {how} saves", "yellow"))
        else:
            self._note(field, "")

    @on(Input.Submitted, ".check-field")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._commit((event.control.id or "").removeprefix("f-"))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if self._form_closing:
            return
        field = (event.widget.id or "").removeprefix("f-")
        if field in TYPED_FIELDS and self._is_edited(field):
            self._commit(field)

    def action_save_field(self) -> None:
        focused = self.focused
        field = (focused.id or "").removeprefix("f-") if focused is not None else ""
        if field in TYPED_FIELDS:
            self._commit(field)
        else:
            self.say("Put the cursor in a field to save it (choices are saved as made).")

    @on(Select.Changed, ".check-field")
    def chosen(self, event: Select.Changed) -> None:
        field = (event.control.id or "").removeprefix("f-")
        if field in CHOSEN_FIELDS and field in self._seen and self._is_edited(field):
            self._commit(field)

    # -- writing -------------------------------------------------------------------------------

    def _commit(self, field: str, value: Any = None, *, said: str | None = None) -> None:
        """Write `field` (its value in the form, or `value` for the claimant) if it changed."""
        if field != "claimant":
            value = self._value(field)
        problem = field_problem(field, value) if field in TYPED_FIELDS else None
        if problem is not None:
            self._note(field, Text(f"✗ {problem}", "red"))
            self.say(f"{FIELD_TITLES[field]} not saved: {problem}.")
            return
        expected = self._seen.get(field)
        if value == expected:
            return
        uid, user = self.uid, self.factmark.annotator
        settings = self.factmark.config.checks
        title = FIELD_TITLES[field].lower()
        done = said or f"Saved the {title}: {shown_value(value)}."
        self._saving.add(field)
        self._note(field, "saving…")

        def write(store: Store) -> CheckInfo:
            return store.set_check_field(
                uid, field, value, expected=expected, user=user, settings=settings
            )

        self._write(write, field, done, f"save the check's {title}")

    def _write(
        self,
        write: Callable[[Store], CheckInfo],
        field: str,
        said: str,
        what: str,
        *,
        draft: dict[str, str | None] | None = None,
        evidence_uid: str | None = None,
    ) -> None:
        """Run `write` in the write queue; the form shows its result when it comes back."""
        uid = self.uid

        def job(store: Store) -> Message:
            try:
                check = write(store)
            except StoreError as error:  # a refusal is one line; CheckConflict: reload
                conflict = isinstance(error, CheckConflict)
                return CheckRefused(uid, field, str(error), conflict, draft, evidence_uid)
            return CheckSaved(check, store.check_history(uid), field, said)

        self.factmark.submit_write(job, self, what)

    @on(CheckSaved)
    def show_saved(self, message: CheckSaved) -> None:
        if message.check.uid != self.uid:
            return
        field = message.field
        self._saving.discard(field)
        if field in FIELD_TITLES:
            self._seen.pop(field, None)  # take what is stored, whatever the field shows
        self._show(message.check, message.history, reset=False)
        if field in FIELD_TITLES:
            self._note(field, Text("✓ saved", "green"))
        self.say(message.said)

    @on(CheckRefused)
    def show_refused(self, message: CheckRefused) -> None:
        if message.uid != self.uid:
            return
        field = message.field
        self._saving.discard(field)
        if message.conflict:
            # The form reloads (what is stored now; edits not yet saved are dropped): the line
            # says so instead of the store's "reopen it".
            self._after_load = message.reason.removesuffix("; reopen it") + " (reloaded)"
            self.say(self._after_load)
            self._reset_on_load = True
            self.load_check()
            return
        self.say(message.reason)
        if field in FIELD_TITLES:
            if field in CHOSEN_FIELDS or field == "claimant":
                self._put(field, self._seen.get(field))  # back to what is stored
                self._note(field, Text("✗ refused", "red"))
            else:
                self._note(field, Text("✗ not saved", "red"))
        if message.draft is not None:  # the evidence as typed, with the reason, to fix
            self._open_evidence_dialog(message.evidence_uid, message.draft, message.reason)

    # -- the claimant --------------------------------------------------------------------------

    def pick_claimant(self) -> None:
        check = self._check
        if check is None:
            return
        from tui.screens.entity_picker import EntityPicker, EntitySubject

        heading = Text.assemble(("Claimant of ", "bold"), f"“{span_snippet(check.claim, 50)}”")
        current = check.claimant.ref if check.claimant is not None else None
        if check.claimant is not None:
            heading.append(f"  (now: {one_line(check.claimant.name)})", "dim")
        subject = EntitySubject(heading, "", current, tuple(self._proposed))
        self.app.push_screen(EntityPicker(subject), self._claimant_chosen)

    def _claimant_chosen(self, choice: EntityChoice | None) -> None:
        if choice is None:
            self.say("Claimant unchanged.")
            return
        check = self._check
        if check is None:
            return
        uid, user, expected = self.uid, self.factmark.annotator, self._seen.get("claimant")
        settings = self.factmark.config.checks

        def write(store: Store) -> CheckInfo:
            claimant = None
            if choice.new_name is not None and choice.new_type is not None:
                claimant = store.create_entity(choice.new_name, choice.new_type).uid
            elif choice.entity_id is not None:
                claimant = store.entity(choice.entity_id).uid
            return store.set_check_field(
                uid,
                "claimant",
                claimant,
                expected=expected,
                user=user,
                settings=settings,
            )

        self._saving.add("claimant")
        self._note("claimant", "saving…")
        self._write(write, "claimant", "Saved the claimant.", "save the claimant")

    # -- evidence ------------------------------------------------------------------------------

    def _evidence(self, evidence_uid: str | None) -> EvidenceInfo | None:
        check = self._check
        if check is None or evidence_uid is None:
            return None
        return next((item for item in check.evidence if item.uid == evidence_uid), None)

    def add_evidence(self) -> None:
        self._open_evidence_dialog(None, None, None)

    def edit_evidence(self, evidence_uid: str | None) -> None:
        if evidence_uid == ADD_EVIDENCE or evidence_uid is None:
            self.add_evidence()
            return
        item = self._evidence(evidence_uid)
        if item is not None:
            self._open_evidence_dialog(evidence_uid, None, None)

    def _open_evidence_dialog(
        self,
        evidence_uid: str | None,
        draft: dict[str, str | None] | None,
        problem: str | None,
    ) -> None:
        from tui.screens.evidence_dialog import EvidenceDialog, evidence_values

        item = self._evidence(evidence_uid)
        original = evidence_values(item) if item is not None else None
        values = draft if draft is not None else original
        pointer = None
        if item is not None and item.document_id is not None:
            pointer = f"a passage of {item.document_ext_id}: “{span_snippet(item.span_text or '')}”"
        heading = "Edit evidence" if item is not None else "Add evidence"
        dialog = EvidenceDialog(heading, values, problem=problem, pointer=pointer)

        def done(result: dict[str, str | None] | None) -> None:
            if result is None:
                self.say("Evidence unchanged.")
            elif original is None:
                self._write_new_evidence(result)
            else:
                self._write_evidence_edit(evidence_uid or "", original, result)

        self.app.push_screen(dialog, done)

    def _write_new_evidence(self, draft: dict[str, str | None]) -> None:
        uid, user = self.uid, self.factmark.annotator
        given: dict[str, Any] = {k: v for k, v in draft.items() if v is not None}

        def write(store: Store) -> CheckInfo:
            return store.add_evidence(uid, given, user=user)

        title = draft.get("title") or draft.get("url") or "evidence"
        said = f"Added {draft.get('stance')} evidence: {shown_value(title)}."
        self._write(write, "evidence", said, "add the evidence", draft=draft)

    def _write_evidence_edit(
        self, evidence_uid: str, original: dict[str, str | None], edited: dict[str, str | None]
    ) -> None:
        changed = [f for f in edited if edited[f] != original.get(f)]
        if not changed:
            self.say("Evidence unchanged.")
            return
        uid, user = self.uid, self.factmark.annotator

        def write(store: Store) -> CheckInfo:
            check: CheckInfo | None = None
            for field in changed:
                check = store.set_evidence_field(
                    uid, evidence_uid, field, edited[field], expected=original.get(field), user=user
                )
            assert check is not None
            return check

        said = f"Saved the evidence's {', '.join(changed)}."
        self._write(
            write,
            "evidence",
            said,
            "save the evidence",
            draft=edited,
            evidence_uid=evidence_uid,
        )

    def remove_evidence(self, evidence_uid: str | None) -> None:
        item = self._evidence(evidence_uid)
        if item is None:
            self.say("Nothing to remove here: put the highlight on an evidence item.")
            return
        if self._removing != item.uid:
            self._removing = item.uid
            self.say(f"Press x again to remove {evidence_title(item)} from the check.")
            return
        self._removing = None
        uid, user = self.uid, self.factmark.annotator

        def write(store: Store) -> CheckInfo:
            return store.remove_evidence(uid, item.uid, user=user)

        said = f"Removed the evidence {evidence_title(item)}."
        self._write(write, "evidence", said, "remove the evidence")

    @on(OptionList.OptionSelected, "#evidence")
    def evidence_clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = str(event.option.id) if event.option.id is not None else None
        self.edit_evidence(option_id)

    # -- appearances ---------------------------------------------------------------------------

    def open_appearance(self, index: int) -> None:
        check = self._check
        if check is None or not 0 <= index < len(check.appearances):
            return
        appearance = check.appearances[index]
        self.factmark.open_document_at(appearance.document_id, appearance.start, appearance.end)

    @on(OptionList.OptionSelected, "#appearances")
    def appearance_clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_appearance(event.option_index)

    # -- searching for more appearances --------------------------------------------------------

    def action_search(self) -> None:
        """Every stored document, searched for the claim: `c` on a result attaches it here."""
        check = self._check
        if check is None:
            return
        from tui.screens.search import SearchScreen

        self._reload_on_resume = True
        self.app.push_screen(SearchScreen(check_uid=check.uid, query=one_line(check.claim)))

    def on_screen_resume(self) -> None:
        # Back from the search screen: appearances may have been attached there. (Not after a
        # dialog: its write is on its way, and a read racing it could show the check before it.)
        if self._reload_on_resume and self._check is not None:
            self._reload_on_resume = False
            self.load_check()

    # -- leaving -------------------------------------------------------------------------------

    def action_back(self) -> None:
        unsaved = self._unsaved()
        if unsaved and not self._leaving:
            self._leaving = True
            names = ", ".join(FIELD_TITLES[f].lower() for f in unsaved)
            self.say(f"Not saved: {names} (enter saves). esc again leaves without them.")
            return
        self._form_closing = True
        self.dismiss()

    def on_key(self, event: events.Key) -> None:
        if event.key != "x" or not isinstance(self.focused, _EvidenceList):
            self._removing = None


def evidence_title(item: EvidenceInfo) -> str:
    """An evidence item in a few words: its title, else its URL, else its passage."""
    name = item.title or item.url or item.span_text or item.uid
    return f"“{cut_in_middle(one_line(name), 40)}”"


def evidence_prompt(item: EvidenceInfo) -> Text:
    prompt = Text.assemble((f"{item.stance or '?':<9}", "bold"), " ")
    if item.document_id is not None:
        prompt.append(f"“{span_snippet(item.span_text or '', 40)}” ")
        prompt.append(one_line(item.document_ext_id or ""), "dim")
    else:
        prompt.append(cut_in_middle(one_line(item.title or item.url or "untitled"), 40))
    for part in (item.publisher, item.published):
        if part:
            prompt.append(f" · {one_line(part)}", "dim")
    if item.url and item.title:
        prompt.append(f" · {one_line(item.url)}", "dim")
    prompt.no_wrap, prompt.overflow = True, "ellipsis"
    return prompt


def appearance_prompt(appearance: AppearanceInfo, first: bool) -> Text:
    prompt = Text.assemble((f"{FIRST_MARK} " if first else "  ", "bold"))
    prompt.append(cut_in_middle(one_line(appearance.title or appearance.document_ext_id), 30))
    for part in (appearance.outlet, appearance.published):
        if part:
            prompt.append(f" · {one_line(part)}", "dim")
    prompt.append(f"  “{span_snippet(appearance.text, 60)}”", "italic")
    prompt.no_wrap, prompt.overflow = True, "ellipsis"
    return prompt


def change_prompt(change: CheckChange) -> Text:
    when = change.at.strftime("%Y-%m-%d %H:%M")
    prompt = Text.assemble((when, "dim"), " ", (one_line(change.actor or "?"), "bold"))
    prompt.append(f" {change.field}: ")
    prompt.append(cut_in_middle(shown_value(change.old), 24), "dim")
    prompt.append(" → ")
    prompt.append(cut_in_middle(shown_value(change.new), 30))
    prompt.no_wrap, prompt.overflow = True, "ellipsis"
    return prompt
