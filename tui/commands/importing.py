"""`factmark import`: files in, documents (and their annotations) committed in batches."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

from importers.dispatch import ImportOptions, parse_input
from importers.inputs import count_sources, iter_sources
from importers.records import ImportFailure, ImportItem
from tui.commands.common import (
    CliError,
    Context,
    checked_annotator,
    label_names,
    open_store,
    progress_bar,
    report_failure,
)

BATCH_ITEMS = 100
BATCH_BYTES = 32 * 1024 * 1024


@dataclass
class Tally:
    imported: int = 0
    duplicates: int = 0
    failed: int = 0

    def line(self) -> str:
        return f"imported {self.imported}, duplicates {self.duplicates}, failed {self.failed}"


@dataclass
class Batch:
    """Parsed items waiting for one transaction, with the input each came from."""

    items: list[ImportItem] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    size: int = 0

    def add(self, item: ImportItem, name: str) -> None:
        self.items.append(item)
        self.names.append(name)
        self.size += len(item.article.text) + len(item.raw or b"")

    def full(self) -> bool:
        return len(self.items) >= BATCH_ITEMS or self.size >= BATCH_BYTES


def run_import(args: argparse.Namespace, context: Context) -> int:
    annotator = checked_annotator(context.annotator)
    options = ImportOptions(
        labels=label_names(context),
        default_annotator=annotator,
        outlet=args.outlet,
        url=args.url,
        encoding=args.encoding,
    )
    if "-" in args.paths and args.url is None and sys.stdin.isatty():
        raise CliError("import -: standard input is a terminal; pipe a file into it")
    with open_store(context) as store:
        store.ensure_annotator(annotator)
        tally = _import_all(store, args, options)
    print(tally.line())
    return 1 if tally.failed else 0


def _import_all(store, args: argparse.Namespace, options: ImportOptions) -> Tally:
    tally, batch = Tally(), Batch()
    total = count_sources(args.paths)
    with progress_bar("importing", total) as advance:
        for source in iter_sources(args.paths, sys.stdin.buffer):
            _parse_into(batch, tally, source, args.format, options)
            advance()
            if batch.full():
                _commit(store, batch, tally)
                batch = Batch()
        _commit(store, batch, tally)
    return tally


def _parse_into(batch: Batch, tally: Tally, source, fmt: str, options: ImportOptions) -> None:
    if source.error:
        report_failure(source.name, source.error)
        tally.failed += 1
        return
    try:
        parsed = parse_input(source.name, source.data, fmt, options)
    except ImportFailure as failure:
        report_failure(source.name, str(failure))
        tally.failed += 1
        return
    except Exception as error:  # noqa: BLE001 - one odd page must not stop a 1,000-page import
        report_failure(source.name, f"could not be read ({type(error).__name__}: {error})")
        tally.failed += 1
        return
    for reason in parsed.failures:
        report_failure(source.name, reason)
    tally.failed += len(parsed.failures)
    for item in parsed.items:
        batch.add(item, source.name)


def _commit(store, batch: Batch, tally: Tally) -> None:
    """One transaction per batch; if it fails, retry item by item so one bad input fails alone."""
    if not batch.items:
        return
    try:
        outcomes = store.import_items(batch.items)
    except (ValueError, ImportFailure):
        for item, name in zip(batch.items, batch.names, strict=True):
            _commit_one(store, item, name, tally)
        return
    for outcome in outcomes:
        _count(outcome, tally)


def _commit_one(store, item: ImportItem, name: str, tally: Tally) -> None:
    try:
        (outcome,) = store.import_items([item])
    except (ValueError, ImportFailure) as error:
        # The store names the item by its file too: say the path once.
        report_failure(name, str(error).removeprefix(f"{item.source_file}: "))
        tally.failed += 1
        return
    _count(outcome, tally)


def _count(outcome, tally: Tally) -> None:
    if outcome.created:
        tally.imported += 1
    else:
        tally.duplicates += 1
