"""doccano: offsets in UTF-16 code units (as JavaScript counts), both ways, tested with emoji."""

from __future__ import annotations

import json

import pytest

from importers.doccano import parse_doccano
from importers.utf16 import Utf16Offsets
from tests.conftest import run_factmark
from tests.formats_support import build_database, export, native_records
from vocabulary.labels import DEFAULT_LABELS

# doccano issue #2290's example: a firefighter emoji with a skin tone is 4 code points, 7 units.
FIREFIGHTER = "👨🏻‍🚒 firemen drive firetrucks"


def _js_length(text: str) -> int:
    """What JavaScript's String.length gives: the UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("doccano") / "annotated.db")


def test_exported_offsets_are_utf16_units(annotated_db):
    result = export(annotated_db, "doccano", "gold")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    originals = native_records(annotated_db, "gold")
    moved = 0
    for line, original in zip(lines, originals, strict=True):
        text = line["text"]
        expected = [
            [_js_length(text[: s["start"]]), _js_length(text[: s["end"]]), s["label"]]
            for s in original["spans"]
        ]
        assert line["label"] == expected
        moved += sum(
            a[:2] != [s["start"], s["end"]]
            for a, s in zip(expected, original["spans"], strict=True)
        )
        if original["relations"]:
            ids = {e["id"] for e in line["entities"]}
            assert all(r["from_id"] in ids and r["to_id"] in ids for r in line["relations"])
        assert (
            line["_annotator_id"] == "gold" and line["meta"]["title"] == original["meta"]["title"]
        )
    assert moved  # the emoji article's spans after an emoji really differ between the two counts


def test_utf16_conversion_matches_javascript_and_refuses_half_an_emoji():
    units = Utf16Offsets(FIREFIGHTER)
    start = FIREFIGHTER.index("firetrucks")
    assert (start, units.to_units(start)) == (19, 22)
    assert units.to_code_points(22) == 19 and units.to_code_points(32) == 29
    assert units.to_code_points(1) is None  # inside the surrogate pair of 👨
    for offset in range(len(FIREFIGHTER) + 1):
        assert units.to_units(offset) == _js_length(FIREFIGHTER[:offset])
        assert units.to_code_points(units.to_units(offset)) == offset


def _parse(*records: dict):
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    return parse_doccano(lines, labels=DEFAULT_LABELS, default_annotator="me")


def test_doccano_lines_import_with_their_offsets_converted():
    relation_line = {
        "id": 8,
        "text": "Google said in 1998 that Larry Page 😀 founded it.",
        "entities": [
            {"id": 10, "start_offset": 0, "end_offset": 6, "label": "ACTOR"},
            {"id": 11, "start_offset": 0, "end_offset": 19, "label": "claim"},
            {"id": 12, "start_offset": 39, "end_offset": 49, "label": "outcome"},
        ],
        "relations": [{"id": 3, "from_id": 11, "to_id": 10, "type": "said_by"}],
        "Comments": [],
    }
    parsed = _parse(
        {"text": FIREFIGHTER, "label": [[22, 32, "figure"], [0, 7, "actor"]], "batch": 2},
        relation_line,
        {"text": FIREFIGHTER, "label": [[1, 7, "actor"]]},
        {"text": FIREFIGHTER, "label": ["positive"]},
    )
    first, second = parsed.items
    assert first.article.extractor == "doccano" and first.article.meta == {"batch": 2}
    (layer,) = first.layers
    assert layer.annotator == "me" and layer.done
    assert [(s.start, s.end, s.label) for s in layer.spans] == [(19, 29, "figure"), (0, 4, "actor")]
    spans = second.layers[0].spans
    text = second.article.text
    assert [text[s.start : s.end] for s in spans] == ["Google", "Google said in 1998", "founded it"]
    (relation,) = second.layers[0].relations
    assert (relation.head, relation.child, relation.label) == ("11", "10", "said_by")
    reasons = {f.line: f.reason for f in parsed.failures}
    assert "falls inside an emoji" in reasons[3]
    assert "expected [start, end, label]" in reasons[4]


def test_doccano_import_on_the_command_line_with_an_annotator(tmp_path, db_path):
    source = tmp_path / "admin.jsonl"
    source.write_text(json.dumps({"text": FIREFIGHTER, "label": [[22, 32, "figure"]]}) + "\n")
    result = run_factmark(
        "--db", str(db_path), "--annotator", "admin", "import", "--format", "doccano", str(source)
    )
    assert result.returncode == 0, result.stderr
    (record,) = native_records(db_path, "admin")
    assert [s["text"] for s in record["spans"]] == ["firetrucks"]
