"""Score factmark's plain-text scrape cleaner on the text-browser dumps and the seed scrapes.

    .venv/bin/python -m bench.bench_text [--dev DIR] [--seeds DIR]

DIR (dev) holds `text/<id>.txt` (w3m dumps) and `ground-truth.json` (`{id: {"articleBody": ...}}`);
the default is ../shared/data/extraction-dev from the repository root, else tests/data/dev.
DIR (seeds) holds the scrapes and `gold.json` (per file: `title`, `body` lines that must be kept,
`drop` lines that must go); the default is ../shared/data/seeds, else tests/data/seeds.
Files are read before timing: pages/s counts extraction only, in-process, one page after another,
after one untimed warm-up call; the best of three passes is reported, so other processes on the
machine disturb the figure less. Quality is the shingle score of ../shared/spec/extraction.md.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.score import (
    body_line_kept,
    drop_line_present,
    normalise_ws,
    score_page,
    score_row,
    score_table,
    time_extractor,
)
from importers.formats import ImportFailure
from importers.text import extract_text
from vocabulary.records import Article

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DEV_DIRS = (
    REPO.parent / "shared" / "data" / "extraction-dev",
    REPO / "tests" / "data" / "dev",
)
DEFAULT_SEED_DIRS = (
    REPO.parent / "shared" / "data" / "seeds",
    REPO / "tests" / "data" / "seeds",
)
TARGET_F1 = 0.90
TARGET_PAGES_PER_SECOND = 300.0
TARGET_DROP_REMOVED = 0.95
ALL_TEXT_F1 = 0.793  # extraction.md: all text of the dumps, as published for this dev set
TIMED_PASSES = 3

Extractor = Callable[[str], str]


def factmark_text(text: str) -> str:
    """factmark's cleaner; a scrape it refuses counts as an empty output."""
    try:
        return extract_text(text).text
    except ImportFailure:
        return ""


def all_text(text: str) -> str:
    """The baseline: every character of the dump."""
    return text


EXTRACTORS: dict[str, Extractor] = {"factmark text": factmark_text, "all text (baseline)": all_text}


def first_existing(candidates: tuple[Path, ...], marker: str) -> Path:
    """The first directory holding `marker`: the shared data when present, else the test copy."""
    for candidate in candidates:
        if (candidate / marker).is_file():
            return candidate
    raise SystemExit(f"no directory with {marker} found: pass it on the command line")


