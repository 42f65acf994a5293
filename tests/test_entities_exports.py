"""Entities in the exports: native JSONL (both paths), the other formats that carry attrs, the
round trip into another database (the entity joined by id, then by name), and ClaimReview's
author taken from the entity of the actor a claim is `said_by`."""

from __future__ import annotations

import json
from pathlib import Path

from store import Store
from tests.conftest import run_factmark
from tests.formats_support import build_database, export, native_records
from vocabulary.names import GOLD_LAYER


def _name_actors(db: Path) -> dict[str, str]:
    """Every gold actor of the annotated corpus named with an entity of its text's type; the
    first one an Organization. Returns span text -> entity name."""
    named: dict[str, str] = {}
    with Store.open(db) as store:
        for summary in store.list_documents():
            for span in store.spans(summary.id, GOLD_LAYER):
                if span.label != "actor":
                    continue
                kind = "Organization" if not named else "Person"
                found = store.entities(span.text, limit=1)
                entity = (
                    found[0] if found else store.create_entity(f"{span.text} (canonical)", kind)
                )
                store.name_entity(span.id, GOLD_LAYER, entity.id)
                named[span.text] = entity.name
    return named


def _entities_of(records: list[dict]) -> list[tuple[str, str, dict | None]]:
    return [
        (record["id"], span["text"], span["attrs"].get("entity"))
        for record in records
        for span in record["spans"]
        if span["label"] == "actor"
    ]


def test_jsonl_carries_attrs_entity_and_a_round_trip_keeps_it(tmp_path: Path) -> None:
    db = build_database(tmp_path / "a.db")
    named = _name_actors(db)
    records = native_records(db, GOLD_LAYER)
    exported = _entities_of(records)
    assert exported and all(entity is not None for _, _, entity in exported)
    for _, text, entity in exported:
        assert entity is not None and entity["name"] == named[text]
        assert entity["id"].startswith("e-") and entity["type"] in ("Person", "Organization")
    with Store.open(db) as store:  # the record path (exporters.jsonl) writes the same
        reference = [json.loads(json.dumps(r)) for r in _store_records(store)]
    assert _entities_of(reference) == exported
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    other = tmp_path / "b.db"
    assert run_factmark("--db", str(other), "import", str(path)).returncode == 0
    assert _entities_of(native_records(other, GOLD_LAYER)) == exported
    # Imported again: joined, not duplicated.
    before = _entity_rows(other)
    assert run_factmark("--db", str(other), "import", str(path)).returncode == 0
    assert _entity_rows(other) == before
    with Store.open(other) as store:
        entity = store.entity(exported[0][2]["id"])  # type: ignore[index]
        assert entity.span_count >= 1 and entity.name == exported[0][2]["name"]  # type: ignore[index]


def _store_records(store: Store) -> list[dict]:
    from exporters.jsonl import native_record

    return [native_record(record) for record in store.iter_export(GOLD_LAYER)]


def _entity_rows(db: Path) -> list[tuple]:
    with Store.open(db) as store:
        return [(e.uid, e.name, e.type, e.span_count) for e in store.entities()]


def test_an_entity_unknown_by_id_joins_by_name_and_bad_ones_fail_their_line(
    tmp_path: Path,
) -> None:
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        known = store.create_entity("Lin Jian", "Person")
    text = "Lin Jian said the talks failed."
    lines = [
        {
            "text": text,
            "spans": [
                {
                    "start": 0,
                    "end": 8,
                    "label": "actor",
                    "attrs": {
                        "entity": {"id": "e-000000000001", "name": "lin jian", "type": "Person"}
                    },
                }
            ],
            "_annotator_id": "alice",
        },
        {
            "text": "A second text.",
            "spans": [{"start": 0, "end": 1, "label": "actor", "attrs": {"entity": {"name": "X"}}}],
        },
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = run_factmark("--db", str(db), "import", str(path))
    assert result.returncode == 1
    assert b"in.jsonl: line 2: span 1: attrs.entity has no type" in result.stderr
    with Store.open(db) as store:
        [entity] = store.entities()
        assert entity.id == known.id and entity.span_count == 1
        [span] = store.spans(1, "alice")
        assert span.entity is not None and span.entity.id == known.id
        assert "entity" not in span.attrs  # kept as the link, not as loose attrs


def test_formats_that_carry_attrs_carry_the_entity(tmp_path: Path) -> None:
    db = build_database(tmp_path / "d.db")
    named = _name_actors(db)
    result = export(db, "prodigy", GOLD_LAYER)
    assert result.returncode == 0, result.stderr
    spans = [
        span
        for line in result.stdout.decode().splitlines()
        for span in json.loads(line)["spans"]
        if span["label"] == "actor"
    ]
    assert spans and all(span["attrs"]["entity"]["name"] in named.values() for span in spans)


def test_claimreview_names_the_claimant_entity_as_the_claims_author(tmp_path: Path) -> None:
    """Each check's claimant is set to the entity its appearance is `said_by` (the store's
    proposal, as the desk would take it); the ClaimReview names that entity, typed."""
    db = build_database(tmp_path / "e.db")
    _name_actors(db)
    expected = []
    with Store.open(db) as store:
        for summary in store.checks():
            check = store.check(summary.uid)
            if check.appearances[0].layer != GOLD_LAYER:
                continue
            (proposed, *_) = store.proposed_claimants(check.uid)
            store.set_check_field(check.uid, "claimant", proposed.uid, expected=None)
            expected.append((check.uid, {"@type": proposed.type, "name": proposed.name}))
    config = tmp_path / "config.toml"
    config.write_text('organisation = "Desk"\nreview_url = "https://f.example.org/{check_id}"\n')
    result = run_factmark(
        "--db", str(db), "--config", str(config),
        "export", "--format", "claimreview", "--status", "any",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    authors = {
        review["url"].rsplit("/", 1)[-1]: review["itemReviewed"].get("author")
        for review in json.loads(result.stdout)
    }
    assert expected and all(authors[uid] == author for uid, author in expected)
    assert any(author["@type"] == "Organization" for _, author in expected)
