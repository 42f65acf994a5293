"""HTML metadata (date, author, title) beside trafilatura's, on each part of the extraction dev set.

    .venv/bin/python -m bench.bench_meta [--dev DIR] [--no-trafilatura]

Scored as issue #14 defines it (bench/meta_score.py): only pages whose gold has the field count.
Parts: the tuning pages, the held-out fifth (bench/dev_split.py: nobody reads its failures; the
figure to trust), the first 200 pages (first-200.txt), and all. Speed: factmark's metadata step
alone (pages parsed before timing, as the import parses once for metadata and body), and
trafilatura's `extract_metadata` from the page's bytes, one page after another, in-process.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.bench_html import default_dev_dir
from bench.dev_split import is_held_out
from bench.meta_score import FieldScore, score_fields

TARGETS = {"published": 0.90, "author": 0.80, "title": 0.90}
FIELD_NAMES = {"published": "date", "author": "author", "title": "title"}

Found = dict[str, str | None]


def load_pages(dev_dir: Path) -> tuple[dict[str, bytes], dict[str, dict[str, Any]]]:
    """Every page's HTML bytes (decompressed) and its gold record, by page id."""
    import gzip

    gold = json.loads((dev_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages: dict[str, bytes] = {}
    for path in sorted((dev_dir / "html").iterdir()):
        page_id = path.name.split(".")[0]
        if page_id in gold:
            raw = path.read_bytes()
            pages[page_id] = gzip.decompress(raw) if path.name.endswith(".gz") else raw
    return pages, {page_id: gold[page_id] for page_id in pages}


def parts(dev_dir: Path, page_ids: list[str]) -> dict[str, list[str]]:
    """The page ids of each part: tuning, held out, first 200 (when listed), all."""
    chosen = {
        "tuning": [pid for pid in page_ids if not is_held_out(pid)],
        "held out": [pid for pid in page_ids if is_held_out(pid)],
    }
    listed = dev_dir / "first-200.txt"
    if listed.is_file():
        first = set(listed.read_text(encoding="utf-8").split())
        chosen["first 200"] = [pid for pid in page_ids if pid in first]
    chosen["all"] = page_ids
    return chosen


def factmark_metadata(pages: dict[str, bytes]) -> tuple[dict[str, Found], float]:
    """factmark's metadata of each page, and the seconds its metadata step took in all."""
    from importers.formats import ImportFailure
    from importers.html import parse_html
    from importers.html_decode import decode_html
    from importers.html_meta import extract_meta

    found: dict[str, Found] = {}
    seconds = 0.0
    for page_id, data in pages.items():
        try:
            tree = parse_html(decode_html(data))
        except ImportFailure:
            found[page_id] = {}
            continue
        start = time.perf_counter()
        meta = extract_meta(tree)
        seconds += time.perf_counter() - start
        found[page_id] = {"published": meta.published, "author": meta.byline, "title": meta.title}
    return found, seconds


def trafilatura_metadata(pages: dict[str, bytes]) -> tuple[dict[str, Found], float]:
    """trafilatura 2.3.1's `extract_metadata` (its date comes from htmldate)."""
    from trafilatura.metadata import extract_metadata

    found: dict[str, Found] = {}
    start = time.perf_counter()
    for page_id, data in pages.items():
        meta = extract_metadata(data.decode("utf-8", errors="replace"))
        found[page_id] = {"published": meta.date, "author": meta.author, "title": meta.title}
    return found, time.perf_counter() - start


EXTRACTORS: dict[str, Callable[[dict[str, bytes]], tuple[dict[str, Found], float]]] = {
    "factmark": factmark_metadata,
    "trafilatura 2.3.1": trafilatura_metadata,
}


def run(dev_dir: Path, *, with_trafilatura: bool = True) -> list[dict[str, Any]]:
    """One row per extractor and part: each field's share right, and pages/s."""
    pages, gold = load_pages(dev_dir)
    chosen = parts(dev_dir, list(pages))
    rows: list[dict[str, Any]] = []
    for name, extract in EXTRACTORS.items():
        if name != "factmark" and not with_trafilatura:
            continue
        found, seconds = extract(pages)
        for part, ids in chosen.items():
            scores = score_fields((found[pid], gold[pid]) for pid in ids)
            rows.append(
                {
                    "extractor": name,
                    "part": part,
                    "pages": len(ids),
                    "scores": scores,
                    "pages_per_second": len(pages) / seconds if part == "all" and seconds else None,
                }
            )
    return rows


def _share(score: FieldScore) -> str:
    share = score.share
    return "—" if share is None else f"{share:.3f} ({score.right}/{score.scored})"


def render(rows: list[dict[str, Any]], dev_dir: Path) -> Table:
    table = Table(title=f"HTML metadata on {dev_dir}", caption=_caption())
    for column in ("extractor", "part", "pages", *FIELD_NAMES.values(), "pages/s"):
        table.add_column(column, justify="left" if column in ("extractor", "part") else "right")
    for row in rows:
        speed = row["pages_per_second"]
        table.add_row(
            row["extractor"],
            row["part"],
            str(row["pages"]),
            *(_share(row["scores"][field]) for field in FIELD_NAMES),
            f"{speed:.0f}" if speed else "",
        )
    table.add_row("target", "all", "", *(f"≥ {TARGETS[field]:.2f}" for field in FIELD_NAMES), "")
    return table


def _caption() -> str:
    return (
        "date: same calendar day; author: one name contains the other; title: equal, case and "
        "punctuation aside. pages/s: factmark's metadata step alone (pages parsed first); "
        "trafilatura's extract_metadata from bytes"
    )


def verdict(rows: list[dict[str, Any]]) -> str:
    ours = next(row for row in rows if row["extractor"] == "factmark" and row["part"] == "all")
    said = []
    for field, target in TARGETS.items():
        share = ours["scores"][field].share or 0.0
        said.append(
            f"{FIELD_NAMES[field]} {share:.4f} {'meets' if share >= target else 'MISSES'} {target}"
        )
    return "factmark on all pages: " + "; ".join(said)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dev", type=Path, default=None, help="dev set directory")
    parser.add_argument(
        "--no-trafilatura", action="store_true", help="skip trafilatura's metadata (slow)"
    )
    args = parser.parse_args(argv)
    dev_dir = args.dev or default_dev_dir()
    rows = run(dev_dir, with_trafilatura=not args.no_trafilatura)
    console = Console()
    console.print(render(rows, dev_dir))
    console.print(verdict(rows), markup=False, highlight=False)


if __name__ == "__main__":
    main()
