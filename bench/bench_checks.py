"""Checks in and out at desk scale: 3,000 checks on 1,000 documents.

A native JSONL file of 1,000 articles, each with three claims that are each a published check
(a verdict, a claimant among 50 speakers, two evidence items), is imported; then the checks are
exported as ClaimReview, as the checks JSONL and as native JSONL, and the native export is
imported into a fresh database. Each step runs the installed command line, as a desk would,
and is timed from start to exit; the same file without its checks is imported for comparison.

Targets: importing the checks costs at most twice the import without them; every export of
3,000 checks ends within 5 s (no query per check: the reads are a fixed handful of queries).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

DOCUMENTS = 1000
CLAIMS = 3  # per document, each its own check
EXPORT_TARGET_S = 5.0
IMPORT_RATIO_TARGET = 2.0
_WORDS = ("ministry", "said", "talks", "failed", "agreement", "ceasefire", "people", "aid")
_RATINGS = ("True", "Mostly true", "Half true", "Mostly false", "False")
CONFIG = 'organisation = "Bench Desk"\nreview_url = "https://factcheck.example.org/{check_id}"\n'


def _record(rng: random.Random, number: int, with_checks: bool) -> dict[str, object]:
    sentences = [
        " ".join(rng.choice(_WORDS) for _ in range(12)).capitalize() + f" ({number}-{k})."
        for k in range(CLAIMS * 2)
    ]
    text = " ".join(sentences)
    spans, position = [], 0
    for k, sentence in enumerate(sentences[::2]):
        start = text.index(sentence, position)
        position = start + len(sentence)
        attrs = {"check": _check(rng, number, k)} if with_checks else {}
        spans.append(
            {"id": f"s-{number}-{k}", "start": start, "end": position - 1, "label": "claim",
             "attrs": attrs}
        )  # fmt: skip
    meta = {"title": f"Article {number}", "url": f"https://news.example.org/{number}",
            "outlet": "Example News", "published": "2024-05-01"}  # fmt: skip
    return {"text": text, "meta": meta, "spans": spans, "_annotator_id": "alice"}


def _check(rng: random.Random, number: int, k: int) -> dict[str, object]:
    speaker = number % 50
    return {
        "id": f"c-{number:06x}{k:06x}",
        "claim": f"Claim {k} of article {number}",
        "status": "published",
        "assignee": "alice",
        "claimant": {"id": f"e-{speaker:012x}", "name": f"Speaker {speaker}", "type": "Person"},
        "verdict": {
            "rating": rng.choice(_RATINGS),
            "explanation": "Because the records say so.",
            "summary": "Short.",
            "url": None,
            "date": "2024-05-02",
            "reviewed_by": "carol",
        },  # fmt: skip
        "evidence": [
            {"url": f"https://example.org/{number}/{k}", "title": "Source", "stance": "refutes"},
            {"url": f"https://example.org/{number}/{k}/b", "publisher": "UN", "stance": "context"},
        ],
    }


def _write(path: Path, with_checks: bool) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for number in range(DOCUMENTS):
            out.write(json.dumps(_record(rng, number, with_checks)) + "\n")


def _timed(*args: str) -> float:
    factmark = Path(sys.executable).with_name("factmark")
    started = time.perf_counter()
    subprocess.run([str(factmark), *args], check=True, capture_output=True)
    return time.perf_counter() - started


def _import(db: str, path: Path) -> float:
    return _timed("--db", db, "--annotator", "admin", "import", str(path))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="factmark-bench-checks-") as where:
        tmp = Path(where)
        checks, bare = tmp / "checks.jsonl", tmp / "bare.jsonl"
        _write(checks, True)
        _write(bare, False)
        config = tmp / "config.toml"
        config.write_text(CONFIG, encoding="utf-8")
        db, fresh, plain = (str(tmp / name) for name in ("desk.db", "fresh.db", "plain.db"))
        rows: list[tuple[str, float, float | None]] = [
            ("import 1,000 articles without checks", _import(plain, bare), None),
            ("import the same with 3,000 checks", _import(db, checks), None),
        ]
        for fmt in ("claimreview", "checks", "jsonl"):
            output = str(tmp / f"out.{fmt}")
            args = ("--db", db, "--config", str(config), "export", "--format", fmt)
            extra = ("--source", "all") if fmt == "jsonl" else ()
            seconds = _timed(*args, *extra, "-o", output)
            rows.append((f"export --format {fmt}", seconds, EXPORT_TARGET_S))
        native = tmp / "out.jsonl"
        rows.append(("import the native export (3,000 checks)", _import(fresh, native), None))
        reviews = len(json.loads((tmp / "out.claimreview").read_text(encoding="utf-8")))
    _report(rows, reviews)


def _report(rows: list[tuple[str, float, float | None]], reviews: int) -> None:
    table = Table("step", "seconds", "target", "verdict")
    ratio = rows[1][1] / rows[0][1]
    for step, seconds, target in rows:
        shown, verdict = "", ""
        if target is not None:
            shown, verdict = f"<= {target:.0f} s", "meets" if seconds <= target else "MISSES"
        table.add_row(step, f"{seconds:.2f}", shown, verdict)
    console = Console()
    console.print(table)
    met = "meets" if ratio <= IMPORT_RATIO_TARGET else "MISSES"
    console.print(
        f"importing the checks: {ratio:.2f}x the import without them "
        f"(target <= {IMPORT_RATIO_TARGET:.0f}x: {met}); {reviews} ClaimReviews written",
        highlight=False,
    )


if __name__ == "__main__":
    main()
