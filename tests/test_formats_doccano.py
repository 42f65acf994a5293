"""doccano: offsets in UTF-16 code units (as JavaScript counts), both ways, tested with emoji."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas
import pytest

from importers.doccano import parse_doccano
from importers.utf16 import Utf16Offsets
from store import Store
from tests.conftest import run_factmark
from tests.formats_support import build_database, export, native_records
from vocabulary.labels import DEFAULT_LABELS
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

# doccano issue #2290's example: a firefighter emoji with a skin tone is 4 code points, 7 units.
FIREFIGHTER = "👨🏻‍🚒 firemen drive firetrucks"


def _js_length(text: str) -> int:
    """What JavaScript's String.length gives: the UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("doccano") / "annotated.db")


@pytest.fixture(scope="module")
def mixed_db(annotated_db, tmp_path_factory):
    """The annotated corpus (every layer linked) plus an article whose layers have spans and no
    relations: the mix of shapes that broke doccano's import."""
    path = tmp_path_factory.mktemp("doccano-mixed") / "mixed.db"
    shutil.copy(annotated_db, path)
    text = "Officials in Cairo said the talks would resume 👍 on Monday."
    spans = (SpanDraft(0, 18, "actor"), SpanDraft(47, 49, "outcome"))
    layers = tuple(LayerDraft(name, spans) for name in ("gold", "alice", "bob"))
    with Store.open(path) as store:
        store.import_items([ImportItem(Article(text=text, title="unlinked"), layers)])
    return path


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
        # The gold layer has relations, so every line is in the relation shape.
        entities = [[e["start_offset"], e["end_offset"], e["label"]] for e in line["entities"]]
        assert entities == expected
        moved += sum(
            a[:2] != [s["start"], s["end"]]
            for a, s in zip(expected, original["spans"], strict=True)
        )
        ids = {e["id"] for e in line["entities"]}
        assert all(r["from_id"] in ids and r["to_id"] in ids for r in line["relations"])
        assert len(line["relations"]) == len(original["relations"])
        assert (
            line["_annotator_id"] == "gold" and line["meta"]["title"] == original["meta"]["title"]
        )
    assert moved  # the emoji article's spans after an emoji really differ between the two counts


def _read_like_doccano(path: Path) -> list[dict]:
    """doccano 1.8.4's JSONL reading: pandas over the whole file, every line a row of the union
    of the lines' keys, a key a line lacks filled with NaN, then one dict per row."""
    frame = pandas.read_json(path, lines=True, dtype=False)
    return frame.to_dict(orient="records")


def _nan_keys(rows: list[dict]) -> set[str]:
    return {key for row in rows for key, value in row.items() if _is_nan(value)}


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def test_the_pandas_reading_finds_the_nan_of_mixed_shapes(tmp_path):
    # What factmark wrote before: a line with relations and one without, in one file.
    path = tmp_path / "mixed.jsonl"
    lines = [
        {"text": "a b", "label": [[0, 1, "actor"]], "meta": {}},
        {"text": "c d", "entities": [], "relations": [], "meta": {}},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assert _nan_keys(_read_like_doccano(path)) == {"label", "entities", "relations"}


@pytest.mark.parametrize("source", ["all", "gold", "alice"])
def test_every_line_has_the_same_keys_as_pandas_reads_them(mixed_db, tmp_path, source):
    path = tmp_path / f"{source}.jsonl"
    result = run_factmark(
        "--db", str(mixed_db), "export", "--format", "doccano", "--source", source,
        "-o", str(path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    originals = native_records(mixed_db, source)
    has_relations = [bool(record["relations"]) for record in originals]
    # The corpus mixes records with and without relations: the case that broke doccano.
    assert any(has_relations) and not all(has_relations)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len({tuple(line) for line in lines}) == 1
    assert set(lines[0]) == {"id", "text", "entities", "relations", "meta", "_annotator_id"}
    rows = _read_like_doccano(path)
    assert len(rows) == len(originals) and _nan_keys(rows) == set()
    # A relation project reads `entities` only: every line brings every span of its record.
    assert [len(row["entities"]) for row in rows] == [len(r["spans"]) for r in originals]
    assert sum(len(row["entities"]) for row in rows) > 0


def test_an_export_without_relations_is_all_label_lines(tmp_path):
    db = tmp_path / "plain.db"
    source = tmp_path / "plain.jsonl"
    records = [
        {"text": "Hamas said the talks failed.", "_annotator_id": "ann",
         "spans": [{"start": 0, "end": 5, "label": "actor"}]},
        {"text": "Fatah met in Cairo 👍.", "_annotator_id": "ann", "spans": []},
    ]  # fmt: skip
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    assert run_factmark("--db", str(db), "import", str(source)).returncode == 0
    path = tmp_path / "plain-doccano.jsonl"
    result = run_factmark(
        "--db", str(db), "export", "--format", "doccano", "--source", "ann", "-o", str(path)
    )
    assert result.returncode == 0, result.stderr
    rows = _read_like_doccano(path)
    assert _nan_keys(rows) == set()
    assert [set(row) for row in rows] == [{"id", "text", "label", "meta", "_annotator_id"}] * 2
    assert [row["label"] for row in rows] == [[[0, 5, "actor"]], []]
    # And both shapes come back in through our importer with the same spans.
    parsed = parse_doccano(path.read_text(encoding="utf-8"), labels=DEFAULT_LABELS,
                           default_annotator="me")  # fmt: skip
    assert [[(s.start, s.end, s.label) for s in item.layers[0].spans] for item in parsed.items] == [
        [(0, 5, "actor")],
        [],
    ]


def test_the_relation_shape_comes_back_with_its_relations(mixed_db, tmp_path):
    path = tmp_path / "all.jsonl"
    result = run_factmark(
        "--db", str(mixed_db), "export", "--format", "doccano", "--source", "all",
        "-o", str(path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    parsed = parse_doccano(path.read_text(encoding="utf-8"), labels=DEFAULT_LABELS,
                           default_annotator="me")  # fmt: skip
    assert parsed.failures == []
    originals = native_records(mixed_db, "all")
    for item, original in zip(parsed.items, originals, strict=True):
        [layer] = item.layers
        assert layer.annotator == original["_annotator_id"]
        spans = {s.local_id: (s.start, s.end, s.label) for s in layer.spans}
        by_id = {s["id"]: (s["start"], s["end"], s["label"]) for s in original["spans"]}
        assert sorted((spans[r.head], spans[r.child], r.label) for r in layer.relations) == sorted(
            (by_id[r["head"]], by_id[r["child"]], r["label"]) for r in original["relations"]
        )


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
