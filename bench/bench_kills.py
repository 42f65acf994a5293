"""kill -9 at random moments of an import, an export and a TUI session: nothing shown as saved
is lost, the database passes its checks, no half document, no half-written output file.

    .venv/bin/python -m bench kills
    .venv/bin/python -m bench.bench_kills [--rounds 10] [--seed N] [--pages 1200]
                                          [--only import,export,tui]

Every command is the installed program (`.venv/bin/factmark`), as a user runs it:

- import: a directory of many files (plain-text pages, and JSONL records that bring spans) into
  a database, fresh or already holding part of it, killed after a random delay (up to a little
  more than a whole import takes). Then `PRAGMA integrity_check` and `foreign_key_check`; every
  stored document must be one the uninterrupted import makes, with the same text, title and
  spans (a document comes with all of its spans or not at all); what the command printed before
  the kill must be true of the database; importing again must complete it to exactly the
  uninterrupted import's documents, counting the ones already there as duplicates.
- export: `export --format jsonl --source all -o FILE` killed likewise, FILE absent or holding an
  earlier export before. FILE must then be what it was (absent, or the earlier bytes) or the
  whole new export; files the export left beside it (`.FILE.*`) are counted, and removed before
  the next round.
- tui: `factmark annotate` in tmux (a new annotator each round) labels one to three phrases,
  waits for each "Saved label: “phrase”" on the screen, and is killed (kill -9 of the pane's
  process) at once after the last one. Every span shown as saved must be in the database.

`tests/test_kills.py` runs a few rounds of each in `make test`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.table import Table

FACTMARK = Path(sys.executable).with_name("factmark")
SEEDS = Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds"
ADMIN = "boss"
PAGES = 240  # plain-text pages in the import directory (the script: --pages)
RECORD_FILES, RECORDS = 6, 40  # JSONL files of annotated records, records in each
# Phrases of seed 002, in text order, with the label key that tags them and the label.
PHRASES = (
    ("Lin Jian", "1", "actor"),
    ("Musa Abu Marzouk", "1", "actor"),
    ("Wang Kejian", "1", "actor"),
    ("34,535 Palestinians", "3", "figure"),
    ("77,704 wounded", "3", "figure"),
    ("7,000 people", "3", "figure"),
)
TUI_DOCUMENT_NEEDLE = "34,535 Palestinians"


@dataclass
class KillTally:
    """What the kills of one kind did and found."""

    kind: str
    kills: int = 0  # processes killed while still running
    finished_first: int = 0  # rounds where the work ended before the kill came
    saved_checked: int = 0  # things shown (or printed) as saved, then looked for
    lost: list[str] = field(default_factory=list)  # shown as saved, not in the database
    broken: list[str] = field(default_factory=list)  # integrity, half documents, half files
    leftovers: list[str] = field(default_factory=list)  # temporary files left behind
    notes: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.lost + self.broken


def environment(home: Path, annotator: str = ADMIN) -> dict[str, str]:
    """The environment of a user with no config file, working as `annotator`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("FACTMARK_", "TMUX"))}
    return {
        **kept,
        "FACTMARK_ANNOTATOR": annotator,
        "FACTMARK_DATA_DIR": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "TERM": "xterm-256color",
    }


def factmark(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FACTMARK), *args], env=env, capture_output=True, text=True, timeout=600
    )


def _killed(
    command: list[str],
    env: dict[str, str],
    delay: float,
    ready: Callable[[], bool] | None = None,
) -> tuple[bool, str, str]:
    """Run `command` and kill -9 it `delay` seconds after it started, or after `ready()` first
    held; (whether it was still running, its stdout, its stderr). It runs in its own session,
    so that helpers it started (export workers) are found and ended afterwards, as its user's
    shell would leave them to die."""
    child = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    if ready is not None:
        deadline = time.monotonic() + 120
        while child.poll() is None and not ready() and time.monotonic() < deadline:
            time.sleep(0.005)
    try:
        child.wait(timeout=delay)
        running = False
    except subprocess.TimeoutExpired:
        running = True
        os.kill(child.pid, signal.SIGKILL)
    stdout, stderr = child.communicate(timeout=60)
    with contextlib.suppress(ProcessLookupError):  # anything of its own it left running
        os.killpg(child.pid, signal.SIGKILL)
    return running, stdout.decode(errors="replace"), stderr.decode(errors="replace")


