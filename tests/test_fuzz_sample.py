"""A fixed sample of the hostile corpus (bench.fuzz_corpus): one input of every kind imported by
a real `factmark import` process, the rest through the command's entry point in this process
(as the full run does: a process each took 4 minutes on a busy machine). Each input imports or
fails alone in one line naming it, within the time limit, leaving no partial document, and
nothing hostile reaches the terminal, in its output or later in `list`, `list --json` and every
export. `python -m bench fuzz` runs the whole corpus."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from bench.bench_fuzz import run_in_process
from bench.fuzz_corpus import (
    READ_BACK,
    TIME_LIMIT_SECONDS,
    check_outcome,
    corpus,
    hostile_bytes,
    sample,
    stored_problems,
)
from tests.conftest import run_factmark

# A process's start-up (about half a second, more on a busy machine) on top of the import's.
PROCESS_ALLOWANCE_SECONDS = 5.0


def _documents(db: Path) -> int:
    if not db.exists():
        return 0
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute("select count(*) from documents").fetchone()[0]


def test_the_corpus_is_deterministic_large_and_covers_every_format():
    cases = list(corpus())
    assert len(cases) >= 1_000
    assert [case.data for case in corpus(rounds=2)] == [case.data for case in cases[:46]]
    suffixes = {Path(case.name).suffix for case in cases}
    assert suffixes == {".html", ".txt", ".jsonl", ".json"}
    kinds = {case.kind for case in cases}
    assert {case.kind for case in sample()} == kinds and len(kinds) == 23


def test_a_sample_of_hostile_inputs_each_imports_or_fails_alone(tmp_path):
    db = tmp_path / "fuzz.db"
    problems: list[str] = []
    verdicts: dict[str, int] = {}
    seen: set[str] = set()
    for case in sample():
        path = tmp_path / case.name
        path.write_bytes(case.data)
        before = _documents(db)
        argv = ["--db", str(db), "--annotator", "fuzz", "import", str(path)]
        started = time.monotonic()
        if case.kind not in seen:  # the first of each kind: a real process
            result = run_factmark(*argv)
            code, out, err = result.returncode, result.stdout, result.stderr
            limit = TIME_LIMIT_SECONDS + PROCESS_ALLOWANCE_SECONDS
        else:
            code, out, err = run_in_process(argv)
            limit = TIME_LIMIT_SECONDS
        seen.add(case.kind)
        seconds = time.monotonic() - started
        outcome = check_outcome(str(path), code, out, err, seconds, _documents(db) - before, limit)
        verdicts[outcome.verdict] = verdicts.get(outcome.verdict, 0) + 1
        if outcome.problem:
            problems.append(f"{case.name}: {outcome.verdict}: {outcome.problem}")
    for command in READ_BACK:
        result = run_factmark("--db", str(db), *command)
        leaked = hostile_bytes(result.stdout) or hostile_bytes(result.stderr)
        if result.returncode != 0 or leaked:
            problems.append(f"{' '.join(command)}: exit {result.returncode}, {leaked}")
    problems += stored_problems(str(db))
    assert problems == []
    # Some of it imports (hostile, yet an article), some fails alone: both paths are exercised.
    assert verdicts.get("imported", 0) >= 10 and verdicts.get("failed alone", 0) >= 10
