"""Real database files made by every earlier schema version with that version's own code
(tests/data/migrations, made by make_fixtures.py there): each upgrades to the current schema with
every document, span, relation, event, mark and decision intact, to the schema a new file has;
two processes opening an old file at once upgrade it once; a newer file is refused untouched."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from store import SCHEMA_VERSION, Store
from tests.conftest import run_factmark
from tests.data.migrations.make_fixtures import snapshot

FIXTURES = Path(__file__).parent / "data" / "migrations"
NAMES = ("v1", "v2", "v3", "v3-early")


def _copy(name: str, folder: Path) -> Path:
    path = folder / f"{name}.db"
    shutil.copyfile(FIXTURES / f"{name}.db", path)
    return path


def _meta(path: Path) -> dict[str, str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return dict(connection.execute("SELECT key, value FROM factmark_meta").fetchall())
    finally:
        connection.close()


def _assert_kept(expected: Any, found: Any, where: str = "") -> None:
    """Everything the old code read back is read back now (fields added since may be extra)."""
    if isinstance(expected, dict):
        assert isinstance(found, dict), where
        for key, value in expected.items():
            assert key in found, f"{where}.{key} is gone"
            _assert_kept(value, found[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(found, list) and len(found) == len(expected), f"{where}: {found}"
        for position, (old, new) in enumerate(zip(expected, found, strict=True)):
            _assert_kept(old, new, f"{where}[{position}]")
    else:
        assert found == expected, f"{where}: {expected!r} became {found!r}"


def _schema(path: Path) -> dict[str, Any]:
    """Tables, columns, indexes, foreign keys and triggers, as SQLite reports them (the DDL text
    differs between a table created whole and one grown by ALTER TABLE; the structure must not)."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        found: dict[str, Any] = {"triggers": sorted(n for kind, n, _ in rows if kind == "trigger")}
        for _, table, _ in (row for row in rows if row[0] == "table"):
            found[table] = {
                "columns": sorted(
                    (name, kind.upper(), notnull, default, pk)
                    for _, name, kind, notnull, default, pk, _hidden in connection.execute(
                        f"PRAGMA table_xinfo('{table}')"
                    )
                ),
                "indexes": sorted(
                    (
                        unique,
                        tuple(c[2] for c in connection.execute(f"PRAGMA index_info('{name}')")),
                    )
                    for _, name, unique, _origin, _partial in connection.execute(
                        f"PRAGMA index_list('{table}')"
                    )
                ),
                "foreign_keys": sorted(
                    (parent, source, target, on_update, on_delete)
                    for _, _, parent, source, target, on_update, on_delete, _ in connection.execute(
                        f"PRAGMA foreign_key_list('{table}')"
                    )
                ),
            }
        return found
    finally:
        connection.close()


@pytest.mark.parametrize("name", NAMES)
def test_an_old_file_upgrades_with_everything_intact(name: str, tmp_path: Path) -> None:
    path = _copy(name, tmp_path)
    manifest = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    version = int(_meta(path)["schema_version"])
    assert version < SCHEMA_VERSION
    result = run_factmark("--db", str(path), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert f"upgraded from schema version {version} to {SCHEMA_VERSION}" in lines[0]
    # One line per step run; a file of version 3's first commit lacked version 3's tables.
    completed = [line for line in lines if "left out" in line]
    assert len(lines) == 1 + SCHEMA_VERSION - version + len(completed)
    assert len(completed) == (name == "v3-early")
    assert all("entities, relation_decisions, suggestion_decisions" in c for c in completed)
    with Store.open(path) as store:
        assert store.schema_change is not None and store.schema_change.steps == ()
        found = snapshot(store, manifest["kinds"])
    _assert_kept(manifest, found)
    fresh = tmp_path / "fresh.db"
    Store.open(fresh).close()
    assert _schema(path) == _schema(fresh)
    again = run_factmark("--db", str(path), "db", "upgrade")
    assert again.returncode == 0 and "already current" in again.stdout.decode()
    check = run_factmark("--db", str(path), "db", "check")
    assert check.returncode == 0, check.stdout


# Opens the database once, as any command would, when the go-file appears; prints what it did.
OPENER = """
import json, pathlib, sys, time
from store import Store
path, go = sys.argv[1], pathlib.Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
with Store.open(path) as store:
    change = store.schema_change
    print(json.dumps({"before": change.before, "steps": list(change.steps)}))
"""


def test_two_processes_opening_an_old_file_upgrade_it_once(tmp_path: Path) -> None:
    path = _copy("v1", tmp_path)
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(2)
    ]
    time.sleep(1.0)  # both started and waiting (importing SQLAlchemy takes a moment)
    go.touch()
    reports = []
    for opener in openers:
        out, err = opener.communicate(timeout=120)
        assert opener.returncode == 0, err.decode()
        reports.append(json.loads(out))
    reports.sort(key=lambda report: report["before"])
    assert reports[0]["before"] == 1 and len(reports[0]["steps"]) == SCHEMA_VERSION - 1
    assert reports[1] == {"before": SCHEMA_VERSION, "steps": []}  # found it already current
    meta = _meta(path)
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    upgrades = {key: json.loads(value) for key, value in meta.items() if key.startswith("upgr")}
    assert sorted(upgrades) == [f"upgraded_to_{n}" for n in range(2, SCHEMA_VERSION + 1)]
    assert all(record["from"] == 1 for record in upgrades.values())
    manifest = json.loads((FIXTURES / "v1.json").read_text(encoding="utf-8"))
    with Store.open(path) as store:
        _assert_kept(manifest, snapshot(store, manifest["kinds"]))


def test_a_file_from_a_newer_factmark_is_refused_untouched(tmp_path: Path) -> None:
    path = _copy("v3", tmp_path)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "UPDATE factmark_meta SET value = ? WHERE key = 'schema_version'",
            (str(SCHEMA_VERSION + 1),),
        )
    connection.close()
    before = path.read_bytes()
    for command in (("db", "upgrade"), ("list",), ("db", "check")):
        result = run_factmark("--db", str(path), *command)
        [line] = result.stderr.decode().strip().splitlines()
        assert result.returncode == 2, command
        assert str(path) in line and f"schema version {SCHEMA_VERSION + 1}" in line
        assert f"reads up to {SCHEMA_VERSION}" in line
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
