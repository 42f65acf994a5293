"""Import every input of the hostile corpus (bench.fuzz_corpus) and count what each did.

    .venv/bin/python -m bench fuzz              # the whole corpus, in-process
    .venv/bin/python -m bench.bench_fuzz [--rounds N] [--processes]

Each input is written to a file and imported into one SQLite database with the command's own
entry point (`cli.main`, in this process: 20 times faster than a process per input; output
captured as a terminal would get it, and anything it could not encode as UTF-8 is a leak);
`--processes` runs `factmark import` as a child process per input instead. The database's
document count is read before and after each. Every 100 inputs and at the end, `list`,
`list --json` and every export format must exit 0 and print nothing hostile, and the stored
documents must hold nothing hostile. Printed: inputs, imported, failed alone, over the time
limit, crashes, leaks (and partial imports), seconds; then each problem found.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.fuzz_corpus import (
    READ_BACK,
    TIME_LIMIT_SECONDS,
    Case,
    check_outcome,
    corpus,
    hostile_bytes,
    stored_problems,
)

HARD_LIMIT_SECONDS = 120  # an input still running then is stopped (and counted over time)
CHECK_EVERY = 100


class _Stuck(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Stuck


def run_in_process(argv: Sequence[str]) -> tuple[int, bytes, bytes]:
    """`factmark ARGV` through its entry point, its output the bytes a terminal would get (a
    strict UTF-8 stream, as a real one: what cannot be encoded fails as it would there)."""
    import cli.main as cli

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(HARD_LIMIT_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(argv))
    except _Stuck:
        code = -9
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return code, _written(out), _written(err)


def _written(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()


def run_process(argv: Sequence[str]) -> tuple[int, bytes, bytes]:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cli", *argv],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=HARD_LIMIT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return -9, b"", b""
    return done.returncode, done.stdout, done.stderr


def documents(db: Path) -> int:
    if not db.exists():
        return 0
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return int(connection.execute("select count(*) from documents").fetchone()[0])


def read_back_problems(db: Path, run: Any) -> list[str]:
    problems = []
    for command in READ_BACK:
        code, out, err = run(["--db", str(db), *command])
        leaked = hostile_bytes(out) or hostile_bytes(err)
        if code != 0 or leaked:
            reason = leaked or err.decode("utf-8", "replace").strip()[-200:]
            problems.append(f"{' '.join(command)}: exit {code}: {reason}")
    return problems + stored_problems(str(db))


def fuzz(cases: list[Case], workdir: Path, *, processes: bool = False) -> tuple[Counter, list]:
    """Import each case; the verdict counts and the problems found (case name, problem)."""
    run = run_process if processes else run_in_process
    db = workdir / "fuzz.db"
    counts: Counter[str] = Counter()
    problems: list[tuple[str, str]] = []
    for number, case in enumerate(cases, start=1):
        path = workdir / case.name
        path.write_bytes(case.data)
        before = documents(db)
        started = time.monotonic()
        code, out, err = run(["--db", str(db), "--annotator", "fuzz", "import", str(path)])
        seconds = time.monotonic() - started
        outcome = check_outcome(str(path), code, out, err, seconds, documents(db) - before)
        counts[outcome.verdict] += 1
        if outcome.problem:
            problems.append((case.name, f"{outcome.verdict}: {outcome.problem}"))
        path.unlink()
        if number % CHECK_EVERY == 0 or number == len(cases):
            found = read_back_problems(db, run)
            counts["read-back leaks"] += len(found)
            problems += [(f"after {case.name}", problem) for problem in found]
    return counts, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60, help="rounds of every kind (60)")
    parser.add_argument("--processes", action="store_true", help="a process per input")
    args = parser.parse_args()
    console = Console()
    cases = list(corpus(rounds=args.rounds))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="factmark-fuzz-") as tmp:
        counts, problems = fuzz(cases, Path(tmp), processes=args.processes)
    seconds = time.monotonic() - started
    table = Table(
        title=f"{len(cases)} hostile inputs ({'processes' if args.processes else 'in-process'})"
    )
    for column in (
        "inputs",
        "imported",
        "failed alone",
        "over time limit",
        "crashes",
        "leaks",
        "seconds",
    ):
        table.add_column(column, justify="right")
    leaks = counts["leak"] + counts["partial"] + counts["read-back leaks"]
    table.add_row(
        str(len(cases)),
        str(counts["imported"]),
        str(counts["failed alone"]),
        str(counts["over time"]),
        str(counts["crash"]),
        str(leaks),
        f"{seconds:.0f}",
    )
    console.print(table)
    console.print(
        f"time limit {TIME_LIMIT_SECONDS:.0f} s per input; targets: 0 over, 0 crashes, 0 leaks"
    )
    for name, problem in problems:
        console.print(f"{name}: {problem}", markup=False, highlight=False)


if __name__ == "__main__":
    main()
