"""Cleaning quality as extraction.md scores it (shingle overlap), and the seeds' gold checks."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from rich.table import Table

T = TypeVar("T")
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_BULLET = re.compile(r"^\s*(?:[•*·▪◦‣\-–—]|\d+[.)])\s+")


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


@dataclass(frozen=True)
class PageScore:
    tp: int
    fp: int
    fn: int
    empty: bool

    @property
    def precision(self) -> float | None:
        return None if self.empty else self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score_page(extracted: str, gold: str) -> PageScore:
    got, want = shingles(extracted), shingles(gold)
    tp = sum((got & want).values())
    return PageScore(tp, sum(got.values()) - tp, sum(want.values()) - tp, not got)


@dataclass(frozen=True)
class CorpusScore:
    precision: float
    recall: float
    f1: float
    empty: int
    pages: int


def score_corpus(pages: Iterable[PageScore]) -> CorpusScore:
    pages = list(pages)
    precisions = [p.precision for p in pages if p.precision is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(p.recall for p in pages) / len(pages) if pages else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return CorpusScore(precision, recall, f1, sum(p.empty for p in pages), len(pages))


def normalise_ws(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def body_line_kept(line: str, output: str) -> bool:
    """A gold `body` line is kept when it is a whitespace-normalised substring of the output."""
    return normalise_ws(line) in normalise_ws(output)


def drop_line_present(line: str, output: str) -> bool:
    """extraction.md: a whole output line (bullets aside), or anywhere if it has >= 4 words."""
    target = normalise_ws(_BULLET.sub("", line))
    if not target:
        return False
    whole_lines = {normalise_ws(_BULLET.sub("", out)) for out in output.splitlines()}
    if target in whole_lines:
        return True
    return len(target.split()) >= 4 and target in normalise_ws(output)


def time_extractor(
    extract: Callable[[T], str], pages: dict[str, T], passes: int = 1
) -> tuple[dict[str, str], float]:
    """Each page's output, and the seconds of the fastest of `passes` passes (reading excluded).

    One untimed warm-up call first, so imports and lazy one-off set-up are not counted.
    """
    extract(next(iter(pages.values())))
    outputs: dict[str, str] = {}
    best = float("inf")
    for _ in range(passes):
        started = time.perf_counter()
        outputs = {page_id: extract(page) for page_id, page in pages.items()}
        best = min(best, time.perf_counter() - started)
    return outputs, best


def time_in_workers(
    extract: Callable[[T], str], pages: dict[str, T]
) -> tuple[dict[str, str], float, int]:
    """Each page's output, the seconds, and how many workers: `extract` run as `factmark import`
    runs it on many files, in worker processes, one per core (the pool's start timed too)."""
    from importers.workers import cleaning_pool, default_jobs

    jobs = default_jobs(len(pages))
    started = time.perf_counter()
    with cleaning_pool(jobs) as pool:
        calls = ((page_id, (page,)) for page_id, page in pages.items())
        outputs = {page_id: out or "" for page_id, out in pool.map_in_order(extract, calls)}
    return outputs, time.perf_counter() - started, jobs


def score_row(name: str, scores: list[PageScore], seconds: float | None) -> dict[str, Any]:
    """One table row: the corpus score of `scores`, and pages/s when the pass was timed."""
    corpus = score_corpus(scores)
    return {
        "extractor": name,
        "pages": corpus.pages,
        "f1": corpus.f1,
        "precision": corpus.precision,
        "recall": corpus.recall,
        "empty": corpus.empty,
        "pages_per_second": corpus.pages / seconds if seconds else None,
    }


def score_table(rows: list[dict[str, Any]], title: str, caption: str) -> Table:
    """Score rows as a rich table: extractor, F1, P, R, empty outputs, pages/s."""
    table = Table(title=title, caption=caption)
    for column in ("extractor", "F1", "P", "R", "empty", "pages/s"):
        table.add_column(column, justify="left" if column == "extractor" else "right")
    for row in rows:
        speed = row["pages_per_second"]
        table.add_row(
            row["extractor"],
            f"{row['f1']:.4f}",
            f"{row['precision']:.4f}",
            f"{row['recall']:.4f}",
            str(row["empty"]),
            f"{speed:.1f}" if speed is not None else "",
        )
    return table
