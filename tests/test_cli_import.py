"""`factmark import`, `extract`, `list`, `export` as users and scripts run them."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DATA, run_factmark


def _lines(text: bytes) -> list[str]:
    return text.decode().strip().splitlines()


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(f"select count(*) from {table}").fetchone()[0]


def test_import_the_seeds_then_list_and_export(db_path, seeds_dir):
    result = run_factmark("--db", str(db_path), "import", str(seeds_dir))
    assert result.returncode == 0, result.stderr
    assert _lines(result.stdout)[-1] == "imported 5, duplicates 0, failed 0"
    again = run_factmark("import", str(seeds_dir), "--db", str(db_path))
    assert _lines(again.stdout)[-1] == "imported 0, duplicates 5, failed 0"

    listed = json.loads(run_factmark("--db", str(db_path), "list", "--json").stdout)
    assert len(listed) == 5
    titles = {doc["title"] for doc in listed}
    assert "Hamas-Fatah talks in Cairo yielded no results over Gaza governance" in titles

    exported = run_factmark("--db", str(db_path), "export", "--format", "jsonl", "--source", "all")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == b""  # nobody annotated or marked anything done yet


def test_jsonl_round_trip_through_the_database(db_path, tmp_path):
    text = "Gaza’s Ministry of Health said 34,535 Palestinians 👨‍👩‍👧 were killed. مرحبا"
    start = text.index("34,535")
    record = {
        "text": text,
        "meta": {"title": "Toll", "url": "https://example.org/a", "custom": [1, 2]},
        "spans": [
            {"id": "a", "start": 0, "end": 25, "label": "actor", "note": "ministry"},
            {
                "id": "b",
                "start": start,
                "end": start + 19,
                "label": "figure",
                "attrs": {"value": 34535, "unit": "people"},
            },
            {"id": "c", "start": text.index("مرحبا"), "end": len(text), "label": "claim"},
        ],
        "relations": [{"head": "b", "child": "a", "label": "source"}],
        "_annotator_id": "alice",
    }
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert run_factmark("--db", str(db_path), "import", str(source)).returncode == 0
    out = tmp_path / "out.jsonl"
    result = run_factmark(
        "--db", str(db_path), "export", "--format", "jsonl", "--source", "alice", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    (exported,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert exported["text"] == text and exported["_annotator_id"] == "alice"
    assert exported["meta"]["title"] == "Toll" and exported["meta"]["custom"] == [1, 2]
    spans = {s["label"]: s for s in exported["spans"]}
    assert spans["figure"]["text"] == "34,535 Palestinians"
    assert spans["figure"]["attrs"] == {"value": 34535, "unit": "people"}
    assert spans["claim"]["text"] == "مرحبا" and spans["actor"]["note"] == "ministry"
    (relation,) = exported["relations"]
    assert (relation["head"], relation["child"]) == (spans["figure"]["id"], spans["actor"]["id"])
    # Export -> import into a fresh database -> export again gives the same record.
    second_db = tmp_path / "second.db"
    assert run_factmark("--db", str(second_db), "import", str(out)).returncode == 0
    again = run_factmark("--db", str(second_db), "export", "--format", "jsonl", "--source", "alice")
    reexported = json.loads(again.stdout)
    strip_ids = lambda r: [{k: v for k, v in s.items() if k != "id"} for s in r["spans"]]  # noqa: E731
    assert strip_ids(reexported) == strip_ids(exported)
    assert reexported["meta"] == exported["meta"] | {"source_file": str(out)}


def test_extract_jsonl_reports_each_input_in_order(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    page = DATA / "dev" / "html" / "wcxb-0003.html.gz"
    html = tmp_path / "page.html"
    html.write_bytes(gzip.decompress(page.read_bytes()))
    seed = DATA / "seeds" / "000_9ed6c2d750915a75.txt"
    result = run_factmark("extract", "--jsonl", str(seed), str(empty), str(html))
    assert result.returncode == 1
    first, second, third = (json.loads(line) for line in _lines(result.stdout))
    assert first["path"] == str(seed) and first["title"].startswith("Hamas-Fatah talks")
    assert set(first) == {"path", "title", "byline", "published", "outlet", "text"}
    assert second == {"path": str(empty), "error": "empty file"}
    assert third["path"] == str(html) and len(third["text"]) > 500
    assert _lines(result.stderr) == [f"{empty}: empty file"]


BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "blank.html": (b"  \n\t ", "empty file"),
    "binary.txt": (bytes(range(256)) * 40, "binary file"),
    "latin1.txt": (
        "Caf\u00e9 talks in Cairo went on all night.".encode("latin-1"),
        "not valid UTF-8",
    ),
    "nobody.html": (
        b"<html><head><title>x</title></head><body><nav><a href=/>Home</a></nav></body></html>",
        "",
    ),
    "broken.jsonl": (b'{"text": "ok text here"}\n{"text": \n', "line 2: invalid JSON"),
    "offsets.jsonl": (
        b'{"text": "Hamas met", "spans": [{"start": 0, "end": 50, "label": "actor"}]}',
        "line 1: span 1: offsets 0-50 outside the text",
    ),
    "label.jsonl": (
        b'{"text": "Hamas met", "spans": [{"start": 0, "end": 5, "label": "hero"}]}',
        "line 1: span 1: unknown label 'hero'",
    ),
    "nan.jsonl": (  # Python writes NaN; no JSON reader (nor SQLite) takes it back
        b'{"text": "Hamas met", "spans": [{"start": 0, "end": 5, "label": "actor",'
        b' "attrs": {"score": NaN}}]}',
        "line 1: invalid JSON: NaN is not a JSON number",
    ),
    "reserved.jsonl": (  # refused by the store, after parsing
        b'{"text": "Hamas met", "spans": [{"start": 0, "end": 5, "label": "actor"}],'
        b' "_annotator_id": "all"}',
        "'all' is reserved and cannot be an annotator name",
    ),
    "tasks.json": (
        b'[{"data": {"text": "Hamas met"}, "annotations": [{"result": [{"from_name": "label",'
        b' "to_name": "text", "type": "labels", "value": {"start": 0, "end": 5,'
        b' "text": "Hamas", "labels": ["actor"], "score": -Infinity}}]}]}]',
        "invalid JSON: -Infinity is not a JSON number",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_one_line_and_leaves_nothing_partial(db_path, tmp_path, name):
    data, reason = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 1
    errors = _lines(result.stderr)
    assert len(errors) == 1 and errors[0].startswith(f"{path}: ")
    assert errors[0].count(str(path)) == 1  # named once, however deep the reason came from
    assert reason in errors[0]
    assert b"Traceback" not in result.stderr
    expected_docs = 1 if name == "broken.jsonl" else 0  # its good first line is imported
    assert _count(db_path, "documents") == expected_docs
    assert _count(db_path, "spans") == 0


def test_gold_records_from_an_annotator_fail_alone_in_one_line(db_path, tmp_path):
    run_factmark("--db", str(db_path), "--annotator", "ana", "annotators", "list")  # ana: admin
    run_factmark("--db", str(db_path), "--annotator", "ana", "annotators", "add", "ben")
    gold = {"text": "Hamas said so.", "spans": [{"start": 0, "end": 5, "label": "actor"}]}
    path = tmp_path / "mixed.jsonl"
    lines = [{**gold, "_annotator_id": "gold"}, {**gold, "text": "Fatah said so."}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = run_factmark("--db", str(db_path), "--annotator", "ben", "import", str(path))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    (error,) = _lines(result.stderr)
    assert error.startswith(f"{path}: ") and "gold" in error
    assert _lines(result.stdout)[-1] == "imported 1, duplicates 0, failed 1"
    assert _count(db_path, "documents") == 1 and _count(db_path, "spans") == 1


def test_a_directory_with_unreadable_files_imports_the_rest(db_path, seeds_dir, monkeypatch):
    (seeds_dir / "dangling.txt").symlink_to(seeds_dir / "missing.txt")
    locked = seeds_dir / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    result = run_factmark("--db", str(db_path), "import", str(seeds_dir))
    assert result.returncode == 1
    errors = _lines(result.stderr)
    assert f"{seeds_dir / 'dangling.txt'}: no such file or directory" in errors
    if os.geteuid() != 0:  # root reads mode-000 files anyway
        assert f"{locked}: permission denied" in errors
    assert _lines(result.stdout)[-1].startswith("imported 5, duplicates 0, failed ")
    assert _count(db_path, "documents") == 5


def test_a_database_in_a_missing_directory_is_a_usage_error(tmp_path, seeds_dir):
    result = run_factmark("--db", str(tmp_path / "nowhere" / "x.db"), "import", str(seeds_dir))
    assert result.returncode == 2
    (line,) = _lines(result.stderr)
    assert "nowhere" in line and b"Traceback" not in result.stderr


def test_unknown_export_source_and_bad_usage(db_path, seeds_dir):
    run_factmark("--db", str(db_path), "import", str(seeds_dir))
    result = run_factmark("--db", str(db_path), "export", "--format", "jsonl", "--source", "zed")
    assert result.returncode == 2 and "no annotator of that name" in result.stderr.decode()
    assert run_factmark("export").returncode == 2
    assert run_factmark("import", "--format", "pdf", "x").returncode == 2


def test_stdin_and_outlet_override(db_path):
    text = (
        "The ministry said on Tuesday that 200 families had been moved from the camp, "
        "and that more would follow once the crossing reopened next week.\n"
    ) * 3
    result = run_factmark(
        "--db",
        str(db_path),
        "import",
        "-",
        "--format",
        "text",
        "--outlet",
        "Wire",
        stdin=text.encode(),
    )
    assert result.returncode == 0, result.stderr
    (doc,) = json.loads(run_factmark("--db", str(db_path), "list", "--json").stdout)
    assert doc["outlet"] == "Wire"
