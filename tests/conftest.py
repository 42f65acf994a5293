"""Shared fixtures: real files in temp directories, the sample data copied into tests/data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test touches the real user data/config directories or depends on the login name."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("FACTMARK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("FACTMARK_CONFIG", raising=False)
    monkeypatch.setenv("FACTMARK_ANNOTATOR", "tester")
    monkeypatch.delenv("FACTMARK_DB", raising=False)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "factmark.db"


@pytest.fixture
def seeds_dir(tmp_path) -> Path:
    target = tmp_path / "seeds"
    target.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, target)
    return target


@pytest.fixture
def seeds_gold() -> dict:
    return json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))


def run_factmark(
    *args: str, stdin: bytes | None = None, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """The real command line in a child process, as a user (or a script) runs it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
