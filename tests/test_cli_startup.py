"""Start-up: each command imports only what it uses (`--help` and `config` neither the UI nor the
store; `list` and `export` not the UI)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

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


def _loaded(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    return ast.literal_eval(result.stderr.strip().splitlines()[-1])  # the probe's last line


@pytest.mark.parametrize("command", [["--help"], ["config"], ["export", "--help"]])
def test_help_and_config_import_neither_the_ui_nor_the_store(command: list[str]) -> None:
    assert _loaded(*command) == []


def test_list_and_export_do_not_import_the_ui(tmp_path: Path) -> None:
    db = str(build_database(tmp_path / "small.db"))
    assert "textual" not in _loaded("--db", db, "list")
    out = str(tmp_path / "out.jsonl")
    assert "textual" not in _loaded("--db", db, "export", "--format", "jsonl", "-o", out)
    assert Path(out).is_file()
