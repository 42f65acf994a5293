"""`factmark export`: datasets written record by record, to a file, directory or stdout.

The format's entry in `exporters.formats.EXPORT_FORMATS` says what to open (`cli.output`), which
records to read and whether the configuration is needed; nothing here names a format.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Iterator

from cli.commands.card import ExportCard
from cli.common import CliError, Context, load_settings, open_store, progress_bar
from cli.output import STDOUT, export_output
from exporters.formats import (
    EXPORT_FORMATS,
    ExportFormat,
    ExportOptions,
    FormatUnavailable,
    Output,
)
from store import Store
from store.info import ExportLine, ExportRecord
from store.json_export import EXPORT_PROCESSES
from vocabulary.names import ALL_LAYERS, GOLD_LAYER

PROCESSES_ENV = "FACTMARK_EXPORT_PROCESSES"


def run_export(args: argparse.Namespace, context: Context) -> int:
    fmt = EXPORT_FORMATS[args.format]
    _check_format_output(fmt, args.output)
    options = _options(fmt, args.source, context)
    card = ExportCard.for_args(args, context)  # --card: a data card beside the export
    with open_store(context) as store:
        _check_source(store, args.source)
        total = store.document_count()
        source = _records(store, fmt, args.source)  # before the progress bar's thread: it may fork
        with progress_bar("exporting", total) as advance:
            records = _advancing(source, advance)
            with export_output(fmt.output, args.output) as out:
                report = fmt.load_writer()(records, out, options)
        card.write(store)
    for remark in report.remarks:
        print(f"factmark: {remark}", file=sys.stderr)
    return 0


def _check_format_output(fmt: ExportFormat, output: str) -> None:
    """Refuse, before any work, what cannot be done: a format whose package is missing, binary
    data to a terminal, a directory to standard output."""
    try:
        fmt.check_available()
    except FormatUnavailable as missing:
        raise CliError(str(missing)) from None
    if output == STDOUT and not fmt.terminal and sys.stdout.isatty():
        raise CliError(f"--format {fmt.name} is binary: give a file with -o PATH, or pipe it")
    if output == STDOUT and fmt.output is Output.DIRECTORY:
        raise CliError(f"--format {fmt.name} writes a directory: give it with -o DIR")


def _options(fmt: ExportFormat, source: str, context: Context) -> ExportOptions:
    """What the writer needs besides the records; the configuration only if it reads it."""
    by_layer = source == ALL_LAYERS
    if not fmt.configured:
        return ExportOptions(by_layer=by_layer)
    settings = load_settings(context)
    return ExportOptions(settings.label_names, settings.organisation, by_layer)


def _records(store: Store, fmt: ExportFormat, source: str) -> Iterable[ExportRecord | ExportLine]:
    """What the writer reads. A format that takes them gets the JSON lines SQLite writes itself
    (the same lines, several times faster) where the database can (not PostgreSQL)."""
    if fmt.store_lines:
        assembled = store.iter_export_lines(source, processes=_export_processes())
        if assembled is not None:
            return assembled
    return store.iter_export(source)


def _advancing(
    records: Iterable[ExportRecord | ExportLine], advance: Callable[[], None]
) -> Iterator[ExportRecord | ExportLine]:
    """The records, advancing the progress bar once per document (a document may have layers)."""
    last = None
    for record in records:
        if record.document_id != last:
            if last is not None:
                advance()
            last = record.document_id
        yield record
    if last is not None:
        advance()


def _export_processes() -> int:
    """How many processes may assemble a JSONL export: $FACTMARK_EXPORT_PROCESSES, else 2."""
    raw = os.environ.get(PROCESSES_ENV, "").strip()
    if not raw:
        return EXPORT_PROCESSES
    if not raw.isdigit() or int(raw) < 1:
        raise CliError(f"{PROCESSES_ENV}={raw!r}: must be a whole number of at least 1")
    return int(raw)


def _check_source(store: Store, source: str) -> None:
    if source in {GOLD_LAYER, ALL_LAYERS}:
        return
    if source not in {a.name for a in store.annotators()}:
        raise CliError(
            f"--source {source}: no annotator of that name (try gold, all, or a name "
            "from `factmark list`)"
        )
