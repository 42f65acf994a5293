"""The demo database: the sample corpus, alice's and bob's spans and links, all where planned."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from cli.demo import DEMO_ANNOTATORS, build_demo_database
from store import Store


def _plan() -> dict:
    return json.loads(resources.files("cli.demo").joinpath("annotations.json").read_text("utf-8"))


def _documents_by_file(store: Store) -> dict[str | None, int]:
    ids = [summary.id for summary in store.list_documents()]
    return {store.document(doc_id).source_file: doc_id for doc_id in ids}


def test_every_planned_span_and_link_is_in_the_demo_database(tmp_path: Path) -> None:
    plan = _plan()
    with build_demo_database(tmp_path / "demo.db", "me") as store:
        documents = _documents_by_file(store)
        assert len(documents) == 5
        stored = 0
        for who in DEMO_ANNOTATORS:
            for name, doc_id in documents.items():
                spans = {(s.label, s.text) for s in store.spans(doc_id, who)}
                planned = {(lab, ph) for f, a, lab, ph in plan["spans"] if (f, a) == (name, who)}
                assert spans == planned, (name, who)  # a phrase the cleaner lost would vanish
                stored += len(spans)
        assert stored == len(plan["spans"])


def test_seed_002_links_claims_to_lin_jian_and_the_toll_to_the_ministry(tmp_path: Path) -> None:
    with build_demo_database(tmp_path / "demo.db", "me") as store:
        doc_id = next(i for name, i in _documents_by_file(store).items() if name.startswith("002"))
        spans = {span.id: span for span in store.spans(doc_id, "alice")}
        links = {
            (relation.label, spans[relation.head_id].text, spans[relation.child_id].text)
            for relation in store.relations(doc_id, "alice")
        }
    assert ("source", "34,535 Palestinians", "Gaza’s Ministry of Health") in links
    said_by_lin = [
        head for label, head, child in links if (label, child) == ("said_by", "Lin Jian")
    ]
    assert len(said_by_lin) == 2


def test_the_demo_actors_name_entities_shared_across_articles(tmp_path: Path) -> None:
    with build_demo_database(tmp_path / "demo.db", "me") as store:
        entities = {entity.name: entity for entity in store.entities()}
    assert entities["Ismail Haniyeh"].span_count == 4  # alice and bob, in articles 001 and 004
    assert entities["Gaza Ministry of Health"].aliases  # both annotators' wordings
    assert entities["Lin Jian"].type == "Person"


def test_the_demo_has_external_checks_that_seed_002s_claims_find(tmp_path: Path) -> None:
    from vocabulary.external_checks import checked_before_line

    with build_demo_database(tmp_path / "demo.db", "me") as store:
        doc_id = next(i for name, i in _documents_by_file(store).items() if name.startswith("002"))
        text = store.document(doc_id).text
        toll = next(line for line in text.splitlines() if "34,535" in line)
        [found] = store.external_checks_like(toll, "Gaza’s Ministry of Health", limit=1)
        assert checked_before_line(found) == (
            "checked before: Example Fact Desk (demo), True, 2024-05-02"
        )
        assert len(store.external_checks()) == 4
