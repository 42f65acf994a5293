"""Entities inside the caller's transaction: reading, creating, naming, merging, renaming.

An actor span names at most one entity (`spans.entity_id`); naming adds the span's text to the
entity's aliases. Naming is a span edit (a `span_entity` event, undone and redone by
`store.history` through `revert_naming` / `reapply_naming`); creating, merging and renaming
change the corpus, not one document's layer, and are logged without a document. A merge deletes
the entity merged away: an event that still names it (an undo of an old naming, a deleted
span's snapshot) follows the `entity_merge` events to where it went (`current_entity_id`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import orjson
from sqlalchemy import func, update
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from store.column_values import utc_datetime
from store.errors import StoreError
from store.events import ENTITY_ADD, ENTITY_MERGE, ENTITY_RENAME, SPAN_ENTITY, log_event
from store.info import EntityInfo, EntityRef, SpanInfo
from store.queries import select_columns
from store.row_info import raw_column, row_id
from store.tables import Annotator, Document, Entity, Event, Span, utc_now
from vocabulary.entities import (
    ACTOR_LABEL,
    ENTITY_PREFIX,
    check_entity_type,
    clean_external_id,
    clean_name,
    fold,
    parse_entity_ref,
    with_aliases,
)
from vocabulary.names import GOLD_LAYER

_UID_HEX = 12  # hex digits of a new entity's public id: 48 random bits


def new_uid() -> str:
    return ENTITY_PREFIX + secrets.token_hex(_UID_HEX // 2)


# -- reading -----------------------------------------------------------------------------------


def entity_row(session: Session, entity_id: int) -> Entity:
    row = session.get(Entity, entity_id)
    if row is None:
        raise StoreError(f"no entity {entity_id}")
    return row


def find_entity_row(session: Session, ref: int | str) -> Entity:
    """An entity by number (12, "12") or public id ("e-3f9a…", or a unique start of one)."""
    if isinstance(ref, int):
        return entity_row(session, ref)
    ref = ref.strip()
    if ref.isdigit():
        return entity_row(session, int(ref))
    if not ref.startswith(ENTITY_PREFIX) or len(ref) <= len(ENTITY_PREFIX):
        raise StoreError(f"no entity {ref!r} (give its number or its id, e-…)")
    rows = session.exec(select(Entity).where(col(Entity.uid).startswith(ref)).limit(2)).all()
    if not rows:
        raise StoreError(f"no entity {ref}")
    if len(rows) > 1:
        raise StoreError(f"{ref} is ambiguous: several entities start with it")
    return rows[0]


def span_counts(session: Session, ids: Iterable[int] | None = None) -> dict[int, int]:
    """How many spans (of every layer) name each entity (those of `ids`, or all)."""
    query = select(Span.entity_id, func.count()).where(col(Span.entity_id).is_not(None))
    if ids is not None:
        query = query.where(col(Span.entity_id).in_(list(ids)))
    rows = session.exec(query.group_by(col(Span.entity_id))).all()
    return {row_id(entity_id): count for entity_id, count in rows}


def entity_info(row: Entity, span_count: int) -> EntityInfo:
    return EntityInfo(
        id=row_id(row.id),
        uid=row.uid,
        name=row.name,
        type=row.type,
        aliases=tuple(row.aliases or ()),
        external_id=row.external_id,
        span_count=span_count,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def info_of(session: Session, row: Entity) -> EntityInfo:
    entity_id = row_id(row.id)
    return entity_info(row, span_counts(session, [entity_id]).get(entity_id, 0))


_ENTITY_COLUMNS = (
    "id",
    "uid",
    "name",
    "type",
    "aliases",
    "external_id",
    "created_at",
    "updated_at",
)


def all_entities(session: Session) -> list[EntityInfo]:
    """Every entity with its span count, read as column tuples (JSON and times as raw text):
    the picker reads 10,000 of them when it opens, and ORM rows took most of that time."""
    counts = span_counts(session)
    columns = [raw_column(Entity, name) for name in _ENTITY_COLUMNS]
    rows = session.connection().execute(select_columns(*columns).order_by(col(Entity.id))).all()
    return [
        EntityInfo(
            id=entity_id,
            uid=uid,
            name=name,
            type=kind,
            aliases=tuple(_json_list(aliases)),
            external_id=external_id,
            span_count=counts.get(entity_id, 0),
            created_at=utc_datetime(created),
            updated_at=utc_datetime(updated),
        )
        for entity_id, uid, name, kind, aliases, external_id, created, updated in rows
    ]


def _json_list(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list):
        return raw
    value = orjson.loads(raw)
    return value if isinstance(value, list) else []


def entity_ref(row: Entity) -> EntityRef:
    return EntityRef(row_id(row.id), row.uid, row.name, row.type)


def refs_of(session: Session, ids: Iterable[int]) -> dict[int, EntityRef]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.exec(select(Entity).where(col(Entity.id).in_(wanted))).all()
    return {row_id(row.id): entity_ref(row) for row in rows}


def with_entity(info: SpanInfo, row: Span) -> SpanInfo:
    """`info` carrying the entity its span names (read in the row's own session)."""
    session = object_session(row)
    if row.entity_id is None or session is None:
        return info
    entity = session.get(Entity, row.entity_id)
    return info if entity is None else replace(info, entity=entity_ref(entity))


def with_entities(session: Session, spans: Sequence[SpanInfo]) -> list[SpanInfo]:
    """`spans` carrying the entities they name, read in one query."""
    refs = refs_of(session, (s.entity_id for s in spans if s.entity_id is not None))
    if not refs:
        return list(spans)
    return [
        replace(s, entity=refs.get(s.entity_id)) if s.entity_id is not None else s for s in spans
    ]


# -- writing -----------------------------------------------------------------------------------


def entity_snapshot(row: Entity) -> dict[str, Any]:
    return {
        "id": row.id,
        "uid": row.uid,
        "name": row.name,
        "type": row.type,
        "aliases": list(row.aliases or ()),
        "external_id": row.external_id,
    }


def create_entity(
    session: Session,
    name: str,
    kind: str,
    *,
    aliases: Iterable[str] = (),
    external_id: str | None = None,
    uid: str | None = None,
    actor: str | None = None,
) -> Entity:
    """A new entity (checked and cleaned here), logged as `entity_add`."""
    name = clean_name(name)
    kept = with_aliases(name, (), [clean_name(alias, "alias") for alias in aliases])
    row = Entity(
        uid=uid or new_uid(),
        name=name,
        type=check_entity_type(kind),
        aliases=kept,
        external_id=clean_external_id(external_id),
    )
    session.add(row)
    session.flush()
    log_event(session, ENTITY_ADD, actor, {"entity": entity_snapshot(row)})
    return row


def add_alias(row: Entity, alias: str) -> bool:
    """Add `alias` unless the entity is already called that; whether it was added."""
    aliases = with_aliases(row.name, row.aliases or (), [alias])
    if len(aliases) == len(row.aliases or ()):
        return False
    row.aliases = aliases
    row.updated_at = utc_now()
    return True


def span_text(session: Session, span: Span) -> str:
    text = session.exec(select(Document.text).where(Document.id == span.document_id)).one()
    return text[span.start : span.end]


def name_span(
    session: Session, span: Span, entity: Entity | None, layer: str, actor: str | None
) -> bool:
    """Make `span` name `entity` (None: nothing); whether anything changed. Logged as an
    undoable `span_entity` edit of the span's layer, with the alias it added, if any."""
    if span.label != ACTOR_LABEL:
        raise ValueError(f"only actor spans name an entity (span {span.id} is a {span.label})")
    after = None if entity is None else row_id(entity.id)
    if span.entity_id == after:
        return False
    payload: dict[str, Any] = {"before": span.entity_id, "after": after, "alias": None}
    from store.snapshots import span_snapshot  # snapshots imports span_columns, which needs us

    payload["span"] = span_snapshot(span)
    if entity is not None:
        alias = clean_name(span_text(session, span), "alias")
        if add_alias(entity, alias):
            payload["alias"] = alias
            session.add(entity)
        payload["entity"] = {"uid": entity.uid, "name": entity.name}
    span.entity_id = after
    span.updated_at = utc_now()
    session.add(span)
    session.flush()
    log_event(
        session,
        SPAN_ENTITY,
        actor,
        payload,
        document_id=span.document_id,
        layer=layer,
        span_id=span.id,
    )
    return True


def current_entity_id(session: Session, entity_id: int | None) -> int | None:
    """The entity `entity_id` is now: itself, or where merges took it (None if gone)."""
    seen: set[int] = set()
    while entity_id is not None and entity_id not in seen:
        if session.get(Entity, entity_id) is not None:
            return entity_id
        seen.add(entity_id)
        entity_id = _merged_into(session, entity_id)
    return None


def _merged_into(session: Session, entity_id: int) -> int | None:
    events = session.exec(
        select(Event).where(Event.kind == ENTITY_MERGE).order_by(col(Event.id).desc())
    ).all()
    for event in events:
        payload = event.payload or {}
        if (payload.get("from") or {}).get("id") == entity_id:
            into = payload.get("into")
            return into if isinstance(into, int) else None
    return None


def revert_naming(session: Session, event: Event) -> None:
    """Undo a `span_entity` edit: the span names what it named before; the alias it added goes,
    unless another span naming that entity reads the same."""
    payload = event.payload or {}
    _set_span_entity(session, event.span_id, current_entity_id(session, payload.get("before")))
    after = current_entity_id(session, payload.get("after"))
    alias = payload.get("alias")
    if after is None or not alias or _alias_in_use(session, after, alias, event.span_id):
        return
    row = entity_row(session, after)
    kept = [a for a in row.aliases or () if fold(a) != fold(alias)]
    if len(kept) != len(row.aliases or ()):
        row.aliases = kept
        row.updated_at = utc_now()
        session.add(row)
        session.flush()


def reapply_naming(session: Session, event: Event) -> None:
    """Redo a `span_entity` edit (its entity followed through any merge since)."""
    payload = event.payload or {}
    after = current_entity_id(session, payload.get("after"))
    _set_span_entity(session, event.span_id, after)
    alias = payload.get("alias")
    if after is not None and alias:
        row = entity_row(session, after)
        if add_alias(row, alias):
            session.add(row)
            session.flush()


def _set_span_entity(session: Session, span_id: int | None, entity_id: int | None) -> None:
    span = session.get(Span, span_id) if span_id is not None else None
    if span is not None:
        span.entity_id = entity_id
        span.updated_at = utc_now()
        session.add(span)
        session.flush()


def _alias_in_use(session: Session, entity_id: int, alias: str, span_id: int | None) -> bool:
    """Whether a span other than `span_id` names the entity with text that folds as `alias`."""
    text = func.substr(Document.text, col(Span.start) + 1, col(Span.end) - col(Span.start))
    query = (
        select(text)
        .select_from(Span)
        .join(Document, col(Document.id) == col(Span.document_id))
        .where(Span.entity_id == entity_id, col(Span.id) != span_id)
    )
    wanted = fold(alias)
    return any(fold(found) == wanted for found in session.exec(query).all())


def merge_entity(session: Session, source: Entity, into: Entity, actor: str | None) -> int:
    """Merge `source` into `into`: every span naming it names `into`, its name and aliases
    become aliases of `into`, its external id is kept if `into` has none. Returns how many spans
    moved; logged as `entity_merge` (with what `source` was, and the spans moved)."""
    if source.id == into.id:
        raise ValueError(f"cannot merge entity {source.id} into itself")
    moved = session.exec(select(Span.id).where(Span.entity_id == source.id)).all()
    session.connection().execute(
        update(Span).where(col(Span.entity_id) == source.id).values(entity_id=into.id)
    )
    into.aliases = with_aliases(into.name, into.aliases or (), [source.name, *source.aliases])
    if into.external_id is None:
        into.external_id = source.external_id
    into.updated_at = utc_now()
    payload = {
        "from": entity_snapshot(source),
        "into": into.id,
        "spans": sorted(row_id(s) for s in moved),
    }
    session.add(into)
    session.delete(source)
    session.flush()
    session.expire_all()  # spans loaded before the UPDATE must be read again
    log_event(session, ENTITY_MERGE, actor, payload)
    return len(moved)


def rename_entity(session: Session, row: Entity, name: str, actor: str | None) -> bool:
    """Call the entity `name`; its old name becomes an alias (it is still found by it).
    Whether anything changed; logged as `entity_rename`."""
    name = clean_name(name)
    if name == row.name:
        return False
    before = row.name
    row.aliases = [a for a in with_aliases(name, row.aliases or (), [before]) if a]
    row.name = name
    row.updated_at = utc_now()
    session.add(row)
    session.flush()
    log_event(
        session,
        ENTITY_RENAME,
        actor,
        {"id": row.id, "uid": row.uid, "before": before, "after": name},
    )
    return True


def naming_spans(session: Session, ref: int | str, limit: int | None = None) -> list[SpanInfo]:
    """The spans (of every layer) naming an entity, by document and offset; at most `limit`."""
    from store.span_columns import span_info  # span_columns imports this module

    entity = find_entity_row(session, ref)
    query = (
        select(Span)
        .where(Span.entity_id == entity.id)
        .order_by(col(Span.document_id), col(Span.start), col(Span.id))
    )
    if limit is not None:
        query = query.limit(limit)
    names = {row.id: row.name for row in session.exec(select(Annotator)).all()}
    texts: dict[int, str] = {}
    spans = []
    for row in session.exec(query).all():
        if row.document_id not in texts:
            texts[row.document_id] = span_document_text(session, row.document_id)
        layer = GOLD_LAYER if row.annotator_id is None else names[row.annotator_id]
        spans.append(span_info(row, layer, texts[row.document_id]))
    return spans


def span_document_text(session: Session, doc_id: int) -> str:
    return session.exec(select(Document.text).where(Document.id == doc_id)).one()


class EntityJoiner:
    """The entities imported actor spans name (`attrs.entity`): joined by public id, else by
    name (case aside) and type, else created, keeping the file's id when it is
    free. Each span's text becomes an alias, as naming from the keyboard does."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._known: dict[tuple[str, str, str], int] = {}

    def name_row(self, row: dict[str, Any], text: str) -> None:
        """Take `attrs.entity` out of a new span row (an actor's) into its `entity_id`."""
        attrs = row.get("attrs") or {}
        if row.get("label") != ACTOR_LABEL or "entity" not in attrs:
            return
        ref = parse_entity_ref(attrs["entity"])
        row["attrs"] = {key: value for key, value in attrs.items() if key != "entity"}
        entity = self._entity(ref)
        if add_alias(entity, clean_name(text[row["start"] : row["end"]], "alias")):
            self.session.add(entity)
        row["entity_id"] = entity.id

    def entity_id(self, ref: dict[str, str]) -> int:
        """The id of the entity `ref` (attrs.entity form) names: joined, else created."""
        known = self._known.get((ref["id"], ref["name"], ref["type"]))
        return known if known is not None else row_id(self._entity(ref).id)

    def _entity(self, ref: dict[str, str]) -> Entity:
        key = (ref["id"], ref["name"], ref["type"])
        known = self._known.get(key)
        if known is not None:
            return entity_row(self.session, known)
        row = self._by_uid(ref["id"]) or self._by_name(ref["name"], ref["type"])
        if row is None:
            free = ref["id"] if _usable_uid(ref["id"]) else None
            row = create_entity(self.session, ref["name"], ref["type"], uid=free)
        self._known[key] = row_id(row.id)
        return row

    def _by_uid(self, uid: str) -> Entity | None:
        if not uid:
            return None
        return self.session.exec(select(Entity).where(Entity.uid == uid)).first()

    def _by_name(self, name: str, kind: str) -> Entity | None:
        query = select(Entity).where(func.lower(Entity.name) == name.lower(), Entity.type == kind)
        return self.session.exec(query.order_by(col(Entity.id))).first()


def _usable_uid(uid: str) -> bool:
    return uid.startswith(ENTITY_PREFIX) and len(ENTITY_PREFIX) < len(uid) <= 40