def _timed(
    command: list[str], env: dict[str, str], ready: Callable[[], bool]
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run `command` to its end: (what it did, seconds in all, seconds until `ready()` held:
    the start of the work worth interrupting, after the program's start-up)."""
    began = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ready_at: float | None = None
    while child.poll() is None:
        if ready_at is None and ready():
            ready_at = time.perf_counter() - began
        time.sleep(0.005)
    stdout, stderr = child.communicate()
    total = time.perf_counter() - began
    done = subprocess.CompletedProcess(
        command, child.returncode, stdout.decode(errors="replace"), stderr.decode(errors="replace")
    )
    return done, total, total if ready_at is None else ready_at


def _moment(n: int, rng: random.Random, total: float, ready_at: float) -> tuple[float, bool]:
    """When round `n` kills: (seconds, whether they count from the work's start). One round in
    three anywhere in the run, start-up included; the others while the work is under way."""
    if n % 3 == 0:
        return rng.uniform(0.0, total * 1.1), False
    return rng.uniform(0.0, max(total - ready_at, 0.05) * 1.1), True


def _more_documents(db: Path, than: int) -> bool:
    return _count_documents(db) > than


def _writing(folder: Path, target: Path) -> bool:
    """The export has begun writing: its temporary file is there."""
    return bool(_temporary_files(folder, target))


def _count_documents(db: Path) -> int:
    """Documents committed in `db` so far (0 while it does not exist or is being created)."""
    if not db.exists():
        return 0
    try:
        with contextlib.closing(sqlite3.connect(db, timeout=0.2)) as connection:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def database_checks(db: Path) -> list[str]:
    """What `PRAGMA integrity_check` and `foreign_key_check` say, when it is not all well."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
    problems = [] if integrity == "ok" else [f"{db.name}: integrity_check says {integrity}"]
    if foreign:
        problems.append(f"{db.name}: {len(foreign)} rows fail foreign_key_check")
    return problems


# ---------------------------------------------------------------------------------------------
# Import


def write_import_corpus(folder: Path, seed: int = 5, pages_count: int = PAGES) -> Path:
    """A directory of many inputs: plain-text pages, and JSONL files of records with spans."""
    rng = random.Random(seed)
    pages = folder / "inputs"
    pages.mkdir(parents=True)
    sentence = (
        "Officials in district {d} said on day {n} that {k} families had been moved to shelters "
        "after the flooding, and that the figure could rise as teams reached the outer areas."
    )
    for n in range(pages_count):
        body = "\n\n".join(
            sentence.format(d=n, n=p, k=rng.randint(10, 99_999)) for p in range(rng.randint(3, 9))
        )
        (pages / f"page-{n:04d}.txt").write_text(f"Flood report {n}\n\n{body}\n", encoding="utf-8")
    for f in range(RECORD_FILES):
        lines = []
        for r in range(RECORDS):
            text = f"Record {f}-{r}: Hamas and Fatah met in Cairo on day {r}; {r * 7} attended."
            spans = [
                {"start": 0, "end": 6, "label": "figure"},
                {"start": text.index("Hamas"), "end": text.index("Hamas") + 5, "label": "actor"},
                {"start": text.index("Cairo"), "end": text.index("Cairo") + 5, "label": "actor"},
            ]
            lines.append(json.dumps({"text": text, "meta": {"title": f"R{f}-{r}"}, "spans": spans}))
        (pages / f"records-{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pages


Documents = dict[str, tuple[str, str | None, tuple[tuple[str, int, int, str], ...]]]


def stored_documents(db: Path) -> Documents:
    """Every document by its text's sha256: (text, title, its spans as (layer, start, end,
    label), sorted). Read with sqlite3 itself, as a stranger to factmark would."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if "documents" not in tables:
            return {}
        rows = connection.execute("SELECT id, text, text_sha256, title FROM documents").fetchall()
        spans: dict[int, list[tuple[str, int, int, str]]] = {}
        query = (
            "SELECT s.document_id, coalesce(a.name, 'gold'), s.start, s.end, s.label "
            "FROM spans s LEFT JOIN annotators a ON a.id = s.annotator_id"
        )
        for doc_id, layer, start, end, label in connection.execute(query):
            spans.setdefault(doc_id, []).append((layer, start, end, label))
    found: Documents = {}
    for doc_id, text, digest, title in rows:
        found[digest] = (text, title, tuple(sorted(spans.get(doc_id, []))))
    return found


def _printed_count(stdout: str) -> int | None:
    """N of the summary line `imported N, duplicates N, failed N`, if it was printed."""
    for line in stdout.splitlines():
        if line.startswith("imported "):
            return int(line.split(",")[0].split()[1])
    return None


