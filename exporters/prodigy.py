"""Prodigy task JSONL: one task per document and layer, with tokens and token-aligned spans.

- `tokens` come from exporters.tokens (cut at span boundaries, so `token_start`/`token_end`,
  inclusive, are exact and the spans keep their character offsets).
- Overlapping spans are kept: the task's `_view_id` is `spans_manual`, which shows them.
- `relations` use Prodigy's rel.manual shape: `head`/`child` are the token_end of the head and
  child spans, with the spans themselves in `head_span`/`child_span`.
- Hashes are not Prodigy's mmh3 values but stable across runs and machines: `_input_hash` is a
  31-bit integer from the SHA-256 of `{"text": text}`; `_task_hash` the same from the input
  hash, the spans (start, end, label) and the relations. Both fit Prodigy's signed 32-bit ints.
- `_annotator_id` is the layer (an annotator's name, or "gold"); `_session_id` is
  "factmark-" + that name, Prodigy's "dataset-session" form with the dataset "factmark".
- A span that begins or ends with whitespace keeps its offsets; its token_start/token_end name
  the first and last tokens inside it. A span of whitespace only has no token and is left out
  (the export says how many).
- A span's note and attrs, when it has them, ride along as extra span keys `note` and `attrs`
  (Prodigy keeps unknown keys); importing them back restores them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from exporters.common import ExportReport, document_meta, dumps, stable_hash31
from exporters.formats import NO_OPTIONS, ExportOptions
from exporters.tokens import Token, TokenPositions, tokenize
from store.info import ExportRecord, ExportRelation, ExportSpan

SESSION_DATASET = "factmark"
VIEW_ID = "spans_manual"


def input_hash(text: str) -> int:
    return stable_hash31({"text": text})


def task_hash(text: str, spans: list[ExportSpan], relations: list[ExportRelation]) -> int:
    by_id = {span.id: span for span in spans}
    key = lambda s: [s.start, s.end, s.label]  # noqa: E731
    return stable_hash31(
        {
            "input": input_hash(text),
            "spans": sorted(key(span) for span in spans),
            "relations": sorted(
                [key(by_id[r.head_id]), key(by_id[r.child_id]), r.label]
                for r in relations
                if r.head_id in by_id and r.child_id in by_id
            ),
        }
    )


def prodigy_task(record: ExportRecord) -> dict[str, Any]:
    """The Prodigy task for one document's layer."""
    doc = record.document
    tokens = tokenize(doc.text, (o for s in record.spans for o in (s.start, s.end)))
    positions = TokenPositions(tokens)
    spans: dict[int, dict[str, Any]] = {}
    for span in record.spans:
        placed = positions.inside(span.start, span.end)
        if placed is not None:
            spans[span.id] = _span(span, placed)
    return {
        "id": doc.ext_id,
        "text": doc.text,
        "meta": document_meta(doc),
        "tokens": [_token(token, i) for i, token in enumerate(tokens)],
        "spans": list(spans.values()),
        "relations": [
            _relation(r, spans[r.head_id], spans[r.child_id])
            for r in record.relations
            if r.head_id in spans and r.child_id in spans
        ],
        "_input_hash": input_hash(doc.text),
        "_task_hash": task_hash(doc.text, record.spans, record.relations),
        "_view_id": VIEW_ID,
        "_annotator_id": record.layer,
        "_session_id": f"{SESSION_DATASET}-{record.layer}",
        "answer": "accept",
    }


def _token(token: Token, index: int) -> dict[str, Any]:
    return {"text": token.text, "start": token.start, "end": token.end, "id": index, "ws": token.ws}


def _span(span: ExportSpan, placed: tuple[int, int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": span.start,
        "end": span.end,
        "token_start": placed[0],
        "token_end": placed[1],
        "label": span.label,
        "text": span.text,
    }
    if span.note is not None:
        out["note"] = span.note
    if span.attrs:
        out["attrs"] = span.attrs
    return out


def _relation(relation: ExportRelation, head: dict[str, Any], child: dict[str, Any]) -> dict:
    return {
        "head": head["token_end"],
        "child": child["token_end"],
        "head_span": _bare(head),
        "child_span": _bare(child),
        "label": relation.label,
    }


def _bare(span: dict[str, Any]) -> dict[str, Any]:
    keys = ("start", "end", "token_start", "token_end", "label")
    return {key: span[key] for key in keys}


def write_prodigy(
    records: Iterable[ExportRecord], out: TextIO, options: ExportOptions = NO_OPTIONS
) -> ExportReport:
    """Write record by record (memory stays flat)."""
    count = skipped = 0
    for record in records:
        task = prodigy_task(record)
        out.write(dumps(task))
        out.write("\n")
        count += 1
        skipped += len(record.spans) - len(task["spans"])
    remarks = (f"prodigy: left out {skipped} span(s) of whitespace only",) if skipped else ()
    return ExportReport(count, remarks)
