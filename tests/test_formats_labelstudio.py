"""Label Studio: the documented task shape, code-point offsets checked with emoji, and the
importer's rules for owners, cancelled annotations, notes and old UTF-16 offsets."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from exporters.labelstudio import label_config
from importers.labelstudio import parse_labelstudio
from store import Store
from tests.conftest import run_factmark
from tests.formats_support import build_database, comparable, export, native_records
from vocabulary.labels import DEFAULT_LABELS, RELATION_LABELS
from vocabulary.names import GOLD_LAYER
from vocabulary.records import Article, ImportItem, LayerDraft, RelationDraft, SpanDraft

# Label Studio's task format ("Label Studio JSON format of annotated tasks", docs/task_format):
TASK_KEYS = {"id", "data", "annotations", "predictions"}
ANNOTATION_KEYS = {"id", "result", "was_cancelled", "ground_truth"}
REGION_KEYS = {"id", "from_name", "to_name", "type", "value"}


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("labelstudio") / "annotated.db")


@pytest.fixture(scope="module")
def tasks(annotated_db):
    result = export(annotated_db, "labelstudio", "all")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # one JSON array


def test_tasks_have_label_studio_s_documented_shape(tasks, annotated_db):
    records = native_records(annotated_db)
    assert len(tasks) == 6 and sum(len(t["annotations"]) for t in tasks) == len(records)
    annotation_ids = [a["id"] for t in tasks for a in t["annotations"]]
    assert len(set(annotation_ids)) == len(annotation_ids)
    for task in tasks:
        assert task.keys() >= TASK_KEYS and isinstance(task["id"], int)
        assert isinstance(task["data"]["text"], str) and task["data"]["doc_id"].startswith("d-")
        layers = task["data"]["factmark_layers"]
        owners = [layers[str(a["id"])] for a in task["annotations"]]
        assert owners == [GOLD_LAYER, "alice", "bob"]
        for annotation in task["annotations"]:
            assert annotation.keys() >= ANNOTATION_KEYS
            assert "completed_by" not in annotation  # no name here is an email
            assert annotation["ground_truth"] == (layers[str(annotation["id"])] == GOLD_LAYER)
            regions = [r for r in annotation["result"] if r["type"] == "labels"]
            ids = {r["id"] for r in regions}
            for region in regions:
                assert region.keys() >= REGION_KEYS
                assert (region["from_name"], region["to_name"]) == ("label", "text")
                value = region["value"]
                # Code points: the region's text is text[start:end] in Python.
                assert task["data"]["text"][value["start"] : value["end"]] == value["text"]
                assert value["labels"][0] in DEFAULT_LABELS
            for relation in (r for r in annotation["result"] if r["type"] == "relation"):
                assert relation["from_id"] in ids and relation["to_id"] in ids
                assert relation["labels"][0] in RELATION_LABELS


def test_offsets_after_emoji_are_code_points(tasks):
    (task,) = [t for t in tasks if "👨‍👩‍👧‍👦" in t["data"]["text"]]
    text = task["data"]["text"]
    regions = [r["value"] for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    flag = next(v for v in regions if v["text"] == "🇵🇸")
    assert flag["start"] == text.index("🇵🇸") and flag["end"] - flag["start"] == 2
    arabic = [v for v in regions if v["start"] > text.index("\n")]
    assert arabic and all(text[v["start"] : v["end"]] == v["text"] for v in arabic)


def test_the_label_config_names_every_label_and_relation():
    config = ET.fromstring(label_config(DEFAULT_LABELS))
    labels = config.find("Labels")
    assert labels.get("name") == "label" and labels.get("toName") == "text"
    assert [label.get("value") for label in labels] == list(DEFAULT_LABELS)
    assert [r.get("value") for r in config.find("Relations")] == list(RELATION_LABELS)
    assert config.find("Text").get("value") == "$text"


def _region(rid, start, end, label, text=None, **extra):
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {
        "id": rid,
        "from_name": "ner",
        "to_name": "text",
        "type": "labels",
        "value": value,
        **extra,
    }


def test_label_studio_exports_import_with_owners_notes_and_relations():
    text = "💩This is an annotation. 😀 Hamas said it."
    tasks = [
        {
            "id": 1,
            "data": {"text": text, "batch": "b1"},
            "annotations": [
                {
                    "completed_by": 10,
                    "result": [
                        _region("r1", 12, 22, "claim", "annotation"),
                        {
                            "id": "r1",
                            "from_name": "note",
                            "to_name": "text",
                            "type": "textarea",
                            "value": {"start": 12, "end": 22, "text": ["check", "this"]},
                        },
                        _region("r2", 26, 31, "Actor", meta={"text": ["the group"]}),
                        {"from_id": "r1", "to_id": "r2", "type": "relation", "labels": ["said_by"]},
                    ],
                },
                {
                    "completed_by": {"id": 3, "email": "ann@example.org"},
                    "result": [_region("x", 1, 5, "outcome", "This")],
                },
                {"completed_by": 11, "was_cancelled": True, "result": []},
            ],
            "predictions": [{"result": [_region("p", 1, 5, "actor", "This")]}],
        },
        # Offsets an older Label Studio wrote in UTF-16 units: 13-23 only fits read that way.
        {
            "data": {"text": text},
            "annotations": [
                {"completed_by": "gold", "result": [_region("u", 13, 23, "claim", "annotation")]}
            ],
        },
        {
            "data": {"text": text},
            "annotations": [
                {"completed_by": "carol", "result": [_region("w", 0, 4, "claim", "wrong")]}
            ],
        },
        {"data": {"content": "Only one string field."}},
    ]
    parsed = parse_labelstudio(json.dumps(tasks), labels=DEFAULT_LABELS, default_annotator="me")
    first, second, fourth = parsed.items
    assert first.article.extractor == "labelstudio" and first.article.meta == {"batch": "b1"}
    assert [layer.annotator for layer in first.layers] == ["labelstudio-user-10", "ann@example.org"]
    spans = first.layers[0].spans
    assert [(s.start, s.end, s.label, s.note) for s in spans] == [
        (12, 22, "claim", "check\nthis"),
        (26, 31, "actor", "the group"),
    ]
    (relation,) = first.layers[0].relations
    assert (relation.head, relation.child, relation.label) == ("r1", "r2", "said_by")
    ((claim,),) = [layer.spans for layer in second.layers]
    assert second.layers[0].annotator == GOLD_LAYER and (claim.start, claim.end) == (12, 22)
    assert fourth.article.text == "Only one string field." and fourth.layers == ()
    (failure,) = parsed.failures
    assert failure.reason.startswith("task 3: annotation 1: span 1: text 'wrong' does not match")


def test_a_broken_label_studio_file_fails_alone_with_a_reason(tmp_path, db_path):
    broken = tmp_path / "export.json"
    broken.write_text('[{"data": {"text": "x"}', encoding="utf-8")
    result = run_factmark("--db", str(db_path), "import", "--format", "labelstudio", str(broken))
    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"{broken}: invalid JSON")
    assert "Traceback" not in result.stderr.decode()


# -- what Label Studio 1.23 does with the file --------------------------------------------------

EMAIL_ANNOTATOR = "ann@example.org"


@pytest.fixture(scope="module")
def with_email_db(annotated_db, tmp_path_factory):
    """The annotated corpus plus a layer by an annotator whose name is an email address."""
    path = tmp_path_factory.mktemp("labelstudio-email") / "email.db"
    shutil.copy(annotated_db, path)
    text = "Officials in Cairo said the talks would resume 👍 on Monday."
    spans = (SpanDraft(0, 18, "actor", local_id="a"), SpanDraft(19, 58, "claim", local_id="c"))
    layer = LayerDraft(EMAIL_ANNOTATOR, spans, (RelationDraft("c", "a", "said_by"),))
    with Store.open(path) as store:
        store.import_items([ImportItem(Article(text=text, title="email"), (layer,))])
    return path


def label_studio_completed_by(annotation: dict, members: dict[str, int], importer: int) -> int:
    """Label Studio's rule for an imported annotation's `completed_by` (tasks/serializers.py,
    `_insert_valid_completed_by_id_or_raise`, with ALLOW_IMPORT_TASKS_WITH_UNKNOWN_EMAILS off):
    none -> the importing user; an object -> its `email` must be a member's; an int -> a
    member's id; anything else refuses the whole import (HTTP 400)."""
    completed_by = annotation.get("completed_by")
    if completed_by is None:
        return importer
    if isinstance(completed_by, dict):
        if "email" not in completed_by:
            raise ValueError("It's expected to have 'email' field in 'completed_by' data")
        if completed_by["email"] not in members:
            raise ValueError(f"Unknown annotator's email {completed_by['email']}")
        return members[completed_by["email"]]
    if isinstance(completed_by, int) and completed_by in members.values():
        return completed_by
    raise ValueError(f"Import data contains completed_by={completed_by}")


