"""Keys per span: a scripted annotator tags seed 002 from the keyboard, in the real app.

    .venv/bin/python -m bench.bench_keys [--script PATH]

The script (bench/data/keys_seed002.json) is data: each span's label, text and offsets, and the
keys a user presses for it, from wherever the previous span's keys left the cursor, with the text
objects (s , " ( ), the character jump (f F), counts, find (/) and snapping. It is first checked
against the document (each span's text at its offsets), then replayed with Pilot on a fresh
SQLite database holding the seed fixture; every span must be stored exactly as written, and no
other. Prints per label the number of spans and the median and max keys per span beside the
targets (issue 13): a median of at most 5 keys per span over all spans, none above 12.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from settings.config import Config
from store import Store
from tui.app import make_app
from tui.screens.annotate import AnnotateScreen
from vocabulary.records import Article, ImportItem
from vocabulary.text import canonical_text

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).parent / "data" / "keys_seed002.json"
ANNOTATOR = "scripted"


@dataclass(frozen=True)
class ScriptedSpan:
    label: str
    text: str
    start: int
    end: int
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Script:
    document: Path
    spans: tuple[ScriptedSpan, ...]
    median_target: float
    max_target: int


@dataclass(frozen=True)
class Replay:
    """What the replay stored, and the spans that did not come out as scripted."""

    stored: list[tuple[str, int, int]]
    wrong: list[str]


def load_script(path: Path = SCRIPT) -> Script:
    data = json.loads(path.read_text(encoding="utf-8"))
    spans = tuple(
        ScriptedSpan(
            row["label"], row["text"], row["start"], row["end"], tuple(row["keys"].split())
        )
        for row in data["spans"]
    )
    targets = data["targets"]
    return Script(
        ROOT / data["document"],
        spans,
        float(targets["median_keys_per_span"]),
        int(targets["max_keys_per_span"]),
    )


def document_text(script: Script) -> str:
    return canonical_text(script.document.read_text(encoding="utf-8"))


def script_mismatches(script: Script, text: str) -> list[str]:
    """Spans whose text is not what the document holds at their offsets."""
    return [
        f"{span.label} {span.start}-{span.end}: script says {span.text!r}, "
        f"the document has {text[span.start : span.end]!r}"
        for span in script.spans
        if text[span.start : span.end] != span.text
    ]


def _key_count(span: ScriptedSpan) -> int:
    return len(span.keys)


def keys_per_label(script: Script) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for span in script.spans:
        counts.setdefault(span.label, []).append(_key_count(span))
    return counts


async def replay(script: Script, folder: Path) -> Replay:
    """Press every span's keys in the annotate screen; report what the database file holds."""
    text = document_text(script)
    path = folder / "keys.db"
    with Store.open(path) as store:
        store.import_items([ImportItem(article=Article(text=text, title="Seed 002"))])
    store = Store.open(path)
    app = make_app(store, ANNOTATOR, Config(), start="annotate", doc_id=1)
    wrong: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        for span in script.spans:
            for key in span.keys:
                await pilot.press(key)
            await _settle(pilot)
            made = {(s.label, s.start, s.end) for s in screen.spans}
            if (span.label, span.start, span.end) not in made:
                wrong.append(f"{span.label} {span.text!r} ({' '.join(span.keys)}): not stored")
    store.close()
    with Store.open(path) as check:
        stored = sorted((s.label, s.start, s.end) for s in check.spans(1, ANNOTATOR))
    expected = sorted((s.label, s.start, s.end) for s in script.spans)
    for extra in sorted(set(stored) - set(expected)):
        label, start, end = extra
        wrong.append(f"{label} {text[start:end]!r} ({start}-{end}): stored but not scripted")
    return Replay(stored, wrong)


async def _settle(pilot: object) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def report(script: Script, console: Console) -> bool:
    """The table of keys per span per label; True if the targets are met."""
    table = Table(title="Keys per span, seed 002 (scripted annotator)")
    for column in ("label", "spans", "median keys", "max keys", "target"):
        table.add_column(column, justify="left" if column == "label" else "right")
    target = f"median ≤ {script.median_target:g}, max ≤ {script.max_target}"
    for label, counts in sorted(keys_per_label(script).items()):
        table.add_row(
            label,
            str(len(counts)),
            f"{statistics.median(counts):g}",
            str(max(counts)),
            target,
        )
    every = [_key_count(span) for span in script.spans]
    median, most = statistics.median(every), max(every)
    met = median <= script.median_target and most <= script.max_target
    table.add_row(
        "all", str(len(every)), f"{median:g}", str(most), target + (" ✓" if met else " ✗")
    )
    console.print(table)
    console.print(f"{sum(every)} keys for {len(every)} spans ({sum(every) / len(every):.1f} each)")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", type=Path, default=SCRIPT)
    args = parser.parse_args()
    console = Console()
    script = load_script(args.script)
    mismatches = script_mismatches(script, document_text(script))
    if mismatches:
        console.print("The script does not match the document:", markup=False)
        for line in mismatches:
            console.print(f"  {line}", markup=False)
        sys.exit(2)
    with tempfile.TemporaryDirectory() as folder:
        result = asyncio.run(replay(script, Path(folder)))
    console.print(
        f"Replayed in the app: {len(result.stored)} spans stored, "
        f"{len(script.spans) - len(result.wrong)} of {len(script.spans)} as scripted",
        markup=False,
    )
    for line in result.wrong:
        console.print(f"  ✗ {line}", markup=False)
    met = report(script, console)
    if result.wrong or not met:
        console.print("Targets not met.", style="bold red")


if __name__ == "__main__":
    main()
