"""Time the annotate screen on a short and a long article: opening it, and one key press.

    .venv/bin/python -m bench.bench_tui [--presses N]

Each article is stored in a temporary SQLite database and opened with `App.run_test` (headless, a
120×36 terminal). "open" is the time from asking for the document (the app is already on the
library screen) until the article is drawn: the store read in its worker, wrapping, first paint.
"key" is the time of one `pilot.press` of a motion key (right, down, w, shift+right, pagedown in
turn), each waited for until the app has handled and redrawn it; median and 95th percentile.
Targets (issue 3): a 200,000-character article opens in <= 300 ms, and a key press costs at most
16 ms more than on a 2,000-character one.
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

from settings.config import Config
from store import Store
from tui.app import FactmarkApp, make_app
from tui.screens.annotate import AnnotateScreen
from vocabulary.records import Article, ImportItem
from vocabulary.text import canonical_text

SIZES = (2_000, 200_000)
OPEN_TARGET_MS = 300.0
KEY_DELTA_TARGET_MS = 16.0
MOTION_KEYS = ("right", "down", "w", "shift+right", "pagedown")
_WORDS = [
    *[
        "the",
        "ministry",
        "said",
        "34,535",
        "people",
        "were",
        "killed",
        "and",
        "77,704",
        "wounded",
        "since",
        "October",
    ],
    *[
        "according",
        "to",
        "officials",
        "talks",
        "in",
        "Cairo",
        "between",
        "Hamas",
        "and",
        "Fatah",
        "ended",
        "without",
    ],
    *[
        "agreement",
        "on",
        "governance",
        "of",
        "Gaza",
        "while",
        "the",
        "delegation",
        "led",
        "by",
        "senior",
        "members",
    ],
]


@dataclass(frozen=True)
class BenchRow:
    """The figures for one article size (milliseconds; cpu = process CPU time, see Timing)."""

    characters: int
    open_ms: float
    open_cpu_ms: float
    key_median_ms: float
    key_cpu_median_ms: float
    key_cpu_p95_ms: float


def article_text(characters: int, seed: int = 7) -> str:
    """Deterministic news-like text of about `characters` characters, in paragraphs."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    length = 0
    while length < characters:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(40, 120))]
        paragraph = " ".join(words).capitalize() + "."
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return canonical_text("\n\n".join(paragraphs))[:characters].rstrip()


def _annotate_screen(app: FactmarkApp) -> AnnotateScreen | None:
    screen = app.screen
    if isinstance(screen, AnnotateScreen) and screen.document is not None:
        return screen
    return None


@dataclass(frozen=True)
class Timing:
    """Wall-clock time, and CPU time of the whole process (all threads): the second leaves out
    the pauses the test harness makes while it waits for the app to become idle."""

    wall: float
    cpu: float


class _Stopwatch:
    def __enter__(self) -> _Stopwatch:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.timing = Timing(time.perf_counter() - self._wall, time.process_time() - self._cpu)


async def _measure(store: Store, doc_id: int, presses: int) -> tuple[Timing, list[Timing]]:
    app = make_app(store, "bench", Config())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        with _Stopwatch() as opening:
            app.open_document(doc_id)
            while _annotate_screen(app) is None:
                await pilot.pause()
            await pilot.pause()
        for key in MOTION_KEYS:  # warm up: first use of each code path
            await pilot.press(key)
        timings = []
        for index in range(presses):
            with _Stopwatch() as pressing:
                await pilot.press(MOTION_KEYS[index % len(MOTION_KEYS)])
            timings.append(pressing.timing)
    return opening.timing, timings


async def _run(presses: int) -> list[BenchRow]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.db")
        try:
            items = [ImportItem(article=Article(text=article_text(n), title=f"{n}")) for n in SIZES]
            outcomes = store.import_items(items)
            for characters, outcome in zip(SIZES, outcomes, strict=True):
                opened, timings = await _measure(store, outcome.document_id, presses)
                rows.append(_row(characters, opened, timings))
        finally:
            store.close()
    return rows


def _row(characters: int, opened: Timing, timings: list[Timing]) -> BenchRow:
    cpu = sorted(timing.cpu for timing in timings)
    p95 = cpu[min(len(cpu) - 1, int(0.95 * len(cpu)))]
    return BenchRow(
        characters,
        opened.wall * 1000,
        opened.cpu * 1000,
        statistics.median(timing.wall for timing in timings) * 1000,
        statistics.median(cpu) * 1000,
        p95 * 1000,
    )


def run(presses: int = 60) -> list[BenchRow]:
    """Measure both article sizes; one row each, shortest first."""
    return asyncio.run(_run(presses))


def report(rows: list[BenchRow]) -> Table:
    """The figures beside the targets."""
    table = Table(title="Annotate screen (App.run_test, 120×36), milliseconds")
    headings = ("article", "open", "open cpu", "key", "key cpu", "key cpu p95", "targets")
    for heading in headings:
        table.add_column(heading, justify="right")
    base = rows[0].key_cpu_median_ms
    for row in rows:
        table.add_row(
            f"{row.characters:,} chars",
            f"{row.open_ms:.0f}",
            f"{row.open_cpu_ms:.0f}",
            f"{row.key_median_ms:.1f}",
            f"{row.key_cpu_median_ms:.1f}",
            f"{row.key_cpu_p95_ms:.1f}",
            "reference" if row is rows[0] else _verdict(row, row.key_cpu_median_ms - base),
        )
    table.caption = (
        "open/key: wall clock, including the harness's idle waits; cpu: process CPU time. "
        f"Targets: open ≤ {OPEN_TARGET_MS:.0f}, key cpu ≤ reference + {KEY_DELTA_TARGET_MS:.0f}."
    )
    return table


def _verdict(row: BenchRow, key_delta_ms: float) -> str:
    opened = row.open_ms <= OPEN_TARGET_MS
    pressed = key_delta_ms <= KEY_DELTA_TARGET_MS
    return (
        f"open {'met' if opened else 'MISSED'}; key +{key_delta_ms:.1f} "
        f"{'met' if pressed else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=60, help="key presses per article")
    args = parser.parse_args()
    Console().print(report(run(args.presses)))


if __name__ == "__main__":
    main()