def label_studio_round_trip(tasks: list[dict], members: dict[str, int], importer: int) -> list:
    """The tasks as Label Studio stores them and exports them again (JSON export): `data` as it
    was; of each annotation only `result`, `ground_truth` (true when absent), `was_cancelled`,
    `lead_time` and the resolved `completed_by`, with our `id` kept as `import_id` and new ids."""
    exported, next_id = [], 9001
    for number, task in enumerate(tasks, start=1):
        annotations = []
        for annotation in task["annotations"]:
            user = label_studio_completed_by(annotation, members, importer)
            annotations.append(
                {
                    "id": next_id,
                    "completed_by": user,
                    "result": annotation["result"],
                    "was_cancelled": annotation.get("was_cancelled", False),
                    "ground_truth": annotation.get("ground_truth", True),
                    "lead_time": annotation.get("lead_time"),
                    "import_id": annotation.get("id"),
                    "task": number,
                }
            )
            next_id += 1
        exported.append({"id": number, "data": task["data"], "annotations": annotations})
    return exported


def test_completed_by_is_written_only_for_email_names(with_email_db):
    result = export(with_email_db, "labelstudio", "all")
    assert result.returncode == 0, result.stderr
    tasks = json.loads(result.stdout)
    written = [a["completed_by"] for t in tasks for a in t["annotations"] if "completed_by" in a]
    assert written == [{"email": EMAIL_ANNOTATOR}]
    # Label Studio accepts every annotation of the file in a project where ann is a member...
    members = {"owner@example.org": 1, EMAIL_ANNOTATOR: 2}
    users = [label_studio_completed_by(a, members, 1) for t in tasks for a in t["annotations"]]
    assert users.count(2) == 1 and users.count(1) == len(users) - 1
    # ...and refuses it where she is not, as it refused "gold" before.
    with pytest.raises(ValueError, match="Unknown annotator's email ann@example.org"):
        [label_studio_completed_by(a, {"owner@example.org": 1}, 1) for t in tasks
         for a in t["annotations"]]  # fmt: skip
    with pytest.raises(ValueError, match="Unknown annotator's email gold"):
        label_studio_completed_by({"completed_by": {"email": "gold"}}, members, 1)