def kill_imports(work: Path, rounds: int, rng: random.Random, pages: int = PAGES) -> KillTally:
    tally = KillTally("import")
    home = work / "home"
    env = environment(home)
    inputs = write_import_corpus(work / "corpus", pages_count=pages)
    reference_db = work / "reference.db"
    finished, whole_seconds, first_commit = _timed(
        [str(FACTMARK), "--db", str(reference_db), "import", str(inputs)],
        env,
        partial(_more_documents, reference_db, 0),
    )
    if finished.returncode != 0:
        tally.broken.append(f"the uninterrupted import failed: {finished.stderr.strip()}")
        return tally
    reference = stored_documents(reference_db)
    tally.notes.append(
        f"{len(reference)} documents; an uninterrupted import takes {whole_seconds:.1f} s, "
        f"its first commit at {first_commit:.1f} s"
    )
    present: list[str] = []
    for n in range(rounds):
        db = work / f"import-{n}.db"
        if n % 2:  # half the rounds import into a database that already holds some of it
            factmark(env, "--db", str(db), "import", *sorted(map(str, inputs.glob("page-00*"))))
        before = stored_documents(db)
        delay, in_work = _moment(n, rng, whole_seconds, first_commit)
        command = [str(FACTMARK), "--db", str(db), "import", str(inputs)]
        committed = len(before)
        running, stdout, stderr = _killed(
            command,
            env,
            delay,
            partial(_more_documents, db, committed) if in_work else None,
        )
        _count_round(tally, n, running, stderr)
        tally.broken += [f"round {n}: {p}" for p in database_checks(db)]
        stored = stored_documents(db)
        present.append(f"{len(before)}→{len(stored)}")
        for digest, document in stored.items():
            if reference.get(digest) != document:
                title = document[1]
                tally.broken.append(
                    f"round {n}: document {title!r} differs from its source "
                    f"({len(document[2])} spans)"
                )
        tally.lost += [
            f"round {n}: a document already there went" for d in before if d not in stored
        ]
        printed = _printed_count(stdout)
        if printed is not None:  # it said how many it imported: they must all be there
            tally.saved_checked += printed
            if len(stored) - len(before) != printed:
                tally.lost.append(
                    f"round {n}: printed imported {printed}, {len(stored) - len(before)} are there"
                )
        tally.saved_checked += len(before)
        again = factmark(env, "--db", str(db), "import", str(inputs))
        summary = again.stdout.strip().splitlines()[-1:] or [again.stderr.strip()]
        expected = f"imported {len(reference) - len(stored)}, duplicates {len(stored)}, failed 0"
        if again.returncode != 0 or summary[0] != expected:
            tally.broken.append(
                f"round {n}: importing again said {summary[0]!r}, expected {expected!r}"
            )
        if stored_documents(db) != reference:
            tally.broken.append(f"round {n}: importing again did not give the whole corpus")
        tally.broken += [f"round {n} (again): {p}" for p in database_checks(db)]
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    tally.notes.append("documents before → after each kill: " + ", ".join(present))
    return tally


# ---------------------------------------------------------------------------------------------
# Export


def _count_round(tally: KillTally, n: int, running: bool, stderr: str) -> None:
    """One round's kill (or the program finishing first), and a traceback as a breakage."""
    tally.kills += running
    tally.finished_first += not running
    if "Traceback" in stderr:
        tally.broken.append(f"round {n}: a traceback on stderr")


def _temporary_files(folder: Path, target: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(f".{target.name}"))


