"""The Store's entity methods (mixed into `Store`): the corpus's canonical actors.

Entities are shared by every document and annotator. Anyone working may create one and name
their own actor spans with it (`authorise_layer`, as for any span edit); merging and renaming
change what every layer names, so they are for reviewers and admins once the store has a user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlmodel import Session

from store.entities import (
    all_entities,
    create_entity,
    entity_row,
    find_entity_row,
    info_of,
    merge_entity,
    name_span,
    naming_spans,
    rename_entity,
    with_entities,
)
from store.info import EntityInfo, SpanInfo
from store.queries import document_text, edit_actor, span_in_layer
from store.review_api import StoreHost
from store.roles import authorise_layer, person, require_reviewer
from store.span_columns import span_info
from vocabulary.entity_match import EntityIndex


class EntityMethods(StoreHost):
    """Entities: listing and finding, creating, naming spans, merging, renaming."""

    def entities(self, query: str | None = None, limit: int | None = None) -> list[EntityInfo]:
        """Every entity (most-named first), or those matching `query` as the picker matches
        them (`vocabulary.entity_match`), best first; at most `limit`."""
        found = self._db.read(all_entities)
        if not (query or "").strip():  # no index needed to list them
            found.sort(key=lambda e: (-e.span_count, e.name.casefold(), e.id))
            return found if limit is None else found[:limit]
        return [match.entity for match in EntityIndex(found).search(query or "", limit)]

    def entity(self, ref: int | str) -> EntityInfo:
        """An entity by number or public id ("e-3f9a…", or a unique start); StoreError if none."""
        return self._db.read(lambda session: info_of(session, find_entity_row(session, ref)))

    def create_entity(
        self,
        name: str,
        type: str = "Person",
        *,
        aliases: Iterable[str] = (),
        external_id: str | None = None,
        actor: str | None = None,
    ) -> EntityInfo:
        """A new entity (ValueError for an empty name, an unknown type); logged."""
        who = actor or self.user

        def work(session: Session) -> EntityInfo:
            if who is not None:
                person(session, who)
            row = create_entity(
                session, name, type, aliases=aliases, external_id=external_id, actor=who
            )
            return info_of(session, row)

        return self._db.write(work)

    def name_entity(
        self, span_id: int, layer: str, entity_id: int | None, *, actor: str | None = None
    ) -> SpanInfo:
        """Make an actor span of `layer` name the entity `entity_id` (None: none). Naming adds
        the span's text to the entity's aliases. An undoable edit of the layer, logged."""

        def work(session: Session) -> SpanInfo:
            row, resolved = span_in_layer(session, span_id, layer)
            authorise_layer(session, self.user, resolved.name)
            entity = entity_row(session, entity_id) if entity_id is not None else None
            who = edit_actor(resolved.name, actor or self.user)
            name_span(session, row, entity, resolved.name, who)
            return span_info(row, resolved.name, document_text(session, row.document_id))

        return self._db.write(work)

    def merge_entities(
        self, ref: int | str, into: int | str, *, actor: str | None = None
    ) -> EntityInfo:
        """Merge entity `ref` into `into`: every span naming it then names `into` (none loses
        its link), its name and aliases become `into`'s aliases; `ref` is gone. Logged."""
        who = actor or self.user

        def work(session: Session) -> EntityInfo:
            if who is not None:
                require_reviewer(session, who, "merge entities")
            source, target = find_entity_row(session, ref), find_entity_row(session, into)
            merge_entity(session, source, target, who)
            return info_of(session, target)

        return self._db.write(work)

    def rename_entity(self, ref: int | str, name: str, *, actor: str | None = None) -> EntityInfo:
        """Call an entity `name` (its old name stays as an alias). Logged."""
        who = actor or self.user

        def work(session: Session) -> EntityInfo:
            if who is not None:
                require_reviewer(session, who, "rename entities")
            row = find_entity_row(session, ref)
            rename_entity(session, row, name, who)
            return info_of(session, row)

        return self._db.write(work)

    def entity_spans(self, ref: int | str, limit: int | None = None) -> list[SpanInfo]:
        """The spans (of every layer) that name an entity, in document order."""
        return self._db.read(lambda session: naming_spans(session, ref, limit))

    def with_entities(self, spans: Sequence[SpanInfo]) -> list[SpanInfo]:
        """`spans` carrying the entities they name (for spans read without them)."""
        return self._db.read(lambda session: with_entities(session, spans))
