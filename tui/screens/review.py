"""The review screen: one document's candidates aligned across annotators, adjudicated into gold.

Left, the text with the candidate under review highlighted (its versions and the gold spans) and
its extent selected, ready to be adjusted; right, the candidates with who marked what, and the
highlighted one explained. Every decision goes to the store first (`FactmarkApp.submit_write`,
which checks the reviewer's role again); the screen redraws from what the store then reads back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from review.adjudication import (
    NOTHING,
    Accept,
    Add,
    Carried,
    Decision,
    EditGold,
    Reject,
    accept,
    edit_extent,
    gold_lacks,
    label_extent,
    merged,
    reject,
    taken_from,
)
from review.alignment import (
    OPEN,
    GoldRef,
    ReviewItem,
    SpanKey,
    Version,
    align,
    anonymous_names,
    review_items,
)
from review.relation_review import RelationItem
from settings.keys import display_keys
from store import ReviewDocument, Store
from tui import keys
from tui.messages import ReviewRefused
from tui.screens.base import DocumentScreen, store_read
from tui.screens.confirm_dialog import ConfirmDialog
from tui.screens.link_picker import LinkPicker
from tui.screens.review_links import (
    accept_said,
    describe_relation,
    reject_said,
    relation_items_of,
    write_accept,
)
from tui.screens.review_values import (
    CHOICE_HINT,
    carried_said,
    choice_rows,
    markings_of,
    provenance_values,
    spans_marked,
    values_said,
    version_marks,
    version_values,
)
from tui.text_units import snap_selection, word_at
from tui.titles import one_line, title_text
from tui.widgets.annotation_pane import span_snippet
from tui.widgets.article_view import ArticleView
from tui.widgets.candidate_list import CandidateList, ReviewRow, rows_for
from tui.widgets.relation_list import RelationList
from tui.widgets.status_bars import SizeWarning, StatusHeader
from tui.widgets.steady_footer import KeysFooter
from vocabulary.names import REVIEW_ROLES

KIND_MEANINGS = {
    "agreed": "every annotator marked exactly this",
    "partial": "only some annotators marked it",
    "boundary": "same label, different boundaries",
    "label": "same text, different labels",
    "mixed": "different boundaries and labels",
    "gold": "in gold; no annotator's version competes with it",
}


@dataclass(frozen=True)
class ShownSpan:
    """A span drawn in the text: gold spans keep their ids, versions get negative ones."""

    id: int
    start: int
    end: int
    label: str


def items_of(review: ReviewDocument) -> list[ReviewItem]:
    """The review items of a document: its done layers aligned, with gold and decisions."""
    candidates = align(review.layers)
    gold = [GoldRef(span.id, span.start, span.end, span.label) for span in review.gold]
    decided = [(d.start, d.end, d.label) for d in review.decisions]
    return review_items(candidates, gold, decided)


class ReviewScreen(DocumentScreen):
    """Adjudicate one document: accept, reject, adjust, add; `d` marks it adjudicated."""

    AUTO_FOCUS = "#review-article"
    STATUS_ID = "review-status"
    BINDINGS = keys.bindings_for("review")

    @dataclass
    class Loaded(Message):
        """The document as the store now has it; `said` reports the action that led here and
        `focus` the span to highlight."""

        review: ReviewDocument
        said: str | None
        focus: SpanKey | None = None

    def __init__(self) -> None:
        super().__init__()
        self._review: ReviewDocument | None = None
        self._items: list[ReviewItem] = []
        self._relations: list[RelationItem] = []
        self._anonymous = self.factmark.anonymous
        self._asking = False  # a dialog of this screen's own is open over it

    @property
    def review(self) -> ReviewDocument | None:
        """The document under review, as last read from the store."""
        return self._review

    @property
    def items(self) -> list[ReviewItem]:
        return self._items

    @property
    def article(self) -> ArticleView:
        return self.query_one("#review-article", ArticleView)

    @property
    def candidates(self) -> CandidateList:
        return self.query_one("#candidates", CandidateList)

    @property
    def relations(self) -> list[RelationItem]:
        """The document's links aligned across annotators (see review.relation_review)."""
        return self._relations

    @property
    def links(self) -> RelationList:
        return self.query_one("#links", RelationList)

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        with Horizontal(id="review-body"):
            with Vertical(id="review-text"):
                yield Static(id="review-title")
                yield Static(id="review-meta")
                yield ArticleView(id="review-article")
            with Vertical(id="review-side"):
                yield CandidateList(id="candidates")
                yield RelationList(id="links")
                yield Static(id="review-detail")
        yield Static(id="review-status")
        yield KeysFooter(compact=True, show_command_palette=False)
        yield SizeWarning()

    # -- loading -------------------------------------------------------------------------------

    @store_read("open the document for review", group="review-document")
    def load_document(self, doc_id: int | None) -> Message | None:
        if doc_id is None:  # review opens a document the reviewer chose, never "the next"
            return None
        store, reviewer = self.factmark.store, self.factmark.annotator
        role = store.role_of(reviewer)
        if role not in REVIEW_ROLES:
            return ReviewRefused(role)
        return self.Loaded(store.review_document(doc_id), None)

    def reload_from_store(self) -> None:
        """The document under review read again: other annotators' new spans and done marks,
        another reviewer's gold (what is highlighted stays highlighted)."""
        review = self._review
        if review is not None:
            self.load_document(review.document.id)

    def on_screen_resume(self) -> None:
        # Back from a screen pushed over this one (help, the agreement panel): read again. A
        # document just asked for (request_document) is loading already.
        # Back from this screen's own question (confirm, choose): nothing to read again, and the
        # reviewer's selection stays as it was.
        asked, self._asking = self._asking, False
        review = self._review
        if not asked and review is not None and self._requested_doc == review.document.id:
            self.load_document(review.document.id)

    @on(Loaded)
    def show_review(self, message: Loaded) -> None:
        review = message.review
        previous = self._review
        kept_row = self.candidates.highlighted
        kept_link = self.links.highlighted
        self._review, self._items = review, items_of(review)
        self._relations = relation_items_of(review, self._items)
        document = review.document
        if previous is None or previous.document.id != document.id:
            title = title_text(document.title, document.text, style="bold")
            self.query_one("#review-title", Static).update(title)
            self.query_one("#review-meta", Static).update(Text(_meta(review), "dim", no_wrap=True))
            self.article.load(document.text, [], self.factmark.label_styles)
            kept_row = 0
            self.article.focus()
        else:
            self.query_one("#review-meta", Static).update(Text(_meta(review), "dim", no_wrap=True))
        self._redraw_list(self._row_index(message.focus, kept_row))
        self._redraw_links(kept_link)
        self._show_header()
        if message.said:
            self._say(message.said)
        elif not self._items:
            self._say("Nothing to review here. Select text and press a label key to add gold.")
        else:  # replaces "Loading…": the screen is ready
            self._say(self._ready_line())

    def _redraw_list(self, highlight: int | None) -> None:
        review = self._review
        if review is None:
            return
        # A highlighted row reports itself (RowHighlighted), which draws it in the text.
        self.candidates.show(
            review.document.text,
            self._items,
            self._names(),
            self.factmark.label_styles,
            highlight,
            version_marks(review),
        )
        if self.candidates.highlighted_row is None:
            self.article.set_spans(self._gold_spans())
            self._detail(None)

    def _redraw_links(self, highlight: int | None) -> None:
        review = self._review
        if review is None:
            return
        names, styles = self._names(), self.factmark.label_styles
        self.links.show(review.document.text, self._relations, names, styles, highlight)

    def _row_index(self, focus: SpanKey | None, fallback: int | None) -> int | None:
        rows = rows_for(self._items)
        if focus is not None:
            for index, row in enumerate(rows):
                if row.key == focus:
                    return index
            for index, row in enumerate(rows):
                if self._items[row.item].start <= focus[0] < self._items[row.item].end:
                    return index
        return fallback

    def failure_said(self, what: str) -> None:
        self._say(f"Could not {what}; nothing was changed.")

    # -- the highlighted row -------------------------------------------------------------------

    @on(CandidateList.RowHighlighted)
    def follow_row(self, message: CandidateList.RowHighlighted) -> None:
        self._show_row(message.row)

    @on(CandidateList.RowChosen)
    def go_to_row(self, message: CandidateList.RowChosen) -> None:
        self._show_row(message.row)
        self.article.focus()

    @on(RelationList.OptionHighlighted, "#links")
    def follow_link(self, message: RelationList.OptionHighlighted) -> None:
        self._show_link()

    def _show_link(self) -> None:
        """Draw the highlighted link's two ends over the gold spans and describe it."""
        row, review = self.links.highlighted_row, self._review
        if row is None or review is None or not self.links.has_focus:
            return
        head, child = row.ends
        ends = [ShownSpan(-(n + 1), *key) for n, key in enumerate((head, child))]
        self.article.set_spans(self._gold_spans() + ends)
        # No selection (move_cursor_to drops it): `e` acts on span candidates, not on links.
        self.article.move_cursor_to(head[0])
        relation = self._relations[row.relation]
        self.query_one("#review-detail", Static).update(
            describe_relation(review, relation, self._names())
        )

    def _show_row(self, row: ReviewRow) -> None:
        """Draw the row's candidate (its versions over the gold spans) and select the row's extent,
        ready for shift+arrows or W/B to adjust it and `e` to apply."""
        item = self._items[row.item]
        shown = self._gold_spans()
        if item.candidate is not None:
            shown += [
                ShownSpan(-(index + 1), version.start, version.end, version.label)
                for index, version in enumerate(item.candidate.versions)
            ]
        self.article.set_spans(shown)
        start, end, _label = row.key
        self.article.select_range(start, end)
        self._detail(item)

    def _gold_spans(self) -> list[ShownSpan]:
        review = self._review
        if review is None:
            return []
        return [ShownSpan(span.id, span.start, span.end, span.label) for span in review.gold]

    def _detail(self, item: ReviewItem | None) -> None:
        self.query_one("#review-detail", Static).update(self._describe(item))

    def _describe(self, item: ReviewItem | None) -> Text:
        """Who marked what, who did not, and what gold holds, for one item."""
        review = self._review
        if item is None or review is None:
            return Text("")
        text, names = review.document.text, self._names()
        kind = item.candidate.kind if item.candidate is not None else "gold"
        lines = Text(f"{kind}: {KIND_MEANINGS[kind]} · {item.state}", "bold")
        if item.candidate is not None:
            for version in item.candidate.versions:
                who = ", ".join(names.get(n, n) for n in version.annotators)
                quoted = span_snippet(text[version.start : version.end], 32)
                lines.append(f"\n{version.label} {version.start}-{version.end} “{quoted}”: {who}")
                lines.append_text(version_values(spans_marked(review, version.key), names))
            if item.candidate.missing:
                missing = ", ".join(names.get(n, n) for n in item.candidate.missing)
                lines.append(f"\nnot marked by: {missing}", "italic")
        gold_spans = {span.id: span for span in review.gold}
        for gold in item.gold:
            lines.append(f"\ngold {gold.label} {gold.start}-{gold.end}: {self._provenance(gold)}")
            said = values_said(gold_spans[gold.id]) if gold.id in gold_spans else ""
            if said:
                lines.append(f"\n    {said}", "dim")
        return lines

    def _provenance(self, gold: GoldRef) -> str:
        review = self._review
        assert review is not None
        found = review.provenance.get(gold.id)
        if found is None or found.source is None:
            return "imported"
        names = self._names()
        said = found.source
        if found.from_annotators:
            said += " from " + ", ".join(names.get(n, n) for n in found.from_annotators)
        if found.reviewer:
            said += f" by {names.get(found.reviewer, found.reviewer)}"
        values = provenance_values(found, names)
        return f"{said} · {values}" if values else said

    # -- decisions -----------------------------------------------------------------------------

    def action_accept(self) -> None:
        """`a`: the highlighted version into gold, in place of the candidate's other gold spans
        (in the links list: the highlighted link between its ends' gold spans)."""
        if self.links.has_focus:
            self._accept_link()
            return
        row, item = self._current()
        if row is None or item is None:
            return
        if row.version is None:
            self._say("This row is a gold span already; r rejects it, e changes its boundaries.")
            return
        version = row.version
        if any(gold.key == version.key for gold in item.gold):
            self._keep_in_gold(item, version)
            return
        spans = spans_marked(self._review_now(), version.key)
        carried = merged(markings_of(spans))
        if not carried.left_out:
            self._accept(item, version, carried)
            return
        # Its annotators gave different notes or attributes: the reviewer picks whose.
        choices, rows = choice_rows(spans, self._names())
        heading = f"{version.label} “{self._snippet(version.key)}”: whose note and attributes?"

        def picked(index: int | None) -> None:
            if index is None:
                self._say("Nothing accepted.")
                return
            markings = markings_of(spans)
            took = taken_from(choices[index], markings) if index < len(choices) else NOTHING
            self._accept(item, version, took)

        self._asking = True
        self.app.push_screen(LinkPicker(heading, rows, hint=CHOICE_HINT), picked)

    def _keep_in_gold(self, item: ReviewItem, version: Version) -> None:
        """`a` on a version gold holds already: the rival gold spans beside it (auto with K = 1
        puts rivals in side by side) go, kept out as rejected; else nothing to do."""
        rivals = tuple(gold.key for gold in item.gold if gold.key != version.key)
        if not rivals:
            self._fill_gold(item, version)
            return
        count = len(rivals)
        said = (
            f"Kept {version.label} “{self._snippet(version.key)}” in gold; {count} rival "
            f"version{'s' if count != 1 else ''} taken out."
        )
        self._decide(Reject(rivals), said, version.key, "keep the span")

    def _fill_gold(self, item: ReviewItem, version: Version) -> None:
        """The gold span equal to `version` takes the values its annotators agree on and it
        lacks (a note, attributes, an entity: `gold_lacks`); its own values stay."""
        review = self._review_now()
        ids = {gold.id for gold in item.gold if gold.key == version.key}
        gold = next((span for span in review.gold if span.id in ids), None)
        carried = merged(markings_of(spans_marked(review, version.key)))
        lacks = (
            NOTHING if gold is None else gold_lacks(gold.note, gold.attrs, gold.entity_id, carried)
        )
        snippet = f"{version.label} “{self._snippet(version.key)}”"
        if lacks == NOTHING:
            self._say(f"{snippet} is in gold already.")
            return
        said = carried_said(lacks, self._names())
        self._decide(
            accept(item, version, lacks),
            f"{snippet} is in gold already; it took{said.removeprefix(' with')}.",
            version.key,
            "accept the span",
        )

    def _accept(self, item: ReviewItem, version: Version, carried: Carried) -> None:
        said = carried_said(carried, self._names())
        self._decide(
            accept(item, version, carried),
            f"Accepted {version.label} “{self._snippet(version.key)}” into gold{said}.",
            version.key,
            "accept the span",
        )

    def action_reject(self) -> None:
        """`r`: reject the whole candidate: none of its versions (or its gold spans) is gold (in
        the links list: none of the link's versions, or its gold links)."""
        if self.links.has_focus:
            self._reject_link()
            return
        row, item = self._current()
        if row is None or item is None:
            return
        decision = reject(item)
        count = len(decision.keys)
        self._decide(
            decision,
            f"Rejected: {count} version{'s' if count != 1 else ''} kept out of gold.",
            row.key,
            "reject the candidate",
        )

    def _accept_link(self) -> None:
        row, review = self.links.highlighted_row, self._review
        if row is None or review is None:
            return
        relation = self._relations[row.relation]
        decision, said = accept_said(row, relation, self._items, review.document.text)
        if decision is None:
            self._say(said)
            return
        doc_id = self._doc_id()
        self._write(
            lambda store, who: write_accept(store, doc_id, decision, who), said, None, "link"
        )

    def _reject_link(self) -> None:
        row, review = self.links.highlighted_row, self._review
        if row is None or review is None:
            return
        keys, said = reject_said(self._relations[row.relation])
        doc_id = self._doc_id()
        self._write(
            lambda store, who: store.reject_relations(doc_id, keys, reviewer=who),
            said,
            None,
            "reject the link",
        )

    def action_edit_extent(self) -> None:
        """`e`: give the candidate's gold span (or the highlighted version, into gold) the selected
        boundaries, snapped to whole words."""
        row, item = self._current()
        extent = self._selected_extent()
        if row is None or item is None:
            return
        if extent is None:
            self._say("Select the new extent first (shift+arrows, W/B, or v and move), then e.")
            return
        start, end = extent
        carried = merged(markings_of(spans_marked(self._review_now(), row.key)))
        decision = edit_extent(item, row.span, start, end, carried)
        quoted = self._snippet((start, end))
        if isinstance(decision, EditGold):
            gold = decision.gold
            question = f"Move gold {gold.label} {gold.start}-{gold.end} to {start}-{end}?"
            said = f"Gold {gold.label} now {start}-{end}: “{quoted}”."
            what = "change the boundaries"
        else:
            question = f"Put {decision.key[2]} {start}-{end} into gold (new boundaries)?"
            said = f"Accepted {decision.key[2]} with new boundaries {start}-{end}."
            said += carried_said(carried, self._names())
            what = "accept the span with new boundaries"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._decide(decision, said, decision.key, what)
            else:
                self._say("Nothing changed: the boundaries were not applied.")

        # Nothing is written before the reviewer has seen the extent and said yes.
        self._asking = True
        self.app.push_screen(ConfirmDialog(Text(f"{question}\n“{quoted}”")), confirmed)

    def action_label(self, label: str) -> None:
        """A label key: the selection (or the word at the cursor) into gold under `label`."""
        review = self._review
        if review is None:
            return
        text = review.document.text
        view = self.article
        start, end = snap_selection(text, *(view.selection or word_at(text, view.cursor)))
        if start == end:
            self._say("Nothing to add: select text first (v or shift+arrows).")
            return
        key = (start, end, label)
        carried = merged(markings_of(spans_marked(review, key)))
        decision = label_extent(self._items, key, carried)
        if isinstance(decision, Accept):
            took = carried_said(carried, self._names())
            said = f"Accepted {label} “{self._snippet(key)}” (as annotators marked it){took}."
            self._decide(decision, said, key, "accept the span")
            return
        self._decide(
            decision, f"Added {label} “{self._snippet(key)}” to gold.", key, "add the gold span"
        )

    def action_undo(self) -> None:
        self._step(redo=False)

    def action_redo(self) -> None:
        self._step(redo=True)

    def _step(self, redo: bool) -> None:
        if self._review is None:
            return
        doc_id, reviewer = self._doc_id(), self.factmark.annotator

        def step(store: Store) -> ReviewScreen.Loaded:
            if redo:
                said = store.redo_gold(doc_id, reviewer=reviewer)
            else:
                said = store.undo_gold(doc_id, reviewer=reviewer)
            nothing = "Nothing to redo." if redo else "Nothing to undo."
            text = said[0].upper() + said[1:] + "." if said else nothing
            return ReviewScreen.Loaded(store.review_document(doc_id), text)

        self.factmark.submit_write(step, self, "redo" if redo else "undo")

    def action_toggle_adjudicated(self) -> None:
        review = self._review
        if review is None:
            return
        doc_id, now = self._doc_id(), not review.status.adjudicated
        said = "Marked adjudicated." if now else "Marked not adjudicated (u undoes)."
        self._write(
            lambda store, who: store.set_adjudicated(doc_id, now, reviewer=who),
            said,
            None,
            "mark the document",
        )

    def _decide(self, decision: Decision, said: str, focus: SpanKey | None, what: str) -> None:
        """Write a decision as the app's user, then read the document back."""
        doc_id = self._doc_id()
        self._write(
            lambda store, who: write_decision(store, doc_id, decision, who), said, focus, what
        )

    def _write(
        self,
        call: Callable[[Store, str], object],
        said: str,
        focus: SpanKey | None,
        what: str,
    ) -> None:
        """Run a store decision as the app's user (`call(store, reviewer)`), then read the
        document back."""
        doc_id, reviewer = self._doc_id(), self.factmark.annotator

        def job(store: Store) -> ReviewScreen.Loaded:
            call(store, reviewer)
            return ReviewScreen.Loaded(store.review_document(doc_id), said, focus)

        self.factmark.submit_write(job, self, what)

    # -- moving and showing --------------------------------------------------------------------

    def action_item(self, which: str) -> None:
        """`[` / `]`: previous / next candidate; `n`: the next one still open."""
        rows = self.candidates.rows
        if not rows:
            return
        current = self.candidates.highlighted or 0
        item = rows[current].item
        order: Sequence[int] = range(current + 1, len(rows))
        if which == "previous":
            order = range(current - 1, -1, -1)
        elif which == "open":
            order = [*range(current + 1, len(rows)), *range(0, current + 1)]
        for index in order:
            row = rows[index]
            if not row.first or row.item == item and which != "open":
                continue
            if which == "open" and self._items[row.item].state != OPEN:
                continue
            self.candidates.highlighted = index
            return
        self._say("No open candidate left." if which == "open" else f"No {which} candidate.")

    def action_toggle_names(self) -> None:
        self._anonymous = not self._anonymous
        self._redraw_list(self.candidates.highlighted)
        self._redraw_links(self.links.highlighted)
        self._say("Annotator names hidden." if self._anonymous else "Annotator names shown.")

    def action_toggle_focus(self) -> None:
        """`tab`: the text, then the candidates, then the links (when there are any)."""
        if self.candidates.has_focus and self.links.display:
            self.links.focus()
            self.call_after_refresh(self._show_link)
        elif self.candidates.has_focus or self.links.has_focus:
            self.article.focus()
        else:
            self.candidates.focus()

    def action_open_review_list(self) -> None:
        self.factmark.open_review(None)

    # -- helpers -------------------------------------------------------------------------------

    def _current(self) -> tuple[ReviewRow | None, ReviewItem | None]:
        row = self.candidates.highlighted_row
        if self._review is None or row is None:
            self._say("No candidate here: select text and press a label key to add gold.")
            return None, None
        return row, self._items[row.item]

    def _selected_extent(self) -> tuple[int, int] | None:
        review, selection = self._review, self.article.selection
        if review is None or selection is None:
            return None
        start, end = snap_selection(review.document.text, *selection)
        return (start, end) if start < end else None

    def _review_now(self) -> ReviewDocument:
        assert self._review is not None
        return self._review

    def _names(self) -> dict[str, str]:
        """Annotator names as shown: themselves, or stand-ins when names are hidden."""
        review = self._review
        if review is None or not self._anonymous:
            return {}
        return anonymous_names([*review.layers, *review.pending])

    def _snippet(self, key: tuple[int, int, str] | tuple[int, int]) -> str:
        assert self._review is not None
        return span_snippet(self._review.document.text[key[0] : key[1]], 40)

    def _doc_id(self) -> int:
        assert self._review is not None
        return self._review.document.id

    def _ready_line(self) -> str:
        """What the status says once a document is shown: the main keys, as remapped."""
        keymap = self.factmark.config.keymap

        def key(binding_id: str, default: str) -> str:
            return display_keys(keymap.get(binding_id, default)).split()[0]

        return (
            f"{len(self._items)} candidates. {key('review-accept', 'a')} accepts, "
            f"{key('review-reject', 'r')} rejects, {key('review-next-open', 'n')} next open; "
            f"{key('help', 'question_mark')} lists every key."
        )

    def _show_header(self) -> None:
        review = self._review
        where = "review · loading"
        if review is not None:
            open_items = sum(item.state == OPEN for item in self._items)
            mark = "adjudicated ✓" if review.status.adjudicated else "not adjudicated"
            where = (
                f"review · document {review.document.id} · {len(self._items)} candidates, "
                f"{open_items} open · {mark}"
            )
            if self._anonymous:
                where += " · names hidden"
        self.query_one("#header", StatusHeader).show(
            self.factmark.config.organisation, self.factmark.annotator, where
        )


def write_decision(store: Store, doc_id: int, decision: Decision, reviewer: str) -> object:
    """Write one adjudication decision to the store, as `reviewer`."""
    match decision:
        case Accept(key, annotators, replace, edited, carried):
            return store.accept_span(
                doc_id,
                *key,
                reviewer=reviewer,
                from_annotators=annotators,
                replace=replace,
                edited=edited,
                carried=carried,
            )
        case Reject(keys):
            return store.reject_spans(doc_id, keys, reviewer=reviewer)
        case EditGold(gold, start, end):
            return store.edit_gold_span(gold.id, start, end, reviewer=reviewer)
        case Add(key):
            return store.add_gold_span(doc_id, *key, reviewer=reviewer)


def _meta(review: ReviewDocument) -> str:
    document = review.document
    parts = [one_line(p) for p in (document.outlet, document.published) if p]
    parts.append(f"{len(document.text):,} characters")
    done = len(review.layers)
    parts.append(f"done by {done} annotator{'s' if done != 1 else ''}")
    if review.pending:
        parts.append(f"{len(review.pending)} not done yet")
    parts.append(one_line(document.ext_id))
    return " · ".join(parts)
