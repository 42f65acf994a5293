"""The claim matcher: its quality on the labelled set, and "checked before?" over thousands of
external checks.

Quality (bench/claim_match_quality.py): precision@1 over the queries that have a right
candidate, the mean score of the right and of the best wrong candidate, and at the store's two
thresholds (the check picker's, the "checked before" line's) how many right candidates pass and
how many queries get a wrong one past it.

Speed: a store of `--checks` external checks whose claims are real sentences (the extraction
dev set's text dumps, 8 to 40 words each), asked `external_checks_like` for every query of the
labelled set. The first call reads the claims and builds the index (once per import: the check
form opens after that); each later call must answer well under 100 ms.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.claim_match_quality import load_set, score
from store import Store
from suggest.claim_match import CHECKED_BEFORE_MIN_SCORE, PICKER_MIN_SCORE
from vocabulary.external_checks import ExternalCheck

REPO = Path(__file__).resolve().parent.parent
TEXT_DIRS = (
    REPO.parent / "shared" / "data" / "extraction-dev" / "text",
    REPO / "tests" / "data" / "dev" / "text",
)
TARGET_MS = 100.0
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def sentences(limit: int) -> list[str]:
    """Up to `limit` distinct sentences of 8 to 40 words from the dev set's text dumps."""
    found: dict[str, None] = {}
    for sentence in _all_sentences():
        if 8 <= len(sentence.split()) <= 40:
            found[sentence] = None
            if len(found) >= limit:
                break
    return list(found)


def _all_sentences() -> Iterator[str]:
    folder = next((d for d in TEXT_DIRS if d.is_dir()), None)
    if folder is None:
        return
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            yield from (s.strip() for s in _SENTENCE.split(line) if s.strip())


def speed(count: int) -> dict[str, float]:
    claims = sentences(count + 100)
    checks = [
        ExternalCheck(claim, "False", publisher="Bench Desk", url=f"https://bench.example/{i}")
        for i, claim in enumerate(claims)
    ]
    _, queries = load_set()
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "b.db") as store:
        store.add_external_checks(checks[:count], "bench")
        started = time.perf_counter()
        store.external_checks_like(queries[0].text.text)
        cold = time.perf_counter() - started
        store.add_external_checks(checks[count:], "bench, later")
        started = time.perf_counter()
        store.external_checks_like(queries[0].text.text)
        grown = time.perf_counter() - started
        times = []
        for _ in range(3):
            for query in queries:
                started = time.perf_counter()
                store.external_checks_like(query.text.text, query.text.claimant)
                times.append(time.perf_counter() - started)
    times.sort()
    return {
        "checks": len(checks),
        "cold_ms": cold * 1000,
        "grown_ms": grown * 1000,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95)] * 1000,
        "max_ms": times[-1] * 1000,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=5000)
    args = parser.parse_args(argv)
    console = Console()
    table = Table("words weighted", "queries", "P@1", "right", "best wrong", "threshold")
    table.add_column("recall")
    table.add_column("false alarms")
    for weighted in (True, False):
        for threshold in (PICKER_MIN_SCORE, CHECKED_BEFORE_MIN_SCORE):
            q = score(threshold, weighted=weighted)
            table.add_row(
                "yes" if weighted else "no",
                str(q.queries),
                f"{q.precision_at_1:.3f}",
                f"{q.right_mean:.3f}",
                f"{q.wrong_mean:.3f}",
                f"{threshold:.2f}",
                f"{q.recall_at:.3f}",
                f"{q.false_alarms_at:.3f}",
            )
    console.print(table)
    for kind in ("real", "written"):
        q = score(CHECKED_BEFORE_MIN_SCORE, kinds=(kind,))
        console.print(f"{kind} restatements: {q.queries} queries, P@1 {q.precision_at_1:.3f}")
    figures = speed(args.checks)
    console.print(
        f"external_checks_like over {args.checks} checks: first call (builds the index)"
        f" {figures['cold_ms']:.0f} ms; after 100 more are imported {figures['grown_ms']:.0f} ms"
        f"; then over {figures['checks']:.0f}: median {figures['median_ms']:.1f} ms, p95"
        f" {figures['p95_ms']:.1f} ms, max {figures['max_ms']:.1f} ms (target < {TARGET_MS:.0f})"
    )


if __name__ == "__main__":
    main()