def test_a_label_studio_export_of_our_file_comes_back_whole(with_email_db, tmp_path):
    result = export(with_email_db, "labelstudio", "all")
    assert result.returncode == 0, result.stderr
    members = {"owner@example.org": 1, EMAIL_ANNOTATOR: 2}
    from_label_studio = label_studio_round_trip(json.loads(result.stdout), members, 1)
    assert [a["ground_truth"] for a in from_label_studio[0]["annotations"]] == [True, False, False]
    path = tmp_path / "from-label-studio.json"
    path.write_text(json.dumps(from_label_studio, ensure_ascii=False), encoding="utf-8")
    second = tmp_path / "second.db"
    imported = run_factmark("--db", str(second), "import", "--format", "labelstudio", str(path))
    assert imported.returncode == 0, imported.stderr
    original, again = native_records(with_email_db), native_records(second)
    # Every layer under its annotator (gold as gold), every region, relation, note and attr.
    assert comparable(again) == comparable(original)
    assert {r["_annotator_id"] for r in again} == {GOLD_LAYER, "alice", "bob", EMAIL_ANNOTATOR}
    assert sum(len(r["relations"]) for r in again) == sum(len(r["relations"]) for r in original)
    assert any(s["note"] for r in again for s in r["spans"])


def test_annotations_added_in_label_studio_keep_their_own_owner():
    task = {
        "data": {"text": "Hamas said so.", "factmark_layers": {"7": "alice"}},
        "annotations": [
            {"id": 31, "import_id": 7, "completed_by": 1, "result": [_region("x", 0, 5, "actor")]},
            {"id": 32, "completed_by": 4, "result": [_region("y", 6, 10, "claim")]},
        ],
    }
    parsed = parse_labelstudio(json.dumps([task]), labels=DEFAULT_LABELS, default_annotator="me")
    [item] = parsed.items
    assert [layer.annotator for layer in item.layers] == ["alice", "labelstudio-user-4"]
    assert "factmark_layers" not in item.article.meta
