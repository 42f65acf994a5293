"""Time `factmark import` of a large JSONL dataset: the round trip of the export benchmark.

    .venv/bin/python -m bench.bench_import [--documents N] [--spans-per-document K]

The dataset is the export benchmark's database (built and cached by bench.bench_export)
exported once with `factmark export --format jsonl` (not timed). Timed, once: `factmark import`
of that file into a new SQLite file, as a child process, as a user runs it. The file is larger
than the whole-file input limit, so it streams a piece of lines at a time. Reported: seconds,
records and spans a second, the child's peak memory, and whether the database then exports the
same spans.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.bench_export import Say, cached_database


def _factmark(*args: str, stdout: Any = None) -> None:
    command = [sys.executable, "-m", "cli", *args]
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=stdout)


# Run a command as the only child of a fresh process, which reports that child's peak memory
# (this process's own RUSAGE_CHILDREN also counts the exports and benchmarks run before).
_PEAK_OF_CHILD = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _peak_mb_of(command: list[str]) -> float:
    """Run `command`; its peak resident memory in MB."""
    wrapper = [sys.executable, "-c", _PEAK_OF_CHILD, *command]
    result = subprocess.run(wrapper, check=True, capture_output=True, text=True)
    return int(result.stdout.split()[-1]) / 1024


def _span_keys(path: Path) -> list[tuple]:
    keys = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            spans = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
            keys.append((record["id"], spans))
    return keys


def run(documents: int = 100_000, spans: int = 10, say: Say = print) -> dict[str, Any]:
    database = cached_database(documents, spans, False, say)
    with tempfile.TemporaryDirectory(prefix="factmark-bench-import-") as scratch:
        dataset, target = Path(scratch) / "dataset.jsonl", Path(scratch) / "imported.db"
        _factmark("--db", str(database), "export", "--format", "jsonl", "-o", str(dataset))
        started = time.perf_counter()
        peak_mb = _peak_mb_of(
            [sys.executable, "-m", "cli", "--db", str(target), "import", str(dataset)]
        )
        seconds = time.perf_counter() - started
        again = Path(scratch) / "again.jsonl"
        _factmark("--db", str(target), "export", "--format", "jsonl", "-o", str(again))
        same = _span_keys(dataset) == _span_keys(again)
        size = dataset.stat().st_size
    return {
        "documents": documents,
        "spans": documents * spans,
        "megabytes": size / 1e6,
        "seconds": seconds,
        "peak_mb": peak_mb,
        "round_trip": same,
    }


def render(row: dict[str, Any]) -> Table:
    table = Table(title="factmark import of a JSONL dataset (streamed, committed in batches)")
    for column in ("dataset", "seconds", "records/s", "spans/s", "peak memory", "round trip"):
        table.add_column(column, justify="left" if column == "dataset" else "right")
    table.add_row(
        f"{row['documents']:,} records, {row['spans']:,} spans, {row['megabytes']:.0f} MB",
        f"{row['seconds']:.1f}",
        f"{row['documents'] / row['seconds']:,.0f}",
        f"{row['spans'] / row['seconds']:,.0f}",
        f"{row['peak_mb']:.0f} MB",
        "same spans" if row["round_trip"] else "DIFFERS",
    )
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--spans-per-document", type=int, default=10)
    args = parser.parse_args(argv)
    console = Console()
    console.print(render(run(args.documents, args.spans_per_document, say=console.print)))


if __name__ == "__main__":
    main()
