"""The command line on a PostgreSQL URL: what teams that outgrow one SQLite file use."""

import json

from tests.conftest import run_factmark
from tests.postgres import fresh_postgres_database


def test_import_list_export_on_postgresql(seeds_dir):
    with fresh_postgres_database("cli") as url:
        result = run_factmark("--db", url, "import", str(seeds_dir))
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().strip() == "imported 5, duplicates 0, failed 0"
        listed = json.loads(run_factmark("--db", url, "list", "--json").stdout)
        assert len(listed) == 5


def test_an_unreachable_server_is_one_line_and_exit_2():
    result = run_factmark("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "list")
    assert result.returncode == 2
    assert len(result.stderr.decode().strip().splitlines()) == 1
    assert b"Traceback" not in result.stderr
