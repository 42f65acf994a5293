"""From one input's bytes to ImportItems, whatever its format."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from importers.html import extract_html
from importers.inputs import check_not_empty_or_binary, decode_text, detect_format
from importers.jsonl import parse_jsonl
from importers.records import DEFAULT_LABELS, Article, ImportFailure, ImportItem
from importers.text import extract_text

CLEANED_FORMATS = ("html", "text")
IMPORT_FORMATS = ("auto", "html", "text", "jsonl")


@dataclass(frozen=True)
class ImportOptions:
    labels: Sequence[str] = DEFAULT_LABELS
    default_annotator: str = "anonymous"
    outlet: str | None = None  # overrides what the page says
    url: str | None = None
    encoding: str | None = None  # for text and JSONL files that are not UTF-8


@dataclass(frozen=True)
class ParsedInput:
    items: list[ImportItem]
    failures: list[str]  # one-line reasons; JSONL ones start with "line N: "


def parse_input(name: str, data: bytes, fmt: str, options: ImportOptions) -> ParsedInput:
    """Everything one input holds. A whole-input failure raises ImportFailure."""
    if fmt == "auto":
        fmt = detect_format(name, data)
    if fmt == "jsonl":
        parsed = parse_jsonl(
            decode_text(data, options.encoding),
            labels=options.labels,
            default_annotator=options.default_annotator,
            source_file=name,
        )
        failures = [f"line {f.line}: {f.reason}" for f in parsed.failures]
        return ParsedInput(parsed.items, failures)
    article = clean_article(data, fmt, encoding=options.encoding, url=options.url)
    article = _with_overrides(article, options)
    return ParsedInput([ImportItem(article=article, raw=data, source_file=name)], [])


def clean_article(
    data: bytes, fmt: str, *, encoding: str | None = None, url: str | None = None
) -> Article:
    """The cleaned article of an HTML page or a plain-text scrape ('auto' decides which)."""
    if fmt == "auto":
        fmt = detect_format("", data)
    if fmt == "html":
        check_not_empty_or_binary(data)
        return extract_html(data, url=url)
    if fmt == "text":
        return extract_text(decode_text(data, encoding))
    raise ImportFailure(f"format {fmt!r} cannot be cleaned (use html or text)")


def _with_overrides(article: Article, options: ImportOptions) -> Article:
    changes = {k: v for k, v in (("outlet", options.outlet), ("url", options.url)) if v}
    return dataclasses.replace(article, **changes) if changes else article
