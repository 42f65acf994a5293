"""Many annotators at once on one database: nothing a writer was told is saved may be lost.

    .venv/bin/python -m bench load
    .venv/bin/python -m bench.bench_load [--writers 8] [--seconds 30]
                                         [--backend sqlite|postgres|all] [--logs DIR]

Each writer is its own process with its own `Store.open(target, user=NAME)`, as a `factmark
annotate` session is, and writes the way the annotate screen does: one store call per change,
each its own short transaction: new spans (label keys), notes (`e`), links between its spans
(`l`) and done marks (`d`, here toggled so that the mark's last state is what is checked). It
appends every write the store acknowledged to its own log file (flushed at once), and every
exception a store call raised (a StoreError after the store's own retries is what a user would
see as "Could not ..."). A ninth process reads as the review list and the review screen do
(`role_of`, `list_documents`, `review_document`), in a loop; each round is one "refresh".

Afterwards every logged write is looked for in the database: a span with its offsets and label,
a note as the last one written, a link, a done mark as last set. "Lost" counts those not
found; "unacknowledged" counts rows no writer was told of (a write reported failed that committed
anyway). The event log must hold one event per acknowledged write. On PostgreSQL
(FACTMARK_TEST_POSTGRES_URL, a server URL) the run uses a throw-away database it drops after.
`tests/test_store_load.py` runs a short version in `make test`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import sqlite3
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from store import Store
from store.events import DONE, RELATION_ADD, SPAN_ADD, SPAN_NOTE
from vocabulary.records import Article, ImportItem

POSTGRES_ENV = "FACTMARK_TEST_POSTGRES_URL"
DOCUMENTS = 12
LABELS = ("actor", "claim", "figure", "outcome")
LINK = "said_by"
REVIEWER = "rev"
ADMIN = "boss"
# What a writer does, in proportion: mostly labelling, as people do.
MIX = (("span", 5), ("note", 2), ("link", 2), ("done", 1))
TARGET_LOST = 0
TARGET_ERRORS = 0
TARGET_WRITES_PER_SECOND = 50.0  # 8 people labelling flat out at a few a second each
TARGET_WRITE_P95_MS = 250.0  # "Saved" should follow a key at once
TARGET_WRITE_MAX_MS = 2_000.0  # nobody waits seconds (the store retries for up to 30 s)
TARGET_READ_P95_MS = 500.0  # a refresh of the review screen


def article(number: int, characters: int = 4_000) -> str:
    """A news-like text of about `characters`, different for each number."""
    sentence = (
        "Officials in district {d} said on day {n} that {k} families had returned home after the "
        "talks, while the ministry disputed the figure of {k} and called for an inquiry. "
    )
    parts, size, k = [], 0, 0
    while size < characters:
        part = sentence.format(d=number, n=k, k=number * 100 + k)
        parts.append(part)
        size += len(part)
        k += 1
    return "".join(parts)[:characters]


def writer_names(count: int) -> list[str]:
    return [f"w{n}" for n in range(1, count + 1)]


# ---------------------------------------------------------------------------------------------
# The processes


def _log(log: Any, entry: dict[str, Any]) -> None:
    log.write(json.dumps(entry) + "\n")
    log.flush()  # what the writer was told survives the writer


def _write_loop(
    target: str, name: str, log_path: str, seconds: float, seed: int, gate: Any
) -> None:
    """One annotator: open the store as `name`, then write until the time is up, logging each
    acknowledged write and each failure."""
    rng = random.Random(seed)
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            store = Store.open(target, user=name)
        except Exception as exc:  # noqa: BLE001 - counted as an error the user would see
            _log(log, {"error": f"open: {type(exc).__name__}: {exc}"})
            gate.wait()
            return
        documents = [(d.id, d.length) for d in store.list_documents()]
        spans: dict[int, list[int]] = {doc_id: [] for doc_id, _ in documents}
        made: Counter[int] = Counter()  # spans made per document: unique offsets
        done: dict[int, bool] = {}
        gate.wait()
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            n += 1
            doc_id, length = rng.choice(documents)
            kind = rng.choice(kinds)
            if kind in ("note", "link") and len(spans[doc_id]) < 2:
                kind = "span"
            began = time.perf_counter()
            try:
                if kind == "span":
                    k = made[doc_id]
                    made[doc_id] += 1
                    start = (k * 7) % (length - 20)
                    end = start + 3 + (k // ((length - 20) // 7 + 1)) % 12
                    label = LABELS[k % len(LABELS)]
                    span = store.add_span(doc_id, name, start, end, label)
                    entry: dict[str, Any] = {"id": span.id, "start": start, "end": end}
                    entry["label"] = label
                    spans[doc_id].append(span.id)
                elif kind == "note":
                    span_id = rng.choice(spans[doc_id])
                    note = f"{name} note {n}"
                    store.set_note(span_id, name, note)
                    entry = {"id": span_id, "note": note}
                elif kind == "link":
                    head, child = spans[doc_id][-1], rng.choice(spans[doc_id][:-1])
                    relation = store.add_relation(doc_id, name, head, child, LINK)
                    entry = {"id": relation.id, "head": head, "child": child}
                else:
                    now = not done.get(doc_id, False)
                    store.set_done(doc_id, name, now)
                    done[doc_id] = now
                    entry = {"done": now}
            except Exception as exc:  # noqa: BLE001 - what reaches a user, counted
                _log(log, {"kind": kind, "doc": doc_id, "error": f"{type(exc).__name__}: {exc}"})
                continue
            elapsed = (time.perf_counter() - began) * 1000
            at = round(seconds - (deadline - time.monotonic()), 3)
            _log(log, {"kind": kind, "doc": doc_id, "ms": round(elapsed, 3), "at": at, **entry})
        store.close()


def _read_loop(target: str, log_path: str, seconds: float, gate: Any) -> None:
    """The reviewer: the review list's reads, then one document's review reads, round after
    round, as pressing refresh on those screens does."""
    with open(log_path, "w", encoding="utf-8") as log:
        store = Store.open(target, user=REVIEWER)
        gate.wait()
        deadline = time.monotonic() + seconds
        turn = 0
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                store.role_of(REVIEWER)
                documents = store.list_documents()
                doc_id = documents[turn % len(documents)].id
                review = store.review_document(doc_id)
            except Exception as exc:  # noqa: BLE001 - what reaches a user, counted
                _log(log, {"kind": "read", "error": f"{type(exc).__name__}: {exc}"})
                continue
            elapsed = (time.perf_counter() - began) * 1000
            seen = sum(len(spans) for spans in review.layers.values())
            _log(log, {"kind": "read", "ms": round(elapsed, 3), "doc": doc_id, "seen": seen})
            turn += 1
        store.close()


# ---------------------------------------------------------------------------------------------
# One run


@dataclass
class LoadResult:
    backend: str
    writers: int
    seconds: float
    writes: Counter[str] = field(default_factory=Counter)  # acknowledged, by kind
    lost: list[str] = field(default_factory=list)  # what was acknowledged and is not there
    errors: list[str] = field(default_factory=list)  # what a user would have seen
    unacknowledged: int = 0  # rows nobody was told of
    event_gap: int = 0  # acknowledged writes minus their events (should be 0)
    write_ms: list[float] = field(default_factory=list)
    read_ms: list[float] = field(default_factory=list)
    integrity: str = "n/a"
    load_average: float = 0.0  # the machine's 1-minute load average as the run ended
    rolled_back: int | None = None  # PostgreSQL: transactions rolled back (retries, mostly)

    @property
    def total_writes(self) -> int:
        return sum(self.writes.values())

    @property
    def writes_per_second(self) -> float:
        return self.total_writes / self.seconds


def prepare(target: str, writers: int) -> None:
    """The documents, the writers (annotators) and the reviewer the run needs."""
    with Store.open(target) as store:
        store.ensure_annotator(ADMIN)  # the first annotator of a database is its admin
        for name in writer_names(writers):
            store.ensure_annotator(name)
        store.ensure_annotator(REVIEWER)
        store.set_role(REVIEWER, "reviewer", actor=ADMIN)
        items = [
            ImportItem(Article(text=article(n), title=f"Load {n}"), source_file=f"load-{n}.txt")
            for n in range(DOCUMENTS)
        ]
        store.import_items(items)


def run_load(
    target: str,
    writers: int = 8,
    seconds: float = 30.0,
    *,
    backend: str,
    keep_logs: Path | None = None,
) -> LoadResult:
    """`writers` writer processes and one reader on `target` for `seconds`; then the count.
    `keep_logs`: a folder to leave the processes' logs in (else they go with a temporary one)."""
    prepare(target, writers)
    context = multiprocessing.get_context("spawn")
    gate = context.Barrier(writers + 1)
    with _log_folder(keep_logs, backend) as folder:
        logs = {name: folder / f"{name}.jsonl" for name in writer_names(writers)}
        reader_log = folder / "reader.jsonl"
        processes = [
            context.Process(target=_write_loop, args=(target, name, str(log), seconds, seed, gate))
            for seed, (name, log) in enumerate(logs.items())
        ]
        processes.append(
            context.Process(target=_read_loop, args=(target, str(reader_log), seconds, gate))
        )
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=seconds + 300)
        result = LoadResult(backend, writers, seconds, load_average=os.getloadavg()[0])
        for process in processes:
            if process.exitcode != 0:
                result.errors.append(f"process {process.name} ended with {process.exitcode}")
        entries = {name: _entries(log) for name, log in logs.items()}
        for entry in _entries(reader_log):
            if "error" in entry:
                result.errors.append(f"reader: {entry['error']}")
            else:
                result.read_ms.append(entry["ms"])
    _count(target, entries, result)
    return result


