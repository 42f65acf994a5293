"""`factmark export`: datasets written record by record, to a file or standard output."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from exporters.jsonl import write_jsonl
from importers.records import GOLD_LAYER
from tui.commands.common import CliError, Context, open_store, progress_bar

EXPORT_FORMATS = ("jsonl",)


def run_export(args: argparse.Namespace, context: Context) -> int:
    with open_store(context) as store:
        _check_source(store, args.source)
        total = store.document_count()
        with _output(args.output) as out, progress_bar("exporting", total) as advance:
            records = store.iter_export(args.source)
            write_jsonl(records, out, on_record=advance)
    return 0


def _check_source(store, source: str) -> None:
    if source in {GOLD_LAYER, "all"}:
        return
    if source not in {a.name for a in store.annotators()}:
        raise CliError(
            f"--source {source}: no annotator of that name (try gold, all, or a name "
            "from `factmark list`)"
        )


@contextmanager
def _output(target: str):
    """Standard output, or a file that appears only once it is complete."""
    if target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(target)
    if not path.parent.exists():
        raise CliError(f"-o {target}: directory {path.parent} does not exist")
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yield out
        os.replace(temp_name, path)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
