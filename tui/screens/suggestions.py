"""Suggestions in the annotate screen: marks the rules propose, that only an annotator's answer
turns into spans.

A suggestion is not a span: it is drawn apart (underlined italic in its label's colour, see
`tui.widgets.suggestion_marks`), the pane, agreement and exports never see it, and it exists only
in this screen until accepted. `a` accepts the one under the cursor (a span of its label, origin
`suggested:<rule>`), `r` rejects it (it is not offered to this annotator again), `A` then a label
key accepts every suggestion of that label in the document, `S` shows or hides them. Every
answer goes through the store as an event.

They are computed in a thread worker after the document is on screen, so neither the first
paint nor a key press waits for them. Blind stays blind: the worker reads only the rules, the
configuration, the corpus's entities and this annotator's own answers, never another
annotator's spans.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.message import Message

from store import SpanInfo
from tui.linking import SuggestedPair
from tui.screens.base import DocumentScreen, store_read
from tui.widgets.annotation_pane import span_snippet
from tui.widgets.suggestion_marks import mark_style

if TYPE_CHECKING:
    from store import DocumentInfo, Store
    from suggest import KnownEntity, Suggestion
    from tui.widgets.article_view import ArticleView

Key = tuple[int, int, str]
# How long after a document's first frame its suggestions start being computed.
SUGGESTIONS_WAIT_SECONDS = 0.15


@dataclass
class SuggestionsFound(Message):
    """The suggestions for a document, and the ones this annotator rejected before."""

    document_id: int
    suggestions: tuple[Suggestion, ...]
    rejected: frozenset[Key]
    problem: str | None = None  # e.g. a configured spaCy model that cannot be loaded
    links: tuple[SuggestedPair, ...] = ()  # links the rules propose, for the link picker


@dataclass
class SuggestionAccepted(Message):
    suggestion: Suggestion
    span: SpanInfo


@dataclass
class SuggestionsAccepted(Message):
    """Every suggestion of `label` accepted at once (`A`, then the label's key)."""

    document_id: int
    label: str
    spans: list[SpanInfo]


@dataclass
class SuggestionRejected(Message):
    document_id: int
    suggestion: Suggestion


def _key(item: Suggestion | SpanInfo) -> Key:
    return item.start, item.end, item.label


class SuggestionsScreen(DocumentScreen):
    """The suggestion half of the annotate screen (AnnotateScreen is one of these)."""

    def __init__(self) -> None:
        super().__init__()
        self._suggested_doc: int | None = None
        self._suggestions: tuple[Suggestion, ...] = ()
        self._suggested_links: tuple[SuggestedPair, ...] = ()
        self._rejected: set[Key] = set()
        self._suggestions_hidden = False
        self._accept_all_pending = False

    @property
    def suggested_links(self) -> tuple[SuggestedPair, ...]:
        """The links the rules propose in the open document (the link picker lists them first);
        hidden with the suggestions."""
        return () if self._suggestions_hidden else self._suggested_links

    # What the annotate screen provides.
    @property
    def document(self) -> DocumentInfo | None:
        raise NotImplementedError

    @property
    def spans(self) -> list[SpanInfo]:
        raise NotImplementedError

    @property
    def article(self) -> ArticleView:
        raise NotImplementedError

    def _replace_spans(self, spans: list[SpanInfo], highlight: int | None = None) -> None:
        raise NotImplementedError

    # -- computing -----------------------------------------------------------------------------

    def start_suggestions(self, document: DocumentInfo) -> None:
        """Forget the last document's suggestions and compute this one's in a worker."""
        self._suggested_doc = document.id
        self._suggestions, self._rejected = (), set()
        self._suggested_links = ()
        self._accept_all_pending = False
        self.show_suggestions()
        # After the article's first frame: the rules take ~100 ms of CPU on a long article, and
        # a worker thread started now would hold the interpreter while that frame is drawn.
        self.call_after_refresh(self.find_suggestions, document.id, document.text)

    @store_read("find suggestions", group="suggestions")
    def find_suggestions(self, doc_id: int, text: str) -> Message:
        # A moment's wait first (sleeping, the thread holds nothing): the frame just composed is
        # still being written to the terminal by Textual's writer thread, and the rules' ~100 ms
        # of CPU on a long article would hold the interpreter while it is. The rules are
        # imported here too (~50 ms at start-up otherwise).
        time.sleep(SUGGESTIONS_WAIT_SECONDS)
        from suggest import suggest

        store, annotator, config = (
            self.factmark.store,
            self.factmark.annotator,
            self.factmark.config,
        )
        rejected = frozenset(
            (decision.start, decision.end, decision.label)
            for decision in store.suggestion_decisions(doc_id, annotator)
            if decision.decision == "rejected"
        )
        model, problem = _model(config.spacy_model)
        found = suggest(
            text,
            entities=_known_entities(store),
            labels=config.label_names,
            relations=config.relations,
            model=model,
        )
        pairs = tuple(
            SuggestedPair(_end(found.spans[link.head]), _end(found.spans[link.child]), link.label)
            for link in found.links
        )
        return SuggestionsFound(doc_id, found.spans, rejected, problem, pairs)

    @on(SuggestionsFound)
    def take_suggestions(self, message: SuggestionsFound) -> None:
        if message.document_id != self._suggested_doc:
            return  # an older document's answer
        self._suggestions = message.suggestions
        self._suggested_links = message.links
        self._rejected = set(message.rejected)
        self.show_suggestions()
        if message.problem:
            self.notify(message.problem, title="Suggestions from the rules only", markup=False)

    def visible_suggestions(self) -> list[Suggestion]:
        """The suggestions on screen: not rejected, not already a span of the annotator's (a
        span of the same label overlapping it), not hidden with `S`."""
        if self._suggestions_hidden:
            return []
        # Per label, the annotator's spans by start (bisection: a long article may have
        # thousands of both, and this runs after every label key).
        starts: dict[str, list[int]] = {}
        ends: dict[str, list[int]] = {}
        for span in sorted(self.spans, key=lambda span: span.start):
            starts.setdefault(span.label, []).append(span.start)
            ends.setdefault(span.label, []).append(span.end)
        longest = {
            label: max(e - s for s, e in zip(starts[label], ends[label], strict=True))
            for label in starts
        }
        shown = []
        for s in self._suggestions:
            if _key(s) in self._rejected:
                continue
            label_starts = starts.get(s.label)
            if label_starts is not None:
                low = bisect_left(label_starts, s.start - longest[s.label])
                high = bisect_left(label_starts, s.end)
                label_ends = ends[s.label]
                if any(label_ends[i] > s.start for i in range(low, high)):
                    continue  # the annotator has a span of this label over it
            shown.append(s)
        return shown

    def show_suggestions(self) -> None:
        """Draw the visible suggestions (after any change of spans, answers or visibility)."""
        styles = {label.name: mark_style(label.color) for label in self.factmark.config.labels}
        self.article.set_suggestions(self.visible_suggestions(), styles)

    # -- answering -----------------------------------------------------------------------------

    def _suggestion_here(self) -> Suggestion | None:
        view = self.article
        visible = self.visible_suggestions()
        where = view.selection[0] if view.selection else view.cursor
        here = [s for s in visible if s.start <= where < s.end]
        if not here and view.selection is None:
            # Just past one (where a find or a word motion leaves the cursor) counts too.
            here = [s for s in visible if s.end == where]
        if view.selection is not None:
            exact = [s for s in visible if (s.start, s.end) == view.selection]
            here = exact or here
        return min(here, key=lambda s: (s.end - s.start, s.start), default=None)

    def action_accept_suggestion(self) -> None:
        suggestion = self._suggestion_here()
        document = self.document
        if suggestion is None or document is None:
            self._say("No suggestion here: underlined italic text is a suggestion (S shows them).")
            return
        doc_id, layer = document.id, self.factmark.annotator
        chosen = suggestion

        def accept(store: Store) -> Message:
            span = store.accept_suggestion(
                doc_id, layer, chosen.start, chosen.end, chosen.label, chosen.rule
            )
            return SuggestionAccepted(chosen, span)

        self.factmark.submit_write(accept, self, f"accept the {suggestion.label} suggestion")

    @on(SuggestionAccepted)
    def show_accepted(self, message: SuggestionAccepted) -> None:
        span = message.span
        if self.document is None or self.document.id != span.document_id:
            return
        if all(existing.id != span.id for existing in self.spans):
            self._replace_spans([*self.spans, span], highlight=span.id)
        # The selection that chose it is done with, and the cursor goes inside the new span, so
        # the next `l`, `enter` or `e` acts on it rather than on a selection or its neighbour.
        self.article.clear_selection()
        self.article.move_cursor_to(span.start)
        self._say(f"Accepted {span.label}: “{span_snippet(span.text)}” (u undoes)")

    def action_reject_suggestion(self) -> None:
        suggestion = self._suggestion_here()
        document = self.document
        if suggestion is None or document is None:
            self._say("No suggestion here to reject.")
            return
        doc_id, layer = document.id, self.factmark.annotator
        chosen = suggestion

        def reject(store: Store) -> Message:
            store.reject_suggestion(
                doc_id, layer, chosen.start, chosen.end, chosen.label, chosen.rule
            )
            return SuggestionRejected(doc_id, chosen)

        self.factmark.submit_write(reject, self, f"reject the {suggestion.label} suggestion")

    @on(SuggestionRejected)
    def show_rejected(self, message: SuggestionRejected) -> None:
        if message.document_id != self._suggested_doc:
            return
        self._rejected.add(_key(message.suggestion))
        self.show_suggestions()
        suggestion = message.suggestion
        self._say(
            f"Rejected the {suggestion.label} suggestion “{span_snippet(suggestion.text)}”: "
            "it will not be offered to you again."
        )

    def action_accept_all_suggestions(self) -> None:
        labels = ", ".join(f"{label.key} {label.name}" for label in self.factmark.config.labels)
        self._accept_all_pending = True
        self._say(f"Accept every suggestion of which label? Press its key ({labels}; esc: none).")

    def take_accept_all(self, label: str) -> bool:
        """Called by the label keys: True if this key answered `A` (and was used up here)."""
        if not self._accept_all_pending:
            return False
        self._accept_all_pending = False
        document = self.document
        chosen = [s for s in self.visible_suggestions() if s.label == label]
        if document is None or not chosen:
            self._say(f"No {label} suggestions to accept.")
            return True
        doc_id, layer = document.id, self.factmark.annotator

        def accept_all(store: Store) -> Message:
            answers = [(s.start, s.end, s.label, s.rule) for s in chosen]
            return SuggestionsAccepted(
                doc_id, label, store.accept_suggestions(doc_id, layer, answers)
            )

        self.factmark.submit_write(accept_all, self, f"accept the {label} suggestions")
        return True

    def cancel_accept_all(self) -> bool:
        """Escape after `A`: True if it cancelled the question."""
        if not self._accept_all_pending:
            return False
        self._accept_all_pending = False
        self._say("Nothing accepted.")
        return True

    @on(SuggestionsAccepted)
    def show_all_accepted(self, message: SuggestionsAccepted) -> None:
        if self.document is None or self.document.id != message.document_id:
            return
        known = {span.id for span in self.spans}
        self._replace_spans([*self.spans, *(s for s in message.spans if s.id not in known)])
        count = len(message.spans)
        self._say(f"Accepted {count} {message.label} suggestion{'s' if count != 1 else ''}.")

    def action_toggle_suggestions(self) -> None:
        self._suggestions_hidden = not self._suggestions_hidden
        self.show_suggestions()
        shown = len(self.visible_suggestions())
        self._say(
            "Suggestions hidden (S shows them)."
            if self._suggestions_hidden
            else f"{shown} suggestions shown: a accepts, r rejects, A then a label key accepts all."
        )


def _end(suggestion: Suggestion) -> tuple[int, int, str]:
    return (suggestion.start, suggestion.end, suggestion.label)


def _model(path: Any) -> tuple[Any, str | None]:
    """The configured spaCy pipeline (None without one), or None and why it cannot be used."""
    if path is None:
        return None, None
    from suggest.spacy_model import ModelError, load_model

    try:
        return load_model(str(path)), None
    except ModelError as error:
        return None, str(error)


def _known_entities(store: Store) -> tuple[KnownEntity, ...]:
    """The corpus's entities (names and aliases) for the alias rule: shared by every annotator,
    so reading them keeps the annotate screen blind."""
    from suggest import KnownEntity

    return tuple(KnownEntity(e.name, tuple(e.aliases)) for e in store.entities())