@contextmanager
def _log_folder(keep: Path | None, backend: str) -> Iterator[Path]:
    if keep is not None:
        folder = keep / backend
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="factmark-load-") as temporary:
        yield Path(temporary)


def _entries(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return [{"error": f"{path.name}: no log (the process never started)"}]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _count(target: str, entries: dict[str, list[dict[str, Any]]], result: LoadResult) -> None:
    """Look for every acknowledged write in the database."""
    with Store.open(target) as store:
        documents = [d.id for d in store.list_documents()]
        kinds_of_event = Counter((e.actor, e.kind) for e in store.events())
        for name, log in entries.items():
            acknowledged: Counter[str] = Counter()
            spans = {s.id: s for doc_id in documents for s in store.spans(doc_id, name)}
            relations = {r.id for doc_id in documents for r in store.relations(doc_id, name)}
            notes: dict[int, str] = {}
            marks: dict[int, bool] = {}
            told_spans: set[int] = set()
            told_relations: set[int] = set()
            relinked = 0  # a link asked for again: the store returns the one there, no event
            for entry in log:
                if "error" in entry:
                    result.errors.append(f"{name}: {entry['error']}")
                    continue
                kind = entry["kind"]
                acknowledged[kind] += 1
                result.write_ms.append(entry["ms"])
                if kind == "span":
                    told_spans.add(entry["id"])
                    span = spans.get(entry["id"])
                    wanted = (entry["start"], entry["end"], entry["label"])
                    if span is None or (span.start, span.end, span.label) != wanted:
                        result.lost.append(f"{name} span {entry['id']}")
                elif kind == "note":
                    notes[entry["id"]] = entry["note"]
                elif kind == "link":
                    relinked += entry["id"] in told_relations
                    told_relations.add(entry["id"])
                    if entry["id"] not in relations:
                        result.lost.append(f"{name} link {entry['id']}")
                else:
                    marks[entry["doc"]] = entry["done"]
            for span_id, note in notes.items():
                found = spans.get(span_id)
                if found is None or found.note != note:
                    result.lost.append(f"{name} note on span {span_id}")
            for doc_id, done in marks.items():
                if store.is_done(doc_id, name) != done:
                    result.lost.append(f"{name} done mark on document {doc_id}")
            result.unacknowledged += len(set(spans) - told_spans)
            result.unacknowledged += len(relations - told_relations)
            logged = (
                kinds_of_event[(name, SPAN_ADD)]
                + kinds_of_event[(name, SPAN_NOTE)]
                + kinds_of_event[(name, RELATION_ADD)]
                + kinds_of_event[(name, DONE)]
            )
            result.event_gap += sum(acknowledged.values()) - relinked - logged
            result.writes.update(acknowledged)
    path = _sqlite_path(target)
    if path is not None:
        with sqlite3.connect(path) as connection:
            result.integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    else:
        result.rolled_back = _rolled_back(target)


def _rolled_back(url: str) -> int:
    """PostgreSQL's count of the database's rolled-back transactions: serialization failures
    the store ran again (and any other rollback)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()"
                )
            ).scalar()
    finally:
        engine.dispose()
    return int(found or 0)


def _sqlite_path(target: str) -> Path | None:
    return None if "://" in target else Path(target)


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A throw-away database on the server at `server_url`, dropped afterwards."""
    from sqlalchemy import create_engine, make_url, text

    name = f"fm_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def load_target(backend: str) -> Iterator[str]:
    """A new, empty database of `backend` ("sqlite" or "postgres")."""
    if backend == "postgres":
        server = os.environ.get(POSTGRES_ENV)
        if not server:
            raise SystemExit(f"the PostgreSQL run needs {POSTGRES_ENV} (a server URL)")
        with postgres_database(server) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="factmark-load-db-") as folder:
        yield str(Path(folder) / "load.db")


