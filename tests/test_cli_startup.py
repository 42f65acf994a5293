"""Start-up: each command imports only what it uses (`--help` and `config` neither the UI nor the
store; `list` and `export` not the UI, and on a current SQLite file not SQLAlchemy either)."""

from __future__ import annotations

import ast
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_factmark
from tests.formats_support import build_database

ROOT = Path(__file__).parent.parent
HEAVY = ("textual", "sqlmodel", "sqlalchemy")
PROBE = """
import sys
from cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


def _loaded(*args: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=heavy), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    return ast.literal_eval(result.stderr.strip().splitlines()[-1])  # the probe's last line


@pytest.mark.parametrize("command", [["--help"], ["config"], ["export", "--help"]])
def test_help_and_config_import_neither_the_ui_nor_the_store(command: list[str]) -> None:
    assert _loaded(*command) == []


def test_help_draws_no_table_and_reads_no_entity_or_rule() -> None:
    # Every command's parser is built for --help: none may bring its own work's modules along.
    assert _loaded("--help", heavy=("rich", "rapidfuzz", "suggest", "store")) == []


def test_list_and_export_do_not_import_the_ui(tmp_path: Path) -> None:
    db = str(build_database(tmp_path / "small.db"))
    assert "textual" not in _loaded("--db", db, "list")
    out = str(tmp_path / "out.jsonl")
    assert "textual" not in _loaded("--db", db, "export", "--format", "jsonl", "-o", out)
    assert Path(out).is_file()


# -- list and export read a current SQLite file without SQLAlchemy (store.direct) -------------

DATABASE = ("sqlalchemy", "sqlmodel")
JSONL = ("export", "--format", "jsonl")


def _database_modules(*args: str) -> list[str]:
    return [name for name in _loaded(*args) if name in DATABASE]


def _full_store_url(db: str) -> str:
    """The same file as a URL the direct read leaves to the full store."""
    return f"sqlite+pysqlite:///{db}"


def test_list_and_export_read_a_current_file_without_sqlalchemy(tmp_path: Path) -> None:
    db = str(build_database(tmp_path / "small.db"))
    assert _database_modules("--db", db, "list") == []
    assert _database_modules("--db", db, "list", "--json") == []
    out = str(tmp_path / "out.jsonl")
    assert _database_modules("--db", db, *JSONL, "-o", out, "--source", "alice") == []
    assert Path(out).read_text(encoding="utf-8").count("\n") > 1


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--json"],
        [*JSONL],
        [*JSONL, "--source", "gold"],
        [*JSONL, "--source", "bob"],
        [*JSONL, "--source", "nobody"],
    ],
)
def test_the_direct_and_the_full_store_print_the_same(tmp_path: Path, command: list[str]) -> None:
    db = str(build_database(tmp_path / "same.db"))
    direct = run_factmark("--db", db, *command)
    full = run_factmark("--db", _full_store_url(db), *command)
    assert (direct.returncode, direct.stdout, direct.stderr) == (
        full.returncode,
        full.stdout,
        full.stderr,
    )
    assert direct.stdout or direct.stderr


def _make_version_1(db: Path) -> None:
    """A current file taken back to version 1 (no review tables), as an older factmark left it."""
    with sqlite3.connect(db) as connection:
        for table in ("assignments", "gold_decisions", "document_reviews"):
            connection.execute(f"DROP TABLE {table}")
        connection.execute("UPDATE factmark_meta SET value = '1' WHERE key = 'schema_version'")


def test_an_older_file_goes_through_the_full_store_which_upgrades_it(tmp_path: Path) -> None:
    db = build_database(tmp_path / "old.db")
    expected = run_factmark("--db", str(db), "list", "--json").stdout
    _make_version_1(db)
    assert _database_modules("--db", str(db), "list") == list(DATABASE)
    assert run_factmark("--db", str(db), "list", "--json").stdout == expected
    _make_version_1(db)
    assert _database_modules("--db", str(db), *JSONL, "-o", str(tmp_path / "o.jsonl"))


def test_other_formats_and_a_data_card_go_through_the_full_store(tmp_path: Path) -> None:
    db = str(build_database(tmp_path / "card.db"))
    out, card = str(tmp_path / "out.jsonl"), str(tmp_path / "card.md")
    assert _database_modules("--db", db, *JSONL, "-o", out, "--card", card) == list(DATABASE)
    assert Path(card).is_file()
    conll = str(tmp_path / "out.conll")
    assert _database_modules("--db", db, "export", "--format", "conll", "-o", conll)


def test_a_bad_annotator_name_is_refused_on_the_direct_path_too(tmp_path: Path) -> None:
    db = str(build_database(tmp_path / "names.db"))
    for target in (db, _full_store_url(db)):
        result = run_factmark("--db", target, "--annotator", "gold", "list")
        assert result.returncode == 2
        assert b"gold layer, not an annotator name" in result.stderr
