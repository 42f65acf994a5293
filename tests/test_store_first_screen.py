"""The annotate screen's first read without SQLAlchemy gives what the full store gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from store import Store, StoreError
from store.direct import connect_direct
from store.first_screen import read_first_screen
from vocabulary.records import Article, ImportItem

TEXTS = ("Hamas and Fatah met in Cairo.", "China hosted talks.", "A ceasefire held.")


def _store(path: Path) -> Store:
    store = Store.open(path)
    store.import_items(
        [ImportItem(article=Article(text=t, title=f"T{i}")) for i, t in enumerate(TEXTS)]
    )
    store.ensure_annotator("admin")
    hamas = store.add_span(1, "alice", 0, 5, "actor", note="who")
    # A named actor: both reads carry its entity.
    store.name_entity(hamas.id, "alice", store.create_entity("Hamas", "Organization").id)
    claim = store.add_span(1, "alice", 0, 29, "claim")
    actor = store.add_span(1, "alice", 10, 15, "actor")
    store.add_relation(1, "alice", claim.id, actor.id, "said_by")
    bob_claim = store.add_span(1, "bob", 0, 5, "claim")
    bob_actor = store.add_span(1, "bob", 10, 15, "actor")
    store.add_relation(1, "bob", bob_claim.id, bob_actor.id, "said_by")
    store.set_done(1, "alice")
    return store


def _same_as_store(store: Store, path: Path, ref: str | None, annotator: str) -> None:
    connection = connect_direct(path)
    assert connection is not None
    first = read_first_screen(connection, ref, annotator)
    doc_id = store.next_unfinished(annotator) if ref is None else store.find_document(ref).id
    if doc_id is None:
        assert first is None
        return
    assert first is not None
    assert first.document == store.document(doc_id)
    assert first.spans == store.spans(doc_id, annotator)
    assert first.position == store.queue_position(doc_id, annotator)
    assert first.relations == store.relations(doc_id, annotator)


@pytest.mark.parametrize("annotator", ["alice", "bob", "nobody"])
@pytest.mark.parametrize("ref", ["1", "2", "3", None])
def test_the_first_screen_is_the_stores_view(tmp_path: Path, ref: str | None, annotator: str):
    path = tmp_path / "f.db"
    with _store(path) as store:
        _same_as_store(store, path, ref, annotator)
        store.assign(["alice"], 1, documents=[2, 3], actor="admin")
        store.set_done(2, "alice")
        _same_as_store(store, path, ref, annotator)
        store.set_done(3, "alice")
        _same_as_store(store, path, ref, annotator)


def test_an_external_id_and_bad_refs_read_as_the_store_says(tmp_path: Path):
    path = tmp_path / "f.db"
    with _store(path) as store:
        connection = connect_direct(path)
        assert connection is not None
        ext = store.document(2).ext_id
        _same_as_store(store, path, ext[:6], "alice")
        for ref in ("9", "d-ffffffffff", "bogus"):
            with pytest.raises(StoreError) as expected:
                store.find_document(ref)
            with pytest.raises(StoreError, match=re.escape(str(expected.value))):
                read_first_screen(connection, ref, "alice")
