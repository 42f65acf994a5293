"""`factmark entities list|show|merge|rename [--json]` as a user runs it (a child process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import Store
from tests.conftest import run_factmark
from vocabulary.records import Article, ImportItem

TEXT = "Haniyeh said talks failed. Ismail Haniyeh spoke in Doha. Lin Jian said no."


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "e.db"
    with Store.open(path) as store:
        store.ensure_annotator("tester", "admin")  # who the tests run as (conftest)
        store.ensure_annotator("ben")
        store.import_items([ImportItem(Article(text=TEXT, title="Talks"), (), None, "t")])
        full = store.create_entity("Ismail Haniyeh", "Person", external_id="Q320")
        dup = store.create_entity("Haniya", "Person")
        lin = store.create_entity("Lin Jian", "Person")
        for layer, start, end, entity in (
            ("ben", 0, 7, dup),
            ("tester", 27, 41, full),
            ("ben", 57, 65, lin),
            ("tester", 57, 65, lin),
        ):
            span = store.add_span(1, layer, start, end, "actor")
            store.name_entity(span.id, layer, entity.id)
    return path


def _json(*args: str, db: Path) -> object:
    result = run_factmark("--db", str(db), "entities", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_list_most_named_first_and_search(db: Path) -> None:
    listed = _json("list", db=db)
    assert isinstance(listed, list)
    assert [(e["id"], e["name"], e["spans"]) for e in listed] == [
        (3, "Lin Jian", 2),
        (2, "Haniya", 1),
        (1, "Ismail Haniyeh", 1),
    ]
    assert listed[2]["ext_id"].startswith("e-") and listed[2]["external_id"] == "Q320"
    assert listed[1]["aliases"] == ["Haniyeh"]
    found = _json("list", "--search", "hamas chief", db=db)
    assert found == []
    found = _json("list", "--search", "ismael haniye", db=db)
    assert [e["name"] for e in found] == ["Ismail Haniyeh"]
    table = run_factmark("--db", str(db), "entities", "list")
    assert table.returncode == 0 and "3 entities" in table.stdout.decode()


def test_show_lists_the_spans_naming_an_entity(db: Path) -> None:
    shown = _json("show", "3", db=db)
    assert isinstance(shown, dict) and shown["name"] == "Lin Jian"
    assert [(s["layer"], s["text"]) for s in shown["named_by"]] == [
        ("ben", "Lin Jian"),
        ("tester", "Lin Jian"),
    ]
    by_ext_id = _json("show", shown["ext_id"], db=db)
    assert by_ext_id == shown
    text = run_factmark("--db", str(db), "entities", "show", "1").stdout.decode()
    assert "Ismail Haniyeh" in text and "Q320" in text and "named by 1 span:" in text


def test_merge_keeps_every_link_and_is_logged(db: Path) -> None:
    merged = _json("merge", "2", "1", db=db)
    assert isinstance(merged, dict)
    assert (merged["id"], merged["spans"], merged["aliases"]) == (1, 2, ["Haniya", "Haniyeh"])
    with Store.open(db) as store:
        assert [s.entity_id for s in store.spans(1, "ben")] == [1, 3]
        [event] = [e for e in store.events() if e.kind == "entity_merge"]
        assert event.actor == "tester" and event.payload["from"]["name"] == "Haniya"
    text = run_factmark("--db", str(db), "entities", "merge", "3", "1").stdout.decode()
    assert text.startswith("merged 3 (e-") and "Lin Jian into 1" in text


def test_rename_is_logged_and_keeps_the_old_name(db: Path) -> None:
    renamed = _json("rename", "2", "Ismail Haniyeh (dup)", db=db)
    assert isinstance(renamed, dict) and renamed["aliases"] == ["Haniyeh", "Haniya"]
    with Store.open(db) as store:
        assert [e.kind for e in store.events()].count("entity_rename") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "99"), "factmark: no entity 99"),
        (("show", "bob"), "factmark: no entity 'bob' (give its number or its id, e-…)"),
        (("merge", "1", "1"), "factmark: cannot merge entity 1 into itself"),
        (("merge", "1", "42"), "factmark: no entity 42"),
        (("rename", "1", " "), "factmark: an entity's name cannot be empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(db: Path, args: tuple[str, ...], message: str) -> None:
    result = run_factmark("--db", str(db), "entities", *args)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == message
    assert result.stdout == b""


def test_merging_is_for_reviewers(db: Path) -> None:
    result = run_factmark("--db", str(db), "--annotator", "ben", "entities", "merge", "2", "1")
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "factmark: ben is an annotator: only reviewers and admins can merge entities"
    )
    with Store.open(db) as store:
        assert len(store.entities()) == 3


def test_the_demo_names_its_actors(tmp_path: Path) -> None:
    from cli.demo import build_demo_database

    with build_demo_database(tmp_path / "demo.db", "tester") as demo:
        found = {e.name: (e.type, e.span_count) for e in demo.entities()}
        # "Gaza’s Ministry of Health" and "Ministry of Health" are one entity.
        assert found["Gaza Ministry of Health"] == ("Organization", 2)
        assert found["Lin Jian"] == ("Person", 2) and found["Ismail Haniyeh"][1] >= 2
        assert demo.entities("haniya")[0].name == "Ismail Haniyeh"
