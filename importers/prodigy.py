"""Prodigy task JSONL (ner.manual, spans.manual, rel.manual output) in.

- Offsets: Prodigy is Python, so `start`/`end` are code points, as stored; `tokens`,
  `token_start`/`token_end` and the hashes are not needed and not read.
- Who owns the spans: `_annotator_id` as written; else the session name in `_session_id`, which
  Prodigy writes as "<dataset>-<session>" (the part after the first "-"; a session named by a
  timestamp, Prodigy's unnamed session, names nobody); else `--annotator`. "gold" means the
  gold layer.
- `answer`: "accept" (or none) imports the spans and marks the document done for the annotator;
  "reject" and "ignore" import only the document.
- Labels match the project's ignoring case (Prodigy labels are often upper case). Relations
  (rel.manual) are matched to spans by their `head_span`/`child_span` offsets and labels.
- A span's extra `note` and `attrs` keys (factmark's Prodigy export writes them) are kept;
  `meta` and other unknown top-level keys go into the document's meta.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from importers.formats import ImportFailure
from importers.interchange import (
    annotator_name,
    known_label,
    known_relation,
    line_parser,
    list_field,
    native_item,
    object_field,
)
from vocabulary.labels import RELATION_LABELS
from vocabulary.records import ImportItem

EXTRACTOR = "prodigy"
ACCEPT, ANSWERS = "accept", ("accept", "reject", "ignore")
# Prodigy's own keys: read here or derived, never kept as document metadata.
_TASK_KEYS = {"id", "text", "meta", "spans", "relations", "tokens", "answer"}
_TIMESTAMP_SESSION = re.compile(r"[\d_:.T-]+")


def prodigy_to_item(
    task: dict[str, Any],
    *,
    labels: Sequence[str],
    default_annotator: str,
    source_file: str | None = None,
    relations: Sequence[str] = RELATION_LABELS,
) -> ImportItem:
    native: dict[str, Any] = {"text": task.get("text"), "meta": _meta(task)}
    if "spans" in task and _answer(task) == ACCEPT:
        spans = [_span(raw, index, labels) for index, raw in enumerate(list_field(task, "spans"))]
        native["spans"] = spans
        native["relations"] = _relations(list_field(task, "relations"), spans, labels)
        native["_annotator_id"] = _owner(task)
    return native_item(
        native,
        labels=labels,
        default_annotator=default_annotator,
        source_file=source_file,
        extractor=EXTRACTOR,
        relations=relations,
    )


def _answer(task: dict[str, Any]) -> str:
    answer = task.get("answer", ACCEPT)
    if answer not in ANSWERS:
        raise ImportFailure(f'"answer" must be one of {", ".join(ANSWERS)}, not {answer!r}')
    return answer


def _meta(task: dict[str, Any]) -> dict[str, Any]:
    meta = dict(object_field(task, "meta"))
    meta.update({k: v for k, v in task.items() if k not in _TASK_KEYS and not k.startswith("_")})
    return meta


def _span(raw: Any, index: int, labels: Sequence[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ImportFailure(f"span {index + 1}: expected an object")
    keys = ("start", "end", "text", "note", "attrs")
    span = {key: raw[key] for key in keys if key in raw}
    span["label"] = known_label(raw.get("label"), labels)
    span["id"] = f"#{index}"
    return span


def _relations(
    raw_relations: list[Any], spans: list[dict[str, Any]], labels: Sequence[str]
) -> list[dict[str, Any]]:
    ids = {(s.get("start"), s.get("end"), s.get("label")): s["id"] for s in spans}
    relations = []
    for index, raw in enumerate(raw_relations):
        where = f"relation {index + 1}"
        if not isinstance(raw, dict):
            raise ImportFailure(f"{where}: expected an object")
        ends = [_span_id(raw.get(side), ids, labels, f"{where}: {side}") for side in _SIDES]
        label = known_relation(raw.get("label"))
        relations.append({"head": ends[0], "child": ends[1], "label": label})
    return relations


_SIDES = ("head_span", "child_span")


def _span_id(
    raw: Any, ids: dict[tuple[Any, Any, Any], str], labels: Sequence[str], where: str
) -> str:
    if not isinstance(raw, dict):
        raise ImportFailure(f"{where} must be an object")
    key = (raw.get("start"), raw.get("end"), known_label(raw.get("label"), labels))
    if key not in ids:
        raise ImportFailure(f"{where} is not one of the task's spans")
    return ids[key]


def _owner(task: dict[str, Any]) -> str | None:
    """Who annotated the task: `_annotator_id`, else the session of `_session_id`, else None."""
    annotator = annotator_name(task.get("_annotator_id"), '"_annotator_id"')
    if annotator is not None:
        return annotator
    session = annotator_name(task.get("_session_id"), '"_session_id"')
    if session is None:
        return None
    name = session.split("-", 1)[1] if "-" in session else session
    if not name.strip() or _TIMESTAMP_SESSION.fullmatch(name):
        return None  # Prodigy's unnamed sessions are named by their start time
    return name.strip()


parse_prodigy = line_parser(prodigy_to_item)
