"""`factmark export`: datasets written record by record, to a file, directory or stdout.

The format's entry in `exporters.formats.EXPORT_FORMATS` says what to open (`cli.output`), which
records to read and whether the configuration is needed; nothing here names a format.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar, cast

from cli.commands.card import ExportCard, refuse_card_options
from cli.common import CliError, Context, direct_read, load_settings, open_store, progress_bar
from cli.output import STDOUT, export_output
from exporters.formats import (
    ANY_STATUS,
    EXPORT_FORMATS,
    ExportFormat,
    ExportOptions,
    FormatUnavailable,
    Output,
    Reads,
)
from store.info import ExportLine, ExportRecord
from store.json_export import EXPORT_PROCESSES
from vocabulary.names import ALL_LAYERS, GOLD_LAYER

if TYPE_CHECKING:
    from exporters.common import ExportReport
    from store import Store

PROCESSES_ENV = "FACTMARK_EXPORT_PROCESSES"
T = TypeVar("T")


def run_export(args: argparse.Namespace, context: Context) -> int:
    fmt = EXPORT_FORMATS[args.format]
    _check_format_output(fmt, args.output)
    if fmt.reads is Reads.CHECKS:
        return _finish(_export_checks(fmt, args, context))
    if getattr(args, "status", None) is not None:
        raise CliError("--status applies to --format claimreview and checks (fact-checks)")
    options = _options(fmt, args.source, context)
    card = ExportCard.for_args(args, context)  # --card: a data card beside the export
    pseudonymise = bool(getattr(args, "pseudonymise", False))
    report = None
    if fmt.store_lines and card.path is None and not pseudonymise:
        report = _export_direct(fmt, args, options, context)
    if report is None:
        with open_store(context) as store:
            annotators = store.annotators()
            _check_source({a.name for a in annotators}, args.source)
            total = store.document_count()
            # Before the progress bar's thread: assembling lines may fork.
            source = _records(store, fmt, args.source, lines=not pseudonymise)
            if pseudonymise:
                from exporters.pseudonyms import Pseudonyms, pseudonymised_records

                # Numbered as the card numbers them: in the order of the store's annotators.
                names = Pseudonyms(a.name for a in annotators)
                source = pseudonymised_records(cast(Iterable[ExportRecord], source), names)
            report = _write(fmt, source, total, args.output, options)
            card.write(store)
    return _finish(report)


def _finish(report: ExportReport) -> int:
    """Say the export's remarks; exit code 1 when some records could not be written."""
    for remark in report.remarks:
        print(f"factmark: {remark}", file=sys.stderr)
    return 1 if report.failed else 0


def _export_checks(fmt: ExportFormat, args: argparse.Namespace, context: Context) -> ExportReport:
    """A format of checks: every check of the status asked for (`--status`, else the
    format's default; "any" for all), read with everything in a handful of queries."""
    if getattr(args, "card", None) is not None:
        raise CliError(f"--card goes with document formats, not --format {fmt.name}")
    if getattr(args, "pseudonymise", False):
        raise CliError(f"--pseudonymise goes with document formats, not --format {fmt.name}")
    refuse_card_options(args)
    settings = load_settings(context)
    status = args.status or fmt.default_status
    statuses = settings.checks.statuses
    if status != ANY_STATUS and status not in statuses:
        raise CliError(f"--status {status}: not a configured status (any, {', '.join(statuses)})")
    options = ExportOptions(
        organisation=settings.organisation,
        review_url=settings.review_url,
        ratings=settings.checks.ratings,
    )
    with open_store(context) as store:
        checks = store.export_checks(None if status == ANY_STATUS else status, history=fmt.history)
    with (
        progress_bar("exporting", len(checks)) as advance,
        export_output(fmt.output, args.output) as out,
    ):
        return fmt.load_writer()(_each_advancing(checks, advance), out, options)


def _each_advancing(items: Iterable[T], advance: Callable[[], None]) -> Iterator[T]:
    for item in items:
        yield item
        advance()


def _export_direct(
    fmt: ExportFormat, args: argparse.Namespace, options: ExportOptions, context: Context
) -> ExportReport | None:
    """The lines SQLite assembles, read straight from a current SQLite file without loading
    SQLAlchemy (`store.direct`), as `Store.iter_export_lines` reads them; None where the full
    store must export (another database, an older file, a SQLite without JSON functions)."""
    from store.direct import direct_rows
    from store.json_export import assembled_lines
    from store.listing import annotator_names, document_count

    with direct_read(context) as direct:
        if direct is None:
            return None
        rows = direct_rows(direct.connection, direct.name)
        _check_source(annotator_names(rows), args.source)
        total = document_count(rows)
        processes = _export_processes()
        lines = assembled_lines(rows, direct.name, direct.path, args.source, processes)
        if lines is None:
            return None
        return _write(fmt, lines, total, args.output, options)


def _write(
    fmt: ExportFormat,
    source: Iterable[ExportRecord | ExportLine],
    total: int,
    output: str,
    options: ExportOptions,
) -> ExportReport:
    """The records written in the format, with a progress bar of `total` documents."""
    with progress_bar("exporting", total) as advance:
        records = _advancing(source, advance)
        with export_output(fmt.output, output) as out:
            return fmt.load_writer()(records, out, options)


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
    return ExportOptions(
        settings.label_names, settings.organisation, by_layer, settings.relation_names
    )


def _records(
    store: Store, fmt: ExportFormat, source: str, *, lines: bool = True
) -> Iterable[ExportRecord | ExportLine]:
    """What the writer reads. A format that takes them gets the JSON lines SQLite writes itself
    (the same lines, several times faster) where the database can (not PostgreSQL), unless
    `lines` is False (records are to be changed on their way)."""
    if fmt.store_lines and lines:
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


def _check_source(annotators: set[str], source: str) -> None:
    if source in {GOLD_LAYER, ALL_LAYERS}:
        return
    if source not in annotators:
        raise CliError(
            f"--source {source}: no annotator of that name (try gold, all, or a name "
            "from `factmark list`)"
        )
