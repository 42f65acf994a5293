"""Prodigy tasks: tokens and token indices consistent with the text, stable hashes, and the
importer's rules for owners, answers, labels and relations."""

from __future__ import annotations

import json

import pytest

from exporters.tokens import tokenize
from importers.prodigy import parse_prodigy
from tests.conftest import run_factmark
from tests.formats_support import EMOJI_ARABIC, build_database, export
from vocabulary.labels import DEFAULT_LABELS
from vocabulary.names import GOLD_LAYER


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("prodigy") / "annotated.db")


@pytest.fixture(scope="module")
def tasks(annotated_db):
    result = export(annotated_db, "prodigy", "all")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def test_tokens_tile_the_text_and_spans_sit_on_token_boundaries(tasks):
    assert len(tasks) == 18  # 6 documents, 3 layers each
    for task in tasks:
        text, tokens = task["text"], task["tokens"]
        assert [t["id"] for t in tokens] == list(range(len(tokens)))
        covered = set()
        for before, token in zip([None, *tokens], tokens, strict=False):
            assert token["text"] == text[token["start"] : token["end"]] and token["text"]
            assert not any(char.isspace() for char in token["text"])
            assert before is None or before["end"] <= token["start"]
            assert token["ws"] == (token["end"] < len(text) and text[token["end"]].isspace())
            covered.update(range(token["start"], token["end"]))
        assert covered == {i for i, char in enumerate(text) if not char.isspace()}
        for span in task["spans"]:
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]
            assert span["text"] == text[span["start"] : span["end"]]
        for relation in task["relations"]:
            assert relation["head"] == relation["head_span"]["token_end"]
            assert relation["child"] == relation["child_span"]["token_end"]
        assert task["_view_id"] == "spans_manual" and task["answer"] == "accept"
        assert task["_session_id"] == f"factmark-{task['_annotator_id']}"


def test_an_emoji_family_is_one_token_and_arabic_words_keep_their_marks():
    texts = [t.text for t in tokenize(EMOJI_ARABIC)]
    assert "👨‍👩‍👧‍👦" in texts and "👍🏽" in texts and "🇵🇸" in texts
    assert "قالَ" in texts and "الوزيرُ" in texts and "34" in texts and "," in texts
    # A span boundary inside a token cuts the token there, keeping the span's exact offsets.
    cut = [t.text for t in tokenize("Palestinians", [3])]
    assert cut == ["Pal", "estinians"]


def test_hashes_are_stable_across_runs_and_follow_input_and_task(tasks, annotated_db):
    again = export(annotated_db, "prodigy", "all").stdout.decode("utf-8").splitlines()
    assert [json.loads(line) for line in again] == tasks  # byte-for-byte the same tasks
    for task in tasks:
        assert 0 <= task["_input_hash"] < 2**31 and 0 <= task["_task_hash"] < 2**31
    by_text: dict[str, set[int]] = {}
    for task in tasks:
        by_text.setdefault(task["text"], set()).add(task["_input_hash"])
    assert all(len(hashes) == 1 for hashes in by_text.values())
    assert len({next(iter(h)) for h in by_text.values()}) == len(by_text)
    assert len({task["_task_hash"] for task in tasks}) == len(tasks)  # layers differ in spans


def _task(**overrides) -> str:
    text = "Hamas and Fatah met in Cairo."
    task = {
        "text": text,
        "spans": [
            {"start": 0, "end": 5, "label": "ACTOR", "token_start": 0, "token_end": 0},
            {"start": 10, "end": 15, "label": "Actor", "token_start": 2, "token_end": 2},
            {"start": 0, "end": 28, "label": "claim"},
        ],
        "relations": [
            {
                "head": 5,
                "child": 0,
                "label": "SAID_BY",
                "head_span": {"start": 0, "end": 28, "label": "claim"},
                "child_span": {"start": 0, "end": 5, "label": "ACTOR"},
            }
        ],
        "meta": {"source": "wire", "title": "Talks"},
        "_input_hash": 1,
        "_task_hash": 2,
        "answer": "accept",
    }
    task.update(overrides)
    return json.dumps({k: v for k, v in task.items() if v is not None})


def _parse(*lines: str):
    return parse_prodigy("\n".join(lines), labels=DEFAULT_LABELS, default_annotator="me")


def test_prodigy_records_owners_answers_labels_and_relations():
    parsed = _parse(
        _task(_annotator_id="news_ner-alice", _session_id="news_ner-alice"),
        _task(_session_id="news_ner-jean-luc"),
        _task(_session_id="news_ner-2024-03-01_10-22-41"),
        _task(_annotator_id="gold"),
        _task(answer="reject", _annotator_id="bob"),
        _task(answer="maybe"),
        _task(
            relations=[
                {
                    "label": "said_by",
                    "head_span": {"start": 1, "end": 2, "label": "x"},
                    "child_span": {"start": 0, "end": 5, "label": "actor"},
                }
            ]
        ),
    )
    owners = [item.layers[0].annotator if item.layers else None for item in parsed.items]
    assert owners == ["news_ner-alice", "jean-luc", "me", GOLD_LAYER, None]
    first = parsed.items[0]
    assert first.article.extractor == "prodigy" and first.article.title == "Talks"
    assert first.article.meta == {"source": "wire"}
    layer = first.layers[0]
    assert [(s.start, s.end, s.label) for s in layer.spans] == [
        (0, 5, "actor"),
        (10, 15, "actor"),
        (0, 28, "claim"),
    ]
    (relation,) = layer.relations
    assert relation.label == "said_by" and relation.head == "#2" and relation.child == "#0"
    reasons = {f.line: f.reason for f in parsed.failures}
    assert set(reasons) == {6, 7}
    assert '"answer" must be one of' in reasons[6]
    assert "head_span is not one of the task's spans" in reasons[7]


def test_a_prodigy_file_imports_through_the_command_line(tmp_path, db_path):
    source = tmp_path / "annotations.jsonl"
    source.write_text(
        _task(_session_id="news-carol") + "\n" + _task(text="") + "\n", encoding="utf-8"
    )
    result = run_factmark("--db", str(db_path), "import", str(source))
    assert result.returncode == 1
    assert "line 2:" in result.stderr.decode() and '"text" is missing' in result.stderr.decode()
    assert result.stdout.decode().strip().endswith("imported 1, duplicates 0, failed 1")
    listed = json.loads(run_factmark("--db", str(db_path), "list", "--json").stdout)
    assert listed[0]["annotators"]["carol"] == {"spans": 3, "done": True}
