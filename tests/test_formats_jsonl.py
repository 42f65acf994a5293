"""Native JSONL read by pandas, and what every one-file export does with -o: stdout or a file
that appears complete."""

from __future__ import annotations

import io
import json

import pytest

from tests.formats_support import build_database, export, native_records

ONE_FILE_FORMATS = ("jsonl", "prodigy", "doccano", "labelstudio", "conll", "claimreview")


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("jsonl") / "annotated.db")


def test_pandas_reads_the_jsonl_export(annotated_db):
    pandas = pytest.importorskip("pandas")
    result = export(annotated_db, "jsonl", "all")
    frame = pandas.read_json(io.BytesIO(result.stdout), lines=True)
    records = native_records(annotated_db)
    assert len(frame) == len(records) == 18
    assert list(frame["text"]) == [r["text"] for r in records]
    assert list(frame["_annotator_id"]) == [r["_annotator_id"] for r in records]
    exploded = frame.explode("spans").dropna(subset=["spans"])
    for _, row in exploded.iterrows():
        span = row["spans"]
        assert row["text"][span["start"] : span["end"]] == span["text"]


@pytest.mark.parametrize("fmt", ONE_FILE_FORMATS)
def test_one_file_formats_write_stdout_or_a_complete_file(fmt, annotated_db, tmp_path):
    to_stdout = export(annotated_db, fmt, "gold")
    explicit = export(annotated_db, fmt, "gold", "-o", "-")
    target = tmp_path / f"out.{fmt}"
    to_file = export(annotated_db, fmt, "gold", "-o", str(target))
    assert to_stdout.returncode == explicit.returncode == to_file.returncode == 0
    assert to_stdout.stdout == explicit.stdout == target.read_bytes() and to_stdout.stdout
    assert to_file.stdout == b""
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left
    if fmt in {"labelstudio", "claimreview"}:
        assert isinstance(json.loads(target.read_bytes()), list)


def test_an_unknown_source_or_missing_directory_is_a_usage_error(annotated_db, tmp_path):
    unknown = export(annotated_db, "prodigy", "nobody")
    assert unknown.returncode == 2 and b"--source nobody" in unknown.stderr
    missing = export(annotated_db, "doccano", "gold", "-o", str(tmp_path / "no" / "x.jsonl"))
    assert missing.returncode == 2 and b"does not exist" in missing.stderr
    assert b"Traceback" not in unknown.stderr + missing.stderr
