"""Suggestion quality on the hand-annotated fixture, and speed on a 200,000-character article.

    .venv/bin/python -m bench.bench_suggest [--verbose]

Quality: precision and recall where any overlap counts, and exact-boundary F1, per label, on the
development articles (the five seeds and the dev-set pages) and on the held-out pages (their
misses are never listed); see bench/suggest_quality.py. Speed: the fixture's articles
repeated to 200,000 characters, best and median of nine runs of `suggest.suggest` (rules only;
each run scans its text afresh).
"""

from __future__ import annotations

import argparse
import statistics
import time

from rich.console import Console
from rich.table import Table

from bench.suggest_quality import (
    FIRST_SEEN,
    FIRST_SEEN_PAGES,
    HELD_OUT,
    Counts,
    load_fixture,
    score,
)
from suggest import suggest

TARGETS = {
    "figure": {"precision": 0.90, "recall": 0.90, "exact_f1": 0.80},
    "actor": {"precision": 0.80, "recall": 0.70},
}
SPEED_CHARS = 200_000
SPEED_TARGET_MS = 100.0


def quality(verbose: bool = False) -> dict[str, dict[str, Counts]]:
    """Counts per split ("development", "held-out") and label."""
    splits: dict[str, dict[str, Counts]] = {}
    for article in load_fixture():
        split = "held-out" if article.name in HELD_OUT else "development"
        found = suggest(article.text)
        ours = [(s.start, s.end, s.label) for s in found.spans]
        for label in TARGETS:
            counts = score(article.spans, ours, label)
            splits.setdefault(split, {}).setdefault(label, Counts()).add(counts)
            if article.name in FIRST_SEEN_PAGES:  # also on their own: compare with FIRST_SEEN
                splits.setdefault("dev: pages added", {}).setdefault(label, Counts()).add(counts)
            if verbose and split == "development":  # never look at held-out misses
                _explain(article.name, article.text, article.spans, ours, label)
    return splits


def _explain(
    name: str,
    text: str,
    gold: tuple[tuple[int, int, str], ...],
    ours: list[tuple[int, int, str]],
    label: str,
) -> None:
    gold_l = [(s, e) for s, e, lab in gold if lab == label]
    ours_l = [(s, e) for s, e, lab in ours if lab == label]
    for s, e in ours_l:
        if not any(s < ge and gs < e for gs, ge in gold_l):
            print(f"{name} {label} FP {text[s:e]!r}")
        elif (s, e) not in gold_l:
            print(f"{name} {label} ~~ {text[s:e]!r}")
    for s, e in gold_l:
        if not any(s < oe and os < e for os, oe in ours_l):
            print(f"{name} {label} FN {text[s:e]!r}")


def speed(runs: int = 9) -> tuple[float, float]:
    """Best and median milliseconds of `runs` calls on a 200,000-character article."""
    articles = load_fixture()
    base = "\n\n".join(article.text for article in articles)
    text = (base * (SPEED_CHARS // len(base) + 1))[:SPEED_CHARS]
    suggest(text)  # warm-up: compiled patterns
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        suggest(text)
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    console = Console(width=max(Console().width, 110))
    table = Table(
        "split",
        "label",
        "precision (overlap)",
        "recall (overlap)",
        "exact F1",
        "n gold",
        "n suggested",
    )
    for split, labels in quality(args.verbose).items():
        for label, counts in labels.items():
            target = TARGETS[label]

            def cell(value: float, key: str, target: dict[str, float] = target) -> str:
                aim = target.get(key)
                return f"{value:.2f}" + (f" (≥ {aim:.2f})" if aim is not None else "")

            table.add_row(
                split,
                label,
                cell(counts.precision, "precision"),
                cell(counts.recall, "recall"),
                cell(counts.exact_f1, "exact_f1"),
                str(counts.gold),
                str(counts.suggested),
            )
    console.print(table)
    console.print(
        "dev: pages added, the rules' first score on them (annotated before they ran): "
        + "; ".join(
            f"{label} P {p:.2f} R {r:.2f} exact F1 {f:.2f}"
            for label, (p, r, f) in FIRST_SEEN.items()
        )
    )
    best, median = speed()
    console.print(
        f"suggestions for a {SPEED_CHARS:,}-character article: best {best:.1f} ms, "
        f"median {median:.1f} ms of 9 (target ≤ {SPEED_TARGET_MS:.0f} ms)"
    )


if __name__ == "__main__":
    main()
