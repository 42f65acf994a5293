"""Entities in the store, on real SQLite files (and PostgreSQL where configured): creating, naming
actor spans (alias added, undo and redo), merging (every link kept), renaming, the event log."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import PermissionDenied, Store, StoreError
from tests.postgres import fresh_postgres_database
from vocabulary.records import Article, ImportItem

TEXT = "Haniyeh said talks failed. Ismail Haniyeh spoke in Doha. Lin Jian said no."


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        with Store.open(tmp_path / "f.db") as opened:
            yield opened
        return
    with fresh_postgres_database(request.node.name) as url, Store.open(url) as opened:
        yield opened


@pytest.fixture
def doc(store: Store) -> int:
    [outcome] = store.import_items([ImportItem(Article(text=TEXT, title="Talks"), (), None, "t")])
    return outcome.document_id


def _actor(store: Store, doc: int, start: int, end: int, layer: str = "alice"):
    return store.add_span(doc, layer, start, end, "actor")


def test_create_and_read_an_entity(store: Store) -> None:
    made = store.create_entity(
        " Ismail  Haniyeh ", "Person", aliases=["Haniyeh", "haniyeh"], external_id=" Q320 "
    )
    assert (made.name, made.type, made.aliases, made.external_id) == (
        "Ismail Haniyeh",
        "Person",
        ("Haniyeh",),
        "Q320",
    )
    assert made.uid.startswith("e-") and len(made.uid) == 14 and made.span_count == 0
    assert store.entity(made.id) == made == store.entity(made.uid) == store.entity(made.uid[:6])
    assert store.entity(str(made.id)) == made
    with pytest.raises(ValueError, match="type 'Alien'"):
        store.create_entity("X", "Alien")
    with pytest.raises(ValueError, match="empty"):
        store.create_entity(" \x07 ", "Person")
    with pytest.raises(StoreError, match="no entity 99"):
        store.entity(99)
    with pytest.raises(StoreError, match="no entity 'bob'"):
        store.entity("bob")
    assert [e.kind for e in store.events()] == ["entity_add"]


def test_naming_a_span_adds_its_text_as_an_alias_and_undo_takes_both_back(
    store: Store, doc: int
) -> None:
    haniyeh = store.create_entity("Ismail Haniyeh", "Person")
    short = _actor(store, doc, 0, 7)  # "Haniyeh"
    named = store.name_entity(short.id, "alice", haniyeh.id)
    assert named.entity_id == haniyeh.id
    assert named.entity is not None and named.entity.name == "Ismail Haniyeh"
    assert named.entity.uid == haniyeh.uid and named.entity.type == "Person"
    after = store.entity(haniyeh.id)
    assert after.aliases == ("Haniyeh",) and after.span_count == 1
    # The pane's read carries the entity too.
    [listed] = store.spans(doc, "alice")
    assert listed.entity == named.entity
    full = _actor(store, doc, 27, 41)  # "Ismail Haniyeh": its name, not a new alias
    store.name_entity(full.id, "alice", haniyeh.id)
    assert store.entity(haniyeh.id).aliases == ("Haniyeh",)
    assert store.entity(haniyeh.id).span_count == 2
    kinds = [e.kind for e in store.events(doc)]
    assert kinds.count("span_entity") == 2
    assert store.undo(doc, "alice") == "undid naming of actor 27-41"
    assert store.undo(doc, "alice") == "undid add actor 27-41"
    assert store.entity(haniyeh.id).aliases == ("Haniyeh",)  # another span still reads so
    assert store.undo(doc, "alice") == "undid naming of actor 0-7"
    assert [s.entity_id for s in store.spans(doc, "alice")] == [None]
    assert store.entity(haniyeh.id).aliases == ()  # the alias the naming added went with it
    assert store.redo(doc, "alice") == "redid naming of actor 0-7"
    assert store.entity(haniyeh.id).aliases == ("Haniyeh",)
    assert store.spans(doc, "alice")[0].entity_id == haniyeh.id


def test_only_actor_spans_name_an_entity(store: Store, doc: int) -> None:
    lin = store.create_entity("Lin Jian", "Person")
    claim = store.add_span(doc, "alice", 8, 25, "claim")
    with pytest.raises(ValueError, match="only actor spans"):
        store.name_entity(claim.id, "alice", lin.id)
    actor = _actor(store, doc, 57, 65)
    with pytest.raises(StoreError, match="not in layer bob"):
        store.name_entity(actor.id, "bob", lin.id)
    with pytest.raises(StoreError, match="no entity 42"):
        store.name_entity(actor.id, "alice", 42)
    # Clearing the naming, and naming the same entity twice, are one event each at most.
    store.name_entity(actor.id, "alice", lin.id)
    store.name_entity(actor.id, "alice", lin.id)
    cleared = store.name_entity(actor.id, "alice", None)
    assert cleared.entity is None and cleared.entity_id is None
    assert [e.kind for e in store.events(doc)].count("span_entity") == 2


def test_merge_keeps_every_link_and_is_logged(store: Store, doc: int) -> None:
    full = store.create_entity("Ismail Haniyeh", "Person", external_id="Q320")
    dup = store.create_entity("Haniya", "Person", aliases=["Hamas political bureau chief"])
    a = _actor(store, doc, 0, 7)
    b = _actor(store, doc, 27, 41, layer="bob")
    store.name_entity(a.id, "alice", dup.id)
    store.name_entity(b.id, "bob", full.id)
    store.ensure_annotator("carol", "reviewer")
    merged = store.merge_entities(dup.id, full.id, actor="carol")
    assert merged.id == full.id and merged.span_count == 2
    assert merged.aliases == ("Haniya", "Hamas political bureau chief", "Haniyeh")
    assert merged.external_id == "Q320"
    assert [s.entity_id for s in store.spans(doc, "alice")] == [full.id]
    assert [s.entity_id for s in store.spans(doc, "bob")] == [full.id]
    with pytest.raises(StoreError, match=f"no entity {dup.id}"):
        store.entity(dup.id)
    [event] = [e for e in store.events() if e.kind == "entity_merge"]
    assert event.actor == "carol" and event.payload["into"] == full.id
    assert event.payload["from"]["name"] == "Haniya" and event.payload["spans"] == [a.id]
    # An undo of the naming made before the merge follows the merge: it clears, then redo
    # names the entity it was merged into.
    assert store.undo(doc, "alice") == "undid naming of actor 0-7"
    assert store.spans(doc, "alice")[0].entity_id is None
    store.redo(doc, "alice")
    assert store.spans(doc, "alice")[0].entity_id == full.id
    with pytest.raises(ValueError, match="into itself"):
        store.merge_entities(full.id, full.id)


def test_a_deleted_span_comes_back_naming_its_entity_even_after_a_merge(
    store: Store, doc: int
) -> None:
    first = store.create_entity("Haniyeh", "Person")
    second = store.create_entity("Ismail Haniyeh", "Person")
    span = _actor(store, doc, 0, 7)
    store.name_entity(span.id, "alice", first.id)
    store.delete_span(span.id, "alice")
    store.merge_entities(first.id, second.id)
    store.undo(doc, "alice")  # the deletion
    [back] = store.spans(doc, "alice")
    assert back.id == span.id and back.entity_id == second.id
    assert back.entity is not None and back.entity.name == "Ismail Haniyeh"


def test_rename_keeps_the_old_name_as_an_alias(store: Store) -> None:
    made = store.create_entity("Haniya", "Person")
    store.ensure_annotator("carol", "reviewer")
    renamed = store.rename_entity(made.uid, "Ismail Haniyeh", actor="carol")
    assert (renamed.name, renamed.aliases) == ("Ismail Haniyeh", ("Haniya",))
    assert store.rename_entity(made.id, "Ismail Haniyeh") == renamed  # nothing to change
    [event] = [e for e in store.events() if e.kind == "entity_rename"]
    assert event.payload["before"] == "Haniya" and event.payload["after"] == "Ismail Haniyeh"
    with pytest.raises(ValueError, match="empty"):
        store.rename_entity(made.id, "  ")


def test_entities_are_listed_most_named_first_and_found_forgivingly(store: Store, doc: int) -> None:
    haniyeh = store.create_entity(
        "Ismail Haniyeh", "Person", aliases=["Haniyeh", "Hamas political bureau chief"]
    )
    store.create_entity("Hamas", "Organization")
    lin = store.create_entity("Lin Jian", "Person")
    for layer in ("alice", "bob"):
        span = _actor(store, doc, 57, 65, layer)
        store.name_entity(span.id, layer, lin.id)
    assert [e.name for e in store.entities()] == ["Lin Jian", "Hamas", "Ismail Haniyeh"]
    for query in ("haniyeh", "Haniya", "Hamas chief", "ISMAÏL"):
        assert store.entities(query)[0].id == haniyeh.id, query
    assert [e.name for e in store.entities("hamas")] == ["Hamas", "Ismail Haniyeh"]
    assert len(store.entities(limit=1)) == 1


def test_merging_and_renaming_are_for_reviewers(tmp_path: Path) -> None:
    path = tmp_path / "roles.db"
    with Store.open(path) as system:
        system.ensure_annotator("ana", "admin")
        system.ensure_annotator("ben")
        one = system.create_entity("A", "Person")
        two = system.create_entity("B", "Person")
        [outcome] = system.import_items([ImportItem(Article(text=TEXT), (), None, "t")])
        alices = system.add_span(outcome.document_id, "alice", 0, 7, "actor")
    with Store.open(path, user="ben") as ben:
        ben.create_entity("C", "Organization")  # anyone may create
        with pytest.raises(PermissionDenied, match="change alice's spans"):
            ben.name_entity(alices.id, "alice", one.id)
        with pytest.raises(PermissionDenied, match="only reviewers and admins can merge"):
            ben.merge_entities(one.id, two.id)
        with pytest.raises(PermissionDenied, match="rename"):
            ben.rename_entity(one.id, "Z")
    with Store.open(path, user="ana") as ana:
        assert ana.merge_entities(one.id, two.id).aliases == ("A",)
