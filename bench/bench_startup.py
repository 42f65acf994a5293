"""Start-up of the installed program, as whole processes: annotate's first paint, quick commands.

    .venv/bin/python -m bench.bench_startup [--runs N]

Everything runs through the console script beside this Python (`factmark` in the venv the bench
runs in), so it measures the program as installed, imports and all. Each figure is the median of
N runs (default 7), the programs alternated, after one unmeasured warm-up run of each.

- First paint: a 200,000-character article is imported into a temporary database. In a tmux
  server of its own (already running, so its start is not counted), a detached 120×36 session
  starts `factmark --db DB annotate DOC`, or a bare Textual app that shows the same text in a
  read-only TextArea (a script written to the temp directory, run by this Python); the pane is
  captured every POLL_SECONDS until the article's first words show. "first frame" is when the
  pane first shows anything. Target (issue 9): factmark at most 1.5 × the bare app.
- Commands: `factmark --help`, `list`, `config`, `export --format jsonl` and `claims` on the
  five-document demo database with its six checks (`factmark demo --no-open`), output to
  /dev/null: wall time of the process, and its CPU time (user + system, from
  RUSAGE_CHILDREN). Target (issue 9): at most 0.35 s wall.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.table import Table

from bench.bench_tui import article_text
from store import Store
from vocabulary.records import Article, ImportItem

Result = TypeVar("Result")

FACTMARK = Path(sys.executable).parent / "factmark"
ARTICLE_CHARACTERS = 200_000
TERMINAL_SIZE = (120, 36)
POLL_SECONDS = 0.005
PAINT_TIMEOUT_SECONDS = 60.0
PAINT_RATIO_TARGET = 1.5
COMMAND_TARGET_SECONDS = 0.35
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("list",),
    ("config",),
    ("export", "--format", "jsonl"),
    ("claims",),
)
# The bare app: what Textual alone needs to show the text (argv[1]) read-only.
BARE_APP = """\
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import TextArea


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield TextArea(Path(sys.argv[1]).read_text(encoding="utf-8"), read_only=True)


Bare().run()
"""


@dataclass(frozen=True)
class Paint:
    """Seconds from starting a program until the pane shows anything, and the article."""

    first_frame: float
    text: float


@dataclass(frozen=True)
class PaintRow:
    """Medians of one program's runs (seconds)."""

    program: str
    first_frame: float
    text: float


@dataclass(frozen=True)
class CommandRow:
    """Medians of one command's runs (seconds)."""

    command: str
    wall: float
    cpu: float


class Tmux:
    """A tmux server on a private socket (no user session is touched), kept up by an idle
    session so that starting a measured session does not start a server."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"factmark-bench-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.run("new-session", "-d", "-s", "idle", "sleep 86400")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = ["tmux", "-L", self.socket, "-f", "/dev/null", *args]
        return subprocess.run(command, capture_output=True, text=True, env=self.env, timeout=20)

    def screen(self, session: str) -> str:
        return self.run("capture-pane", "-p", "-t", session).stdout

    def pane_pid(self, session: str) -> int:
        return int(self.run("display-message", "-p", "-t", session, "#{pane_pid}").stdout)

    def close(self) -> None:
        self.run("kill-server")


def time_first_paint(tmux: Tmux, command: list[str], needle: str) -> Paint:
    """Start `command` in a new session; seconds until the pane shows anything, and `needle`."""
    width, height = TERMINAL_SIZE
    began = time.perf_counter()
    shell_command = shlex.join(["env", "TERM=xterm-256color", *command])
    tmux.run("new-session", "-d", "-s", "run", "-x", str(width), "-y", str(height), shell_command)
    first_frame = None
    while (elapsed := time.perf_counter() - began) < PAINT_TIMEOUT_SECONDS:
        screen = tmux.screen("run")
        if first_frame is None and screen.strip():
            first_frame = elapsed
        if needle in screen:
            _end_session(tmux, "run")
            return Paint(first_frame if first_frame is not None else elapsed, elapsed)
        time.sleep(POLL_SECONDS)
    shown = tmux.screen("run")
    _end_session(tmux, "run")
    sys.exit(f"{command[0]}: the article did not show in {PAINT_TIMEOUT_SECONDS:.0f} s:\n{shown}")


def _end_session(tmux: Tmux, session: str) -> None:
    """Close the session and wait until its program has exited, so it takes no CPU from the
    next run."""
    pid = tmux.pane_pid(session)
    tmux.run("kill-session", "-t", session)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def time_command(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `command` (its output discarded)."""
    cpu_before = _children_cpu()
    began = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True, timeout=60)
    return time.perf_counter() - began, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_env(folder: Path) -> dict[str, str]:
    """This environment without factmark settings, tmux's, or a user's configuration file."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FACTMARK_", "TMUX"))
    }
    return {
        **env,
        "FACTMARK_ANNOTATOR": "bench",
        "FACTMARK_DATA_DIR": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
    }


def _alternated(programs: Mapping[str, Callable[[], Result]], runs: int) -> dict[str, list[Result]]:
    """Each program's results: one warm-up run of each, then `runs` rounds, alternated."""
    for measure in programs.values():
        measure()
    results: dict[str, list[Result]] = {name: [] for name in programs}
    for _ in range(runs):
        for name, measure in programs.items():
            results[name].append(measure())
    return results


