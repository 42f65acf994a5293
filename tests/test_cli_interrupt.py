"""A long import shows progress, commits in batches, and survives being interrupted."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

PARAGRAPH = (
    "Officials in the city said on {day} that {n} residents had been moved to shelters after the "
    "flooding, and that the figure could rise as rescue teams reached the outer districts."
)


def _write_pages(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        body = "\n\n".join(PARAGRAPH.format(day=f"day {d}", n=n * 7 + d) for d in range(4))
        (folder / f"page-{n:04d}.txt").write_text(f"Flood report {n}\n\n{body}\n", encoding="utf-8")


def _documents_are_whole(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        rows = connection.execute("select text, text_sha256 from documents").fetchall()
    for text, digest in rows:
        assert hashlib.sha256(text.encode()).hexdigest() == digest
        assert text.count("Officials in the city said") == 4
    return len(rows)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_import_leaves_only_whole_documents(tmp_path, how):
    pages, db = tmp_path / "pages", tmp_path / "big.db"
    _write_pages(pages, 1000)
    command = [sys.executable, "-m", "cli", "--db", str(db), "import", str(pages)]
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy()
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _has_documents(db):
        time.sleep(0.05)
    child.send_signal(how)
    _, stderr = child.communicate(timeout=60)
    assert b"Traceback" not in stderr
    if how == signal.SIGINT:
        assert child.returncode == 130
    stored = _documents_are_whole(db)
    assert 0 < stored <= 1000
    # Importing again completes the job without duplicates.
    again = subprocess.run(command, capture_output=True, check=False)
    assert again.returncode == 0
    assert (
        again.stdout.decode()
        .strip()
        .endswith(f"imported {1000 - stored}, duplicates {stored}, failed 0")
    )
    assert _documents_are_whole(db) == 1000


def _has_documents(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        with sqlite3.connect(db, timeout=1) as connection:
            return connection.execute("select count(*) from documents").fetchone()[0] > 0
    except sqlite3.Error:
        return False
