"""Keeping the data: `factmark backup` of a 100,000-span file while another process writes spans,
and `factmark db check` on the same file.

The file: 2,000 documents of ~2,000 characters with 50 spans each (two annotators' layers and
gold), stored through `Store.import_items` (200 documents a transaction). The writer is a second
process adding one span per transaction through `Store.add_span` for as long as the backup runs.
Timed: the `factmark backup` and `factmark db check` commands as a user runs them (their own
processes, start-up included), and the writer's commits during the backup.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from store import Store
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

WORDS = [
    "the",
    "ministry",
    "said",
    "figures",
    "rose",
    "sharply",
    "in",
    "March",
    "while",
    "officials",
    "disputed",
    "claims",
]
WRITER = """
import sys, pathlib
from store import Store
path, stop, count = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
n = 0
with Store.open(path) as store:
    while not stop.exists():
        store.add_span(1 + n % 50, "writer", n % 900, n % 900 + 5, "figure", note=str(n))
        n += 1
        if n % 20 == 0:
            count.write_text(str(n))
count.write_text(str(n))
"""


def build(path: Path, documents: int, spans_per_document: int) -> None:
    rng = random.Random(12)
    with Store.open(path) as store:
        for first in range(0, documents, 200):
            items = []
            for number in range(first, min(first + 200, documents)):
                text = f"Report {number}. " + " ".join(rng.choice(WORDS) for _ in range(330))
                drafts = tuple(
                    SpanDraft(start, start + 4 + n % 9, ("actor", "claim", "figure")[n % 3])
                    for n in range(spans_per_document)
                    for start in [(n * 37) % (len(text) - 20)]
                )
                third = spans_per_document // 3
                items.append(
                    ImportItem(
                        Article(text, title=f"Report {number}"),
                        layers=(
                            LayerDraft("ana", drafts[:third]),
                            LayerDraft("ben", drafts[third : 2 * third]),
                            LayerDraft("gold", drafts[2 * third :]),
                        ),
                    )
                )
            store.import_items(items)


def _factmark(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cli", *args], capture_output=True, text=True, check=False
    )
    return time.perf_counter() - started, done


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--spans", type=int, default=50, help="spans per document")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.db"
        started = time.perf_counter()
        build(path, args.documents, args.spans)
        with Store.open(path) as store:
            store.ensure_annotator("writer")
        print(
            f"built {args.documents * args.spans:,} spans in {time.perf_counter() - started:.1f} s"
        )
        stop, count = Path(folder) / "stop", Path(folder) / "count"
        env = {**os.environ, "PYTHONPATH": os.getcwd()}
        cmd = [sys.executable, "-c", WRITER, str(path), str(stop), str(count)]
        writer = subprocess.Popen(cmd, env=env)
        while not count.exists():
            time.sleep(0.05)
        before = int(count.read_text() or 0)
        seconds, done = _factmark("--db", str(path), "backup", str(Path(folder) / "copy.db"))
        during = int(count.read_text() or 0) - before
        stop.touch()
        writer.wait()
        size = (Path(folder) / "copy.db").stat().st_size / 1e6
        print(done.stdout.strip() or done.stderr.strip())
        print(
            f"backup: {size:.1f} MB in {seconds:.2f} s (command, start-up included) = "
            f"{size / seconds:.0f} MB/s; the writer committed ~{during} spans meanwhile"
        )
        seconds, done = _factmark("--db", str(path), "db", "check")
        print(f"db check: {seconds:.2f} s (exit {done.returncode}); {done.stderr.strip()}")


if __name__ == "__main__":
    main()