def kill_exports(work: Path, rounds: int, rng: random.Random) -> KillTally:
    tally = KillTally("export")
    home = work / "home"
    env = environment(home)
    db = work / "export.db"
    inputs = write_import_corpus(work / "export-corpus", seed=9)
    # A larger database makes a longer export: the corpus, imported under five names.
    for name in (ADMIN, "ana", "ben", "cy", "dee"):
        factmark({**env, "FACTMARK_ANNOTATOR": name}, "--db", str(db), "import", str(inputs))
    out = work / "out"
    out.mkdir()
    reference = out / "reference.jsonl"
    command = ["--db", str(db), "export", "--format", "jsonl", "--source", "all"]
    finished, whole_seconds, writing_at = _timed(
        [str(FACTMARK), *command, "-o", str(reference)],
        env,
        partial(_writing, out, reference),
    )
    if finished.returncode != 0:
        tally.broken.append(f"the uninterrupted export failed: {finished.stderr.strip()}")
        return tally
    complete = reference.read_bytes()
    lines = complete.count(b"\n")
    tally.notes.append(
        f"{lines:,} lines, {len(complete) / 1e6:.1f} MB; an "
        f"uninterrupted export takes {whole_seconds:.1f} s, writing from {writing_at:.1f} s"
    )
    earlier = b'{"an": "earlier export"}\n'
    for n in range(rounds):
        target = out / "export.jsonl"
        target.unlink(missing_ok=True)
        if n % 2:
            target.write_bytes(earlier)
        was = target.read_bytes() if target.exists() else None
        delay, in_work = _moment(n, rng, whole_seconds, writing_at)
        running, _stdout, stderr = _killed(
            [str(FACTMARK), *command, "-o", str(target)],
            env,
            delay,
            partial(_writing, out, target) if in_work else None,
        )
        _count_round(tally, n, running, stderr)
        now = target.read_bytes() if target.exists() else None
        if now not in (was, complete):
            size = "absent" if now is None else f"{len(now):,} bytes"
            tally.broken.append(f"round {n}: the output is half written ({size})")
        if now == complete:
            tally.saved_checked += 1
        # A kill -9 cannot be caught, so its temporary file stays until the next export to the
        # same place, which removes it (its process is gone): the next round is that export.
        tally.leftovers += [f"round {n}: {left.name}" for left in _temporary_files(out, target)]
        tally.broken += [f"round {n}: {p}" for p in database_checks(db)]
    target = out / "export.jsonl"
    finished = subprocess.run(
        [str(FACTMARK), *command, "-o", str(target)], env=env, capture_output=True, text=True
    )
    if finished.returncode != 0 or target.read_bytes() != complete:
        tally.broken.append(f"the export after the kills failed: {finished.stderr.strip()}")
    tally.broken += [
        f"left by a killed export and not removed by the next one: {left.name}"
        for left in _temporary_files(out, target)
    ]
    return tally


# ---------------------------------------------------------------------------------------------
# The TUI in tmux


