"""Several writers on one SQLite file (processes, threads, busy retries); the core stays UI-free."""

from __future__ import annotations

import multiprocessing
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import store.engine as engine_module
from store import Store, StoreError
from vocabulary.records import Article, ImportItem

PROCESSES = 6
WRITES_PER_PROCESS = 100
SHARED_TEXT = "x" * (WRITES_PER_PROCESS + 10)
REPO = Path(__file__).resolve().parents[1]


def _shared_item() -> ImportItem:
    return ImportItem(Article(text=SHARED_TEXT, title="shared"), source_file="shared.txt")


def _write_spans(path: str, worker: int, gate, results) -> None:
    """One process: open (maybe creating) the file, import the shared article, add 100 spans."""
    try:
        with Store.open(path) as opened:
            doc_id = opened.import_items([_shared_item()])[0].document_id
            gate.wait(timeout=120)
            began = time.perf_counter()
            layer = f"writer{worker}"
            for n in range(WRITES_PER_PROCESS):
                opened.add_span(doc_id, layer, n, n + 1, "actor")
                if n % 25 == 0:
                    opened.spans(doc_id, layer)  # readers interleave with the writers
            results.put((worker, time.perf_counter() - began, None))
    except BaseException as exc:  # reported to the parent, which fails the test with it
        results.put((worker, 0.0, f"{type(exc).__name__}: {exc}"))


def test_six_processes_write_into_one_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"  # created by whichever process gets there first
    context = multiprocessing.get_context("spawn")
    gate = context.Barrier(PROCESSES)
    results = context.Queue()
    workers = [
        context.Process(target=_write_spans, args=(str(path), n, gate, results))
        for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert [error for _, _, error in reports if error] == []
    assert all(worker.exitcode == 0 for worker in workers)

    with Store.open(path) as opened:
        [document] = opened.list_documents()
        assert {name: p.spans for name, p in document.progress.items()} == {
            f"writer{n}": WRITES_PER_PROCESS for n in range(PROCESSES)
        }
        events = opened.events()
        assert sum(e.kind == "span_add" for e in events) == PROCESSES * WRITES_PER_PROCESS
        assert sum(e.kind == "document_import" for e in events) == 1
        assert sum(a.role == "admin" for a in opened.annotators()) == 1
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM spans").fetchone()[0] == 600
    slowest = max(seconds for _, seconds, _ in reports)
    print(f"\n{PROCESSES}x{WRITES_PER_PROCESS} add_span: slowest process {slowest:.2f} s")


def test_threads_share_one_store(tmp_path: Path) -> None:
    with Store.open(tmp_path / "threads.db") as opened:
        doc_id = opened.import_items([_shared_item()])[0].document_id
        errors: list[BaseException] = []

        def write(layer: str) -> None:
            try:
                for n in range(25):
                    opened.add_span(doc_id, layer, n, n + 2, "claim")
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(f"t{n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sum(p.spans for p in opened.list_documents()[0].progress.values()) == 100


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_busy_writes_are_retried_until_the_lock_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)  # make SQLite give up at once
    path = tmp_path / "busy.db"
    with Store.open(path) as opened:
        doc_id = opened.import_items([_shared_item()])[0].document_id
        holder = _hold_write_lock(path)
        release = threading.Timer(0.6, lambda: holder.execute("COMMIT"))
        release.start()
        began = time.perf_counter()
        span = opened.add_span(doc_id, "ana", 0, 3, "actor")
        waited = time.perf_counter() - began
        release.join()
        holder.close()
        assert waited >= 0.5  # it really was blocked, and got through by retrying
        assert opened.spans(doc_id, "ana") == [span]


def test_retrying_is_bounded_and_ends_in_a_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(engine_module, "RETRY_SECONDS", 0.5)
    path = tmp_path / "stuck.db"
    with Store.open(path) as opened:
        doc_id = opened.import_items([_shared_item()])[0].document_id
        holder = _hold_write_lock(path)
        try:
            began = time.perf_counter()
            with pytest.raises(StoreError, match="locked") as error:
                opened.add_span(doc_id, "ana", 0, 3, "actor")
            assert time.perf_counter() - began < 5
            assert str(path) in str(error.value) and "\n" not in str(error.value)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert opened.spans(doc_id, "ana") == []  # nothing half-written


def test_readers_are_not_blocked_by_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    with Store.open(path) as opened:
        opened.import_items([_shared_item()])
        holder = _hold_write_lock(path)
        try:
            answers: queue.Queue[int] = queue.Queue()
            reader = threading.Thread(target=lambda: answers.put(opened.document_count()))
            reader.start()
            reader.join(timeout=5)
            assert answers.get_nowait() == 1  # WAL: readers see the last commit meanwhile
        finally:
            holder.execute("ROLLBACK")
            holder.close()


def test_importing_store_does_not_import_textual() -> None:
    probe = "import sys, store; print('textual' in sys.modules, 'tui' in sys.modules)"
    finished = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split() == ["False", "False"]
