"""Time the review screen opening a document: three annotators' spans aligned, text drawn.

    .venv/bin/python -m bench.bench_review [--repeats N]

Each case is a temporary SQLite database holding one article (news-like text of the given length)
that three annotators marked done with N spans each: mostly the same spans, some with other
boundaries or labels, some of their own. The app runs headless (`App.run_test`, 120×36) as a
reviewer. "cold" is the first document opened from the review list (the list builds the document
screen while it computes its figures; the open reads, aligns and draws); "warm" opens it again
after another one, median of the repeats. "start" is the whole of `factmark review DOC_ID`'s app
start up to the drawn document, for reference. Target (issue 4): a document opens in <= 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table
from textual.pilot import Pilot

from bench.bench_tui import article_text
from settings.config import Config
from store import Store
from tui.app import FactmarkApp, make_app
from tui.screens.review import ReviewScreen
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

CASES = ((2_000, 20), (200_000, 20), (50_000, 300))  # (characters, spans per annotator)
ANNOTATORS = ("ana", "ben", "cy")
LABELS = ("actor", "claim", "figure", "outcome")
OPEN_TARGET_MS = 300.0


@dataclass(frozen=True)
class ReviewBenchRow:
    characters: int
    spans_per_annotator: int
    candidates: int
    cold_ms: float
    warm_ms: float
    start_ms: float


def word_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of every whitespace-separated word."""
    bounds, start = [], None
    for index, char in enumerate(text + " "):
        if char.isspace():
            if start is not None:
                bounds.append((start, index))
                start = None
        elif start is None:
            start = index
    return bounds


def study_layers(text: str, spans: int, seed: int = 11) -> tuple[LayerDraft, ...]:
    """Three annotators' done layers: shared spans, some moved or relabelled, some their own."""
    rng = random.Random(seed)
    words = word_bounds(text)
    picks = sorted(rng.sample(range(len(words) - 4), spans))
    shared = [(words[i][0], words[i + rng.randint(0, 3)][1], rng.choice(LABELS)) for i in picks]
    layers = []
    for name in ANNOTATORS:
        mine = []
        for start, end, label in shared:
            roll = rng.random()
            if roll < 0.15:
                end = min(len(text), end + rng.randint(1, 12))  # other boundary
            elif roll < 0.25:
                label = rng.choice(LABELS)  # other label
            elif roll < 0.32:
                start, end = words[rng.randrange(len(words))]  # a span of their own
            mine.append(SpanDraft(start, end, label))
        layers.append(LayerDraft(name, tuple(mine), done=True))
    return tuple(layers)


def _review_screen(app: FactmarkApp, doc_id: int) -> ReviewScreen | None:
    screen = app.screen
    if isinstance(screen, ReviewScreen) and screen.review and screen.review.document.id == doc_id:
        return screen
    return None


async def _open(app: FactmarkApp, pilot: Pilot[None], doc_id: int) -> float:
    """Seconds from asking for `doc_id` until it is drawn on the review screen."""
    began = time.perf_counter()
    app.open_review(doc_id)
    while _review_screen(app, doc_id) is None:
        await pilot.pause()
    await pilot.pause()
    return time.perf_counter() - began


async def _start(store: Store, doc_id: int) -> float:
    """Seconds from starting the app on `doc_id` under review until it is drawn."""
    began = time.perf_counter()
    app = make_app(store, "rev", Config(), start="review", doc_id=doc_id)
    async with app.run_test(size=(120, 36)) as pilot:
        while _review_screen(app, doc_id) is None:
            await pilot.pause()
        await pilot.pause()
        return time.perf_counter() - began


async def _measure(store: Store, doc_id: int, other: int, repeats: int) -> ReviewBenchRow:
    started = await _start(store, doc_id)
    app = make_app(store, "rev", Config(), start="review")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        cold = await _open(app, pilot, doc_id)
        warm = []
        for _ in range(repeats):
            await _open(app, pilot, other)
            warm.append(await _open(app, pilot, doc_id))
        candidates = len(app.review_screen.items)
    document = store.document(doc_id)
    spans = len(store.spans(doc_id, ANNOTATORS[0]))
    return ReviewBenchRow(
        len(document.text),
        spans,
        candidates,
        cold * 1000,
        statistics.median(warm) * 1000,
        started * 1000,
    )


async def _run(repeats: int) -> list[ReviewBenchRow]:
    rows = []
    for characters, spans in CASES:
        with tempfile.TemporaryDirectory() as folder:
            store = Store.open(Path(folder) / "bench.db")
            try:
                store.ensure_annotator("boss")
                store.set_role("rev", "reviewer", actor="boss")
                text = article_text(characters)
                small = article_text(1_000, seed=3)
                items = [
                    ImportItem(Article(text=text, title="bench"), study_layers(text, spans)),
                    ImportItem(Article(text=small, title="other"), study_layers(small, 5)),
                ]
                big, other = (outcome.document_id for outcome in store.import_items(items))
                rows.append(await _measure(store, big, other, repeats))
            finally:
                store.close()
    return rows


def run(repeats: int = 5) -> list[ReviewBenchRow]:
    """Measure every case; one row each."""
    return asyncio.run(_run(repeats))


def report(rows: list[ReviewBenchRow]) -> Table:
    table = Table(title="Review screen: opening a document (App.run_test, 120×36), milliseconds")
    headings = ("article", "spans × 3", "candidates", "cold open", "warm open", "start", "target")
    for heading in headings:
        table.add_column(heading, justify="right")
    for row in rows:
        verdict = "met" if max(row.cold_ms, row.warm_ms) <= OPEN_TARGET_MS else "MISSED"
        table.add_row(
            f"{row.characters:,} chars",
            str(row.spans_per_annotator),
            str(row.candidates),
            f"{row.cold_ms:.0f}",
            f"{row.warm_ms:.0f}",
            f"{row.start_ms:.0f}",
            f"≤ {OPEN_TARGET_MS:.0f}: {verdict}",
        )
    table.caption = (
        "cold: first open from the review list; warm: median re-open; start: app start on "
        "the document (not the target)."
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="warm opens per case")
    args = parser.parse_args()
    Console().print(report(run(args.repeats)))


if __name__ == "__main__":
    main()
