"""`factmark import` of records whose document and spans are already stored: what is new on a
span is added and said; what differs from the store is kept as stored and said, per line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import run_factmark

TEXT = "The minister said unemployment fell to 4.2% in March, officials confirmed."
MINISTER = (0, 12)
FIGURE = (TEXT.index("4.2%"), TEXT.index("4.2%") + 4)
CLAIM = (TEXT.index("unemployment"), TEXT.index(" in March"))


def _record(spans: list[dict[str, Any]], relations: list[dict[str, str]] = ()) -> dict[str, Any]:
    return {
        "text": TEXT,
        "spans": spans,
        "relations": list(relations),
        "_annotator_id": "alice",
    }


def _span(ident: str, where: tuple[int, int], label: str, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "start": where[0], "end": where[1], "label": label, **extra}


def _write(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _import(db: Path, source: Path) -> tuple[int, str, list[str]]:
    result = run_factmark("--db", str(db), "import", str(source))
    lines = result.stdout.decode().strip().splitlines()
    return result.returncode, lines[-1], result.stderr.decode().strip().splitlines()


def _spans(db: Path) -> dict[str, tuple[str | None, dict[str, Any]]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("select label, note, attrs from spans").fetchall()
    return {label: (note, json.loads(attrs)) for label, note, attrs in rows}


def _relations(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("select count(*) from relations").fetchone()[0]


def test_new_attributes_notes_and_relations_on_stored_spans_are_added_and_said(db_path, tmp_path):
    first = _write(
        tmp_path / "first.jsonl",
        _record([_span("m", MINISTER, "actor"), _span("f", FIGURE, "figure")]),
    )
    code, summary, _ = _import(db_path, first)
    assert (code, summary) == (0, "imported 1, duplicates 0, failed 0")

    richer = _write(
        tmp_path / "richer.jsonl",
        _record(
            [
                _span("m", MINISTER, "actor", note="the labour minister"),
                _span("f", FIGURE, "figure", attrs={"value": 4.2, "unit": "%", "period": "March"}),
            ],
            [{"head": "f", "child": "m", "label": "source"}],
        ),
    )
    code, summary, errors = _import(db_path, richer)
    assert code == 0, errors
    assert summary == (
        "imported 0, duplicates 1, failed 0; updated 1: 1 relation, 3 attributes, 1 note"
    )
    assert errors == []
    spans = _spans(db_path)
    assert spans["actor"] == ("the labour minister", {})
    assert spans["figure"] == (None, {"value": 4.2, "unit": "%", "period": "March"})
    assert _relations(db_path) == 1

    # The same file again: nothing new, and it says so for its line.
    code, summary, errors = _import(db_path, richer)
    assert (code, summary) == (0, "imported 0, duplicates 1, failed 0")
    assert len(errors) == 1 and "richer.jsonl: line 1: nothing new" in errors[0]


def test_conflicting_values_are_kept_as_stored_and_reported_per_line(db_path, tmp_path):
    stored = _write(
        tmp_path / "stored.jsonl",
        _record(
            [
                _span("m", MINISTER, "actor", note="minister of labour"),
                _span("f", FIGURE, "figure", attrs={"value": 4.2}),
            ]
        ),
    )
    assert _import(db_path, stored)[0] == 0
    other = _write(
        tmp_path / "other.jsonl",
        _record([_span("c", CLAIM, "claim")]),  # line 1: a new span only
        _record(
            [
                _span("m", MINISTER, "actor", note="a spokesperson"),
                _span("f", FIGURE, "figure", attrs={"value": 4.3, "unit": "%"}),
            ]
        ),
    )
    code, summary, errors = _import(db_path, other)
    assert code == 0
    assert summary == "imported 0, duplicates 2, failed 0; updated 2: 1 span, 1 attribute"
    assert len(errors) == 2
    note_line, value_line = errors
    assert note_line.startswith(f"{other}: line 2: actor span 0-12 of alice: the note differs")
    assert "kept the stored note" in note_line
    assert value_line.startswith(f"{other}: line 2: figure span {FIGURE[0]}-{FIGURE[1]} of alice")
    assert "'value' is 4.2 in the store, 4.3 in the file; kept the stored value" in value_line
    spans = _spans(db_path)
    assert spans["actor"] == ("minister of labour", {})
    assert spans["figure"] == (None, {"value": 4.2, "unit": "%"})
    assert "claim" in spans


def test_a_record_twice_in_one_file_adds_its_spans_once_with_both_records_attributes(
    db_path, tmp_path
):
    twice = _write(
        tmp_path / "twice.jsonl",
        _record([_span("f", FIGURE, "figure", attrs={"value": 4.2})]),
        _record([_span("f", FIGURE, "figure", attrs={"unit": "%"}, note="rate")]),
    )
    code, summary, errors = _import(db_path, twice)
    assert (code, errors) == (0, [])
    assert summary == "imported 1, duplicates 1, failed 0; updated 1: 1 attribute, 1 note"
    assert _spans(db_path) == {"figure": ("rate", {"value": 4.2, "unit": "%"})}
