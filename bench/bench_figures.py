"""Time the figures kept per document: the review list opening and `factmark agreement --json`.

    .venv/bin/python -m bench.bench_figures [--sizes 1000,10000] [--repeats N]

Each size is a temporary SQLite study of N documents (about 1,100 code points each) that three
annotators marked done with 20 spans each (mostly shared, some moved, relabelled or their own),
imported in batches of 1,000 (not timed). Timed, for each size:
- the review list opening in a headless app (120×36, a reviewer, a new app each time: the
  screen's own memory cannot help), from asking for it to its rows drawn: *cold* (no figures
  kept: every document counted and kept), *warm* (all kept), *one changed* (an annotator added
  a span to one document since: that document is counted again);
- the list's data path alone, in CPU seconds of this process (its worker's reads and the kept
  figures, without the app), cold, warm and after one document changed;
- `factmark agreement --json` as a whole child process (interpreter start included), cold, warm
  and after one document changed, in wall seconds and in the CPU seconds the process used.
The CPU figures are there because this runs on shared machines: wall time there says more about
the neighbours than about factmark.
Warm and one-changed figures are medians of the repeats. Targets (issue 13): the list opens in
<= 1 s on 10,000 documents once the figures are kept (<= 0.3 s on 1,000), `factmark agreement`
takes <= 5 s on 10,000.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text
from textual.widgets import DataTable

from bench.bench_agreement import WORDS
from settings.config import Config
from store import Store
from store.study import study_document_figures
from tui.app import make_app
from tui.screens.review_list import ReviewListScreen, review_list_rows
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

ANNOTATORS = ("ana", "ben", "cy")
LABELS = ("actor", "claim", "figure", "outcome")
SPANS_PER_ANNOTATOR = 20
TEXT_LENGTH = 1100
LIST_TARGETS = {1_000: 0.3, 10_000: 1.0}  # seconds, warm
AGREEMENT_TARGET = 5.0  # seconds, whole process, 10,000 documents
LIBRARY_IDLE_SECONDS = 3.0  # a reviewer looks at the library this long before ctrl+r


@dataclass(frozen=True)
class FiguresRow:
    documents: int
    what: str
    cold: float
    warm: float
    one_changed: float
    target: float | None


def study_text(rng: random.Random, number: int) -> str:
    parts, size = [f"Report {number}."], 0
    while size < TEXT_LENGTH:
        word = rng.choice(WORDS)
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:TEXT_LENGTH]


def study_item(rng: random.Random, number: int) -> ImportItem:
    """One document and three done layers: shared spans, some moved, relabelled or their own."""
    body = study_text(rng, number)
    truth = []
    for _ in range(SPANS_PER_ANNOTATOR):
        start = rng.randrange(0, len(body) - 90)
        truth.append((start, start + rng.randint(3, 80), rng.choice(LABELS)))
    layers = []
    for name in ANNOTATORS:
        spans = []
        for start, end, label in truth:
            roll = rng.random()
            if roll < 0.15:
                end = min(len(body), end + rng.randint(1, 6))
            elif roll < 0.25:
                label = rng.choice(LABELS)
            elif roll < 0.30:
                start = rng.randrange(0, len(body) - 90)
                end = start + rng.randint(3, 80)
            spans.append(SpanDraft(start, end, label))
        layers.append(LayerDraft(name, tuple(spans), done=True))
    return ImportItem(Article(text=body, title=f"Study document {number}"), tuple(layers))


def build_study(path: Path, documents: int, seed: int = 13) -> None:
    rng = random.Random(seed)
    with Store.open(path) as store:
        store.ensure_annotator("boss")
        store.set_role("rev", "reviewer", actor="boss")
        for first in range(0, documents, 1000):
            count = min(1000, documents - first)
            store.import_items([study_item(rng, first + n) for n in range(count)])


def forget_figures(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM document_figures"))
    engine.dispose()


def change_one_document(path: Path, round_number: int) -> None:
    """An annotator adds a span to one document (another one each round)."""
    with Store.open(path, user="ana") as store:
        doc_id = 1 + (round_number * 7919) % len(store.list_documents())
        store.add_span(doc_id, "ana", 0, 6, "actor")


async def _open_list(path: Path, idle: float = 0.0) -> float:
    """Seconds from asking for the review list until its rows are drawn (a new app), asked as
    soon as the library is drawn, or after `idle` seconds on it (a reviewer's review screens are
    built ahead in that time: tui.app REVIEW_PREBUILD_SECONDS)."""
    with Store.open(path, user="rev") as store:
        app = make_app(store, "rev", Config(), start="library")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            if idle:
                await pilot.pause(idle)
            began = time.perf_counter()
            app.open_review()
            while not _list_drawn(app):
                await pilot.pause(0.005)
            return time.perf_counter() - began


def _list_drawn(app: object) -> bool:
    screen = getattr(app, "screen", None)
    if not isinstance(screen, ReviewListScreen):
        return False
    return screen.query_one("#review-documents", DataTable).row_count > 0


def time_list(path: Path) -> float:
    return asyncio.run(_open_list(path))


def time_list_after_idle(path: Path) -> float:
    return asyncio.run(_open_list(path, idle=LIBRARY_IDLE_SECONDS))


def cpu_of_list_data(path: Path) -> float:
    """CPU seconds of the list's data path in this process (what its worker does: role,
    documents, kept figures, rows), a figure a loaded machine disturbs less than wall time."""
    config = Config()
    with Store.open(path, user="rev") as store:
        began = time.process_time()
        store.role_of("rev")
        documents = store.list_documents()
        report, _note = study_document_figures(
            store, config.label_names, documents, config.relation_names
        )
        review_list_rows(documents, report)
        return time.process_time() - began


def time_agreement(path: Path) -> float:
    command = [sys.executable, "-m", "cli", "--db", str(path), "agreement", "--json"]
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def cpu_of_agreement(path: Path) -> float:
    """CPU seconds (user + system) the whole `factmark agreement --json` process used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    time_agreement(path)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(path: Path, documents: int, repeats: int) -> list[FiguresRow]:
    rows = []
    agreement_target = AGREEMENT_TARGET if documents >= 10_000 else None
    steps = (
        ("review list opens, asked at once", time_list, LIST_TARGETS.get(documents)),
        (
            f"review list opens, after {LIBRARY_IDLE_SECONDS:g} s on the library",
            time_list_after_idle,
            LIST_TARGETS.get(documents),
        ),
        ("review list data path (CPU s)", cpu_of_list_data, None),
        ("factmark agreement --json", time_agreement, agreement_target),
        ("factmark agreement --json (CPU s)", cpu_of_agreement, None),
    )
    for step, (what, timed, target) in enumerate(steps):
        forget_figures(path)
        cold = timed(path)
        warm = statistics.median(timed(path) for _ in range(repeats))
        changed = []
        for round_number in range(repeats):
            change_one_document(path, step * 50 + round_number)
            changed.append(timed(path))
        rows.append(FiguresRow(documents, what, cold, warm, statistics.median(changed), target))
    return rows


def run(sizes: list[int], repeats: int) -> list[FiguresRow]:
    rows = []
    for documents in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "study.db"
            build_study(path, documents)
            rows.extend(measure(path, documents, repeats))
    return rows


def report(rows: list[FiguresRow]) -> Table:
    table = Table(title="Figures kept per document (3 annotators × 20 spans, ~1,100 characters)")
    for column in ("documents", "what", "cold s", "warm s", "1 changed s", "target", "verdict"):
        table.add_column(column, justify="left" if column == "what" else "right")
    for row in rows:
        verdict = ""
        if row.target is not None:
            worst = max(row.warm, row.one_changed)
            verdict = "meets" if worst <= row.target else "MISSES"
        table.add_row(
            f"{row.documents:,}",
            row.what,
            f"{row.cold:.2f}",
            f"{row.warm:.2f}",
            f"{row.one_changed:.2f}",
            "" if row.target is None else f"<= {row.target:g} s",
            verdict,
        )
    table.caption = (
        "cold: no figures kept; warm: all kept (median); 1 changed: one document got a span since "
        "(median). Warm and 1-changed are held to the target."
    )
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    Console().print(report(run(sizes, args.repeats)))


if __name__ == "__main__":
    main()
