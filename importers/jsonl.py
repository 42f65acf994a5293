"""Native JSONL records (formats.md): one document and one annotation layer per line."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from importers.formats import ImportFailure
from importers.offsets import remap_offsets
from vocabulary.check_records import CheckRecord, check_from_verdict, parse_check
from vocabulary.entities import ACTOR_LABEL, parse_entity_ref
from vocabulary.labels import RELATION_LABELS
from vocabulary.names import CLAIM_LABEL, GOLD_LAYER, is_span_origin
from vocabulary.records import Article, ImportItem, LayerDraft, RelationDraft, SpanDraft
from vocabulary.text import canonical_line, canonical_string, canonical_text

JSONL_EXTRACTOR_VERSION = "1"
_META_FIELDS = ("title", "byline", "outlet", "url", "published")
# Keys the format defines at the top level of a record; any other key is kept in `meta`.
_RECORD_KEYS = {"id", "text", "meta", "spans", "relations", "_annotator_id", "answer"}
# Keys of `meta` that are derived, not facts about the article: recomputed on import.
_DERIVED_META = {"text_sha256"}
# Metadata is facts about an article: deeper structures are refused (and a walk stays shallow).
MAX_META_DEPTH = 64


@dataclass(frozen=True)
class RecordFailure:
    """One line of a JSONL file that could not be imported."""

    line: int
    reason: str


@dataclass(frozen=True)
class JsonlParse:
    items: list[ImportItem]
    failures: list[RecordFailure]


def parse_jsonl(
    data: str,
    *,
    labels: Sequence[str],
    default_annotator: str,
    source_file: str | None = None,
    relations: Sequence[str] = RELATION_LABELS,
) -> JsonlParse:
    """Parse every line; a bad line fails alone, with its line number and the reason."""
    items: list[ImportItem] = []
    failures: list[RecordFailure] = []
    for number, line in _numbered_lines(data):
        try:
            record = _load_object(line)
            item = record_to_item(
                record,
                labels=labels,
                default_annotator=default_annotator,
                source_file=source_file,
                relations=relations,
            )
            items.append(dataclasses.replace(item, line=number))
        except ImportFailure as failure:
            failures.append(RecordFailure(number, str(failure)))
    return JsonlParse(items, failures)


def _numbered_lines(data: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            yield number, line


def load_json(text: str) -> Any:
    """JSON as the standard defines it: Python's NaN and Infinity extensions are refused (no JSON
    reader, and not SQLite, accepts them back), and so are nesting deeper than Python's JSON
    reader can follow and lone surrogates (`"\\ud800"`: no character, and no UTF-8 encoder, a
    later export's included, can write one). Raises ValueError, or JSONDecodeError with where."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if _SURROGATE_ESCAPE.search(text):  # only an escape in the JSON source can make one
        problem = lone_surrogate_at(value)
        if problem is not None:
            raise ValueError(problem)
    return value


# A \uD800-\uDFFF escape (a pair of them is one character, and fine; a lone one is not).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_at(value: Any) -> str | None:
    """Where a decoded JSON value holds a lone surrogate, as a one-line reason naming the field
    (a JSON Pointer, e.g. /spans/0/attrs/k), or None. Iterative: JSON nests up to the reader's
    limit, deeper than a recursive walk may go."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        current, path = stack.pop()
        if isinstance(current, str):
            if _SURROGATE.search(current):
                return f"a lone surrogate ({_escaped(current)}) in {path or 'the value'}"
        elif isinstance(current, dict):
            for key, item in current.items():
                if _SURROGATE.search(key):
                    return f"a lone surrogate ({_escaped(key)}) in a key of {path or '/'}"
                stack.append((item, f"{path}/{_pointer_part(key)}"))
        elif isinstance(current, list):
            stack.extend((item, f"{path}/{index}") for index, item in enumerate(current))
    return None


def _escaped(text: str) -> str:
    """The first surrogate of `text` as its JSON escape (it cannot be printed as it is)."""
    found = _SURROGATE.search(text)
    return f"\\u{ord(found.group()):04x}" if found else ""


def _pointer_part(key: str) -> str:
    part = key.replace("~", "~0").replace("/", "~1")
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", part)[:40]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _load_object(line: str) -> dict[str, Any]:
    try:
        record = load_json(line)
    except json.JSONDecodeError as error:
        raise ImportFailure(f"invalid JSON: {error.msg} (column {error.colno})") from None
    except ValueError as error:
        raise ImportFailure(f"invalid JSON: {error}") from None
    if not isinstance(record, dict):
        raise ImportFailure(f"expected a JSON object, found {type(record).__name__}")
    return record


def record_to_item(
    record: dict[str, Any],
    *,
    labels: Sequence[str],
    default_annotator: str,
    source_file: str | None = None,
    relations: Sequence[str] = RELATION_LABELS,
) -> ImportItem:
    """One native record as an ImportItem; raises ImportFailure naming the first problem.

    `labels` and `relations`: the span labels and relation types of the configuration in force.
    """
    raw_text = record.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise ImportFailure('"text" is missing or empty')
    raw_spans = _list_field(record, "spans")
    spans = [_span_draft(raw, index, labels) for index, raw in enumerate(raw_spans)]
    _check_spans_against(raw_text, spans, raw_spans)
    text, spans = _canonical_with_spans(raw_text, spans)
    drafts = _relation_drafts(_list_field(record, "relations"), spans, relations)
    article = _article(text, record, source_file)
    annotator = _annotator(record, default_annotator)
    has_layer = "spans" in record
    layers = (LayerDraft(annotator, tuple(spans), tuple(drafts)),) if has_layer else ()
    return ImportItem(article=article, layers=layers, source_file=source_file)


def _list_field(record: dict[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFailure(f'"{key}" must be a list')
    return value


def _span_draft(raw: Any, index: int, labels: Sequence[str]) -> SpanDraft:
    where = f"span {index + 1}"
    if not isinstance(raw, dict):
        raise ImportFailure(f"{where}: expected an object")
    start, end = raw.get("start"), raw.get("end")
    if not _is_int(start) or not _is_int(end):
        raise ImportFailure(f"{where}: start and end must be integers")
    if end <= start:
        raise ImportFailure(f"{where}: end {end} is not after start {start}")
    label = raw.get("label")
    if not isinstance(label, str) or label not in labels:
        raise ImportFailure(f"{where}: unknown label {label!r} (labels: {', '.join(labels)})")
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        raise ImportFailure(f"{where}: note must be a string or null")
    attrs = raw.get("attrs") or {}
    if not isinstance(attrs, dict):
        raise ImportFailure(f"{where}: attrs must be an object")
    attrs = _canonical_meta(attrs, f"{where}: attrs")  # exports print them, as they do meta
    if label == ACTOR_LABEL and "entity" in attrs:
        try:
            attrs = {**attrs, "entity": parse_entity_ref(attrs["entity"])}
        except ValueError as error:
            raise ImportFailure(f"{where}: {error}") from None
    check = None
    if label == CLAIM_LABEL and ("check" in attrs or "verdict" in attrs):
        attrs, check = _span_check(attrs, where)
    origin = raw.get("origin") or "imported"
    if not is_span_origin(origin):
        raise ImportFailure(f"{where}: unknown origin {origin!r}")
    local_id = raw.get("id")
    local_id = str(local_id) if local_id is not None else f"#{index}"
    return SpanDraft(start, end, label, note, attrs, origin, local_id, check)


def _span_check(attrs: dict[str, Any], where: str) -> tuple[dict[str, Any], CheckRecord | None]:
    """A claim span's check (`attrs.check`, else an old-style `attrs.verdict`), taken out of its
    attrs: the store keeps it as a check, not as an attribute of the span."""
    rest = {key: value for key, value in attrs.items() if key not in ("check", "verdict")}
    try:
        if attrs.get("check") is not None:
            return rest, parse_check(attrs["check"])
        if attrs.get("verdict") is not None:
            return rest, check_from_verdict(attrs["verdict"])
    except ValueError as error:
        raise ImportFailure(f"{where}: {error}") from None
    return rest, None


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_spans_against(text: str, spans: list[SpanDraft], raw_spans: list[Any]) -> None:
    for index, (span, raw) in enumerate(zip(spans, raw_spans, strict=True)):
        where = f"span {index + 1}"
        if span.start < 0 or span.end > len(text):
            raise ImportFailure(
                f"{where}: offsets {span.start}-{span.end} outside the text (length {len(text)})"
            )
        claimed = raw.get("text")
        if claimed is not None and claimed != text[span.start : span.end]:
            raise ImportFailure(
                f"{where}: text {_short(claimed)} does not match the text at "
                f"{span.start}-{span.end}, {_short(text[span.start : span.end])}"
            )


def _short(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _canonical_with_spans(text: str, spans: list[SpanDraft]) -> tuple[str, list[SpanDraft]]:
    """Canonicalise the text, carrying span offsets along; fail if they cannot follow."""
    canonical = canonical_text(text)
    if canonical == text:
        return text, spans
    mapping = remap_offsets(text, sorted({o for s in spans for o in (s.start, s.end)}))
    if mapping is None:
        raise ImportFailure("text is not in canonical form and its span offsets cannot be mapped")
    moved = [_moved(span, mapping) for span in spans]
    for index, span in enumerate(moved):
        if span.end <= span.start:
            raise ImportFailure(f"span {index + 1}: covers only characters the cleaning removes")
    return canonical, moved


def _moved(span: SpanDraft, mapping: dict[int, int]) -> SpanDraft:
    return dataclasses.replace(span, start=mapping[span.start], end=mapping[span.end])


def _relation_drafts(
    raw_relations: list[Any], spans: list[SpanDraft], relation_labels: Sequence[str]
) -> list[RelationDraft]:
    known = {span.local_id for span in spans}
    drafts = []
    for index, raw in enumerate(raw_relations):
        where = f"relation {index + 1}"
        if not isinstance(raw, dict):
            raise ImportFailure(f"{where}: expected an object")
        head, child, label = str(raw.get("head")), str(raw.get("child")), raw.get("label")
        if head not in known or child not in known:
            raise ImportFailure(f"{where}: head and child must be ids of spans in the same record")
        if not isinstance(label, str) or label not in relation_labels:
            names = ", ".join(relation_labels) or "none configured"
            raise ImportFailure(f"{where}: unknown relation label {label!r} (relations: {names})")
        drafts.append(RelationDraft(head, child, label))
    return drafts


def _article(text: str, record: dict[str, Any], source_file: str | None) -> Article:
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise ImportFailure('"meta" must be an object')
    known = {key: _optional_str(meta, key) for key in _META_FIELDS}
    extra = {k: v for k, v in meta.items() if k not in _META_FIELDS and k not in _DERIVED_META}
    extra.pop("source_file", None)
    extra.update({k: v for k, v in record.items() if k not in _RECORD_KEYS})
    return Article(
        text=text,
        extractor="jsonl",
        extractor_version=JSONL_EXTRACTOR_VERSION,
        meta=_canonical_meta(extra, "meta"),
        **known,
    )


def _optional_str(meta: dict[str, Any], key: str) -> str | None:
    """A title-like field, stored as titles are: one line, no control or bidi characters."""
    value = meta.get(key)
    if value is None or isinstance(value, str):
        return (canonical_line(value) or None) if value else None
    raise ImportFailure(f'meta "{key}" must be a string')


def _canonical_meta(value: Any, where: str, depth: int = 0) -> Any:
    """The record's other metadata (or a span's attrs) with every string, keys too, canonical
    like a title's text: NFC, no control or bidi-override characters, which `list --json` and
    exports would print."""
    if depth > MAX_META_DEPTH:
        raise ImportFailure(f"{where} is nested more than {MAX_META_DEPTH} levels deep")
    if isinstance(value, str):
        return canonical_string(value)
    if isinstance(value, list):
        return [_canonical_meta(item, where, depth + 1) for item in value]
    if isinstance(value, dict):
        return {
            canonical_string(key): _canonical_meta(item, where, depth + 1)
            for key, item in value.items()
        }
    return value


def _annotator(record: dict[str, Any], default: str) -> str:
    name = record.get("_annotator_id")
    if name is None:
        return default
    if not isinstance(name, str) or not name.strip():
        raise ImportFailure('"_annotator_id" must be a non-empty string')
    return GOLD_LAYER if name == GOLD_LAYER else name.strip()
