"""`factmark extract`: cleaning only, no database."""

from __future__ import annotations

import argparse
import sys

from cli.common import Context, json_line, report_failure, safe
from importers.dispatch import clean_article
from importers.formats import ImportFailure
from importers.inputs import MAX_INPUT_BYTES, Source, count_sources, iter_sources
from vocabulary.records import Article


def run_extract(args: argparse.Namespace, context: Context) -> int:
    failed = 0
    several = count_sources(args.paths) > 1
    for index, source in enumerate(iter_sources(args.paths, sys.stdin.buffer)):
        try:
            article = clean_article(_page(source), args.format, encoding=args.encoding)
        except ImportFailure as failure:
            failed += 1
            _print_failure(args, source.name, str(failure))
            continue
        except Exception as error:  # noqa: BLE001 - one odd page must not stop the others
            failed += 1
            _print_failure(
                args, source.name, f"could not be read ({type(error).__name__}: {error})"
            )
            continue
        _print_article(args, source.name, article, header=several, first=index == 0)
    return 1 if failed else 0


def _page(source: Source) -> bytes:
    """The bytes of one input page; a page too large to read whole is refused."""
    if source.error:
        raise ImportFailure(source.error)
    if source.data is None:
        raise ImportFailure(f"over {MAX_INPUT_BYTES // 2**20} MB: too large to clean as one page")
    return source.data


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
