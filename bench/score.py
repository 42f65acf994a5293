"""Cleaning quality as extraction.md scores it (shingle overlap), and the seeds' gold checks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

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
