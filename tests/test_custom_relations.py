"""Relation types a desk configures itself import, export and round-trip like the defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_factmark

CONFIG = """
[[relations]]
name = "quotes"
heads = ["claim"]
children = ["actor"]
description = "The actor is quoted saying the claim."
"""
TEXT = "Hamas said the talks failed."
RECORD = {
    "text": TEXT,
    "spans": [
        {"id": "a", "start": 0, "end": 5, "label": "actor"},
        {"id": "c", "start": 11, "end": 27, "label": "claim"},
    ],
    "relations": [{"head": "c", "child": "a", "label": "quotes"}],
    "_annotator_id": "alice",
}


@pytest.fixture
def configured(tmp_path: Path) -> list[str]:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return ["--db", str(tmp_path / "db.sqlite"), "--config", str(config), "--annotator", "ana"]


def _import(tmp_path: Path, options: list[str], record: dict, name: str = "in.jsonl"):
    path = tmp_path / name
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return run_factmark(*options, "import", str(path))


@pytest.mark.parametrize("fmt", ["jsonl", "prodigy", "doccano", "labelstudio"])
def test_a_configured_relation_type_round_trips(tmp_path: Path, configured, fmt: str) -> None:
    assert _import(tmp_path, configured, RECORD).returncode == 0
    out = tmp_path / f"out.{fmt}"
    exported = run_factmark(
        *configured, "export", "--format", fmt, "--source", "alice", "-o", str(out)
    )
    assert exported.returncode == 0, exported.stderr
    again = [*configured[:1], str(tmp_path / "again.sqlite"), *configured[2:]]
    result = run_factmark(*again, "import", "--format", fmt, str(out))
    assert result.returncode == 0, result.stderr
    back = run_factmark(*again, "export", "--format", "jsonl", "--source", "alice")
    (line,) = back.stdout.decode().splitlines()
    record = json.loads(line)
    spans = {span["id"]: span["text"] for span in record["spans"]}
    [relation] = record["relations"]
    assert (relation["label"], spans[relation["head"]], spans[relation["child"]]) == (
        "quotes",
        "the talks failed",
        "Hamas",
    )


def test_brat_declares_the_configured_relation_types(tmp_path: Path, configured) -> None:
    _import(tmp_path, configured, RECORD)
    out = tmp_path / "brat"
    result = run_factmark(
        *configured, "export", "--format", "brat", "--source", "alice", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    relations = conf.split("[relations]")[1].split("[events]")[0]
    assert [line.split("\t")[0] for line in relations.split("\n") if "Arg1" in line] == [
        "quotes",
        "<OVERLAP>",
    ]  # only the configured types: said_by, source and part_of are not in force
    assert any(
        line.startswith("R1\tquotes ") for line in next(out.glob("*.ann")).read_text().splitlines()
    )


def test_a_relation_type_not_configured_is_refused_in_one_line(tmp_path: Path) -> None:
    options = ["--db", str(tmp_path / "db.sqlite"), "--annotator", "ana"]
    result = _import(tmp_path, options, RECORD)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    (error,) = result.stderr.decode().splitlines()
    assert "unknown relation label 'quotes' (relations: said_by, source, part_of)" in error