def measure_first_paint(folder: Path, env: dict[str, str], runs: int) -> list[PaintRow]:
    """factmark's annotate screen and the bare app on the same article (see the docstring)."""
    text = article_text(ARTICLE_CHARACTERS)
    database, text_file, bare_app = folder / "paint.db", folder / "article.txt", folder / "bare.py"
    with Store.open(database) as store:
        (outcome,) = store.import_items([ImportItem(Article(text=text, title="Start-up bench"))])
    text_file.write_text(text, encoding="utf-8")
    bare_app.write_text(BARE_APP, encoding="utf-8")
    needle = text[:40].split("\n")[0]
    commands = {
        "factmark": [str(FACTMARK), "--db", str(database), "annotate"] + [str(outcome.document_id)],
        "bare app": [sys.executable, str(bare_app), str(text_file)],
    }
    tmux = Tmux(env)
    try:
        programs = {
            name: partial(time_first_paint, tmux, command, needle)
            for name, command in commands.items()
        }
        results = _alternated(programs, runs)
    finally:
        tmux.close()
    return [_paint_row(name, paints) for name, paints in results.items()]


def _paint_row(program: str, paints: list[Paint]) -> PaintRow:
    return PaintRow(
        program,
        statistics.median(paint.first_frame for paint in paints),
        statistics.median(paint.text for paint in paints),
    )


def measure_commands(folder: Path, env: dict[str, str], runs: int) -> list[CommandRow]:
    """The quick commands on the demo database (see the docstring)."""
    database = folder / "demo.db"
    demo = [str(FACTMARK), "--db", str(database), "demo", "--no-open"]
    subprocess.run(demo, env=env, check=True, capture_output=True, timeout=300)
    programs = {
        " ".join(args): partial(time_command, [str(FACTMARK), "--db", str(database), *args], env)
        for args in COMMANDS
    }
    return [_command_row(name, timings) for name, timings in _alternated(programs, runs).items()]


def _command_row(command: str, timings: list[tuple[float, float]]) -> CommandRow:
    return CommandRow(
        f"factmark {command}",
        statistics.median(wall for wall, _ in timings),
        statistics.median(cpu for _, cpu in timings),
    )


def paint_report(rows: list[PaintRow], runs: int) -> Table:
    """First paint beside the bare app and the target."""
    factmark, bare = rows
    ratio = factmark.text / bare.text
    table = Table(title=f"First paint of a {ARTICLE_CHARACTERS:,}-character article in tmux")
    table.add_column("program")
    for heading in ("first frame", "article shown", "× bare", "target"):
        table.add_column(heading, justify="right")
    verdict = "met" if ratio <= PAINT_RATIO_TARGET else "MISSED"
    table.add_row(
        factmark.program,
        f"{factmark.first_frame:.2f}",
        f"{factmark.text:.2f}",
        f"{ratio:.2f}",
        f"≤ {PAINT_RATIO_TARGET}×: {verdict}",
    )
    table.add_row(bare.program, f"{bare.first_frame:.2f}", f"{bare.text:.2f}", "1.00", "reference")
    table.caption = (
        f"Seconds from start, whole processes in a {TERMINAL_SIZE[0]}×{TERMINAL_SIZE[1]} tmux "
        f"pane captured every {POLL_SECONDS * 1000:.0f} ms; medians of {runs} alternated runs."
    )
    return table


def commands_report(rows: list[CommandRow], runs: int) -> Table:
    """Each command's wall and CPU time beside the target."""
    table = Table(title="Quick commands on the five-document demo database")
    table.add_column("command")
    for heading in ("wall", "cpu", "target"):
        table.add_column(heading, justify="right")
    for row in rows:
        verdict = "met" if row.wall <= COMMAND_TARGET_SECONDS else "MISSED"
        table.add_row(
            row.command,
            f"{row.wall:.3f}",
            f"{row.cpu:.3f}",
            f"≤ {COMMAND_TARGET_SECONDS}: {verdict}",
        )
    table.caption = (
        f"Seconds, whole processes, output to /dev/null; medians of {runs} alternated runs."
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (median)")
    args = parser.parse_args()
    if args.runs < 1:
        sys.exit("--runs must be at least 1")
    if not FACTMARK.exists():
        sys.exit(f"no factmark script at {FACTMARK}: install factmark into this venv first")
    console = Console()
    with tempfile.TemporaryDirectory(prefix="factmark-bench-startup-") as scratch:
        folder = Path(scratch)
        env = bench_env(folder)
        console.print(commands_report(measure_commands(folder, env, args.runs), args.runs))
        if shutil.which("tmux") is None:
            console.print("First paint not measured: tmux is not installed.")
            return
        console.print(paint_report(measure_first_paint(folder, env, args.runs), args.runs))


if __name__ == "__main__":
    main()
