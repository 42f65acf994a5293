"""JSON-lines files over the whole-file limit stream: a piece of whole lines at a time, committed
batch by batch, each bad line failing alone under its own line number."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest

import cli.main as cli
import importers.inputs as inputs
from importers.inputs import line_chunks


def _record(n: int) -> str:
    text = f"Report {n}: the minister said unemployment fell to {n % 9}.{n % 7}% in May."
    spans = [{"start": 10, "end": 22, "label": "actor"}, {"start": 28, "end": 47, "label": "claim"}]
    return json.dumps({"text": text, "spans": spans, "_annotator_id": "gold"})


@pytest.fixture
def small_limits(monkeypatch):
    """The whole-file limit and the piece size made small, so a test file counts as large."""
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 20_000)
    monkeypatch.setattr(inputs, "STREAM_CHUNK_BYTES", 3_000)


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_large_jsonl_file_imports_piece_by_piece(tmp_path, capsys, small_limits):
    lines = [_record(n) for n in range(400)]
    lines[149] = '{"text": "broken'  # line 150
    lines[299] = _record(299).replace("actor", "villain")  # line 300
    data = ("\n".join(lines) + "\n").encode()
    bad_byte = data.index(b"Report 350") + 3
    data = data[:bad_byte] + b"\xff" + data[bad_byte + 1 :]  # in line 351
    path, db = tmp_path / "big.jsonl", tmp_path / "db.sqlite"
    path.write_bytes(data)
    assert len(data) > inputs.MAX_INPUT_BYTES

    assert cli.main(["--db", str(db), "import", str(path)]) == 1
    out, err = capsys.readouterr()
    errors = err.strip().splitlines()
    assert errors[0].startswith(f"{path}: line 150: invalid JSON: Unterminated string")
    assert errors[1].startswith(f"{path}: line 300: span 1: unknown label 'villain'")
    assert errors[2].startswith(f"{path}: line 351: not valid UTF-8 (byte 0xff at offset 13)")
    assert len(errors) == 3
    assert out.strip().splitlines()[-1] == "imported 397, duplicates 0, failed 3"
    assert _count(db, "documents") == 397 and _count(db, "spans") == 2 * 397


def test_other_large_files_are_refused_in_one_line(tmp_path, capsys, small_limits):
    page = tmp_path / "huge.html"
    page.write_text("<html><body>" + "<p>Word after word.</p>" * 2_000 + "</body></html>")
    db = tmp_path / "db.sqlite"
    assert cli.main(["--db", str(db), "import", str(page)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"{page}: file too large (")
    assert line.endswith("except for JSON-lines files)")


def test_pieces_hold_whole_lines_and_know_where_they_start(tmp_path):
    path = tmp_path / "lines.jsonl"
    lines = [f'{{"n": {n}, "pad": "{"x" * (n % 50)}"}}' for n in range(500)]
    path.write_bytes(("\n".join(lines)).encode())  # no newline after the last
    with path.open("rb") as stream:
        pieces = list(line_chunks(stream, chunk_bytes=1_000))
    assert len(pieces) > 10
    rebuilt = []
    for first, piece in pieces:
        got = piece.decode().splitlines()
        assert json.loads(got[0])["n"] == first - 1
        rebuilt += got
    assert rebuilt == lines


def test_large_json_lines_on_standard_input_stream_too(tmp_path, capsys, small_limits, monkeypatch):
    data = ("\n".join(_record(n) for n in range(300)) + "\n").encode()
    assert len(data) > inputs.MAX_INPUT_BYTES

    class Stdin:
        buffer = io.BytesIO(data)

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", Stdin())
    db = tmp_path / "db.sqlite"
    assert cli.main(["--db", str(db), "import", "-"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.strip().splitlines()[-1] == "imported 300, duplicates 0, failed 0"
    with sqlite3.connect(db) as connection:
        texts = [row[0] for row in connection.execute("SELECT text FROM documents ORDER BY id")]
    assert texts == [json.loads(_record(n))["text"] for n in range(300)]  # no line cut in two
