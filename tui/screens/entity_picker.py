"""The entity picker: which corpus-wide entity an actor span names, chosen by typing.

Opened by `enter` on an actor span (`tui.screens.entity_naming`). The span's text is typed in
already; every keystroke filters the entities forgivingly (`vocabulary.entity_match`: case,
diacritics, word starts, near misses, aliases; the most-named first). `enter` names the
highlighted entity, or creates a new one from what is typed (the "new entity" row, or `ctrl+n`
at any time), asking its type; `ctrl+l` names none; `escape` cancels.

The check form uses the same picker for a check's claimant (`EntitySubject`): its heading, an
empty query, and the proposed claimants (from the claim's `said_by` links) listed first.

The entities are read once, in a worker, with the index built there too; filtering then runs on
each keystroke on the UI thread (10,000 entities: a few milliseconds, `bench/bench_entities.py`).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store import SpanInfo
from store.info import EntityInfo, EntityRef
from tui import keys
from tui.screens.base import factmark_app, store_read
from tui.titles import cut_in_middle, one_line
from tui.widgets.line_input import LineInput
from vocabulary.entities import ENTITY_TYPES
from vocabulary.entity_match import EntityIndex, EntityMatch

SHOWN = 50  # matches listed (the best first; typing more narrows them)
_NEW, _CLEAR = "new", "clear"
_HINT = "type to find · ↑↓ choose · enter names · ctrl+n new · ctrl+l none · esc cancels"


@dataclass(frozen=True)
class EntityChoice:
    """What the picker decided: name `entity_id`; or create `new_name` of `new_type` and name
    it; or (all None) name no entity."""

    entity_id: int | None = None
    new_name: str | None = None
    new_type: str | None = None


@dataclass(frozen=True)
class EntitySubject:
    """What the picker names an entity for: its heading, the query typed in at first, the entity
    it names now (None: none), and entities proposed for it (listed first, marked)."""

    heading: Text
    query: str
    current: EntityRef | None
    proposed: tuple[EntityInfo, ...] = ()

    @classmethod
    def of_span(cls, span: SpanInfo) -> EntitySubject:
        heading = Text.assemble(
            ("Name the entity of ", "bold"), f"“{cut_in_middle(one_line(span.text), 50)}”"
        )
        if span.entity is not None:
            heading.append(f"  (now: {one_line(span.entity.name)})", "dim")
        return cls(heading, one_line(span.text), span.entity)


@dataclass
class EntitiesRead(Message):
    """The picker's entities, indexed for matching."""

    index: EntityIndex[EntityInfo]


class _QueryInput(LineInput):
    """The query line: `enter` and `escape` act at once, in key order (see LineInput)."""

    def on_finish(self, value: str | None) -> None:
        picker = self.screen
        if isinstance(picker, EntityPicker):
            picker.finish(value)


