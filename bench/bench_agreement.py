"""Time the whole agreement report on a large synthetic corpus against the 10 s target.

    .venv/bin/python -m bench.bench_agreement [--documents N] [--seed S]

The workload is generated deterministically from the seed: N documents of about 2,000 code
points (words, some non-ASCII, paragraph breaks), 3 annotators, 20 spans each per document,
the annotators starting from shared "true" spans and then agreeing, shifting a boundary,
switching the label or marking something else. Generation is not timed; the report is, once,
in-process; so is rendering its tables.
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from review import AnnotatedSpan, DocumentAnnotations, agreement_report, render_report
from review.model import Marked
from store import Store
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

TARGET_SECONDS = 10.0
ANNOTATORS = ("alice", "bob", "carol")
LABELS = ("actor", "claim", "figure", "outcome")
WORDS = (
    "the minister said",
    "on Tuesday",
    "that",
    "unemployment fell",
    "to 4.2%",
    "in March",
    "according to",
    "officials",
    "Zürich",
    "São Paulo",
    "€1.5 billion",
    "“we will”",
    "claimed",
    "reporters",
    "the opposition",
    "denied",
    "figures",
    "released",
    "Ελλάδα",
    "🙂",
    "after",
)
SPANS_PER_ANNOTATOR = 20
TEXT_LENGTH = 2000


def synthetic_text(rng: random.Random) -> str:
    """About TEXT_LENGTH code points of words, with a paragraph break now and then."""
    parts: list[str] = []
    size = 0
    while size < TEXT_LENGTH:
        word = rng.choice(WORDS)
        separator = "\n\n" if rng.random() < 0.03 else " "
        parts.append(word + separator)
        size += len(word) + len(separator)
    return "".join(parts)[:TEXT_LENGTH]


def random_span(rng: random.Random, length: int) -> AnnotatedSpan:
    start = rng.randrange(0, length - 90)
    return AnnotatedSpan(start, start + rng.randint(3, 80), rng.choice(LABELS))


def annotator_view(
    rng: random.Random, truth: list[AnnotatedSpan], length: int
) -> list[AnnotatedSpan]:
    """One annotator's spans: mostly the true ones, some shifted, relabelled or replaced."""
    spans = []
    for span in truth:
        roll = rng.random()
        if roll < 0.70:
            spans.append(span)
        elif roll < 0.85:
            start = max(0, span.start + rng.randint(-4, 4))
            end = min(length, max(start + 1, span.end + rng.randint(-4, 4)))
            spans.append(AnnotatedSpan(start, end, span.label))
        elif roll < 0.95:
            spans.append(AnnotatedSpan(span.start, span.end, rng.choice(LABELS)))
        else:
            spans.append(random_span(rng, length))
    return spans


def workload(documents: int = 10_000, seed: int = 7) -> list[DocumentAnnotations]:
    """The benchmark corpus: every annotator did every document."""
    rng = random.Random(seed)
    corpus = []
    for number in range(documents):
        text = synthetic_text(rng)
        truth = [random_span(rng, len(text)) for _ in range(SPANS_PER_ANNOTATOR)]
        layers: dict[str, Sequence[Marked]] = {
            name: annotator_view(rng, truth, len(text)) for name in ANNOTATORS
        }
        corpus.append(DocumentAnnotations(f"doc-{number:05d}", text, layers))
    return corpus


def run(documents: int = 10_000, seed: int = 7) -> list[dict[str, Any]]:
    """One row per timed step (report, rendering), each with its seconds and the target."""
    corpus = workload(documents, seed)
    started = time.perf_counter()
    report = agreement_report(corpus, ANNOTATORS, LABELS)
    report_seconds = time.perf_counter() - started
    console = Console(file=io.StringIO(), width=120)
    started = time.perf_counter()
    console.print(render_report(report))
    render_seconds = time.perf_counter() - started
    size = f"{documents} documents x {len(ANNOTATORS)} annotators x {SPANS_PER_ANNOTATOR} spans"
    whole_seconds = time_whole_command(corpus, documents, seed)
    return [
        {
            "step": f"factmark agreement --json, whole run from the database ({size})",
            "seconds": whole_seconds,
            "target": TARGET_SECONDS,
            "report": report,
        },
        {
            "step": f"agreement_report ({size})",
            "seconds": report_seconds,
            "target": TARGET_SECONDS,
            "report": report,
        },
        {
            "step": "render_report (tables, worst documents)",
            "seconds": render_seconds,
            "target": None,
            "report": report,
        },
    ]


def study_database(corpus: list[DocumentAnnotations], documents: int, seed: int) -> Path:
    """The corpus imported into a SQLite file (every layer marked done), cached between runs."""
    path = Path(tempfile.gettempdir()) / "factmark-bench" / f"agreement-{documents}-{seed}-v2.db"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    with Store.open(building) as store:
        for start in range(0, len(corpus), 1000):
            store.import_items([_study_item(doc) for doc in corpus[start : start + 1000]])
    building.rename(path)
    return path


def _study_item(document: DocumentAnnotations) -> ImportItem:
    layers = tuple(
        LayerDraft(name, tuple(SpanDraft(s.start, s.end, s.label) for s in spans))
        for name, spans in document.layers.items()
    )
    return ImportItem(Article(text=document.text), layers)


def time_whole_command(corpus: list[DocumentAnnotations], documents: int, seed: int) -> float:
    """Seconds for `factmark agreement --json` in a child process, as a user runs it."""
    database = study_database(corpus, documents, seed)
    command = [sys.executable, "-m", "cli", "--db", str(database), "agreement", "--json"]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def render(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="factmark agreement: time for the whole report")
    for column in ("step", "seconds", "target", "verdict"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for row in rows:
        target = row["target"]
        verdict = "" if target is None else ("meets" if row["seconds"] <= target else "MISSES")
        table.add_row(
            row["step"], f"{row['seconds']:.2f}", f"<= {target:.0f} s" if target else "", verdict
        )
    report = rows[-1]["report"]
    table.caption = (
        f"{report['documents']} documents, {report['character']['units']:,} characters, "
        f"{report['token']['units']:,} tokens; character alpha "
        f"{report['character']['krippendorff_alpha']:.3f}"
    )
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    Console().print(render(run(args.documents, args.seed)))


if __name__ == "__main__":
    main()
