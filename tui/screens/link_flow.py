"""Links on the annotate screen: `l` makes one, `L` (or `x` on a pane link row) removes one.

The annotate screen owns one `Linker`: it keeps the document's relations as the store last
confirmed them, offers the pickers, writes through `submit_write` and updates the pane and the
article's link marks when the past-tense message comes back (`RelationAdded`, `RelationRemoved`).
The rules of what may link to what are `tui.linking`'s.

`l` acts on, in this order: the selection (it becomes a span in the same step, its label the one
the link needs; the pickers ask when several fit), else the span the pane highlights when the
pane has focus, else the innermost span under the cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from store import RelationInfo, SpanInfo
from tui.linking import (
    LinkCandidate,
    LinkChoice,
    LinkRow,
    link_candidates,
    linked_ids,
    links_by_span,
    new_span_candidates,
    relation_title,
    suggested_first,
    without_span,
)
from tui.messages import RelationAdded, RelationRemoved
from tui.screens.link_picker import LinkPicker, PickerRow
from tui.text_units import snap_selection
from tui.widgets.annotation_pane import span_snippet
from vocabulary.labels import RelationDef

if TYPE_CHECKING:
    from store import Store
    from tui.screens.annotate import AnnotateScreen


class Linker:
    """The links of the open document, and the `l` / `L` flows of one annotate screen."""

    def __init__(self, screen: AnnotateScreen) -> None:
        self._screen = screen
        self._relations: list[RelationInfo] = []
        self._by_span: dict[int, list[LinkRow]] = {}
        self._spans_by_id: dict[int, SpanInfo] = {}
        self._styles: dict[str, Style] | None = None
        self._held: LinkPicker | None = None  # the picker whose pick is being written

    # -- state ---------------------------------------------------------------------------------

    @property
    def relations(self) -> list[RelationInfo]:
        """The document's links in the annotator's layer, as last confirmed by the store."""
        return self._relations

    @property
    def by_span(self) -> dict[int, list[LinkRow]]:
        """Each span's links (key: span id), what the pane lists under each span."""
        return self._by_span

    @property
    def styles(self) -> dict[str, Style]:
        """Each relation type's colour, for the pane's link rows."""
        if self._styles is None:
            self._styles = {
                relation.name: Style(color=relation.color, bold=True)
                for relation in self._screen.factmark.config.relations
            }
        return self._styles

    def load(self, relations: Sequence[RelationInfo]) -> None:
        """Take the relations the store gave (a document opened, an undo or redo)."""
        self._relations = list(relations)

    def forget_span(self, span_id: int) -> None:
        """A span was removed: the store removed the links touching it in the same step."""
        self._relations = without_span(self._relations, span_id)

    def refresh(self, spans: Sequence[SpanInfo]) -> None:
        """Recompute each span's links from the current spans and relations, and the marks."""
        self._spans_by_id = {span.id: span for span in spans}
        self._by_span = links_by_span(self._relations, spans)
        self.mark()

    def mark(self) -> None:
        """Mark in the text the spans linked to the innermost span under the cursor."""
        article = self._screen.article
        cursor = article.cursor
        under = [s for s in article.spans_overlapping(cursor, cursor) if s.start <= cursor]
        span = min(under, key=lambda s: s.end - s.start, default=None)
        ids = linked_ids(self._by_span, span.id if span is not None else None)
        article.set_linked([self._spans_by_id[i] for i in ids if i in self._spans_by_id])

    # -- making a link -------------------------------------------------------------------------

    def start(self) -> None:
        """`l`: link the selection (made a span) or the span at hand to a span the user picks."""
        screen = self._screen
        document = screen.document
        if document is None:
            return
        selection = screen.article.selection
        if selection is not None and not screen.pane.has_focus:
            start, end = snap_selection(document.text, *selection)
            same = [s for s in screen.spans if (s.start, s.end) == (start, end)]
            if start < end and not same:
                self._start_from_selection(start, end)
                return
            if same:
                self._start_from_span(min(same, key=lambda s: s.id))
                return
        source = screen.target_span()
        if source is None:
            screen._say("Nothing to link: put the cursor in a span, or select text first.")
            return
        self._start_from_span(source)

    def _start_from_span(self, source: SpanInfo) -> None:
        config = self._screen.factmark.config
        candidates = link_candidates(source, self._screen.spans, config.relations, self._relations)
        candidates = suggested_first(source, candidates, self._screen.suggested_links)
        if not candidates:
            self._screen._say(
                f"No span of yours can be linked to this {source.label} "
                f"(link types: {_type_summary(config.relations)})."
            )
            return
        heading = f"Link {source.label} “{span_snippet(source.text, 50)}” to:"
        rows = [self._candidate_row(c) for c in candidates]
        self._push(LinkPicker(heading, rows, hold=self._hold(candidates, None)), candidates, None)

    def _start_from_selection(self, start: int, end: int) -> None:
        screen = self._screen
        config = screen.factmark.config
        labels = [label.name for label in config.labels]
        candidates = new_span_candidates(start, end, labels, screen.spans, config.relations)
        text = screen.document.text[start:end] if screen.document else ""
        if not candidates:
            screen._say(
                "No span of yours can be linked to a new span here "
                f"(link types: {_type_summary(config.relations)})."
            )
            return
        heading = f"Make “{span_snippet(text, 40)}” a span and link it to:"
        rows = [self._candidate_row(c) for c in candidates]
        extent = (start, end)
        self._push(
            LinkPicker(heading, rows, hold=self._hold(candidates, extent)), candidates, extent
        )

    def _push(
        self,
        picker: LinkPicker,
        candidates: list[LinkCandidate],
        extent: tuple[int, int] | None,
    ) -> None:
        def picked(index: int | None) -> None:
            if not picker.taken:  # a held pick was written already
                self._picked_span(candidates, index, extent)

        self._screen.app.push_screen(picker, picked)

    def _hold(
        self, candidates: list[LinkCandidate], extent: tuple[int, int] | None
    ) -> Callable[[LinkPicker, int], bool]:
        """Where the picked span links in one way only, write it while the picker is still up
        (it closes when the link is shown: one frame for both)."""

        def hold(picker: LinkPicker, index: int) -> bool:
            choices = candidates[index].choices
            if len(choices) != 1:
                return False
            self._write(choices[0], extent, picker)
            return True

        return hold

    def _candidate_row(self, candidate: LinkCandidate) -> PickerRow:
        """A picker row: the span's label and text, and the ways it can be linked."""
        span = candidate.span
        label_style = self._screen.factmark.label_styles.get(span.label, Style(reverse=True))
        ways = list(dict.fromkeys(_way(choice, span.id) for choice in candidate.choices))
        prompt = Text.assemble(
            (f" {span.label} ", label_style), " ", span_snippet(span.text, 52), ("  ", "")
        )
        prompt.append(" · ".join(ways), "dim")
        if candidate.suggested:  # first in the list; said first, so an ellipsis cannot hide it
            prompt = Text.assemble(("suggested ", "italic"), prompt)
            prompt.no_wrap = True
            prompt.overflow = "ellipsis"
        prompt.no_wrap = True
        prompt.overflow = "ellipsis"
        suggested = " suggested" if candidate.suggested else ""
        return PickerRow(prompt, f"{span.label} {span.text} {' '.join(ways)}{suggested}")

    def _picked_span(
        self,
        candidates: list[LinkCandidate],
        index: int | None,
        new_extent: tuple[int, int] | None = None,
    ) -> None:
        if index is None:
            self._screen._say("No link made.")
            return
        candidate = candidates[index]
        if len(candidate.choices) == 1:
            self._write(candidate.choices[0], new_extent)
            return
        rows = [self._choice_row(c, candidate.span, new_extent) for c in candidate.choices]
        heading = "Which link? Several types fit these two spans:"

        def hold(picker: LinkPicker, index: int) -> bool:
            self._write(candidate.choices[index], new_extent, picker)
            return True

        hint = "type to filter · enter links · esc cancels"
        picker = LinkPicker(heading, rows, hint=hint, hold=hold)
        self._screen.app.push_screen(
            picker,
            lambda picked: (
                None if picker.taken else self._picked_choice(candidate, picked, new_extent)
            ),
        )

    def _choice_row(
        self, choice: LinkChoice, other: SpanInfo, new_extent: tuple[int, int] | None
    ) -> PickerRow:
        relation = self._screen.factmark.config.relation(choice.relation)
        description = relation.description if relation is not None else ""

        def end_text(span_id: int | None) -> str:
            if span_id is None:
                document = self._screen.document
                start, end = new_extent or (0, 0)
                text = document.text[start:end] if document else ""
                return f"new {choice.label} “{span_snippet(text, 24)}”"
            span = other if span_id == other.id else self._spans_by_id.get(span_id)
            if span is None:
                return "?"
            return f"{span.label} “{span_snippet(span.text, 24)}”"

        style = self.styles.get(choice.relation, Style(bold=True))
        prompt = Text.assemble(
            end_text(choice.head_id),
            " ",
            (f"→ {relation_title(choice.relation)} →", style),
            " ",
            end_text(choice.child_id),
            ("  " + description, "dim"),
        )
        prompt.no_wrap = True
        prompt.overflow = "ellipsis"
        search = f"{choice.relation} {choice.label or ''} {description}"
        return PickerRow(prompt, search)

    def _picked_choice(
        self, candidate: LinkCandidate, index: int | None, new_extent: tuple[int, int] | None
    ) -> None:
        if index is None:
            self._screen._say("No link made.")
            return
        self._write(candidate.choices[index], new_extent)

    def _write(
        self,
        choice: LinkChoice,
        new_extent: tuple[int, int] | None,
        picker: LinkPicker | None = None,
    ) -> None:
        """Write the link; a held `picker` closes when the store answers (or by itself)."""
        screen = self._screen
        document = screen.document
        self._release()
        self._held = picker
        if document is None:
            self._release()
            return
        doc_id, layer = document.id, screen.factmark.annotator
        relation = choice.relation
        if new_extent is None:
            head, child = choice.head_id, choice.child_id
            assert head is not None and child is not None

            def link(store: Store) -> RelationAdded:
                return RelationAdded(store.add_relation(doc_id, layer, head, child, relation))

        else:
            start, end = new_extent
            label = choice.label or ""
            new_is_head = choice.head_id is None
            other = choice.child_id if new_is_head else choice.head_id
            assert other is not None

            def link(store: Store) -> RelationAdded:
                span, made = store.add_linked_span(
                    doc_id, layer, start, end, label, other, relation, new_is_head=new_is_head
                )
                return RelationAdded(made, span)

        # A failed write is told by the screen (StoreFailed); a held picker then closes by itself.
        screen.factmark.submit_write(link, screen, f"save the {relation} link")

    def _release(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.release()

    def added(self, message: RelationAdded) -> None:
        """The store saved a link (and perhaps the span made with it): show both."""
        screen = self._screen
        relation = message.relation
        self._release()  # the picker closes in the frame that shows the link
        if screen.document is None or screen.document.id != relation.document_id:
            return
        if all(existing.id != relation.id for existing in self._relations):
            self._relations.append(relation)
        spans = screen.spans
        if message.span is not None:
            screen.article.clear_selection()
            if all(existing.id != message.span.id for existing in spans):
                spans = [*spans, message.span]
        highlight = message.span.id if message.span is not None else None
        screen._replace_spans(spans, highlight=highlight)
        head = self._spans_by_id.get(relation.head_id)
        child = self._spans_by_id.get(relation.child_id)
        if head is not None and child is not None:
            screen._say(
                f"Linked {head.label} “{span_snippet(head.text, 30)}” → "
                f"{relation_title(relation.label)} → {child.label} “{span_snippet(child.text, 30)}”"
                " (u undoes)"
            )

    # -- removing a link -----------------------------------------------------------------------

    def remove(self) -> None:
        """`L`: remove the pane's highlighted link, or a link of the span at hand (the picker
        asks which when it has several)."""
        screen = self._screen
        if screen.pane.has_focus and screen.pane.highlighted_link is not None:
            self._write_removal(screen.pane.highlighted_link.relation)
            return
        span = screen.target_span()
        links = self._by_span.get(span.id, []) if span is not None else []
        if span is None or not links:
            screen._say("No link here: put the cursor in a linked span, or pick one in the pane.")
            return
        if len(links) == 1:
            self._write_removal(links[0].relation)
            return
        rows = [self._link_row(link) for link in links]
        heading = f"Remove which link of {span.label} “{span_snippet(span.text, 40)}”?"
        screen.app.push_screen(
            LinkPicker(heading, rows, hint="type to filter · enter removes · esc cancels"),
            lambda index: self._picked_removal(links, index),
        )

    def remove_highlighted(self) -> bool:
        """`x` in the pane on a link row removes that link; False when the row is no link."""
        pane = self._screen.pane
        link = pane.highlighted_link if pane.has_focus else None
        if link is None:
            return False
        self._write_removal(link.relation)
        return True

    def _link_row(self, link: LinkRow) -> PickerRow:
        style = self.styles.get(link.relation.label, Style(bold=True))
        arrow = "→" if link.outgoing else "←"
        prompt = Text.assemble(
            (f"{arrow} {relation_title(link.relation.label)}:", style),
            " ",
            (f"{link.other.label} ", "dim"),
            span_snippet(link.other.text, 60),
        )
        prompt.no_wrap = True
        return PickerRow(prompt, f"{link.relation.label} {link.other.label} {link.other.text}")

    def _picked_removal(self, links: list[LinkRow], index: int | None) -> None:
        if index is None:
            self._screen._say("No link removed.")
            return
        self._write_removal(links[index].relation)

    def _write_removal(self, relation: RelationInfo) -> None:
        screen = self._screen
        layer, relation_id = screen.factmark.annotator, relation.id
        screen.factmark.submit_write(
            lambda store: RelationRemoved(store.delete_relation(relation_id, layer)),
            screen,
            "remove the link",
        )

    def removed(self, message: RelationRemoved) -> None:
        screen = self._screen
        relation = message.relation
        if screen.document is None or screen.document.id != relation.document_id:
            return
        head = self._spans_by_id.get(relation.head_id)
        self._relations = [r for r in self._relations if r.id != relation.id]
        screen._replace_spans(screen.spans)
        what = f" of {head.label} “{span_snippet(head.text, 30)}”" if head is not None else ""
        screen._say(f"Removed the {relation_title(relation.label)} link{what} (u undoes)")


def _way(choice: LinkChoice, other_id: int) -> str:
    """How a choice reads on the picker's row of the span `other_id`: "said by →" (that span is
    the head), "← said by" (the child); with the new span's label when the link makes one."""
    title = relation_title(choice.relation)
    if choice.label is not None:
        new = f"new {choice.label}"
        return f"{title} → {new}" if choice.head_id == other_id else f"{new} {title} →"
    return f"← {title}" if choice.child_id == other_id else f"{title} →"


def _type_summary(relations: Sequence[RelationDef]) -> str:
    """The configured link types in a few words: "said_by claim→actor, …"."""
    parts = [
        f"{r.name} {'/'.join(r.heads) or 'any'}→{'/'.join(r.children) or 'any'}" for r in relations
    ]
    return ", ".join(parts) or "none configured"
