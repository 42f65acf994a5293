"""From one input's bytes to ImportItems, whatever its format."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from importers.claimreview_ld import claimreviews_in_html, claimreviews_in_json, holds_claimreviews
from importers.doccano import parse_doccano
from importers.formats import EXTERNAL_FORMATS, RECORD_FORMATS, ImportFailure
from importers.html import extract_html
from importers.html_decode import decompress_if_gzip
from importers.inputs import (
    check_not_empty_or_binary,
    decode_text,
    detect_format,
    without_gzip_suffix,
)
from importers.jsonl import JsonlParse, parse_jsonl
from importers.labelstudio import parse_labelstudio
from importers.prodigy import parse_prodigy
from importers.text import extract_text
from vocabulary.external_checks import ExternalCheck
from vocabulary.labels import DEFAULT_LABELS, RELATION_LABELS
from vocabulary.records import Article, ImportItem

_PARSERS: dict[str, Callable[..., JsonlParse]] = {
    "jsonl": parse_jsonl,
    "prodigy": parse_prodigy,
    "doccano": parse_doccano,
    "labelstudio": parse_labelstudio,
}
Outcome = TypeVar("Outcome")
# Keys only a Prodigy task has, for telling it apart from other JSONL under "auto".
_PRODIGY_KEYS = {"_input_hash", "_task_hash", "tokens", "_session_id", "_view_id"}


@dataclass(frozen=True)
class ImportOptions:
    labels: Sequence[str] = DEFAULT_LABELS
    default_annotator: str = "anonymous"
    outlet: str | None = None  # overrides what the page says
    url: str | None = None
    encoding: str | None = None  # for text and JSONL files that are not UTF-8
    relations: Sequence[str] = RELATION_LABELS  # the configured relation types


@dataclass(frozen=True)
class ParsedInput:
    items: list[ImportItem]
    failures: list[str]  # one-line reasons; JSONL ones start with "line N: "
    # A ClaimReview file's reviews (a fact-check page's ride on its item instead).
    external: list[ExternalCheck] = field(default_factory=list)


def parse_input(
    name: str, data: bytes, fmt: str, options: ImportOptions, *, first_line: int = 1
) -> ParsedInput:
    """Everything one input holds. A whole-input failure raises ImportFailure.

    `first_line`: where `data` starts in its file, when it is a piece of a large JSON-lines
    file (failures name the file's line numbers).
    """
    data = decompress_if_gzip(data)  # a saved page.html.gz, as archives and crawlers keep them
    fmt = input_format(without_gzip_suffix(name), data, fmt, options)
    if fmt in RECORD_FORMATS:
        parsed = _PARSERS[fmt](
            decode_text(data, options.encoding),
            labels=options.labels,
            default_annotator=options.default_annotator,
            source_file=name,
            relations=options.relations,
        )
        failures = [_failure_line(fmt, f.line + first_line - 1, f.reason) for f in parsed.failures]
        items = [
            item
            if item.line is None
            else dataclasses.replace(item, line=item.line + first_line - 1)
            for item in parsed.items
        ]
        return ParsedInput(items, failures)
    if fmt in EXTERNAL_FORMATS:
        reviews = claimreviews_in_json(decode_text(data, options.encoding))
        lines = [f"line {f.line + first_line - 1}: {f.reason}" for f in reviews.failures]
        return ParsedInput([], lines, reviews.checks)
    article = clean_article(data, fmt, encoding=options.encoding, url=options.url)
    external: tuple[ExternalCheck, ...] = ()
    if fmt == "html":
        # The page's own ClaimReviews: kept with the article, in its transaction.
        external = tuple(claimreviews_in_html(data, article.url))
    item = ImportItem(article=article, raw=data, source_file=name, external_checks=external)
    return ParsedInput([item], [])


def parse_outcome(
    name: str, data: bytes, fmt: str, options: ImportOptions, *, first_line: int = 1
) -> ParsedInput | str:
    """What an input holds, or why it cannot be read, in one line: what a worker process hands
    back (importers.workers), where not every exception would survive the trip."""
    return outcome_of(partial(parse_input, first_line=first_line), name, data, fmt, options)


def clean_outcome(data: bytes, fmt: str, encoding: str | None) -> Article | str:
    """The cleaned article of a page, or why it cannot be cleaned, in one line."""
    return outcome_of(partial(clean_article, encoding=encoding), data, fmt)


def outcome_of(function: Callable[..., Outcome], *arguments: Any) -> Outcome | str:
    try:
        return function(*arguments)
    except ImportFailure as failure:
        return str(failure)
    except Exception as error:  # noqa: BLE001 - one odd page must not stop a 1,000-page import
        return f"could not be read ({type(error).__name__}: {error})"


def input_format(name: str, data: bytes, fmt: str, options: ImportOptions) -> str:
    """The format `fmt` names, or for "auto" the one `data` (an input, or its first piece) is in."""
    if fmt != "auto":
        return fmt
    detected = detect_format(name, data)
    if detected == "jsonl" or (detected == "text" and _is_json_array(data)):
        text = decode_text(data, options.encoding)
        return "claimreview" if holds_claimreviews(text) else record_format(text)
    return detected


def _is_json_array(data: bytes) -> bool:
    """A JSON array (a Label Studio export) whatever the file is called."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        return False
    try:
        return isinstance(json.loads(data), list)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False


def record_format(text: str) -> str:
    """Which record format a JSON or JSONL file is in, from its first record.

    A JSON array, or a file of one JSON object with `data`, is Label Studio;
    a line with Prodigy's hashes or tokens is Prodigy;
    a line whose `label` is a list of [start, end, label] or that has doccano's `entities`
    is doccano; anything else is native JSONL (which reports what is wrong with it).
    """
    if text.lstrip("\ufeff \t\r\n").startswith("["):
        return "labelstudio"
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):  # the native importer says what is wrong with it
        return "labelstudio" if _is_one_task(text) else "jsonl"
    if not isinstance(record, dict):
        return "jsonl"
    if _PRODIGY_KEYS & record.keys():
        return "prodigy"
    if _looks_doccano(record):
        return "doccano"
    if "text" not in record and _is_one_task(text):
        return "labelstudio"
    return "jsonl"


def _is_one_task(text: str) -> bool:
    try:
        loaded = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(loaded, dict) and isinstance(loaded.get("data"), dict)


def _looks_doccano(record: dict) -> bool:
    """doccano's span lists, and not native `spans`."""
    if "spans" in record:
        return False
    entities = record.get("entities")
    if isinstance(entities, list):
        return not entities or (isinstance(entities[0], dict) and "start_offset" in entities[0])
    labels = record.get("label")
    return isinstance(labels, list) and (not labels or isinstance(labels[0], list))


def _failure_line(fmt: str, number: int, reason: str) -> str:
    # A Label Studio file is one JSON array: its failures already name the task.
    return reason if fmt == "labelstudio" else f"line {number}: {reason}"


def clean_article(
    data: bytes, fmt: str, *, encoding: str | None = None, url: str | None = None
) -> Article:
    """The cleaned article of an HTML page or a plain-text scrape ('auto' decides which)."""
    data = decompress_if_gzip(data)  # `factmark extract page.html.gz` as `import` takes it
    if fmt == "auto":
        fmt = detect_format("", data)
    if fmt == "html":
        check_not_empty_or_binary(data)
        return extract_html(data, url=url)
    if fmt == "text":
        return extract_text(decode_text(data, encoding))
    raise ImportFailure(f"format {fmt!r} cannot be cleaned (use html or text)")
