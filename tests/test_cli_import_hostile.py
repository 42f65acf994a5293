"""`factmark import` on inputs built to break it (issue 12, "found from the outside"): each one
fails alone in one line naming it and the reason, the rest is imported, the tally is printed,
exit 1; and nothing stored breaks a later export."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import cli.main as cli
import importers.inputs as inputs
from tests.conftest import run_factmark

SENTENCE = "Hamas and Fatah met in Cairo on Monday."
EXPORT_FORMATS = ("conll", "prodigy", "doccano", "labelstudio", "jsonl", "claimreview")


def _lines(text: bytes) -> list[str]:
    return text.decode().strip().splitlines()


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(f"select count(*) from {table}").fetchone()[0]


def _record(text: str, **span_extra: object) -> dict:
    return {"text": text, "spans": [{"start": 0, "end": 5, "label": "actor", **span_extra}]}


def _write_jsonl(path: Path, raw_lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in raw_lines), encoding="utf-8")
    return path


def test_a_lone_surrogate_anywhere_in_a_record_is_refused_and_exports_still_work(db_path, tmp_path):
    good = json.dumps(_record(SENTENCE, attrs={"k": "v"}))
    # json.dumps escapes a lone surrogate as \ud800, as a hostile file would hold it.
    hostile = {
        2: ("/spans/0/attrs/k", _record("Hamas met on Tuesday.", attrs={"k": "v\ud800"})),
        3: ("a key of /spans/0/attrs", _record("Hamas met on Friday.", attrs={"k\udc00": 1})),
        4: ("a key of /", {"text": "Hamas met on Sunday.", "odd\ud800": 1}),
        5: ("/meta/x/0", {"text": "Hamas met on Monday.", "meta": {"x": ["\ud800"]}}),
        6: ("/meta/title", {"text": "Hamas met at noon.", "meta": {"title": "T\udbff"}}),
    }
    lines = [good] + [json.dumps(record) for _, record in hostile.values()]
    path = _write_jsonl(tmp_path / "poison.jsonl", lines)
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    errors = _lines(result.stderr)
    assert len(errors) == len(hostile)
    for error, (number, (field, _)) in zip(errors, hostile.items(), strict=True):
        assert error.startswith(f"{path}: line {number}: ") and "lone surrogate" in error
        assert error.endswith(field)
    assert _lines(result.stdout)[-1] == f"imported 1, duplicates 0, failed {len(hostile)}"
    assert _count(db_path, "documents") == 1

    for fmt in EXPORT_FORMATS:
        exported = run_factmark("--db", str(db_path), "export", "--format", fmt, "--source", "all")
        assert exported.returncode == 0, (fmt, exported.stderr)
    brat = run_factmark(
        "--db",
        str(db_path),
        "export",
        "--format",
        "brat",
        "--source",
        "all",
        "-o",
        str(tmp_path / "brat"),
    )
    assert brat.returncode == 0, brat.stderr
    (record,) = [
        json.loads(line)
        for line in _lines(
            run_factmark(
                "--db", str(db_path), "export", "--format", "jsonl", "--source", "all"
            ).stdout
        )
    ]
    assert record["spans"][0]["attrs"] == {"k": "v"}


def test_a_surrogate_pair_is_one_character_and_imports(db_path, tmp_path):
    text = "Hamas 😀 met in Cairo."
    path = _write_jsonl(tmp_path / "pair.jsonl", [json.dumps(_record(text, note="ok 😀"))])
    assert "\\ud83d\\ude00" in path.read_text()  # the escaped pair, not the character
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 0, result.stderr
    assert _count(db_path, "spans") == 1


def test_a_lone_surrogate_in_prodigy_and_label_studio_fails_that_task_alone(db_path, tmp_path):
    prodigy = tmp_path / "tasks.jsonl"
    task = {"text": SENTENCE, "_input_hash": 1, "spans": [{"start": 0, "end": 5, "label": "ACTOR"}]}
    bad = {**task, "text": "Fatah met.", "meta": {"source": "x\ud800"}}
    _write_jsonl(prodigy, [json.dumps(task), json.dumps(bad)])
    studio = tmp_path / "studio.json"
    region = {"type": "labels", "value": {"start": 0, "end": 5, "labels": ["actor"]}}
    tasks = [
        {"data": {"text": "Hamas met the press."}, "annotations": [{"result": [region]}]},
        {"data": {"text": "Fatah met the press.", "src\udfff": "a"}},
    ]
    studio.write_text(json.dumps(tasks), encoding="utf-8")
    result = run_factmark("--db", str(db_path), "import", str(prodigy), str(studio))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    errors = _lines(result.stderr)
    assert errors == [
        f"{prodigy}: line 2: invalid JSON: a lone surrogate (\\ud800) in /meta/source",
        f"{studio}: invalid JSON: a lone surrogate (\\udfff) in a key of /1/data",
    ]
    assert _lines(result.stdout)[-1] == "imported 1, duplicates 0, failed 2"


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_record_nested_too_deeply_fails_alone(db_path, tmp_path, suffix):
    deep = '{"text": "Hamas.", "meta": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    path = _write_jsonl(tmp_path / f"deep{suffix}", [deep, json.dumps(_record(SENTENCE))])
    result = run_factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert _lines(result.stderr) == [f"{path}: line 1: invalid JSON: nested too deeply"]
    assert _lines(result.stdout)[-1] == "imported 1, duplicates 0, failed 1"


def test_a_large_file_whose_first_line_nests_too_deeply_imports_the_rest(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 20_000)
    monkeypatch.setattr(inputs, "STREAM_CHUNK_BYTES", 3_000)
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    good = [json.dumps({"text": f"Good line {n} about Cairo."}) for n in range(1, 1001)]
    path, db = _write_jsonl(tmp_path / "big.jsonl", [deep, *good]), tmp_path / "db.sqlite"
    assert path.stat().st_size > inputs.MAX_INPUT_BYTES
    assert cli.main(["--db", str(db), "import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert err.strip().splitlines() == [f"{path}: line 1: invalid JSON: nested too deeply"]
    assert out.strip().splitlines()[-1] == "imported 1000, duplicates 0, failed 1"
    assert _count(db, "documents") == 1000
