"""Score factmark's HTML extractor beside trafilatura's default on the extraction dev set.

    .venv/bin/python -m bench.bench_html [--dev DIR]

DIR holds `html/<id>.html.gz` (or `.html`) and `ground-truth.json` (`{id: {"articleBody": ...}}`);
the default is ../shared/data/extraction-dev from the repository root, else tests/data/dev.
Pages are read and decompressed before timing: pages/s counts extraction only, in-process,
one page after another, after one untimed warm-up call per extractor. Quality is the shingle
score of ../shared/spec/extraction.md, on all pages and on these parts of them:
- tuning / held-out: bench/dev_split.py's split; rules and the tail model are tuned on the
  tuning pages only, so the held-out figure is the one to trust;
- first 200: the pages listed in the dev set's first-200.txt (the set before it grew);
- halves: alternate pages by sorted id.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.dev_split import is_held_out
from bench.score import (
    PageScore,
    score_page,
    score_row,
    score_table,
    time_extractor,
    time_in_workers,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DEV_DIRS = (
    REPO.parent / "shared" / "data" / "extraction-dev",
    REPO / "tests" / "data" / "dev",
)
# Issue #14's targets: F1 on all 791 pages and on the first 200, speed in-process.
TARGET_F1 = 0.950
TARGET_F1_FIRST_200 = 0.965
TARGET_PAGES_PER_SECOND = 50.0
FIRST_200_LIST = "first-200.txt"

Extractor = Callable[[bytes], str]


def factmark_extractor(data: bytes) -> str:
    """factmark's extractor; a page it refuses counts as an empty output."""
    from importers.formats import ImportFailure
    from importers.html import extract_html

    try:
        return extract_html(data).text
    except ImportFailure:
        return ""


def trafilatura_extractor(data: bytes) -> str:
    """trafilatura's default, as extraction.md's reference figure was measured."""
    import trafilatura

    return trafilatura.extract(data, include_comments=False) or ""


EXTRACTORS: dict[str, Extractor] = {
    "factmark": factmark_extractor,
    "trafilatura 2.3.1 default": trafilatura_extractor,
}


def default_dev_dir() -> Path:
    """The full dev set when ../shared is there, else the pages copied into tests/data/dev."""
    for candidate in DEFAULT_DEV_DIRS:
        if (candidate / "ground-truth.json").is_file():
            return candidate
    raise SystemExit("no dev set found: pass --dev DIR")


def load_pages(dev_dir: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every page's HTML bytes (decompressed) and gold body text, by page id."""
    gold_records = json.loads((dev_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages: dict[str, bytes] = {}
    for path in sorted((dev_dir / "html").iterdir()):
        page_id = path.name.split(".")[0]
        if page_id in gold_records:
            raw = path.read_bytes()
            pages[page_id] = gzip.decompress(raw) if path.suffix == ".gz" else raw
    gold = {page_id: gold_records[page_id]["articleBody"] for page_id in pages}
    return pages, gold


def run(dev_dir: Path | str | None = None, *, halves: bool = True) -> list[dict[str, Any]]:
    """Per extractor: a row for all pages (timed), then one per part (see the docstring)."""
    dev = Path(dev_dir) if dev_dir else default_dev_dir()
    pages, gold = load_pages(dev)
    parts = page_parts(dev, list(pages), halves=halves)
    rows: list[dict[str, Any]] = []
    for name, extract in EXTRACTORS.items():
        outputs, seconds = time_extractor(extract, pages)
        scores = {pid: score_page(outputs[pid], gold[pid]) for pid in pages}
        row = score_row(name, list(scores.values()), seconds)
        rows.append(row | {"part": "all", "name": name})
        for part, ids in parts.items():
            chosen: list[PageScore] = [scores[pid] for pid in ids]
            rows.append(score_row(f"  {part}", chosen, None) | {"part": part, "name": name})
        if extract is factmark_extractor:
            rows.append(_workers_row(pages, gold, outputs))
    return rows


def _workers_row(
    pages: dict[str, bytes], gold: dict[str, str], alone: dict[str, str]
) -> dict[str, Any]:
    """factmark as `import` runs it on many files (see time_in_workers); its outputs must be
    those of one process."""
    outputs, seconds, jobs = time_in_workers(factmark_extractor, pages)
    if outputs != alone:
        raise SystemExit("the worker processes' outputs differ from one process's")
    scores = [score_page(outputs[pid], gold[pid]) for pid in pages]
    name = f"factmark in {jobs} workers (import)"
    return score_row(name, scores, seconds) | {"part": "workers", "name": name}


def page_parts(dev_dir: Path, ids: list[str], *, halves: bool) -> dict[str, list[str]]:
    """The parts of the set scored apart, each as page ids (empty parts left out)."""
    first_path = dev_dir / FIRST_200_LIST
    first = set(first_path.read_text().split()) if first_path.is_file() else set()
    parts = {
        "tuning": [pid for pid in ids if not is_held_out(pid)],
        "held-out": [pid for pid in ids if is_held_out(pid)],
        "first 200": [pid for pid in ids if pid in first],
    }
    if halves:
        ordered = sorted(ids)
        for half in (0, 1):
            parts[f"half {half + 1}"] = ordered[half::2]
    return {part: chosen for part, chosen in parts.items() if chosen}


def render(rows: list[dict[str, Any]], dev_dir: Path) -> Table:
    caption = (
        f"targets for factmark: F1 >= {TARGET_F1} on all pages, >= {TARGET_F1_FIRST_200} on the"
        f" first 200, no empty output, >= {TARGET_PAGES_PER_SECOND:.0f} pages/s; held-out pages"
        " (bench/dev_split.py) were never used to tune: their figure is the one to trust"
    )
    return score_table(rows, f"HTML extraction on {dev_dir} ({rows[0]['pages']} pages)", caption)


def verdict(rows: list[dict[str, Any]]) -> str:
    ours = {row["part"]: row for row in rows if row["name"] == rows[0]["name"]}
    whole = ours["all"]
    speed = whole["pages_per_second"] or 0.0
    checks = [
        f"F1 {whole['f1']:.4f} on all {_meets(whole['f1'] >= TARGET_F1)}",
        f"{speed:.1f} pages/s in one process {_meets(speed >= TARGET_PAGES_PER_SECOND)}",
        f"{whole['empty']} empty outputs",
    ]
    pooled = [row for row in rows if row["part"] == "workers"]
    if pooled:
        checks.insert(2, f"{pooled[0]['pages_per_second']:.1f} pages/s as import runs it")
    if "first 200" in ours:
        first = ours["first 200"]["f1"]
        checks.insert(1, f"F1 {first:.4f} on the first 200 {_meets(first >= TARGET_F1_FIRST_200)}")
    if "held-out" in ours:
        checks.append(f"held-out F1 {ours['held-out']['f1']:.4f}")
    return f"{rows[0]['name']}: " + "; ".join(checks)


def _meets(ok: bool) -> str:
    return "meets the target" if ok else "MISSES the target"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=None, help="dev set directory")
    parser.add_argument(
        "--no-halves", action="store_true", help="do not score each half of the pages apart"
    )
    args = parser.parse_args(argv)
    dev_dir = args.dev or default_dev_dir()
    rows = run(dev_dir, halves=not args.no_halves)
    console = Console()
    console.print(render(rows, dev_dir))
    console.print(verdict(rows), markup=False, highlight=False)


if __name__ == "__main__":
    main()
