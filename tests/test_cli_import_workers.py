"""Pages cleaned in worker processes (`import --jobs`, `extract --jobs`): the same result as one
process, in the same order, and no worker left behind."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from importers.workers import CleaningPool, default_jobs
from tests.conftest import DATA, SEEDS, run_factmark
from tests.process_support import INTERRUPTED_EXITS, still_alive_after, workers_of

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the workers are forked (POSIX)")


@pytest.fixture
def mixed_dir(tmp_path) -> Path:
    """Gzipped HTML pages, their text dumps, the seeds, and two inputs that fail."""
    target = tmp_path / "mixed"
    target.mkdir()
    for path in sorted((DATA / "dev" / "html").glob("*.html.gz")):
        shutil.copy(path, target)
    for path in sorted((DATA / "dev" / "text").glob("*.txt"))[:4]:
        shutil.copy(path, target / f"dump-{path.name}")
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, target)
    (target / "empty.html").write_bytes(b"")
    (target / "broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00broken")
    return target


def _documents(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT id, title, outlet, byline, published, text_sha256, source_file "
            "FROM documents ORDER BY id"
        ).fetchall()


@needs_fork
def test_an_import_in_workers_stores_what_one_process_stores_in_the_same_order(mixed_dir, tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    serial = run_factmark("--db", str(one), "import", "--jobs", "1", str(mixed_dir))
    pooled = run_factmark("--db", str(two), "import", "--jobs", "2", str(mixed_dir))
    assert serial.returncode == pooled.returncode == 1  # the two bad inputs
    assert pooled.stdout == serial.stdout
    assert pooled.stderr == serial.stderr
    assert b"empty.html" in pooled.stderr and b"broken.html.gz" in pooled.stderr
    assert b"failed 2" in pooled.stdout
    stored = _documents(two)
    assert len(stored) >= 15  # one dump has the text of a page already stored
    assert stored == _documents(one)


@needs_fork
def test_extract_in_workers_prints_what_one_process_prints(mixed_dir):
    serial = run_factmark("extract", "--jsonl", "--jobs", "1", str(mixed_dir))
    pooled = run_factmark("extract", "--jsonl", "--jobs", "2", str(mixed_dir))
    assert pooled.stdout == serial.stdout
    assert pooled.stderr == serial.stderr
    assert pooled.stdout.count(b'"path"') == 8 + 4 + 5 + 2


def test_extract_reads_a_gzipped_page_as_import_does(tmp_path):
    page = sorted((DATA / "dev" / "html").glob("*.html.gz"))[0]
    result = run_factmark("extract", str(page))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) > 500


@pytest.mark.parametrize("given", ["0", "-2", "two"])
def test_a_job_count_that_is_not_a_positive_number_is_refused_in_one_line(given, tmp_path):
    result = run_factmark("--db", str(tmp_path / "x.db"), "import", f"--jobs={given}", ".")
    assert result.returncode == 2
    assert b"must be a whole number of at least 1" in result.stderr
    assert b"Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_handful_of_inputs_is_cleaned_in_this_process():
    assert default_jobs(1) == 1
    assert default_jobs(3) == 1
    assert default_jobs(1000) >= 1


def _square_unless_in_a_worker(number: int, parent: int) -> int:
    if number == 3 and os.getpid() != parent:
        os._exit(1)  # a worker dies (the kernel's OOM killer, say) on this input
    return number * number


@needs_fork
def test_inputs_a_dead_worker_left_are_cleaned_here_in_order():
    pool = CleaningPool(2)
    try:
        calls = [(n, (n, os.getpid())) for n in range(10)] + [("skipped", None)]
        results = list(pool.map_in_order(_square_unless_in_a_worker, calls))
    finally:
        pool.close()
    assert results == [(n, n * n) for n in range(10)] + [("skipped", None)]


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_import_leaves_no_worker(tmp_path, how):
    pages = tmp_path / "pages"
    pages.mkdir()
    originals = sorted((DATA / "dev" / "html").glob("*.html.gz"))
    for copy in range(40):  # long enough to be stopped mid-way
        for path in originals:
            shutil.copy(path, pages / f"{copy:02d}-{path.name}")
    child = subprocess.Popen(
        [sys.executable, "-m", "cli", "--db", str(tmp_path / "x.db"), "import", "--jobs", "2",
         str(pages)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "CI": "true"},
    )  # fmt: skip
    workers = workers_of(child.pid, 2)
    assert len(workers) >= 2, "the import forked its two workers"
    time.sleep(0.5)
    child.send_signal(how)
    child.wait(timeout=30)
    assert still_alive_after(workers) == []
    if how == signal.SIGINT:
        said = child.stderr.read()
        assert child.returncode in INTERRUPTED_EXITS, said
        assert b"interrupted; everything reported as committed is kept" in said
        assert b"Traceback" not in said
