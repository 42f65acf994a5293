"""`factmark claims` as a user runs it (a child process) on real SQLite files: the demo desk's
checks, every filter, `--json` lines, refusals in one line, and a table that fits 80 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.demo import build_demo_database
from store import Store
from tests.conftest import run_factmark
from tests.test_cli_startup import _loaded
from vocabulary.records import Article, ImportItem

KEYS = [
    "id",
    "claim",
    "status",
    "verdict",
    "claimant",
    "appearances",
    "evidence",
    "assignee",
    "changed_at",
    "changed_by",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("claims") / "demo.db"
    build_demo_database(path, "tester").close()
    return path


def _lines(db: Path, *args: str) -> list[dict]:
    result = run_factmark("--db", str(db), "claims", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_every_check_one_json_line_each_in_the_stores_order(demo: Path) -> None:
    lines = _lines(demo)
    with Store.open(demo) as store:
        expected = store.checks()
    assert [line["id"] for line in lines] == [check.uid for check in expected]
    assert all(list(line) == KEYS for line in lines)
    # What needs work first: the one waiting for a reviewer, then the earlier steps, the
    # finished ones last.
    assert [line["status"] for line in lines][:3] == ["in review", "researching", "new"]
    assert {line["status"] for line in lines[3:]} == {"published", "not checkable"}
    beijing = next(line for line in lines if "held reconciliation talks" in line["claim"])
    assert beijing["claimant"] == "Lin Jian" and beijing["verdict"] == "True"
    assert (beijing["appearances"], beijing["evidence"]) == (2, 2)
    assert beijing["assignee"] == "alice" and beijing["changed_by"] == "carol"
    assert beijing["changed_at"].endswith("+00:00")


@pytest.mark.parametrize(
    ("flags", "count"),
    [
        (("--status", "IN  Review"), 1),  # any case and spacing: the configured name
        (("--status", "published"), 2),
        (("--verdict", "mostly false"), 1),
        (("--verdict", "False"), 0),  # on the scale, but no check has it: empty, exit 0
        (("--claimant", "lin"), 3),
        (("--assignee", "Alice"), 3),
        (("--text", "candid dialogue"), 1),  # an appearance's words, not the checker's claim
        (("--status", "published", "--claimant", "jian"), 1),
    ],
)
def test_filters(demo: Path, flags: tuple[str, ...], count: int) -> None:
    lines = _lines(demo, *flags)
    assert len(lines) == count
    if "--status" in flags:
        status = flags[flags.index("--status") + 1]
        assert {line["status"] for line in lines} <= {" ".join(status.lower().split())}


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (
            ("--status", "done"),
            "factmark: --status 'done': not a status of this desk (one of: new, researching, "
            "in review, published, not checkable)",
        ),
        (
            ("--verdict", "pants on fire"),
            "factmark: --verdict 'pants on fire': not a rating of this desk (one of: True, "
            "Mostly true, Half true, Mostly false, False, Unverifiable)",
        ),
        (
            ("--assignee", "zed"),
            "factmark: --assignee 'zed': nobody of that name works on this database",
        ),
    ],
)
def test_an_unknown_status_verdict_or_assignee_is_one_line_and_exit_2(
    demo: Path, flags: tuple[str, ...], said: str
) -> None:
    result = run_factmark("--db", str(demo), "claims", "--json", *flags)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode().splitlines() == [said]


def test_a_desks_own_scale_is_the_one_checked(demo: Path, tmp_path: Path) -> None:
    config = tmp_path / "desk.toml"
    config.write_text(
        '[checks]\nstatuses = ["todo", "published"]\n\n'
        '[[checks.ratings]]\nname = "Pants on fire"\nvalue = 0\n',
        encoding="utf-8",
    )
    result = run_factmark(
        "--db", str(demo), "--config", str(config), "claims", "--verdict", "pants on fire"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == "no checks match"
    refused = run_factmark("--db", str(demo), "--config", str(config), "claims", "--status", "new")
    assert refused.returncode == 2
    assert "(one of: todo, published)" in refused.stderr.decode()


def test_the_table_fits_80_columns_and_names_every_check(demo: Path) -> None:
    result = run_factmark("--db", str(demo), "claims", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    lines = text.splitlines()
    assert lines[0].startswith("6 checks, what needs work first")
    assert max(len(line.rstrip()) for line in lines) <= 80
    for heading in ("claim (id)", "status", "verdict", "claimant", "app.", "ev.", "assignee"):
        assert heading in lines[1] + lines[2]
    with Store.open(demo) as store:
        uids = [check.uid for check in store.checks()]
    # Each check's id stands on a line of its own under its claim, in the desk's order.
    assert [line.strip() for line in lines if line.strip().startswith("c-")] == uids
    assert "researching" in text and "Lin Jian" in text and "carol" in text


def test_untrusted_text_is_printed_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "markup.db"
    text = "The minister said [bold]taxes[/bold] fell by 40% [/foo] last year."
    with Store.open(db) as store:
        store.ensure_annotator("tester", "admin")
        store.import_items([ImportItem(Article(text=text, title="T"), (), None, "t")])
        span = store.add_span(1, "tester", 0, len(text), "claim")
        store.create_check(span.id, claim="[red]Taxes[/red] fell \x1b[31m by 40%", user="tester")
    result = run_factmark("--db", str(db), "claims", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "[red]Taxes[/red] fell" in out and "\x1b[31m" not in out
    (line,) = _lines(db)
    assert line["claim"] == "[red]Taxes[/red] fell [31m by 40%"  # the store drops controls


def test_no_checks_is_said_not_drawn(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    Store.open(db).close()
    result = run_factmark("--db", str(db), "claims")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("no checks yet")
    assert run_factmark("--db", str(db), "claims", "--json").stdout == b""


@pytest.mark.parametrize(
    "flags",
    [
        (),
        ("--json",),
        ("--json", "--status", "published"),
        ("--json", "--verdict", "TRUE", "--claimant", "lin"),
        ("--json", "--text", "candid dialogue"),
        ("--json", "--assignee", "bob"),
        ("--assignee", "nobody"),
        ("--status", "new"),
    ],
)
def test_the_direct_read_and_the_full_store_print_the_same(
    demo: Path, flags: tuple[str, ...]
) -> None:
    direct = run_factmark("--db", str(demo), "claims", *flags, env={"COLUMNS": "100"})
    full = run_factmark(
        "--db", f"sqlite+pysqlite:///{demo}", "claims", *flags, env={"COLUMNS": "100"}
    )
    assert (direct.returncode, direct.stdout, direct.stderr) == (
        full.returncode,
        full.stdout,
        full.stderr,
    )
    assert direct.stdout or direct.stderr


def test_claims_reads_a_current_file_without_sqlalchemy(demo: Path) -> None:
    for flags in ((), ("--json",), ("--text", "beijing", "--json")):
        loaded = _loaded("--db", str(demo), "claims", *flags)
        assert not {"sqlalchemy", "sqlmodel", "textual"} & set(loaded), flags