class Tmux:
    """One detached tmux session on a private server socket."""

    def __init__(self) -> None:
        self.socket = f"factmark-kills-{uuid.uuid4().hex[:8]}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = ["tmux", "-L", self.socket, "-f", "/dev/null", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e").stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "e2e", *(["-l"] if literal else []), *keys)

    def pid(self) -> int:
        return int(self.run("display-message", "-p", "-t", "e2e", "#{pane_pid}").stdout)

    def wait_for_text(self, text: str, seconds: float = 30) -> bool:
        return self.wait_for(lambda screen: text in screen, seconds)

    def wait_for(self, condition: Callable[[str], bool], seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition(self.screen()):
                return True
            time.sleep(0.05)
        return False


def kill_tui_sessions(work: Path, rounds: int, rng: random.Random) -> KillTally:
    tally = KillTally("tui")
    if shutil.which("tmux") is None:
        tally.notes.append("tmux is not installed: no TUI kills")
        return tally
    home = work / "home"
    db = work / "tui.db"
    env = environment(home)
    factmark(env, "--db", str(db), "import", *map(str, sorted(SEEDS.glob("*.txt"))))
    with sqlite3.connect(db) as connection:
        (doc_id,) = connection.execute(
            "SELECT id FROM documents WHERE instr(text, ?) > 0", (TUI_DOCUMENT_NEEDLE,)
        ).fetchone()
    for n in range(rounds):
        annotator = f"k{n}"
        chosen = sorted(rng.sample(range(len(PHRASES)), rng.randint(1, 3)))
        shown = _label_and_kill(db, home, annotator, doc_id, [PHRASES[i] for i in chosen], tally)
        tally.broken += [f"round {n}: {p}" for p in database_checks(db)]
        with sqlite3.connect(db) as connection:
            stored = set(
                connection.execute(
                    "SELECT substr(d.text, s.start + 1, s.end - s.start), s.label FROM spans s "
                    "JOIN annotators a ON a.id = s.annotator_id "
                    "JOIN documents d ON d.id = s.document_id WHERE a.name = ?",
                    (annotator,),
                ).fetchall()
            )
        for phrase, label in shown:
            tally.saved_checked += 1
            if (phrase, label) not in stored:
                tally.lost.append(f"round {n}: {label} “{phrase}” was shown saved")
    return tally


def _label_and_kill(
    db: Path,
    home: Path,
    annotator: str,
    doc_id: int,
    phrases: list[tuple[str, str, str]],
    tally: KillTally,
) -> list[tuple[str, str]]:
    """Label `phrases` in `factmark annotate` in tmux, each until the screen says it is saved;
    kill -9 the program right after the last. What the screen showed as saved."""
    env = environment(home, annotator)
    exported = {
        k: env[k] for k in ("FACTMARK_ANNOTATOR", "XDG_CONFIG_HOME", "TERM", "FACTMARK_DATA_DIR")
    }
    command = " ".join(
        ["env", *(f"{k}={shlex.quote(v)}" for k, v in exported.items())]
        + [shlex.quote(str(FACTMARK)), "--db", shlex.quote(str(db)), "annotate", str(doc_id)]
    )
    tmux = Tmux()
    shown: list[tuple[str, str]] = []
    try:
        tmux.run("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36", command)
        if not tmux.wait_for(lambda s: f"annotator {annotator}" in s and "characters" in s):
            tally.notes.append(f"{annotator}: the annotate screen did not show")
            return shown
        for phrase, key, label in phrases:
            tmux.keys("/")
            tmux.keys(phrase, literal=True)
            tmux.keys("Enter")
            if not tmux.wait_for_text("Found at"):
                tally.notes.append(f"{annotator}: {phrase!r} was not found")
                break
            tmux.keys(key)
            saved = f"Saved {label}: “{phrase}"
            if not tmux.wait_for_text(saved):
                tally.notes.append(f"{annotator}: {phrase!r} was not shown saved")
                break
            shown.append((phrase, label))
        pid = tmux.pid()
        os.kill(pid, signal.SIGKILL)  # at once: the label's "Saved" has just been drawn
        tally.kills += 1
    finally:
        tmux.run("kill-server")
    return shown


# ---------------------------------------------------------------------------------------------
# The table


KINDS: dict[str, Callable[[Path, int, random.Random], KillTally]] = {
    "import": kill_imports,
    "export": kill_exports,
    "tui": kill_tui_sessions,
}


def run(rounds: int, seed: int, only: list[str], pages: int = PAGES) -> list[KillTally]:
    rng = random.Random(seed)
    tallies = []
    with tempfile.TemporaryDirectory(prefix="factmark-kills-") as folder:
        for kind in only:
            work = Path(folder) / kind
            work.mkdir()
            if kind == "import":
                tallies.append(kill_imports(work, rounds, rng, pages))
            else:
                tallies.append(KINDS[kind](work, rounds, rng))
    return tallies


def report(tallies: list[KillTally]) -> Table:
    table = Table(title="kill -9 at random moments (the installed factmark)")
    for heading in ("killed", "kills", "ended", "checked", "lost", "broken", "leftovers", "target"):
        table.add_column(heading, justify="right")
    for tally in tallies:
        verdict = "met" if not tally.problems else "MISSED"
        table.add_row(
            tally.kind,
            str(tally.kills),
            str(tally.finished_first),
            str(tally.saved_checked),
            str(len(tally.lost)),
            str(len(tally.broken)),
            str(len(tally.leftovers)),
            f"0 lost/broken: {verdict}",
        )
    lines = [f"{t.kind}: {note}" for t in tallies for note in t.notes]
    lines += [f"{t.kind}: {p}" for t in tallies for p in t.problems[:5]]
    lines += [f"{t.kind} leftover: {p}" for t in tallies for p in t.leftovers[:3]]
    if any(t.leftovers for t in tallies):
        lines.append(
            "leftovers: temporary files seen right after a kill -9 (it cannot be caught); the "
            "next export to the same place removes them, and one that survives it is broken"
        )
    table.caption = "\n".join(lines)
    table.caption_justify = "left"
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="kills of each kind (10)")
    parser.add_argument("--seed", type=int, default=12, help="the random moments' seed")
    parser.add_argument("--only", default="import,export,tui", help="kinds, comma separated")
    parser.add_argument(
        "--pages", type=int, default=1200, help="text pages in the import directory (1200)"
    )
    args = parser.parse_args()
    only = [kind for kind in args.only.split(",") if kind]
    unknown = [kind for kind in only if kind not in KINDS]
    if unknown:
        raise SystemExit(f"unknown kind {', '.join(unknown)}; choose from {', '.join(KINDS)}")
    if not FACTMARK.exists():
        raise SystemExit(f"factmark is not installed at {FACTMARK} (make install)")
    Console().print(report(run(args.rounds, args.seed, only, args.pages)))


if __name__ == "__main__":
    main()
