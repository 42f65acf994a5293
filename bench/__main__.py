"""`make bench`: every benchmark in one run, each printing its figures beside its targets.

python -m bench [html meta text tui keys review agreement figures export import startup
                 entities suggest search claims checks keep load kills fuzz pgroles]
(default: all)
"""

from __future__ import annotations

import sys
from importlib import import_module

from rich.console import Console
from rich.rule import Rule

BENCHMARKS = {
    "html": ("bench.bench_html", "Cleaning saved HTML pages (extraction dev set)"),
    "meta": ("bench.bench_meta", "HTML metadata: date, author, title (extraction dev set)"),
    "text": ("bench.bench_text", "Cleaning plain-text scrapes (dev set text dumps, seeds)"),
    "tui": ("bench.bench_tui", "The annotation screen on short and long articles"),
    "keys": ("bench.bench_keys", "Keys per span: a scripted annotator tags seed 002 in the app"),
    "review": ("bench.bench_review", "The review screen opening documents"),
    "agreement": ("bench.bench_agreement", "Agreement figures on a large synthetic study"),
    "figures": ("bench.bench_figures", "Figures kept per document: review list, agreement"),
    "export": ("bench.bench_export", "JSONL export of 1,000,000 spans against sqlite3 -json"),
    "import": ("bench.bench_import", "JSONL import of 1,000,000 spans (the export's round trip)"),
    "startup": ("bench.bench_startup", "Start-up of the installed program: first paint, commands"),
    "entities": ("bench.bench_entities", "The entity picker filtering 10,000 entities as you type"),
    "suggest": ("bench.bench_suggest", "Suggestions: quality on the hand-annotated fixture, speed"),
    "search": ("bench.bench_search", "Full-text search over 100,000 documents"),
    "claims": ("bench.bench_claims", "Claim matching: the labelled set, checked before? at scale"),
    "fuzz": ("bench.bench_fuzz", "1,380 hostile inputs imported: each imports or fails alone"),
    "pgroles": (
        "bench.bench_pg_roles",
        "PostgreSQL: a span write with row-level security on and off",
    ),
    "checks": (
        "bench.bench_checks",
        "3,000 checks imported and exported (ClaimReview, checks, JSONL)",
    ),
    "keep": ("bench.bench_keep", "backup and db check of a 100,000-span file while one writes"),
    "load": ("bench.bench_load", "8 writers and a reader on one database for 30 s: nothing lost"),
    "kills": ("bench.bench_kills", "kill -9 during import, export and a TUI session: nothing lost"),
}


def main(names: list[str]) -> None:
    console = Console()
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    for name in names or list(BENCHMARKS):
        module, title = BENCHMARKS[name]
        console.print(Rule(title))
        saved, sys.argv = sys.argv, [module]  # each benchmark parses its own (empty) arguments
        try:
            import_module(module).main()
        finally:
            sys.argv = saved


if __name__ == "__main__":
    main(sys.argv[1:])