class EntityPicker(ModalScreen[EntityChoice | None]):
    """Choose the entity an actor span (or another subject) names (None: cancelled)."""

    BINDINGS = keys.bindings_for("entity-picker")

    def __init__(self, subject: SpanInfo | EntitySubject) -> None:
        super().__init__()
        if isinstance(subject, SpanInfo):
            subject = EntitySubject.of_span(subject)
        self._subject = subject
        self._index: EntityIndex[EntityInfo] | None = None
        self._matches: list[EntityMatch[EntityInfo]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-picker"):
            yield Static(self._subject.heading, id="entity-heading")
            yield _QueryInput(
                value=self._subject.query, placeholder="Name or alias", id="entity-query"
            )
            yield OptionList(id="entity-options")
            yield Static(Text(_HINT), id="entity-hint")

    @property
    def query_input(self) -> _QueryInput:
        return self.query_one("#entity-query", _QueryInput)

    @property
    def options(self) -> OptionList:
        return self.query_one("#entity-options", OptionList)

    def on_mount(self) -> None:
        self.options.can_focus = False  # the query keeps focus; ↑↓ move the highlight
        self.set_focus(self.query_input)
        self._show()
        self.read_entities()

    @store_read("read the entities", group="entity-picker")
    def read_entities(self) -> Message:
        index = EntityIndex(factmark_app(self).store.entities())
        # The collection that the new objects bring on runs now, in the worker, rather than at
        # the first keystroke (75-100 ms for 10,000 entities).
        gc.collect()
        return EntitiesRead(index)

    @on(EntitiesRead)
    def show_entities(self, message: EntitiesRead) -> None:
        self._index = message.index
        self._show()

    @on(Input.Changed, "#entity-query")
    def filter_entities(self) -> None:
        self._show()

    # -- the list ------------------------------------------------------------------------------

    def _show(self) -> None:
        query = self.query_input.value
        if self._index is None:
            self._matches = []
        else:
            self._matches = self._proposed_first(query, self._index.search(query, SHOWN))
        rows = [Option(self._match_prompt(m), id=f"e{m.entity.id}") for m in self._matches]
        if query.strip():
            rows.append(Option(_new_prompt(query, self._index is None), id=_NEW))
        if self._subject.current is not None:
            rows.append(Option(Text("✕ no entity (ctrl+l)", "italic"), id=_CLEAR))
        self.options.set_options(rows)
        if rows:
            self.options.highlighted = 0

    def _proposed_first(
        self, query: str, matches: list[EntityMatch[EntityInfo]]
    ) -> list[EntityMatch[EntityInfo]]:
        """The proposed entities first: all of them for an empty query, else those matching."""
        proposed = {entity.id: entity for entity in self._subject.proposed}
        if not proposed:
            return matches
        if query.strip():
            first = [m for m in matches if m.entity.id in proposed]
        else:
            first = [EntityMatch(entity, None, (0, 0)) for entity in proposed.values()]
        rest = [m for m in matches if m.entity.id not in proposed]
        return (first + rest)[:SHOWN]

    def _match_prompt(self, match: EntityMatch[EntityInfo]) -> Text:
        entity = match.entity
        current = self._subject.current is not None and self._subject.current.id == entity.id
        prompt = Text.assemble(
            ("✓ " if current else "  ", "bold"),
            (cut_in_middle(one_line(entity.name), 40), "bold"),
            (f"  {entity.type}", "dim"),
            (f"  · {entity.span_count} spans", "dim"),
        )
        if any(entity.id == proposed.id for proposed in self._subject.proposed):
            prompt.append("  proposed", "italic")
        if match.hit is not None:
            prompt.append(f"  ← {cut_in_middle(one_line(match.hit), 30)}", "italic")
        prompt.no_wrap = True
        prompt.overflow = "ellipsis"
        return prompt

    # -- choosing ------------------------------------------------------------------------------

    def finish(self, value: str | None) -> None:
        """`enter` (value: the query) or `escape` (None) in the query line."""
        if value is None:
            self.dismiss(None)
            return
        index = self.options.highlighted
        option = self.options.get_option_at_index(index) if index is not None else None
        if option is None or option.id == _NEW:
            self.action_new_entity()
        elif option.id == _CLEAR:
            self.dismiss(EntityChoice())
        else:
            self.dismiss(EntityChoice(entity_id=int(str(option.id)[1:])))

    def action_move(self, rows: int) -> None:
        count = self.options.option_count
        if count:
            current = self.options.highlighted or 0
            self.options.highlighted = max(0, min(count - 1, current + rows))

    def action_new_entity(self) -> None:
        name = " ".join(self.query_input.value.split())
        if not name:
            self.query_input.reopen(self.query_input.value)
            self.notify("Type the new entity's name first.", markup=False)
            return
        self.query_input.finished = True  # keys typed now belong to the type dialog
        self.app.push_screen(EntityTypeDialog(name), lambda kind: self._created(name, kind))

    def _created(self, name: str, kind: str | None) -> None:
        if kind is None:  # back to the picker, as it was
            self.query_input.reopen(self.query_input.value)
            self.set_focus(self.query_input)
            return
        self.dismiss(EntityChoice(new_name=name, new_type=kind))

    def action_clear_entity(self) -> None:
        if self._subject.current is not None:
            self.dismiss(EntityChoice())

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        """Keys that reach the picker itself were typed before its query had focus (a burst
        right after `enter`): they belong in the query, and must not run app keys like `q`."""
        if event.is_printable and event.character and not self.query_input.finished:
            self.query_input.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()


def _new_prompt(query: str, loading: bool) -> Text:
    name = cut_in_middle(one_line(" ".join(query.split())), 40)
    prompt = Text.assemble(("+ new entity ", "bold"), f"“{name}”", (" (ctrl+n)", "dim"))
    if loading:
        prompt.append("   reading the entities…", "dim italic")
    return prompt


class EntityTypeDialog(ModalScreen[str | None]):
    """The type of a new entity: a digit, or ↑↓ and `enter`; `escape` goes back."""

    BINDINGS = keys.bindings_for("dialog")

    def __init__(self, name: str) -> None:
        super().__init__()
        self._entity_name = name

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-type-dialog"):
            yield Static(
                Text.assemble(
                    ("New entity ", "bold"), f"“{cut_in_middle(self._entity_name, 50)}”: type?"
                )
            )
            yield OptionList(
                *(Option(f"{n} {kind}", id=kind) for n, kind in enumerate(ENTITY_TYPES, 1)),
                id="entity-types",
            )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#entity-types", OptionList))

    @on(OptionList.OptionSelected, "#entity-types")
    def choose(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(str(message.option.id))

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(ENTITY_TYPES):
                event.stop()
                self.dismiss(ENTITY_TYPES[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)
