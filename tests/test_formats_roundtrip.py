"""import(export(x)) == x for jsonl, prodigy, doccano and labelstudio: through real databases
on the seeds (overlapping spans, emoji, Arabic), and as a property over generated texts."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporters.doccano import doccano_line
from exporters.jsonl import native_record
from exporters.labelstudio import write_labelstudio
from exporters.prodigy import prodigy_task
from importers.dispatch import ImportOptions, parse_input
from importers.doccano import doccano_to_item
from importers.jsonl import record_to_item
from importers.labelstudio import parse_labelstudio
from importers.prodigy import prodigy_to_item
from store.info import DocumentInfo, ExportRecord, RelationInfo, SpanInfo
from tests.conftest import run_factmark
from tests.formats_support import build_database, comparable, export, native_records
from vocabulary.labels import DEFAULT_LABELS, RELATION_LABELS
from vocabulary.text import canonical_text, text_sha256

ROUND_TRIP_FORMATS = ("jsonl", "prodigy", "doccano", "labelstudio")
# doccano has no place for a span's note or attrs; everything else must come back.
KEEPS_DETAILS = {"jsonl": True, "prodigy": True, "doccano": False, "labelstudio": True}


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("formats") / "annotated.db")


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_round_trip_through_a_fresh_database(fmt, annotated_db, tmp_path):
    original = native_records(annotated_db)
    assert len({r["_annotator_id"] for r in original}) == 3  # gold and two annotators
    exported = tmp_path / f"export.{fmt}"
    result = export(annotated_db, fmt, "all", "-o", str(exported))
    assert result.returncode == 0, result.stderr
    second = tmp_path / "second.db"
    # --format auto must recognise each of these files by its content.
    imported = run_factmark("--db", str(second), "import", str(exported))
    assert imported.returncode == 0, imported.stderr
    again = native_records(second)
    details = KEEPS_DETAILS[fmt]
    assert comparable(again, details=details) == comparable(original, details=details)


def test_importing_annotations_marks_the_documents_done(annotated_db, tmp_path):
    exported = tmp_path / "alice.jsonl"
    assert export(annotated_db, "prodigy", "alice", "-o", str(exported)).returncode == 0
    second = tmp_path / "second.db"
    assert (
        run_factmark("--db", str(second), "import", "--format", "prodigy", str(exported)).returncode
        == 0
    )
    listed = json.loads(run_factmark("--db", str(second), "list", "--json").stdout)
    assert listed and all(doc["annotators"]["alice"]["done"] for doc in listed)


# -- property: any canonical text, any spans ------------------------------------------------

PIECES = [
    "Hamas",
    "said",
    "34,535",
    "killed",
    ".",
    ",",
    " ",
    " ",
    "\n",
    "\n\n",
    "👨‍👩‍👧",
    "🇵🇸",
    "👍🏽",
    "é",
    "e\u0301",
    "مرحبا",
    "الوزيرُ",
    "北京",
    "\t",
    "—",
    "’",
]


@st.composite
def records(draw) -> ExportRecord:
    text = canonical_text("".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40))))
    if not text.strip():
        text = "Hamas"
    bounds = st.integers(0, len(text))
    keys = set()
    for _ in range(draw(st.integers(0, 8))):
        start, end = sorted((draw(bounds), draw(bounds)))
        if start < end and text[start:end].strip():
            keys.add((start, end, draw(st.sampled_from(DEFAULT_LABELS))))
    spans = [_span(i + 1, key, text, draw) for i, key in enumerate(sorted(keys))]
    relations = []
    if len(spans) >= 2:
        for number in range(draw(st.integers(0, 2))):
            head, child = draw(st.permutations(spans))[:2]
            relations.append(
                RelationInfo(
                    number + 1,
                    1,
                    "alice",
                    head.id,
                    child.id,
                    draw(st.sampled_from(RELATION_LABELS)),
                )
            )
    return ExportRecord(_document(text), "alice", spans, _unique(relations), True)


def _span(span_id, key, text, draw) -> SpanInfo:
    start, end, label = key
    note = draw(st.sampled_from([None, "checked", "line\nbreak"]))
    attrs = draw(st.sampled_from([{}, {"value": 3, "unit": "people"}]))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return SpanInfo(
        span_id, 1, "alice", start, end, label, text[start:end], note, attrs, "manual", now, now
    )


def _unique(relations: list[RelationInfo]) -> list[RelationInfo]:
    seen, kept = set(), []
    for r in relations:
        if (r.head_id, r.child_id, r.label) not in seen:
            seen.add((r.head_id, r.child_id, r.label))
            kept.append(r)
    return kept


def _document(text: str) -> DocumentInfo:
    sha = text_sha256(text)
    return DocumentInfo(
        1,
        "d-" + sha[:16],
        text,
        sha,
        "Title",
        None,
        "Outlet",
        None,
        None,
        datetime(2026, 1, 1, tzinfo=UTC),
        "test",
        "1",
        None,
        {"section": "x"},
    )


def _kept(record: ExportRecord, details: bool) -> tuple:
    by_id = {s.id: (s.start, s.end, s.label) for s in record.spans}
    spans = sorted(
        (s.start, s.end, s.label) + ((s.note, json.dumps(s.attrs)) if details else ())
        for s in record.spans
    )
    relations = sorted((by_id[r.head_id], by_id[r.child_id], r.label) for r in record.relations)
    return record.document.text, spans, relations


def _item_kept(item, details: bool) -> tuple:
    (layer,) = item.layers
    by_id = {s.local_id: (s.start, s.end, s.label) for s in layer.spans}
    spans = sorted(
        (s.start, s.end, s.label) + ((s.note, json.dumps(s.attrs)) if details else ())
        for s in layer.spans
    )
    relations = sorted((by_id[r.head], by_id[r.child], r.label) for r in layer.relations)
    assert layer.annotator == "alice" and layer.done
    assert item.article.meta == {"section": "x"} and item.article.title == "Title"
    return item.article.text, spans, relations


OPTIONS = {"labels": DEFAULT_LABELS, "default_annotator": "someone"}
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(records())
def test_jsonl_round_trip_property(record):
    item = record_to_item(native_record(record), **OPTIONS)
    assert _item_kept(item, True) == _kept(record, True)


@PROPERTY
@given(records())
def test_prodigy_round_trip_property(record):
    task = json.loads(json.dumps(prodigy_task(record)))
    item = prodigy_to_item(task, **OPTIONS)
    assert _item_kept(item, True) == _kept(record, True)


@PROPERTY
@given(records())
def test_doccano_round_trip_property(record):
    item = doccano_to_item(json.loads(json.dumps(doccano_line(record))), **OPTIONS)
    assert _item_kept(item, False) == _kept(record, False)


@PROPERTY
@given(records())
def test_labelstudio_round_trip_property(record):
    out = io.StringIO()
    write_labelstudio([record], out)
    parsed = parse_labelstudio(out.getvalue(), **OPTIONS)
    assert parsed.failures == []
    (item,) = parsed.items
    assert _item_kept(item, True) == _kept(record, True)


@PROPERTY
@given(records())
def test_auto_detection_picks_the_format_each_exporter_wrote(record):
    lines = {
        "prodigy": json.dumps(prodigy_task(record)),
        "doccano": json.dumps(doccano_line(record)),
        "jsonl": json.dumps(native_record(record)),
    }
    for fmt, line in lines.items():
        parsed = parse_input(f"x.{fmt}", line.encode(), "auto", ImportOptions())
        assert [item.article.extractor for item in parsed.items] == [fmt], fmt
