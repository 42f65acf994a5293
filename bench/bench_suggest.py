"""Suggestion quality on the hand-annotated fixture, and speed on a 200,000-character article.

    .venv/bin/python -m bench.bench_suggest [--verbose]

Quality: precision and recall where any overlap counts, and exact-boundary F1, per label, on the
development articles (the five seeds and three dev-set pages) and on the held-out pages (their
misses are never listed); see bench/suggest_quality.py. Speed: the seed and dev articles
repeated to 200,000 characters, best of five runs of `suggest.suggest` (rules only).
"""

from __future__ import annotations

import argparse
import time

from rich.console import Console
from rich.table import Table

from bench.suggest_quality import HELD_OUT, Counts, load_fixture, score
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


def speed() -> float:
    articles = load_fixture()
    base = "\n\n".join(article.text for article in articles)
    text = (base * (SPEED_CHARS // len(base) + 1))[:SPEED_CHARS]
    suggest(text)  # warm-up: compiled patterns
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        suggest(text)
        best = min(best, time.perf_counter() - started)
    return best * 1000


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
    ms = speed()
    console.print(
        f"suggestions for a {SPEED_CHARS:,}-character article: {ms:.1f} ms "
        f"(target ≤ {SPEED_TARGET_MS:.0f} ms)"
    )


if __name__ == "__main__":
    main()
