"""The annotate screen: one article, the annotator's own spans, and every labelling key.

Blind by construction: it loads only the annotator's layer. Every change goes to the store first
(`FactmarkApp.submit_write`); the screen changes only when the past-tense message comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from store import DocumentInfo, SpanInfo
from tui import keys
from tui.find_text import find_next
from tui.messages import (
    DocumentLoaded,
    DocumentMarkedDone,
    HistoryStepped,
    NoteChanged,
    NothingToAnnotate,
    QueuePosition,
    RelationAdded,
    RelationRemoved,
    SpanAdded,
    SpanRemoved,
)
from tui.screens.base import store_read
from tui.screens.check_flow import CheckFlow
from tui.screens.entity_naming import EntityNaming
from tui.screens.link_flow import Linker
from tui.screens.metadata_dialog import DocumentCorrected, MetadataDialog
from tui.screens.suggestions import SuggestionsScreen
from tui.selection_text import label_keys_in_force, shown_selection
from tui.text_units import snap_selection, word_at
from tui.titles import one_line, title_text
from tui.widgets.annotation_pane import AnnotationPane, span_snippet
from tui.widgets.article_view import ArticleView
from tui.widgets.find_bar import FindBar
from tui.widgets.status_bars import SizeWarning, StatusHeader
from tui.widgets.steady_footer import KeysFooter
from vocabulary.document_fields import shown_date
from vocabulary.names import REVIEW_ROLES

if TYPE_CHECKING:
    from store import Store

_TEXT_ENTRY_ACTIONS = frozenset({"find", "edit_note"})


def queue_position(store: Store, doc_id: int, annotator: str) -> QueuePosition:
    """Where `doc_id` is in the annotator's queue (id order) and how many of it they finished.

    The queue is the documents assigned to them, or every document if none is; a document
    opened from outside the queue has index 0.
    """
    index, total, done = store.queue_position(doc_id, annotator)
    return QueuePosition(index=index, total=total, done=done)


def innermost_span_at(spans: list[SpanInfo], offset: int) -> SpanInfo | None:
    """The shortest span containing the character at `offset` (what `x` removes)."""
    containing = [span for span in spans if span.start <= offset < span.end]
    return min(containing, key=lambda span: span.end - span.start, default=None)


class AnnotateScreen(EntityNaming, CheckFlow, SuggestionsScreen):
    """Annotate one document; `d` moves on to the annotator's next unfinished one; `enter` on
    an actor span names its entity (`EntityNaming`); `c` and `E` are `CheckFlow`'s (checks and
    evidence); suggestions are `SuggestionsScreen`'s."""

    AUTO_FOCUS = "#article"
    BINDINGS = keys.bindings_for("annotate")
    STATUS_ID = "status"

    def __init__(self) -> None:
        super().__init__()
        self._document: DocumentInfo | None = None
        self._spans: list[SpanInfo] = []
        self._position: QueuePosition | None = None
        self._last_query = ""
        self._status_after_move: str | None = None
        self._refocus_pane = False
        self._linker = Linker(self)
        self._go_to: tuple[int, int, int] | None = None  # document, start, end: where to open
        self._select_on_load: tuple[int, tuple[int, int]] | None = None  # document, stretch

    @property
    def document(self) -> DocumentInfo | None:
        return self._document

    @property
    def spans(self) -> list[SpanInfo]:
        """The annotator's spans of the open document, as last confirmed by the store."""
        return self._spans

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        with Horizontal(id="body"):
            with Vertical(id="article-column"):
                yield Static(id="doc-title")
                yield Static(id="doc-meta")
                article = ArticleView(id="article")
                article.label_keys = label_keys_in_force(self.factmark.config)
                yield article
                yield FindBar(id="find", exact=self.factmark.config.find_exact)
            yield AnnotationPane(id="pane")
        yield Static(id="status")
        yield KeysFooter(compact=True, show_command_palette=False)
        yield SizeWarning()

    @property
    def article(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    @property
    def pane(self) -> AnnotationPane:
        return self.query_one("#pane", AnnotationPane)

    # -- loading -------------------------------------------------------------------------------

    def request_document(
        self, doc_id: int | None, *, select: tuple[int, int] | None = None
    ) -> None:
        """Open `doc_id` (None: the next unfinished one); `select`: the stretch of its text to
        select once shown (a search match: a label key then tags it)."""
        self._select_on_load = None if doc_id is None or select is None else (doc_id, select)
        super().request_document(doc_id)

    def request_document_at(self, doc_id: int, start: int, end: int) -> None:
        """Open `doc_id` with the cursor at `start` and `start`..`end` said in the status line."""
        self._go_to = (doc_id, start, end)
        self.request_document(doc_id)

    def _begin_loading(self, doc_id: int | None) -> None:
        # The app's first document may have been read before the store opened: shown at once.
        first = self.factmark.take_first_screen()
        if first is None or doc_id not in (None, first.document.id):
            super()._begin_loading(doc_id)
            return
        position = QueuePosition(*first.position)
        self.show_document(DocumentLoaded(first.document, first.spans, position, first.relations))

    @store_read("open the document", group="load-document")
    def load_document(self, doc_id: int | None, after: int | None = None) -> Message:
        """Fetch a document and the annotator's spans (doc_id None: the next unfinished one)."""
        store, annotator = self.factmark.store, self.factmark.annotator
        if doc_id is None:
            doc_id = store.next_unfinished(annotator, after)
        if doc_id is None:
            return NothingToAnnotate(store.document_count())
        document = store.document(doc_id)
        spans = store.spans(doc_id, annotator)
        position = queue_position(store, doc_id, annotator)
        return DocumentLoaded(document, spans, position, store.relations(doc_id, annotator))

    @on(DocumentLoaded)
    def show_document(self, message: DocumentLoaded) -> None:
        document = message.document
        self._document, self._spans, self._position = (
            document,
            list(message.spans),
            message.position,
        )
        title = title_text(document.title, document.text, style="bold")
        self.query_one("#doc-title", Static).update(title)
        self.query_one("#doc-meta", Static).update(_meta_text(document))
        self.article.load(document.text, self._spans, self.factmark.label_styles)
        self._linker.load(message.relations)
        self._replace_spans(self._spans)
        self.load_appearance_checks(document.id, self._spans)
        self._show_header()
        self._say(f"{len(self._spans)} spans of yours. Select text, then press a label key.")
        self.article.focus()
        self._select_requested(document)
        self._arrive(document)
        self.start_suggestions(document)  # in a worker: the text is already on screen

    def _arrive(self, document: DocumentInfo) -> None:
        """Put the cursor where `request_document_at` asked (if it asked for this document)."""
        go_to, self._go_to = self._go_to, None
        if go_to is None or go_to[0] != document.id:
            return
        _doc_id, start, end = go_to
        start, end = max(0, min(start, len(document.text))), max(0, min(end, len(document.text)))
        self.article.move_cursor_to(start)
        self._say(f"At {start}: “{span_snippet(document.text[start:end])}”")

    def _select_requested(self, document: DocumentInfo) -> None:
        requested, self._select_on_load = self._select_on_load, None
        if requested is None or requested[0] != document.id:
            return
        start, end = requested[1]
        if 0 <= start < end <= len(document.text):
            self._status_after_move = (
                f"Found “{span_snippet(document.text[start:end])}”: press a label key to tag it."
            )
            self.article.select_range(start, end)

    @on(NothingToAnnotate)
    def show_nothing_left(self, message: NothingToAnnotate) -> None:
        if message.total == 0:
            text = "There are no documents yet: import some with `factmark import PATH`."
        else:
            text = (
                f"All {message.total} documents are marked done by you. Press esc for the library."
            )
        self._say(text)
        self.notify(text, title="Nothing to annotate", markup=False)

    def failure_said(self, what: str) -> None:
        self._say(f"Could not {what}; nothing was changed.")

    # -- labelling -----------------------------------------------------------------------------

    def action_label(self, label: str) -> None:
        """Label the selection (or the word at the cursor), snapped to whole words."""
        document = self._document
        if document is None or self.take_accept_all(label):  # `A`, then this label's key
            return
        view = self.article
        view.take_count()
        selection = view.selection or word_at(document.text, view.cursor)
        start, end = snap_selection(document.text, *selection)
        if start == end:
            self._say("Nothing to label: select text first (v or shift+arrows, or / to find).")
            return
        if any((s.start, s.end, s.label) == (start, end, label) for s in self._spans):
            self._say(f"Already labelled {label}: “{span_snippet(document.text[start:end])}”")
            return
        doc_id, layer = document.id, self.factmark.annotator
        self.factmark.submit_write(
            lambda store: SpanAdded(store.add_span(doc_id, layer, start, end, label)),
            self,
            f"save the {label} span",
        )

    @on(SpanAdded)
    def show_added(self, message: SpanAdded) -> None:
        span = message.span
        if not self._is_current(span.document_id):
            return
        if all(existing.id != span.id for existing in self._spans):
            self._replace_spans([*self._spans, span], highlight=span.id)
        self.article.clear_selection()
        self._say(f"Saved {span.label}: “{span_snippet(span.text)}”")

    def action_delete_span(self) -> None:
        if self._linker.remove_highlighted():  # `x` on a link row of the pane removes the link
            return
        span = self._target_span()
        if span is None:
            self._say("No span here: put the cursor inside a span (or pick one in the pane).")
            return
        layer = self.factmark.annotator
        self.factmark.submit_write(
            lambda store: SpanRemoved(store.delete_span(span.id, layer)), self, "remove the span"
        )

    @on(SpanRemoved)
    def show_removed(self, message: SpanRemoved) -> None:
        span = message.span
        if not self._is_current(span.document_id):
            return
        self._linker.forget_span(span.id)
        self._replace_spans([s for s in self._spans if s.id != span.id])
        self._say(f"Removed {span.label}: “{span_snippet(span.text)}” (u undoes)")

    def action_undo(self) -> None:
        self._step_history(redo=False)

    def action_redo(self) -> None:
        self._step_history(redo=True)

    def _step_history(self, redo: bool) -> None:
        if self._document is None:
            return
        doc_id, layer = self._document.id, self.factmark.annotator

        def step(store: Store) -> HistoryStepped:
            description = store.redo(doc_id, layer) if redo else store.undo(doc_id, layer)
            spans, relations = store.spans(doc_id, layer), store.relations(doc_id, layer)
            return HistoryStepped(doc_id, description, spans, redo, relations)

        self.factmark.submit_write(step, self, "redo" if redo else "undo")

    @on(HistoryStepped)
    def show_history_step(self, message: HistoryStepped) -> None:
        if not self._is_current(message.document_id):
            return
        self._linker.load(message.relations)
        self._replace_spans(message.spans)
        nothing = "Nothing to redo." if message.redo else "Nothing to undo."
        self._say(message.description.capitalize() if message.description else nothing)

    # -- links (the flows are tui.screens.link_flow's) ----------------------------------------

    def action_link(self) -> None:
        self._linker.start()

    def action_remove_link(self) -> None:
        self._linker.remove()

    @on(RelationAdded)
    def show_link(self, message: RelationAdded) -> None:
        self._linker.added(message)

    @on(RelationRemoved)
    def show_unlinked(self, message: RelationRemoved) -> None:
        self._linker.removed(message)

    @on(ArticleView.CursorMoved)
    def mark_links(self, message: ArticleView.CursorMoved) -> None:
        self._linker.mark()

    # -- notes ---------------------------------------------------------------------------------

    def action_edit_note(self) -> None:
        span = self._target_span()
        if span is None:
            self._say("No span here to annotate with a note.")
            return
        heading = f"Note on {span.label} “{span_snippet(span.text)}”"
        self._refocus_pane = self.pane.has_focus
        from tui.screens.note_dialog import NoteDialog  # when first asked for: start-up is shorter

        self.app.push_screen(
            NoteDialog(heading, span.note), lambda note: self._save_note(span, note)
        )

    def _save_note(self, span: SpanInfo, note: str | None) -> None:
        if self._refocus_pane:
            self.pane.focus()
        if note is None:
            self._say("Note unchanged.")
            return
        layer = self.factmark.annotator
        self.factmark.submit_write(
            lambda store: NoteChanged(store.set_note(span.id, layer, note or None)),
            self,
            "save the note",
        )

    @on(NoteChanged)
    def show_note(self, message: NoteChanged) -> None:
        span = message.span
        if not self._is_current(span.document_id):
            return
        self._replace_spans(
            [span if s.id == span.id else s for s in self._spans], highlight=span.id
        )
        self._say("Note saved." if span.note else "Note removed.")

    # -- metadata ------------------------------------------------------------------------------

    def action_edit_metadata(self) -> None:
        """Correct the title, outlet, byline, date or URL (tui/screens/metadata_dialog.py)."""
        document = self._document
        if document is None:
            return
        role = self.factmark.role
        if role is not None and role not in REVIEW_ROLES:
            # Said before any typing; the store refuses the write again for a role not yet known.
            who = self.factmark.annotator
            self.notify(
                f"{who} is {'an' if role[:1] in 'aeiou' else 'a'} {role}: only reviewers and "
                f"admins can correct a document's metadata (an admin can run: factmark "
                f"annotators add {who} --role reviewer).",
                title="Metadata is not open to you",
                severity="warning",
                markup=False,
            )
            return
        self.app.push_screen(
            MetadataDialog(document), lambda changes: self._save_metadata(document.id, changes)
        )

    def _save_metadata(self, doc_id: int, changes: dict[str, str | None] | None) -> None:
        if not changes:
            self._say("Metadata unchanged.")
            return
        annotator = self.factmark.annotator

        def correct(store: Store) -> DocumentCorrected:
            made = store.correct_document(doc_id, changes, actor=annotator)
            return DocumentCorrected(store.document(doc_id), made)

        self.factmark.submit_write(correct, self, "correct the metadata")

    @on(DocumentCorrected)
    def show_corrected(self, message: DocumentCorrected) -> None:
        """The header after a correction: the title and the line under it as now in force."""
        document, fields = message.document, [c.field for c in message.corrections]
        if not self._is_current(document.id):
            return
        self._document = document
        title = title_text(document.title, document.text, style="bold")
        self.query_one("#doc-title", Static).update(title)
        self.query_one("#doc-meta", Static).update(_meta_text(document))
        self._say(f"Corrected {', '.join(fields)}." if fields else "Metadata unchanged.")

    # -- done ----------------------------------------------------------------------------------

    def action_mark_done(self) -> None:
        if self._document is None:
            return
        doc_id, annotator = self._document.id, self.factmark.annotator

        def mark(store: Store) -> DocumentMarkedDone:
            store.set_done(doc_id, annotator, True)
            return DocumentMarkedDone(doc_id, store.next_unfinished(annotator, after=doc_id))

        self.factmark.submit_write(mark, self, "mark the document done")

    @on(DocumentMarkedDone)
    def go_to_next(self, message: DocumentMarkedDone) -> None:
        if not self._is_current(message.document_id):
            return
        if message.next_document_id is None:
            self.load_document(None)
            return
        self.notify("Marked done. Opening your next unfinished document.", title="Done")
        self.load_document(message.next_document_id)

    # -- moving around -------------------------------------------------------------------------

    def action_span(self, direction: str) -> None:
        """`[` / `]`: put the cursor on the previous / next span's start."""
        cursor = self.article.cursor
        if direction == "next":
            target = next((s for s in self._spans if s.start > cursor), None)
        else:
            target = next((s for s in reversed(self._spans) if s.start < cursor), None)
        if target is None:
            self._say(f"No {direction} span.")
            return
        self._go_to_span(target, focus_article=False)

    def _go_to_span(self, span: SpanInfo, focus_article: bool) -> None:
        self.article.move_cursor_to(span.start)
        self.pane.highlight_span(span.id)
        self._say(f"{span.label}: “{span_snippet(span.text)}”" + (" ✎" if span.note else ""))
        if focus_article:
            self.article.focus()

    @on(AnnotationPane.SpanChosen)
    def jump_to_chosen(self, message: AnnotationPane.SpanChosen) -> None:
        self._go_to_span(message.span, focus_article=True)

    def action_toggle_focus(self) -> None:
        if self.pane.has_focus:
            self.article.focus()
            return
        self.remove_class("-pane-hidden")
        self.pane.focus()

    def action_toggle_pane(self) -> None:
        self.toggle_class("-pane-hidden")
        if self.has_class("-pane-hidden") and self.pane.has_focus:
            self.article.focus()

    def action_open_library(self) -> None:
        if self.cancel_accept_all():
            return
        self.factmark.open_library()

    # -- find ----------------------------------------------------------------------------------

    def action_find(self) -> None:
        self.query_one("#find", FindBar).open(self._last_query, return_to=self.article)

    @on(FindBar.Finished, "#find")
    def run_find(self, message: FindBar.Finished) -> None:
        if message.value:
            self._last_query = message.value
            self._select_next_match(self._find_from())

    def _find_from(self) -> int:
        """Where a find starts: after the selection's start (so `n` moves on), at the cursor
        when nothing is selected or a `v` selection is being extended."""
        view = self.article
        selection = view.selection
        if selection is None or view.anchor_is_sticky:
            return view.cursor
        return selection[0] + 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `/` and `e` are priority bindings (acted on as soon as they are read, so keys typed
        # right after them reach the find bar or the note); in a text field they are just text.
        # After `f` they are the character to jump to ("fe", "f/").
        if action in _TEXT_ENTRY_ACTIONS and self.article.awaiting_char:
            return False
        return not (action in _TEXT_ENTRY_ACTIONS and isinstance(self.focused, Input))

    def action_find_next(self) -> None:
        if not self._last_query:
            self.action_find()
            return
        self._select_next_match(self._find_from())

    def _select_next_match(self, start: int) -> None:
        if self._document is None:
            return
        exact = self.query_one("#find", FindBar).exact
        found = find_next(self._document.text, self._last_query, start, exact)
        if found is None:
            self._say(f"Not found: “{span_snippet(self._last_query)}”")
            return
        view = self.article
        # The selection change reports itself after this; let it show this line instead.
        if view.anchor_is_sticky:
            self._status_after_move = (
                f"Found at {found.start}, {found.describe()}: selection extended to it."
            )
            view.extend_to(found.start, found.end)
            return
        self._status_after_move = (
            f"Found at {found.start}, {found.describe()}: press a label key, n for the next."
        )
        view.select_range(found.start, found.end)

    # -- helpers -------------------------------------------------------------------------------

    @on(ArticleView.CursorMoved)
    def show_selection(self, message: ArticleView.CursorMoved) -> None:
        if self._status_after_move is not None:
            self._say(self._status_after_move)
            self._status_after_move = None
            return
        if self._document is None:
            return
        pending = self.article.pending
        if message.selection is None:
            if pending:
                self._say(f"{pending} (a motion, a text object, or a character after f)")
            return
        start, end = message.selection
        shown = shown_selection(self._document.text[start:end])
        self._say(f"{pending} Selected {end - start} characters: “{shown}”".lstrip())

    @on(ArticleView.NothingThere)
    def say_nothing_there(self, message: ArticleView.NothingThere) -> None:
        self._say(f"No {message.kind} here.")

    def target_span(self) -> SpanInfo | None:
        """The span a key acts on (see _target_span), for the link flows."""
        return self._target_span()

    def _target_span(self) -> SpanInfo | None:
        """The span a delete, note or link acts on: the pane's highlight when the pane has
        focus, else the innermost span under the text cursor."""
        if self.pane.has_focus:
            return self.pane.highlighted_span
        return innermost_span_at(self._spans, self.article.cursor)

    def _replace_spans(self, spans: list[SpanInfo], highlight: int | None = None) -> None:
        self._spans = sorted(spans, key=lambda s: (s.start, s.end, s.label, s.id))
        self.article.set_spans(self._spans)
        current = self.pane.highlighted_span
        keep = highlight if highlight is not None else (current.id if current else None)
        self._linker.refresh(self._spans)
        self.pane.show_spans(
            self._spans,
            self.factmark.label_styles,
            highlight=keep,
            links=self._linker.by_span,
            relation_styles=self._linker.styles,
            checks=self._appearance_checks,
        )
        self.show_suggestions()  # a span hides the suggestions it answers

    def _is_current(self, doc_id: int) -> bool:
        return self._document is not None and self._document.id == doc_id

    def _show_header(self) -> None:
        position = self._position
        where = "loading"
        if position is not None and position.index == 0:
            where = f"not in your queue of {position.total} · {position.done} done"
        elif position is not None:
            where = f"document {position.index} of {position.total} · {position.done} done"
        self.query_one("#header", StatusHeader).show(
            self.factmark.config.organisation, self.factmark.annotator, where
        )


def _meta_text(document: DocumentInfo) -> Text:
    """Outlet · date (or "no date") · byline · length · id, as plain Text (never markup)."""
    shown = [one_line(document.outlet), shown_date(document.published), one_line(document.byline)]
    shown.append(f"{len(document.text):,} characters")
    shown.append(one_line(document.ext_id))
    return Text(" · ".join(part for part in shown if part), style="dim", no_wrap=True)
