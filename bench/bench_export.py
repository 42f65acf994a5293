"""Time `factmark export --format jsonl` against `sqlite3 -json` dumping the same rows (target 3x).

    .venv/bin/python -m bench.bench_export [--documents N] [--spans-per-document K]
                                           [--characters C] [--repeats R] [--rebuild]

The database: N documents (default 100,000) of about C code points (default 1,000), K gold spans
each (default 10: 1,000,000 spans), built once and cached in the temp directory under a name that
holds its size. Building 100,000 documents through Store.import_items alone takes minutes (the
ORM inserts about 4,000 spans a second here), so a block of up to 10,000 documents goes through
Store.import_items in batches of 2,000, and the rest are copies of that block made with
INSERT … SELECT (each copy's text gets a suffix after the spans, its sha256 recomputed), so the
whole database holds distinct documents with valid spans. Not timed.

Timed, each three times interleaved (the table shows medians), writing to a file in the temp
directory:
- `factmark export --format jsonl --source gold -o FILE` (a child process, as a user runs it),
  with its default worker processes and with one (FACTMARK_EXPORT_PROCESSES=1);
- the same rows — every document's fields and every gold span's, spans in the export's order —
  dumped as JSON by the sqlite3 command-line shell (`sqlite3 -json`), or, where it is not
  installed, by Python's sqlite3 module with json.dumps per row (the table says which).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from store import Store
from store.json_export import EXPORT_PROCESSES
from vocabulary.names import GOLD_LAYER
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft
from vocabulary.text import text_sha256

TARGET_RATIO = 3.0
BLOCK_DOCUMENTS = 10_000
BATCH_ITEMS = 2_000
TEXT_LENGTH = 1_000
LABELS = ("actor", "claim", "figure", "outcome")
# Where progress lines go (print, or a Rich console's print).
Say = Callable[[str], object]
WORDS = (
    "the minister said", "on Tuesday", "that", "unemployment fell", "to 4.2%", "in March",
    "according to", "officials", "Zürich", "São Paulo", "€1.5 billion", "“we will”", "claimed",
    "reporters", "the opposition", "denied", "figures", "released", "Ελλάδα", "🙂", "قال",
)  # fmt: skip
DOCUMENT_COLUMNS = "id, text, text_sha256, title, byline, outlet, url, published, source_file, meta"
SPAN_COLUMNS = 'id, document_id, start, "end", label, note, attrs, origin'
BASELINE_SQL = (
    f"SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY id;"
    f" SELECT {SPAN_COLUMNS} FROM spans WHERE annotator_id IS NULL"
    ' ORDER BY document_id, start, "end", label, id;'
    " SELECT id, document_id, head_id, child_id, label FROM relations"
    " WHERE annotator_id IS NULL ORDER BY id;"
)


def synthetic_text(rng: random.Random, number: int, length: int = TEXT_LENGTH) -> str:
    parts, size = [f"Report {number}."], 0
    while size < length:
        word = rng.choice(WORDS)
        separator = "\n\n" if rng.random() < 0.03 else " "
        parts.append(separator + word)
        size += len(word) + len(separator)
    return "".join(parts)


def synthetic_item(
    rng: random.Random, number: int, spans: int, length: int = TEXT_LENGTH
) -> ImportItem:
    text = synthetic_text(rng, number, length)
    drafts: dict[tuple[int, int, str], SpanDraft] = {}
    while len(drafts) < spans:
        start = rng.randrange(0, len(text) - 60)
        key = (start, start + rng.randint(3, 60), rng.choice(LABELS))
        drafts[key] = SpanDraft(*key, origin="manual")
    article = Article(text=text, title=f"Report {number}", outlet="Bench Wire")
    return ImportItem(article, (LayerDraft(GOLD_LAYER, tuple(drafts.values())),))


def cached_database(
    documents: int, spans: int, rebuild: bool, say: Say, length: int = TEXT_LENGTH
) -> Path:
    """The benchmark database for this size, built (and cached) if needed."""
    cache = Path(tempfile.gettempdir()) / "factmark-bench"
    cache.mkdir(exist_ok=True)
    shape = f"{documents}x{spans}" + ("" if length == TEXT_LENGTH else f"x{length}")
    path = cache / f"export-{shape}-v1.db"
    if path.exists() and not rebuild:
        return path
    building = path.with_suffix(".building")
    for stale in cache.glob(f"{building.name}*"):
        stale.unlink()
    started = time.perf_counter()
    block = min(documents, BLOCK_DOCUMENTS)
    with Store.open(building) as store:
        rng = random.Random(5)
        for first in range(0, block, BATCH_ITEMS):
            numbers = range(first, min(block, first + BATCH_ITEMS))
            store.import_items([synthetic_item(rng, n, spans, length) for n in numbers])
            say(f"  built {numbers[-1] + 1:,} of {documents:,} documents through the store")
    _copy_block(building, block, documents, say)
    os.replace(building, path)
    say(f"  database ready in {time.perf_counter() - started:.0f} s: {path}")
    return path


def _copy_block(path: Path, block: int, documents: int, say: Say) -> None:
    """Fill the database up to `documents` with copies of the first `block` documents."""
    with sqlite3.connect(path) as connection:
        connection.create_function("sha256_hex", 1, text_sha256, deterministic=True)
        document_columns = _columns(connection, "documents", {"id", "text", "text_sha256"})
        span_columns = _columns(connection, "spans", {"id", "document_id"})
        for copy in range(1, -(-documents // block)):
            count = min(block, documents - copy * block)
            shift, suffix = copy * block, f"\n\n(copy {copy})"
            connection.execute(
                f"INSERT INTO documents (id, text, text_sha256, {document_columns})"
                f" SELECT id + {shift}, text || ?, sha256_hex(text || ?), {document_columns}"
                " FROM documents WHERE id <= ?",
                (suffix, suffix, count),
            )
            connection.execute(
                f"INSERT INTO spans (document_id, {span_columns})"
                f" SELECT document_id + {shift}, {span_columns} FROM spans"
                " WHERE document_id <= ? ORDER BY id",
                (count,),
            )
            say(f"  copied up to {shift + count:,} documents")


def _columns(connection: sqlite3.Connection, table: str, leave_out: set[str]) -> str:
    names = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    return ", ".join(f'"{name}"' for name in names if name not in leave_out)


def time_factmark(database: Path, output: Path, processes: int) -> float:
    command = [sys.executable, "-m", "cli", "--db", str(database), "export", "--format", "jsonl"]
    command += ["--source", "gold", "-o", str(output)]
    environment = {**os.environ, "FACTMARK_EXPORT_PROCESSES": str(processes)}
    started = time.perf_counter()
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL, env=environment)
    return time.perf_counter() - started


def time_baseline(database: Path, output: Path) -> tuple[float, str]:
    """Seconds for the same rows dumped as JSON, and what dumped them."""
    shell = shutil.which("sqlite3")
    started = time.perf_counter()
    if shell:
        with output.open("wb") as out:
            subprocess.run([shell, "-json", str(database), BASELINE_SQL], stdout=out, check=True)
        return time.perf_counter() - started, f"sqlite3 -json ({shell})"
    _python_dump(database, output)
    return time.perf_counter() - started, "Python sqlite3 + json.dumps (no sqlite3 shell)"


def _python_dump(database: Path, output: Path) -> None:
    with sqlite3.connect(database) as connection, output.open("w", encoding="utf-8") as out:
        for statement in BASELINE_SQL.split(";"):
            if not statement.strip():
                continue
            cursor = connection.execute(statement)
            names = [column[0] for column in cursor.description]
            out.write("[")
            for number, row in enumerate(cursor):
                out.write(",\n" if number else "")
                out.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False))
            out.write("]\n")


def run(
    documents: int = 100_000,
    spans: int = 10,
    rebuild: bool = False,
    repeats: int = 3,
    say: Say = print,
    length: int = TEXT_LENGTH,
) -> list[dict[str, Any]]:
    """One row per timed export (the median of `repeats` interleaved runs), each with its
    output size and ratio to the baseline."""
    database = cached_database(documents, spans, rebuild, say, length)
    runs: dict[str, list[float]] = {"baseline": [], "default": [], "one": []}
    with tempfile.TemporaryDirectory(prefix="factmark-bench-export-") as scratch:
        baseline_out, factmark_out = Path(scratch) / "baseline.json", Path(scratch) / "out.jsonl"
        single_out = Path(scratch) / "single.jsonl"
        for _ in range(repeats):
            seconds, baseline_tool = time_baseline(database, baseline_out)
            runs["baseline"].append(seconds)
            runs["default"].append(time_factmark(database, factmark_out, EXPORT_PROCESSES))
            runs["one"].append(time_factmark(database, single_out, 1))
        sizes = baseline_out.stat().st_size, factmark_out.stat().st_size
        if factmark_out.read_bytes() != single_out.read_bytes():
            raise SystemExit("the exports with one process and with several differ")
        with factmark_out.open(encoding="utf-8") as written:
            records = sum(1 for _ in written)
    baseline, default, one = (statistics.median(runs[k]) for k in ("baseline", "default", "one"))
    size = f"{documents:,} documents of ~{length:,} characters, {documents * spans:,} spans"
    step = f"factmark export --format jsonl ({records:,} records)"
    return [
        {"step": f"{baseline_tool}, {size}", "seconds": baseline, "bytes": sizes[0],
         "ratio": 1.0, "target": None},
        {"step": f"{step}, {EXPORT_PROCESSES} worker processes (the default)",
         "seconds": default, "bytes": sizes[1], "ratio": default / baseline,
         "target": TARGET_RATIO},
        {"step": f"{step}, one process (FACTMARK_EXPORT_PROCESSES=1)",
         "seconds": one, "bytes": sizes[1], "ratio": one / baseline, "target": TARGET_RATIO},
    ]  # fmt: skip


def render(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="factmark export: JSONL against sqlite3 dumping the same rows")
    for column in ("step", "seconds", "MB written", "ratio", "target", "verdict"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for row in rows:
        target = row["target"]
        verdict = "" if target is None else ("meets" if row["ratio"] <= target else "MISSES")
        table.add_row(
            row["step"],
            f"{row['seconds']:.2f}",
            f"{row['bytes'] / 1e6:.0f}",
            f"{row['ratio']:.1f}x",
            f"<= {target:.0f}x" if target else "",
            verdict,
        )
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--spans-per-document", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (median shown)")
    parser.add_argument(
        "--characters", type=int, default=TEXT_LENGTH, help="length of each document's text"
    )
    args = parser.parse_args(argv)
    console = Console()
    rows = run(
        args.documents,
        args.spans_per_document,
        args.rebuild,
        args.repeats,
        say=console.print,
        length=args.characters,
    )
    console.print(render(rows))


if __name__ == "__main__":
    main()
