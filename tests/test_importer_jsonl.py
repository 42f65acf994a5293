"""Native JSONL records: spans checked against the text, one bad line failing alone."""

import json

from importers.jsonl import parse_jsonl
from vocabulary.labels import DEFAULT_LABELS
from vocabulary.names import GOLD_LAYER

TEXT = "Hamas and Fatah met in Cairo. 34,535 Palestinians 👨‍👩‍👧 were killed."


def _line(**overrides) -> str:
    record = {
        "id": "d-1",
        "text": TEXT,
        "meta": {"title": "Talks", "outlet": "Example", "text_sha256": "x", "section": "World"},
        "spans": [
            {"id": "s-1", "start": 0, "end": 5, "label": "actor", "text": "Hamas"},
            {"id": "s-2", "start": 30, "end": 49, "label": "figure", "text": "34,535 Palestinians"},
        ],
        "relations": [{"head": "s-2", "child": "s-1", "label": "source"}],
        "_annotator_id": "alice",
        "answer": "accept",
        "batch": 7,
    }
    record.update(overrides)
    return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)


def _parse(*lines: str):
    parsed = parse_jsonl("\n".join(lines), labels=DEFAULT_LABELS, default_annotator="me")
    return parsed.items, parsed.failures


def test_a_record_brings_its_document_spans_relations_and_owner():
    (item,), failures = _parse(_line())
    assert failures == []
    assert item.article.text == TEXT and item.article.title == "Talks"
    assert item.article.meta == {"section": "World", "batch": 7}  # unknown keys kept in meta
    (layer,) = item.layers
    assert layer.annotator == "alice" and layer.done
    assert [(s.start, s.end, s.label) for s in layer.spans] == [(0, 5, "actor"), (30, 49, "figure")]
    assert [(r.head, r.child, r.label) for r in layer.relations] == [("s-2", "s-1", "source")]


def test_gold_default_annotator_and_records_without_spans():
    items, _ = _parse(
        _line(_annotator_id="gold"), _line(_annotator_id=None), _line(spans=None, relations=None)
    )
    assert items[0].layers[0].annotator == GOLD_LAYER
    assert items[1].layers[0].annotator == "me"
    assert items[2].layers == ()


def test_each_bad_line_fails_alone_with_its_line_number_and_reason():
    bad_span = {"start": 0, "end": 5, "label": "actor", "text": "Fatah"}
    lines = [
        _line(),
        '{"text": "broken",',
        _line(spans=[{"start": 60, "end": 999, "label": "actor"}], relations=None),
        _line(spans=[{"start": 5, "end": 5, "label": "actor"}], relations=None),
        _line(spans=[{"start": 0, "end": 5, "label": "villain"}], relations=None),
        _line(spans=[bad_span], relations=None),
        _line(text=""),
        "[1, 2]",
    ]
    items, failures = _parse(*lines)
    assert len(items) == 1
    reasons = {f.line: f.reason for f in failures}
    assert set(reasons) == {2, 3, 4, 5, 6, 7, 8}
    assert reasons[2].startswith("invalid JSON")
    assert "outside the text" in reasons[3]
    assert "not after start" in reasons[4]
    assert "unknown label 'villain'" in reasons[5]
    assert "does not match" in reasons[6] and "'Fatah'" in reasons[6]
    assert '"text" is missing' in reasons[7]
    assert "expected a JSON object" in reasons[8]


def test_relations_must_name_spans_of_the_record():
    _, (failure,) = _parse(_line(relations=[{"head": "s-9", "child": "s-1", "label": "source"}]))
    assert "ids of spans in the same record" in failure.reason


def test_non_canonical_text_is_canonicalised_and_offsets_follow():
    text = "Cafe\u0301 talks\r\nin Cairo"
    spans = [{"start": 0, "end": 5, "label": "actor"}, {"start": 16, "end": 21, "label": "actor"}]
    (item,), failures = _parse(_line(text=text, spans=spans, relations=None))
    assert failures == []
    stored = item.article.text
    assert stored == "Café talks\nin Cairo"
    assert [stored[s.start : s.end] for s in item.layers[0].spans] == ["Café", "Cairo"]
