"""`factmark export`: datasets written record by record, to a file, directory or stdout."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from cli.commands.card import ExportCard
from cli.common import CliError, Context, load_settings, open_store, progress_bar
from exporters.brat import write_brat
from exporters.claimreview import write_claimreview
from exporters.common import ExportReport
from exporters.conll import write_conll
from exporters.doccano import write_doccano
from exporters.formats import EXPORT_FORMATS
from exporters.jsonl import write_jsonl
from exporters.labelstudio import write_labelstudio
from exporters.prodigy import write_prodigy
from exporters.spacy_docbin import SpacyMissing, require_spacy, write_docbin
from store.info import ExportRecord
from store.store import EXPORT_PROCESSES
from vocabulary.names import GOLD_LAYER

PROCESSES_ENV = "FACTMARK_EXPORT_PROCESSES"
TEXT_WRITERS: dict[str, Callable[..., ExportReport]] = {
    "prodigy": write_prodigy,
    "doccano": write_doccano,
    "labelstudio": write_labelstudio,
    "conll": write_conll,
}
BINARY_WRITERS: dict[str, Callable[..., ExportReport]] = {
    "jsonl": lambda records, out: ExportReport(write_jsonl(records, out)),
    "spacy": write_docbin,
}
# Every format the command line offers has its writer (checked at import: a new name in
# exporters.formats without a writer fails every export test, not a user's export).
assert set(EXPORT_FORMATS) == {*TEXT_WRITERS, *BINARY_WRITERS, "brat", "claimreview"}


def run_export(args: argparse.Namespace, context: Context) -> int:
    _check_format_output(args.format, args.output)
    settings = load_settings(context) if args.format in {"brat", "claimreview"} else None
    card = ExportCard.for_args(args, context)  # --card: a data card beside the export
    with open_store(context) as store:
        _check_source(store, args.source)
        total = store.document_count()
        source = _records(store, args)  # before the progress bar's thread: it may fork
        with progress_bar("exporting", total) as advance:
            records = _advancing(source, advance)
            report = _write(args, records, settings)
        card.write(store)
    for remark in report.remarks:
        print(f"factmark: {remark}", file=sys.stderr)
    return 0


def _check_format_output(fmt: str, output: str) -> None:
    """Refuse, before any work, what cannot be done: no spaCy, a directory format to stdout."""
    if fmt == "spacy":
        try:
            require_spacy()
        except SpacyMissing as missing:
            raise CliError(str(missing)) from None
        if output == "-" and sys.stdout.isatty():
            raise CliError("--format spacy is binary: give a file with -o PATH, or pipe it")
    if fmt == "brat" and output == "-":
        raise CliError("--format brat writes a directory: give it with -o DIR")


def _records(store, args: argparse.Namespace) -> Iterable:
    """What the exporter reads. JSONL takes the lines SQLite writes itself (the same lines,
    several times faster) where the database can (not PostgreSQL)."""
    if args.format == "jsonl":
        assembled = store.iter_export_lines(args.source, processes=_export_processes())
        if assembled is not None:
            return assembled
    return store.iter_export(args.source)


def _write(args: argparse.Namespace, records: Iterable[ExportRecord], settings) -> ExportReport:
    fmt = args.format
    if fmt == "brat":
        with _directory_output(args.output) as directory:
            return write_brat(
                records, directory, labels=settings.label_names, by_layer=args.source == "all"
            )
    if fmt in BINARY_WRITERS:
        with _binary_output(args.output) as binary:
            return BINARY_WRITERS[fmt](records, binary)
    with _output(args.output) as out:
        if fmt == "claimreview":
            return write_claimreview(records, out, organisation=settings.organisation)
        return TEXT_WRITERS[fmt](records, out)


def _advancing(records: Iterable[ExportRecord], advance: Callable[[], None]) -> Iterator:
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


def _check_source(store, source: str) -> None:
    if source in {GOLD_LAYER, "all"}:
        return
    if source not in {a.name for a in store.annotators()}:
        raise CliError(
            f"--source {source}: no annotator of that name (try gold, all, or a name "
            "from `factmark list`)"
        )


def _writable_parent(target: str) -> Path:
    path = Path(target)
    if not path.parent.exists():
        raise CliError(f"-o {target}: directory {path.parent} does not exist")
    return path


def _publish(temp_name: str, path: Path, mode: int) -> None:
    """Move a finished temporary file or directory into place, with the usual permissions
    (temporary ones are private to the user)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temp_name, mode & ~mask)
    os.replace(temp_name, path)


@contextmanager
def _output(target: str) -> Iterator[TextIO]:
    """Standard output, or a file that appears only once it is complete."""
    if target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = _writable_parent(target)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            yield out
        _publish(temp_name, path, 0o666)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


@contextmanager
def _binary_output(target: str) -> Iterator[BinaryIO]:
    """Standard output's bytes, or a file that appears only once it is complete."""
    if target == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = _writable_parent(target)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        _publish(temp_name, path, 0o666)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


@contextmanager
def _directory_output(target: str) -> Iterator[Path]:
    """A new directory (or an empty one) that receives its files only once all are written."""
    path = _writable_parent(target)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise CliError(f"-o {target}: exists and is not an empty directory")
    temp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        yield temp
        if path.exists():
            path.rmdir()
        _publish(str(temp), path, 0o777)
    finally:
        if temp.exists():
            shutil.rmtree(temp)
