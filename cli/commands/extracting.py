"""`factmark extract`: cleaning only, no database."""

from __future__ import annotations

import argparse
import sys

from cli.common import Context, json_line, report_failure, safe
from importers.dispatch import clean_outcome
from importers.inputs import MAX_INPUT_BYTES, Source, count_sources, iter_sources
from importers.workers import cleaning_pool, default_jobs
from vocabulary.records import Article


def run_extract(args: argparse.Namespace, context: Context) -> int:
    failed = 0
    inputs = count_sources(args.paths)
    calls = (
        (source, (source.data, args.format, args.encoding) if source.data is not None else None)
        for source in iter_sources(args.paths, sys.stdin.buffer)
    )
    with cleaning_pool(args.jobs or default_jobs(inputs)) as pool:
        cleaned = pool.map_in_order(clean_outcome, calls)
        for index, (source, outcome) in enumerate(cleaned):
            article = _unread(source) if outcome is None else outcome
            if isinstance(article, str):
                failed += 1
                _print_failure(args, source.name, article)
                continue
            _print_article(args, source.name, article, header=inputs > 1, first=index == 0)
    return 1 if failed else 0


def _unread(source: Source) -> str:
    """Why an input was not read whole: it could not be read, or is too large for one page."""
    if source.error:
        return source.error
    return f"over {MAX_INPUT_BYTES // 2**20} MB: too large to clean as one page"


def _print_failure(args: argparse.Namespace, name: str, reason: str) -> None:
    if args.jsonl:
        print(json_line({"path": name, "error": reason}))
    report_failure(name, reason)


def _print_article(
    args: argparse.Namespace, name: str, article: Article, *, header: bool, first: bool
) -> None:
    if args.jsonl:
        record = {
            "path": name,
            "title": article.title,
            "byline": article.byline,
            "published": article.published,
            "outlet": article.outlet,
            "text": article.text,
        }
        print(json_line(record))
        return
    if header:
        # Like `head` with several files: a marker line before each text.
        print(("" if first else "\n") + f"==> {safe(name)} <==")
    print(article.text)
