"""The annotate screen's entity naming (mixed into `AnnotateScreen`): `enter` on an actor span
opens the entity picker; the choice goes to the store (creating the entity first when it is
new) and the screen shows it when `EntityNamed` comes back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store import SpanInfo
from tui.messages import EntityNamed
from tui.widgets.annotation_pane import span_snippet
from vocabulary.entities import ACTOR_LABEL

if TYPE_CHECKING:
    from store import Store
    from tui.app import FactmarkApp
    from tui.screens.entity_picker import EntityChoice


class EntityNaming:
    """`action_name_entity` and the handler of `EntityNamed`, for the annotate screen."""

    if TYPE_CHECKING:
        _spans: list[SpanInfo]

        @property
        def factmark(self) -> FactmarkApp: ...

        def _target_span(self) -> SpanInfo | None: ...

        def _replace_spans(self, spans: list[SpanInfo], highlight: int | None = None) -> None: ...

        def _say(self, text: str) -> None: ...

        def _is_current(self, doc_id: int) -> bool: ...

    def action_name_entity(self) -> None:
        span = self._target_span()
        if span is None:
            self._say("No span here: put the cursor inside an actor span to name its entity.")
            return
        if span.label != ACTOR_LABEL:
            self._say(f"Only actor spans name an entity; this is a {span.label}.")
            return
        from tui.screens.entity_picker import EntityPicker  # when first asked for: start-up

        self.factmark.push_screen(
            EntityPicker(span), lambda choice: self._apply_entity_choice(span, choice)
        )

    def _apply_entity_choice(self, span: SpanInfo, choice: EntityChoice | None) -> None:
        if choice is None:
            self._say("Entity unchanged.")
            return
        layer = self.factmark.annotator

        def name(store: Store) -> EntityNamed:
            entity_id = choice.entity_id
            created = None
            if choice.new_name is not None and choice.new_type is not None:
                created = store.create_entity(choice.new_name, choice.new_type)
                entity_id = created.id
            return EntityNamed(store.name_entity(span.id, layer, entity_id), created is not None)

        self.factmark.submit_write(name, self, "name the entity")  # type: ignore[arg-type]

    def on_entity_named(self, message: EntityNamed) -> None:
        span = message.span
        if not self._is_current(span.document_id):
            return
        self._replace_spans([span if s.id == span.id else s for s in self._spans], span.id)
        if span.entity is None:
            self._say(f"“{span_snippet(span.text)}” names no entity now.")
            return
        made = "new entity " if message.created else ""
        self._say(
            f"“{span_snippet(span.text)}” is {made}{span_snippet(span.entity.name, 40)} "
            f"({span.entity.type}). u undoes."
        )
