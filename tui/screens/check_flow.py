"""Checks on the annotate screen: `c` opens a claim span's check, `E` makes a passage evidence.

`c` on a claim span opens the check it is an appearance of (`CheckScreen`, pushed over the
annotate screen). A claim span of no check yet gets a picker: first "New check: <its text>",
then the checks the store finds alike (`similar_checks`: same figures, shared words, the same
claimant; the reason is said on the row), then every other check, filtered as you type. Picking
one attaches the span (`attach_appearance`), the first row creates a check (`create_check`); the
form opens when the store has it.

`E` takes the selection (or the span under the cursor) as evidence for a check: a picker of
checks, those opened most recently in this session first, then the stance. The evidence item
points at that stretch of the document (`add_evidence` with `document_id`, `start`, `end`; no
span is made for it, so the annotator's layer and its agreement figures are untouched), and
carries what the document says of itself where it is valid (its URL, title, outlet, date) and
the passage as its excerpt, so that an export names the source without reading the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.message import Message

from store import SpanInfo
from tui.messages import (
    AppearanceChecks,
    CheckAttached,
    CheckOfSpan,
    ChecksListed,
    EvidenceAttached,
)
from tui.screens.base import DocumentScreen, store_read
from tui.screens.link_picker import LinkPicker, PickerRow
from tui.text_units import snap_selection
from tui.titles import one_line
from tui.widgets.annotation_pane import span_snippet
from vocabulary.checks import STANCES, field_problem
from vocabulary.names import CLAIM_LABEL

if TYPE_CHECKING:
    from store import DocumentInfo, Store
    from store.desk_info import CheckSummary
    from tui.widgets.annotation_pane import AnnotationPane
    from tui.widgets.article_view import ArticleView

STANCE_MEANINGS = {
    "supports": "the passage backs the claim up",
    "refutes": "the passage contradicts the claim",
    "context": "the passage explains or qualifies it",
}
_CHECK_HINT = "type to filter · ↑↓ choose · enter picks · click picks · esc cancels"
_READING_HINT = "reading the checks… · type to filter · enter picks · esc cancels"


@dataclass
class _CheckChoice:
    """The open check picker of `c`: the span, the picker, the check of each row (None: new)."""

    span: SpanInfo
    picker: LinkPicker
    uids: list[str | None] = field(default_factory=lambda: [None])
    closed: bool = False  # picked or cancelled
    replaced: bool = False  # closed because the span turned out to have a check


def check_row(summary: CheckSummary, reason: str | None = None) -> PickerRow:
    """A picker row for a check: its id, claim and state (and why it is proposed)."""
    prompt = Text.assemble(
        (summary.uid, "dim"), " ", (span_snippet(summary.claim, 44), "bold"), ("  ", "")
    )
    state = [summary.status]
    if summary.rating:
        state.append(summary.rating)
    if summary.claimant:
        state.append(one_line(summary.claimant))
    prompt.append(" · ".join(state), "dim")
    if reason:
        # Said before the rest, so that an ellipsis cannot hide why the check is proposed.
        prompt = Text.assemble((f"{reason}: ", "italic"), prompt)
    prompt.no_wrap = True
    prompt.overflow = "ellipsis"
    search = " ".join(
        part or "" for part in (summary.uid, summary.claim, summary.status, summary.claimant)
    )
    return PickerRow(prompt, search)


@dataclass
class _EvidenceChoice:
    """The open check picker of `E`: the passage, the picker, the checks of its rows."""

    document_id: int
    extent: tuple[int, int]
    picker: LinkPicker
    checks: list[CheckSummary] = field(default_factory=list)
    closed: bool = False
    said: str | None = None  # why there is nothing to choose


class CheckFlow(DocumentScreen):
    """The `c` and `E` keys of the annotate screen (AnnotateScreen is one of these)."""

    def __init__(self) -> None:
        super().__init__()
        self._check_choice: _CheckChoice | None = None
        self._evidence_choice: _EvidenceChoice | None = None
        self._appearance_checks: dict[int, str] = {}  # claim span id -> its check's id

    if TYPE_CHECKING:

        @property
        def document(self) -> DocumentInfo | None: ...

        @property
        def spans(self) -> list[SpanInfo]: ...

        @property
        def article(self) -> ArticleView: ...

        @property
        def pane(self) -> AnnotationPane: ...

        def _target_span(self) -> SpanInfo | None: ...

        def _is_current(self, doc_id: int) -> bool: ...

        def _replace_spans(self, spans: list[SpanInfo], highlight: int | None = None) -> None: ...

    # -- `c`: the check of a claim span --------------------------------------------------------

    def action_open_check(self) -> None:
        span = self._target_span()
        if span is None:
            self._say("No span here: put the cursor in a claim span to open its check.")
            return
        if span.label != CLAIM_LABEL:
            self._say(f"Only claim spans have checks; this is a {span.label} span.")
            return
        known = self._appearance_checks.get(span.id)
        if known is not None:
            self.factmark.open_check(known)
            return
        self._open_check_picker(span)

    def _open_check_picker(self, span: SpanInfo) -> None:
        """The picker opens at once with its "New check" row (keys typed right after `c` go to
        its filter, not to the annotate screen's keys); the checks to choose from join it when
        the store has read them, or, if the span turns out to be an appearance already, the
        picker gives way to its check's form."""
        new = Text.assemble(("New check: ", "bold"), f"“{span_snippet(span.text, 60)}”")
        new.no_wrap, new.overflow = True, "ellipsis"
        heading = f"Which check is “{span_snippet(span.text, 50)}”?"
        picker = LinkPicker(heading, [PickerRow(new, "new check")], hint=_READING_HINT, pinned=1)
        choice = _CheckChoice(span, picker)

        def picked(index: int | None) -> None:
            choice.closed = True
            if choice.replaced:
                return
            if index is None:
                self._say("No check opened.")
                return
            self._attach_to_check(span, choice.uids[index])

        self._check_choice = choice
        self.app.push_screen(picker, picked)
        self.read_check_choices(span)

    @store_read("find the claim's check", group="check-of-span")
    def read_check_choices(self, span: SpanInfo) -> Message:
        store = self.factmark.store
        check = store.check_of_span(span.id)
        if check is not None:
            return CheckOfSpan(span, check)
        settings = self.factmark.config.checks
        similar = store.similar_checks(span.id, settings=settings)
        proposed = {summary.uid for summary, _score, _reason in similar}
        checks = store.checks(settings=settings)
        others = [summary for summary in checks if summary.uid not in proposed]
        return CheckOfSpan(span, None, similar, others)

    @on(CheckOfSpan)
    def show_check_choices(self, message: CheckOfSpan) -> None:
        choice = self._check_choice
        if choice is None or choice.span.id != message.span.id or choice.closed:
            return  # picked or cancelled before the checks were read
        self._check_choice = None
        if message.check is not None:  # an appearance already (attached elsewhere)
            self._appearance_checks[message.span.id] = message.check.uid
            self._replace_spans(self.spans)
            choice.replaced = True
            choice.picker.action_cancel()
            self.factmark.open_check(message.check.uid)
            return
        rows = []
        for summary, _score, reason in message.similar:
            rows.append(check_row(summary, reason))
            choice.uids.append(summary.uid)
        for summary in message.others:
            rows.append(check_row(summary))
            choice.uids.append(summary.uid)
        choice.picker.add_rows(rows, hint=_CHECK_HINT)

    def load_appearance_checks(self, document_id: int, spans: list[SpanInfo]) -> None:
        """Learn which of the document's claim spans are appearances of a check (`c` then opens
        the form at once)."""
        self._appearance_checks = {}
        claims = [span.id for span in spans if span.label == CLAIM_LABEL]
        if claims:
            self.read_appearance_checks(document_id, claims)

    @store_read("read the claims' checks", group="appearance-checks")
    def read_appearance_checks(self, document_id: int, span_ids: list[int]) -> Message:
        return AppearanceChecks(document_id, self.factmark.store.checks_of_spans(span_ids))

    @on(AppearanceChecks)
    def take_appearance_checks(self, message: AppearanceChecks) -> None:
        if self._is_current(message.document_id) and message.checks:
            self._appearance_checks.update(message.checks)
            self._replace_spans(self.spans)  # the pane marks them

    def _attach_to_check(self, span: SpanInfo, uid: str | None) -> None:
        user, settings = self.factmark.annotator, self.factmark.config.checks

        def attach(store: Store) -> CheckAttached:
            if uid is None:
                check = store.create_check(span.id, user=user, settings=settings)
                return CheckAttached(span, check, True)
            return CheckAttached(span, store.attach_appearance(uid, span.id, user=user), False)

        what = "make the check" if uid is None else f"attach the claim to check {uid}"
        self.factmark.submit_write(attach, self, what)

    @on(CheckAttached)
    def show_attached(self, message: CheckAttached) -> None:
        check = message.check
        self._appearance_checks[message.span.id] = check.uid
        self._replace_spans(self.spans)
        if message.created:
            self._say(f"Made check {check.uid} from “{span_snippet(message.span.text)}”.")
        else:
            count = len(check.appearances)
            self._say(f"Attached to check {check.uid} ({count} appearances).")
        self.factmark.open_check(check.uid)

    # -- `E`: a passage as evidence --------------------------------------------------------------

    def action_evidence_from_text(self) -> None:
        """`E`: the passage's check picker opens at once (keys typed after `E` filter it); the
        checks join it when read, those opened lately in this session first."""
        document = self.document
        if document is None:
            return
        extent = self._passage_extent(document)
        if extent is None:
            self._say("Nothing to use as evidence: select the passage first (v, shift+arrows).")
            return
        start, end = extent
        heading = f"Evidence “{span_snippet(document.text[start:end], 40)}” for which check?"
        picker = LinkPicker(heading, [], hint=_READING_HINT)
        choice = _EvidenceChoice(document.id, extent, picker)

        def picked(index: int | None) -> None:
            choice.closed = True
            if index is None or index >= len(choice.checks):  # cancelled, or no check to pick
                self._say(choice.said or "No evidence added.")
                return
            self._choose_stance(choice.checks[index], extent)

        self._evidence_choice = choice
        self.app.push_screen(picker, picked)
        self.read_checks_for_evidence(document.id, extent)

    def _passage_extent(self, document: DocumentInfo) -> tuple[int, int] | None:
        selection = self.article.selection
        if selection is not None:
            start, end = snap_selection(document.text, *selection)
            return (start, end) if start < end else None
        span = self._target_span()
        return (span.start, span.end) if span is not None else None

    @store_read("read the checks", group="checks-for-evidence")
    def read_checks_for_evidence(self, doc_id: int, extent: tuple[int, int]) -> Message:
        checks = self.factmark.store.checks(settings=self.factmark.config.checks)
        return ChecksListed(doc_id, extent, checks)

    @on(ChecksListed)
    def list_evidence_checks(self, message: ChecksListed) -> None:
        choice = self._evidence_choice
        if choice is None or choice.closed or choice.extent != message.extent:
            return
        self._evidence_choice = None
        if not message.checks:
            # Said in the picker, which stays until esc or enter: keys typed after `E` must
            # not fall through to the text, where digits are label keys.
            choice.said = "There are no checks yet: press c on a claim span to make one."
            row = PickerRow(Text(choice.said, "italic"), "")
            choice.picker.add_rows([row], hint="enter or esc closes", pinned=True)
            return
        order = {uid: position for position, uid in enumerate(self.factmark.recent_checks)}
        choice.checks = sorted(
            message.checks,
            key=lambda summary: (
                order.get(summary.uid, len(order)),
                -summary.changed_at.timestamp(),
            ),
        )
        rows = [check_row(s, "opened lately" if s.uid in order else None) for s in choice.checks]
        choice.picker.add_rows(rows, hint=_CHECK_HINT)

    def _choose_stance(self, check: CheckSummary, extent: tuple[int, int]) -> None:
        rows = []
        for stance in STANCES:
            prompt = Text.assemble((stance, "bold"), "  ", (STANCE_MEANINGS.get(stance, ""), "dim"))
            rows.append(PickerRow(prompt, stance))
        heading = f"Its stance towards “{span_snippet(check.claim, 44)}”:"

        def picked(index: int | None) -> None:
            if index is None:
                self._say("No evidence added.")
                return
            self._add_evidence(check.uid, extent, STANCES[index])

        self.app.push_screen(LinkPicker(heading, rows, hint=_CHECK_HINT), picked)

    def _add_evidence(self, uid: str, extent: tuple[int, int], stance: str) -> None:
        document = self.document
        if document is None:
            return
        start, end = extent
        draft = passage_evidence(document, start, end, stance)
        user = self.factmark.annotator

        def add(store: Store) -> EvidenceAttached:
            check = store.add_evidence(uid, draft, user=user)
            return EvidenceAttached(check, stance, document.id, document.text[start:end])

        self.factmark.submit_write(add, self, f"add the evidence to check {uid}")

    @on(EvidenceAttached)
    def show_evidence_attached(self, message: EvidenceAttached) -> None:
        if self._is_current(message.document_id):
            self.article.clear_selection()
        self.factmark.note_check_opened(message.check.uid)
        self._say(
            f"{message.stance.capitalize()} evidence for {message.check.uid}: "
            f"“{span_snippet(message.passage, 40)}”"
        )


def passage_evidence(
    document: DocumentInfo, start: int, end: int, stance: str
) -> dict[str, str | int | None]:
    """The evidence draft for document[start:end]: the stretch, the stance, the passage as the
    excerpt, and the document's URL, title, outlet and date where each is a valid value."""
    draft: dict[str, str | int | None] = {
        "document_id": document.id,
        "start": start,
        "end": end,
        "stance": stance,
        "excerpt": document.text[start:end],
    }
    described = {
        "url": document.url,
        "title": document.title,
        "publisher": document.outlet,
        "published": (document.published or "")[:10] or None,
    }
    for name, value in described.items():
        if value and value.strip() and field_problem(name, value) is None:
            draft[name] = one_line(value)
    return draft
