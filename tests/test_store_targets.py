"""Bad database targets are refused in one line and left exactly as they were: someone else's
SQLite file (never switched to WAL), a file from a newer factmark, an empty --db / FACTMARK_DB."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from store import SCHEMA_VERSION, Store, StoreError
from tests.conftest import run_factmark


def _rollback_journal_file(path: Path, script: str) -> None:
    """A SQLite file in the default (rollback journal) mode, as another program leaves it."""
    connection = sqlite3.connect(path)
    connection.executescript(script)
    connection.commit()
    connection.close()
    assert _journal_mode(path) == "delete"


def _journal_mode(path: Path) -> str:
    # Header bytes 18 and 19 are 2 for WAL and 1 for a rollback journal: read without SQLite, which
    # could otherwise change what it reports on.
    header = path.read_bytes()[:20]
    return "wal" if header[18:20] == b"\x02\x02" else "delete"


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


FOREIGN = "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread');"
NEWER = (
    'CREATE TABLE factmark_meta ("key" VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL);'
    f"INSERT INTO factmark_meta VALUES ('schema_version', '{SCHEMA_VERSION + 1}');"
    "CREATE TABLE documents (id INTEGER PRIMARY KEY, text TEXT);"
)


@pytest.mark.parametrize(
    ("script", "reason"),
    [(FOREIGN, "not a factmark database"), (NEWER, "made by a newer factmark")],
    ids=["foreign", "newer"],
)
def test_a_file_that_is_not_ours_is_left_byte_for_byte(
    tmp_path: Path, script: str, reason: str
) -> None:
    path = tmp_path / "theirs.db"
    _rollback_journal_file(path, script)
    before = path.read_bytes()
    with pytest.raises(StoreError) as error:
        Store.open(path)
    message = str(error.value)
    assert "\n" not in message and str(path) in message and reason in message
    assert path.read_bytes() == before
    assert _journal_mode(path) == "delete"
    assert _files(tmp_path) == ["theirs.db"]  # no -wal, -shm or -journal left behind


def test_the_command_line_refuses_a_foreign_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    _rollback_journal_file(path, FOREIGN)
    before = path.read_bytes()
    for command in (["list"], ["annotators", "add", "bob"], ["db", "upgrade"], ["db", "check"]):
        result = run_factmark("--db", str(path), *command)
        lines = result.stderr.decode().strip().splitlines()
        assert result.returncode == 2, (command, result.stderr)
        assert len(lines) == 1 and "not a factmark database" in lines[0], command
    assert path.read_bytes() == before and _files(tmp_path) == ["theirs.db"]


def test_newer_version_named_with_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    _rollback_journal_file(path, NEWER)
    result = run_factmark("--db", str(path), "list")
    [line] = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2
    assert str(path) in line and f"schema version {SCHEMA_VERSION + 1}" in line
    assert f"reads up to {SCHEMA_VERSION}" in line


def test_an_empty_target_is_refused_and_opens_nothing(tmp_path: Path) -> None:
    data_dir = Path(os.environ["FACTMARK_DATA_DIR"])
    with pytest.raises(StoreError, match="empty"):
        Store.open("")
    with pytest.raises(StoreError, match="empty"):
        Store.open("  ")
    attempts = [
        (["--db", "", "list"], {}),
        (["--db", "", "annotators", "add", "bob"], {}),
        (["list"], {"FACTMARK_DB": ""}),
        (["list", "--json"], {"FACTMARK_DB": ""}),
        (["demo", "--no-open"], {"FACTMARK_DB": ""}),
    ]
    for args, env in attempts:
        result = run_factmark(*args, env=env)
        lines = result.stderr.decode().strip().splitlines()
        assert result.returncode == 2, (args, env, result.stderr)
        assert len(lines) == 1 and "empty database target" in lines[0], (args, env)
    assert not data_dir.exists()  # the default database was never created


def test_an_unset_variable_still_means_the_default(tmp_path: Path) -> None:
    data_dir = Path(os.environ["FACTMARK_DATA_DIR"])
    result = run_factmark("list")
    assert result.returncode == 0, result.stderr
    assert (data_dir / "factmark.db").is_file()