# ---------------------------------------------------------------------------------------------
# The table


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(results: list[LoadResult]) -> Table:
    first = results[0]
    table = Table(
        title=(
            f"{first.writers} writers + 1 reader for {first.seconds:.0f} s, one database "
            "(each write its own transaction)"
        )
    )
    table.add_column("figure")
    for result in results:
        table.add_column(result.backend, justify="right")
    table.add_column("target", justify="right")

    def row(title: str, target: str, cells: list[str]) -> None:
        table.add_row(title, *cells, target)

    row(
        "lost writes",
        f"= {TARGET_LOST}",
        [f"{len(r.lost)}: {_verdict(len(r.lost) == TARGET_LOST)}" for r in results],
    )
    row(
        "errors reaching a user",
        f"= {TARGET_ERRORS}",
        [f"{len(r.errors)}: {_verdict(len(r.errors) == TARGET_ERRORS)}" for r in results],
    )
    row("written, not acknowledged", "= 0", [str(r.unacknowledged) for r in results])
    row("acknowledged − events", "= 0", [str(r.event_gap) for r in results])
    row(
        "writes acknowledged",
        "",
        [
            f"{r.total_writes:,} ("
            + " ".join(f"{kind} {r.writes[kind]:,}" for kind, _ in MIX)
            + ")"
            for r in results
        ],
    )
    row(
        "writes/s",
        f"≥ {TARGET_WRITES_PER_SECOND:.0f}",
        [
            f"{r.writes_per_second:.0f}: "
            + _verdict(r.writes_per_second >= TARGET_WRITES_PER_SECOND)
            for r in results
        ],
    )
    row(
        "write ms p50 / p95",
        f"p95 ≤ {TARGET_WRITE_P95_MS:.0f}",
        [
            f"{_percentile(r.write_ms, 0.5):.1f} / {_percentile(r.write_ms, 0.95):.1f}: "
            + _verdict(_percentile(r.write_ms, 0.95) <= TARGET_WRITE_P95_MS)
            for r in results
        ],
    )
    row(
        "write ms max",
        f"≤ {TARGET_WRITE_MAX_MS:,.0f}",
        [
            f"{max(r.write_ms, default=float('nan')):.0f}: "
            + _verdict(max(r.write_ms, default=float("inf")) <= TARGET_WRITE_MAX_MS)
            for r in results
        ],
    )
    row(
        "reader refresh ms p50 / p95 / max",
        f"p95 ≤ {TARGET_READ_P95_MS:.0f}",
        [
            f"{_percentile(r.read_ms, 0.5):.0f} / {_percentile(r.read_ms, 0.95):.0f} / "
            f"{max(r.read_ms, default=float('nan')):.0f}: "
            + _verdict(_percentile(r.read_ms, 0.95) <= TARGET_READ_P95_MS)
            for r in results
        ],
    )
    row("refreshes", "", [f"{len(r.read_ms):,}" for r in results])
    row("integrity_check", "ok", [r.integrity for r in results])
    row(
        "PostgreSQL rollbacks (retries)",
        "",
        ["" if r.rolled_back is None else f"{r.rolled_back:,}" for r in results],
    )
    row(
        "load average (1 min), cores",
        "",
        [f"{r.load_average:.1f}, {os.cpu_count()}" for r in results],
    )
    samples = [f"{r.backend}: {e}" for r in results for e in (r.errors[:2] + r.lost[:2])]
    if samples:
        table.caption = "First problems: " + "; ".join(re.sub(r"\s+", " ", s) for s in samples)
    else:
        table.caption = (
            "A refresh: role_of + list_documents + review_document, as the review list and the "
            "review screen read. Latency: each store call, retries included."
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8, help="writer processes (8)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long they write (30)")
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgres", "all"),
        default="all",
        help=f"all: SQLite, and PostgreSQL when {POSTGRES_ENV} is set",
    )
    parser.add_argument("--logs", type=Path, help="keep each process's log of writes here")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "all" else [args.backend]
    if args.backend == "all" and not os.environ.get(POSTGRES_ENV):
        backends = ["sqlite"]
    results = []
    for backend in backends:
        with load_target(backend) as target:
            run = run_load(target, args.writers, args.seconds, backend=backend, keep_logs=args.logs)
            results.append(run)
    Console().print(report(results))


if __name__ == "__main__":
    main()
