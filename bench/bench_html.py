"""Score factmark's HTML extractor beside trafilatura's default on the extraction dev set.

    .venv/bin/python -m bench.bench_html [--dev DIR] [--halves]

DIR holds `html/<id>.html.gz` (or `.html`) and `ground-truth.json` (`{id: {"articleBody": ...}}`);
the default is ../shared/data/extraction-dev from the repository root, else tests/data/dev.
Pages are read and decompressed before timing: pages/s counts extraction only, in-process,
one page after another, after one untimed warm-up call per extractor. Quality is the shingle
score of ../shared/spec/extraction.md.
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

from bench.score import score_page, score_row, score_table, time_extractor

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DEV_DIRS = (
    REPO.parent / "shared" / "data" / "extraction-dev",
    REPO / "tests" / "data" / "dev",
)
TARGET_F1 = 0.948  # trafilatura 2.3.1 default on the 200-page dev set (extraction.md)
TARGET_PAGES_PER_SECOND = 50.0

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


def run(dev_dir: Path | str | None = None, *, halves: bool = False) -> list[dict[str, Any]]:
    """One row per extractor (and per half of the pages, alternating, when `halves`)."""
    pages, gold = load_pages(Path(dev_dir) if dev_dir else default_dev_dir())
    rows: list[dict[str, Any]] = []
    for name, extract in EXTRACTORS.items():
        outputs, seconds = time_extractor(extract, pages)
        scores = {pid: score_page(outputs[pid], gold[pid]) for pid in pages}
        rows.append(score_row(name, list(scores.values()), seconds))
        if halves:
            ids = list(pages)
            for half in (0, 1):
                chosen = [scores[pid] for n, pid in enumerate(ids) if n % 2 == half]
                rows.append(score_row(f"  {name}, half {half + 1}", chosen, None))
    return rows


def render(rows: list[dict[str, Any]], dev_dir: Path) -> Table:
    caption = (
        f"targets for factmark: F1 > {TARGET_F1} (trafilatura's reference on the 200-page set), "
        f">= {TARGET_PAGES_PER_SECOND:.0f} pages/s"
    )
    return score_table(rows, f"HTML extraction on {dev_dir} ({rows[0]['pages']} pages)", caption)


def verdict(rows: list[dict[str, Any]]) -> str:
    ours = rows[0]
    f1_ok = ours["f1"] > TARGET_F1
    speed_ok = (ours["pages_per_second"] or 0) >= TARGET_PAGES_PER_SECOND
    speed = ours["pages_per_second"] or 0.0
    return (
        f"factmark F1 {ours['f1']:.4f} {'meets' if f1_ok else 'MISSES'} the F1 target; "
        f"{speed:.1f} pages/s {'meets' if speed_ok else 'MISSES'} the speed target"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=None, help="dev set directory")
    parser.add_argument("--halves", action="store_true", help="also score each half of the pages")
    args = parser.parse_args(argv)
    dev_dir = args.dev or default_dev_dir()
    rows = run(dev_dir, halves=args.halves)
    console = Console()
    console.print(render(rows, dev_dir))
    console.print(verdict(rows), markup=False, highlight=False)


if __name__ == "__main__":
    main()