def load_dumps(dev_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Every dump's text and gold body, by page id."""
    gold_records = json.loads((dev_dir / "ground-truth.json").read_text(encoding="utf-8"))
    dumps = {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted((dev_dir / "text").glob("*.txt"))
        if path.stem in gold_records
    }
    return dumps, {page_id: gold_records[page_id]["articleBody"] for page_id in dumps}


def dev_rows(dev_dir: Path) -> list[dict[str, Any]]:
    """One row per extractor, then factmark's figures on each half (alternate pages)."""
    pages, gold = load_dumps(dev_dir)
    rows: list[dict[str, Any]] = []
    halves: list[dict[str, Any]] = []
    for name, extract in EXTRACTORS.items():
        seconds = None
        if extract is factmark_text:
            outputs, seconds = time_extractor(extract, pages, TIMED_PASSES)
        else:
            outputs = {page_id: extract(text) for page_id, text in pages.items()}
        scores = [score_page(outputs[pid], gold[pid]) for pid in pages]
        rows.append({**score_row(name, scores, seconds), "table": "dev"})
        if extract is factmark_text:
            for half in (0, 1):
                chosen = scores[half::2]
                halves.append(
                    {**score_row(f"  {name}, half {half + 1}", chosen, None), "table": "dev"}
                )
    return rows[:1] + halves + rows[1:]


def seed_row(name: str, text: str, gold: dict[str, Any]) -> dict[str, Any]:
    """How one seed scrape came out against its gold lines."""
    try:
        article: Article | None = extract_text(text)
    except ImportFailure:
        article = None
    output = article.text if article else ""
    want_title = gold.get("title")
    return {
        "table": "seeds",
        "file": name,
        "body_kept": sum(body_line_kept(line, output) for line in gold["body"]),
        "body_total": len(gold["body"]),
        "drop_removed": sum(not drop_line_present(line, output) for line in gold["drop"]),
        "drop_total": len(gold["drop"]),
        "title_expected": want_title,
        "title": article.title if article else None,
        "title_found": None if not want_title else _same_title(article, want_title),
    }


def _same_title(article: Article | None, want: str) -> bool:
    got = article.title if article else None
    if not got:
        return False
    return normalise_ws(got).casefold() == normalise_ws(want).casefold()


def seed_rows(seeds_dir: Path) -> list[dict[str, Any]]:
    gold = json.loads((seeds_dir / "gold.json").read_text(encoding="utf-8"))
    return [
        seed_row(name, (seeds_dir / name).read_text(encoding="utf-8"), expected)
        for name, expected in sorted(gold.items())
    ]


def run(
    dev_dir: Path | str | None = None, seeds_dir: Path | str | None = None
) -> list[dict[str, Any]]:
    """Rows for the dev dumps (`table` == "dev") then for each seed file (`table` == "seeds")."""
    dev = Path(dev_dir) if dev_dir else first_existing(DEFAULT_DEV_DIRS, "ground-truth.json")
    seeds = Path(seeds_dir) if seeds_dir else first_existing(DEFAULT_SEED_DIRS, "gold.json")
    return dev_rows(dev) + seed_rows(seeds)


def render_dev(rows: list[dict[str, Any]], dev_dir: Path | str) -> Table:
    caption = (
        f"targets: F1 >= {TARGET_F1} (all text {ALL_TEXT_F1} in extraction.md), "
        f">= {TARGET_PAGES_PER_SECOND:.0f} pages/s"
    )
    return score_table(rows, f"Text dumps: {dev_dir} ({rows[0]['pages']} pages)", caption)


def render_seeds(rows: list[dict[str, Any]], seeds_dir: Path | str) -> Table:
    table = Table(title=f"Seed scrapes: {seeds_dir}")
    for column in ("file", "body kept", "drop removed", "title found"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for row in rows:
        found = row["title_found"]
        table.add_row(
            row["file"],
            f"{row['body_kept']}/{row['body_total']}",
            f"{row['drop_removed']}/{row['drop_total']}",
            "-" if found is None else ("yes" if found else "NO"),
        )
    kept = sum(r["body_kept"] for r in rows), sum(r["body_total"] for r in rows)
    removed = sum(r["drop_removed"] for r in rows), sum(r["drop_total"] for r in rows)
    table.add_row("all", f"{kept[0]}/{kept[1]}", f"{removed[0]}/{removed[1]}", "")
    table.caption = (
        f"targets: every body line kept, >= {TARGET_DROP_REMOVED:.0%} of drop lines removed, "
        "the title found where gold gives one"
    )
    return table


def verdict(rows: list[dict[str, Any]]) -> str:
    ours = rows[0]
    seeds = [r for r in rows if r["table"] == "seeds"]
    drops = sum(r["drop_total"] for r in seeds)
    checks = {
        "F1": ours["f1"] >= TARGET_F1,
        "speed": (ours["pages_per_second"] or 0) >= TARGET_PAGES_PER_SECOND,
        "seed body lines": all(r["body_kept"] == r["body_total"] for r in seeds),
        "seed drop lines": sum(r["drop_removed"] for r in seeds) >= TARGET_DROP_REMOVED * drops,
        "seed titles": all(r["title_found"] is not False for r in seeds),
    }
    return "; ".join(
        f"{name} {'meets' if ok else 'MISSES'} its target" for name, ok in checks.items()
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=None, help="dev set directory (text/ inside)")
    parser.add_argument("--seeds", type=Path, default=None, help="seed scrapes with gold.json")
    args = parser.parse_args(argv)
    dev_dir = args.dev or first_existing(DEFAULT_DEV_DIRS, "ground-truth.json")
    seeds_dir = args.seeds or first_existing(DEFAULT_SEED_DIRS, "gold.json")
    rows = run(dev_dir, seeds_dir)
    console = Console()
    console.print(render_dev([r for r in rows if r["table"] == "dev"], dev_dir))
    console.print(render_seeds([r for r in rows if r["table"] == "seeds"], seeds_dir))
    console.print(verdict(rows), markup=False, highlight=False)


if __name__ == "__main__":
    main()
