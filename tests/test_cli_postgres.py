"""The command line on a PostgreSQL URL: what teams that outgrow one SQLite file use."""

import json

from tests.conftest import run_factmark
from tests.formats_support import build_database, comparable, export
from tests.postgres import fresh_postgres_database


def test_import_list_export_on_postgresql(seeds_dir, tmp_path):
    annotated = tmp_path / "annotated.jsonl"
    sqlite_db = build_database(tmp_path / "reference.db")
    annotated.write_bytes(export(sqlite_db, "jsonl", "all").stdout)
    with fresh_postgres_database("cli") as url:
        result = run_factmark("--db", url, "import", str(seeds_dir))
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().strip() == "imported 5, duplicates 0, failed 0"
        listed = json.loads(run_factmark("--db", url, "list", "--json").stdout)
        assert len(listed) == 5
        # PostgreSQL exports through the reference path: the same records as SQLite's lines.
        assert run_factmark("--db", url, "import", str(annotated)).returncode == 0
        exported = native_records_at(url)
    again = tmp_path / "again.db"
    assert run_factmark("--db", str(again), "import", str(seeds_dir)).returncode == 0
    assert run_factmark("--db", str(again), "import", str(annotated)).returncode == 0
    assert comparable(exported) == comparable(native_records_at(str(again)))
    assert len(exported) == 18


def test_an_unreachable_server_is_one_line_and_exit_2():
    result = run_factmark("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "list")
    assert result.returncode == 2
    assert len(result.stderr.decode().strip().splitlines()) == 1
    assert b"Traceback" not in result.stderr


def native_records_at(target: str) -> list[dict]:
    result = run_factmark("--db", target, "export", "--format", "jsonl", "--source", "all")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.decode().splitlines()]
