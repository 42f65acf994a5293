"""Correcting a document's metadata by hand: `factmark docs set|show`, corrections on re-import,
per-file metadata for batch imports, and exports that keep the value found and the one in force.

Real SQLite files in temporary directories, the real command line in a child process.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from store import Store
from store.errors import PermissionDenied
from tests.checks_support import CONFIG, build_desk
from tests.conftest import SEEDS, run_factmark

SEED_002 = "002_6f423198392cab83.txt"  # no title, outlet or byline found; its date 2024-04-30


def _ok(*args: str, annotator: str = "tester") -> str:
    result = run_factmark(*args, env={"FACTMARK_ANNOTATOR": annotator})
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def _row(db: Path, doc_id: int = 1) -> tuple[Any, ...]:
    with sqlite3.connect(db) as connection:
        query = "select title, outlet, byline, published, url, meta from documents where id = ?"
        return connection.execute(query, (doc_id,)).fetchone()


def _corrections(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "select actor, document_id, payload from events where kind = 'document_set' order by id"
        ).fetchall()
    return [(actor, doc, json.loads(payload)) for actor, doc, payload in rows]


@pytest.fixture
def one_seed(tmp_path: Path) -> Path:
    """A folder holding seed 002 only (copied: the mapping tests name it by a relative path)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_002, folder / SEED_002)
    return folder


def test_docs_set_logs_each_change_and_show_tells_found_from_in_force(db_path, one_seed):
    _ok("--db", str(db_path), "import", str(one_seed))
    said = _ok(
        "--db", str(db_path), "docs", "set", "1",
        "--outlet", "Reuters", "--published", "2024-05-02", "--byline", "Jane Doe",
    )  # fmt: skip
    assert said.splitlines() == [
        "document 1: outlet: (none) -> 'Reuters'",
        "document 1: byline: (none) -> 'Jane Doe'",
        "document 1: published: '2024-04-30' -> '2024-05-02'",
    ]
    assert _row(db_path)[:5] == (None, "Reuters", "Jane Doe", "2024-05-02", None)
    assert [(actor, payload["field"], payload["old"], payload["new"]) for actor, _, payload in
            _corrections(db_path)] == [
        ("tester", "outlet", None, "Reuters"),
        ("tester", "byline", None, "Jane Doe"),
        ("tester", "published", "2024-04-30", "2024-05-02"),
    ]  # fmt: skip

    # By public id, a second correction of the outlet: the value found stays the importer's.
    ext_id = json.loads(_ok("--db", str(db_path), "list", "--json"))[0]["ext_id"]
    _ok("--db", str(db_path), "docs", "set", ext_id[:8], "--outlet", "AP", "--published", "none")
    shown = json.loads(_ok("--db", str(db_path), "docs", "show", "1", "--json"))
    found = {f: None for f in ("title", "outlet", "byline", "url")} | {"published": "2024-04-30"}
    assert shown["found"] == found
    assert shown["in_force"]["outlet"] == "AP"
    assert shown["in_force"]["published"] is None
    assert [(c["field"], c["old"], c["new"], c["by"]) for c in shown["corrections"]][-2:] == [
        ("outlet", "Reuters", "AP", "tester"),
        ("published", "2024-05-02", None, "tester"),
    ]
    text = _ok("--db", str(db_path), "docs", "show", "1")
    assert "outlet     'AP'  (found: (none))" in text
    # The same value again is no change, and no event.
    again = _ok("--db", str(db_path), "docs", "set", "1", "--outlet", "AP")
    assert "nothing changed" in again
    assert len(_corrections(db_path)) == 5


def test_a_timestamp_from_a_pages_metadata_is_kept_to_the_second(db_path, one_seed):
    _ok("--db", str(db_path), "import", str(one_seed))
    _ok("--db", str(db_path), "docs", "set", "1", "--published", "2024-04-30T14:05:09.5+02:00")
    shown = json.loads(_ok("--db", str(db_path), "docs", "show", "1", "--json"))
    assert shown["in_force"]["published"] == "2024-04-30T14:05:09+02:00"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["1", "--published", "2024-02-30"], "not a day of the calendar"),
        (["1", "--published", "30/04/2024"], "not a date as YYYY-MM-DD"),
        (["1", "--published", "2024-04-30T25:00"], "not an ISO 8601 timestamp"),
        (["1", "--title", "   "], "a title cannot be empty"),
        (["1", "--url", "reuters.com/x"], "not an http(s) URL"),
        (["1"], "nothing to change"),
        (["7", "--outlet", "Reuters"], "no document 7"),
        (["d-ffffffff", "--outlet", "Reuters"], "no document d-ffffffff"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(db_path, one_seed, args, reason):
    _ok("--db", str(db_path), "import", str(one_seed))
    before = _row(db_path)
    # A good value beside the bad one is not written either (all or nothing).
    good = [] if args == ["1"] else ["--byline", "Jane Doe"]
    result = run_factmark("--db", str(db_path), "docs", "set", *args, *good)
    assert result.returncode == 2
    error = result.stderr.decode()
    assert len(error.strip().splitlines()) == 1 and reason in error, error
    assert "Traceback" not in error
    assert _row(db_path) == before
    assert _corrections(db_path) == []


def test_an_annotator_may_not_correct_a_reviewer_may(db_path, one_seed):
    _ok("--db", str(db_path), "import", str(one_seed))  # tester: the first, an admin
    with Store.open(db_path) as store:
        store.ensure_annotator("bob")
        store.ensure_annotator("carol", "reviewer")
    with Store.open(db_path, user="bob") as bob, pytest.raises(PermissionDenied):
        bob.correct_document(1, {"outlet": "Reuters"})
    assert _corrections(db_path) == []
    with Store.open(db_path, user="carol") as carol:
        (made,) = carol.correct_document(1, {"outlet": "Reuters"})
    assert (made.actor, made.field, made.new) == ("carol", "outlet", "Reuters")


def test_reimport_with_outlet_corrects_the_stored_document_and_says_so(db_path, one_seed):
    _ok("--db", str(db_path), "import", str(one_seed), "--outlet", "U.S.")
    said = _ok("--db", str(db_path), "import", str(one_seed), "--outlet", "Reuters")
    page = str(one_seed / SEED_002)
    assert said.splitlines() == [
        f"{page}: already stored as document 1; corrected outlet: 'U.S.' -> 'Reuters'",
        "imported 0, duplicates 1, failed 0",
    ]
    assert _row(db_path)[1] == "Reuters"
    assert [p["new"] for _, _, p in _corrections(db_path)] == ["Reuters"]
    again = _ok("--db", str(db_path), "import", str(one_seed), "--outlet", "Reuters")
    assert f"{page}: already stored as document 1; its outlet already as given" in again
    plain = _ok("--db", str(db_path), "import", str(one_seed))  # nothing given: nothing said
    assert plain.splitlines() == ["imported 0, duplicates 1, failed 0"]


def test_a_fresh_import_with_outlet_keeps_what_the_page_said_as_found(db_path, tmp_path, one_seed):
    plain_db = tmp_path / "plain.db"
    _ok("--db", str(plain_db), "import", str(one_seed))
    page_said = json.loads(_ok("--db", str(plain_db), "docs", "show", "1", "--json"))["in_force"]
    assert page_said["outlet"] != "Reuters"

    _ok("--db", str(db_path), "import", str(one_seed), "--outlet", "Reuters")
    shown = json.loads(_ok("--db", str(db_path), "docs", "show", "1", "--json"))
    assert shown["in_force"] == {**page_said, "outlet": "Reuters"}
    assert shown["found"] == page_said
    assert shown["corrections"] == []  # given at import, not a correction of a stored value


def test_reimport_by_an_annotator_says_in_one_line_why_not(db_path, one_seed):
    _ok("--db", str(db_path), "import", str(one_seed), "--outlet", "U.S.")
    with Store.open(db_path) as store:
        store.ensure_annotator("bob")
    result = run_factmark(
        "--db", str(db_path), "import", str(one_seed), "--outlet", "Reuters",
        env={"FACTMARK_ANNOTATOR": "bob"},
    )  # fmt: skip
    if result.returncode == 2 and b"login" in result.stderr:
        pytest.skip("this login may not work as another annotator")
    lines = result.stdout.decode().splitlines()
    assert "outlet not corrected: bob is an annotator" in lines[0]
    assert lines[-1] == "imported 0, duplicates 1, failed 0"
    assert _row(db_path)[1] == "U.S."


def _seed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "batch" / "pages"
    folder.mkdir(parents=True)
    for path in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(path, folder / path.name)
    return folder


def test_mapping_gives_each_file_its_metadata_and_corrects_stored_ones(db_path, tmp_path):
    folder = _seed_folder(tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    mapping = tmp_path / "batch" / "map.csv"
    mapping.write_text(
        "path,outlet,url,published,byline,title\n"
        f"pages/{names[0]},Reuters,https://www.reuters.com/a,2024-04-30,Jane Doe,\n"
        f"pages/{names[2]},PolitiFact,,2024-05-02,,A headline given by hand\n"
        f"{SEEDS / SEED_002},AP,,,,\n",  # absolute, and not in the folder imported
        encoding="utf-8",
    )
    said = _ok("--db", str(db_path), "import", str(folder), "--meta", str(mapping))
    assert said.splitlines()[-2:] == [
        f"{mapping}: 1 row names a file this import did not read",
        "imported 3, duplicates 0, failed 0",
    ]
    rows = [_row(db_path, doc) for doc in (1, 2, 3)]
    assert rows[0][1:5] == ("Reuters", "Jane Doe", "2024-04-30", "https://www.reuters.com/a")
    assert rows[1][1] is None  # no row for this file
    given = ("A headline given by hand", "PolitiFact", "2024-05-02")
    assert (rows[2][0], rows[2][1], rows[2][3]) == given

    jsonl = tmp_path / "batch" / "map.jsonl"
    jsonl.write_text(json.dumps({"path": f"pages/{names[1]}", "outlet": "AP"}) + "\n")
    again = _ok("--db", str(db_path), "import", str(folder), "--meta", str(jsonl))
    stored = f"{folder / names[1]}: already stored as document 2"
    assert f"{stored}; corrected outlet: (none) -> 'AP'" in again
    assert _row(db_path, 2)[1] == "AP"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("pages/missing.txt,Reuters,", "map.csv line 3: pages/missing.txt: no such file"),
        ("pages/{name},Reuters,2024-13-01", "map.csv line 3: published: '2024-13-01' is not"),
        ("pages/{name},Reuters,yesterday", "map.csv line 3: published: 'yesterday' is not a date"),
    ],
)
def test_a_bad_mapping_row_is_one_error_before_anything_is_written(db_path, tmp_path, row, reason):
    folder = _seed_folder(tmp_path)
    first, second = sorted(p.name for p in folder.iterdir())[:2]
    mapping = tmp_path / "batch" / "map.csv"
    mapping.write_text(
        f"path,outlet,published\npages/{first},AP,2024-01-02\n{row.format(name=second)}\n",
        encoding="utf-8",
    )
    result = run_factmark("--db", str(db_path), "import", str(folder), "--meta", str(mapping))
    assert result.returncode == 2
    error = result.stderr.decode()
    assert len(error.strip().splitlines()) == 1 and reason in error, error
    assert not db_path.exists() or _row(db_path) is None


def test_unknown_mapping_column_is_refused(db_path, tmp_path):
    folder = _seed_folder(tmp_path)
    mapping = tmp_path / "batch" / "map.jsonl"
    name = sorted(p.name for p in folder.iterdir())[0]
    mapping.write_text(json.dumps({"path": f"pages/{name}", "publisher": "AP"}) + "\n")
    result = run_factmark("--db", str(db_path), "import", str(folder), "--meta", str(mapping))
    assert result.returncode == 2
    assert "map.jsonl line 1: unknown column 'publisher'" in result.stderr.decode()


def test_exports_keep_the_value_found_and_the_one_in_force(tmp_path):
    desk = build_desk(tmp_path / "desk.db")
    db = str(desk.path)
    found = _row(desk.path, desk.lin_document)
    _ok(
        "--db", db, "docs", "set", str(desk.lin_document),
        "--outlet", "Reuters", "--published", "2024-05-01", "--url", "https://www.reuters.com/x",
        annotator="carol",  # the desk's reviewer
    )  # fmt: skip

    exported = _ok("--db", db, "export", "--format", "jsonl", "--source", "all")
    records = [json.loads(line) for line in exported.splitlines()]
    metas = [r["meta"] for r in records if r["meta"]["outlet"] == "Reuters"]
    assert metas, "the corrected document is exported"
    for meta in metas:
        assert (meta["outlet"], meta["published"], meta["url"]) == (
            "Reuters", "2024-05-01", "https://www.reuters.com/x",
        )  # fmt: skip
        assert meta["found"]["outlet"] == found[1]
        assert meta["found"]["published"] == found[3]
        assert meta["found"]["url"] == found[4]
    # The slower path (any database) writes the same lines as SQLite's own assembly.
    with Store.open(desk.path) as store:
        from exporters.jsonl import native_record

        slow = [native_record(r)["meta"] for r in store.iter_export("all")]
    assert [m for m in slow if m["outlet"] == "Reuters"] == metas

    # A re-import of the export keeps both.
    exported_file = tmp_path / "export.jsonl"
    exported_file.write_text(exported, encoding="utf-8")
    copy = tmp_path / "copy.db"
    _ok("--db", str(copy), "import", str(exported_file))
    with Store.open(copy) as store:
        doc = next(d.id for d in store.list_documents() if d.outlet == "Reuters")
        meta = store.document_meta(doc)
    assert meta.in_force["outlet"] == "Reuters" and meta.found["outlet"] == found[1]

    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    reviews = json.loads(
        _ok("--db", db, "--config", str(config), "export", "--format", "claimreview")
    )
    lin = next(r for r in reviews if r["url"].endswith(desk.lin))
    item = lin["itemReviewed"]
    appearance = next(a for a in item["appearance"] if a.get("url") == "https://www.reuters.com/x")
    assert appearance["datePublished"] == "2024-05-01"
    assert appearance["publisher"]["name"] == "Reuters"
    assert item["datePublished"] == "2024-05-01"


def test_a_hostile_value_is_stored_without_controls_and_printed_safely(db_path, one_seed):
    _ok("--db", str(db_path), "import", str(one_seed))
    hostile = "[bold]Evil[/bold]\x1b[2J\u202eNews\x07"
    said = _ok("--db", str(db_path), "docs", "set", "1", "--outlet", hostile)
    stored = _row(db_path)[1]
    assert stored == "[bold]Evil[/bold][2JNews"  # kept as text; what a terminal acts on, gone
    shown = _ok("--db", str(db_path), "docs", "show", "1")
    for output in (said, shown):
        assert "\x1b" not in output and "\u202e" not in output and "\x07" not in output
        assert "[bold]Evil[/bold]" in output
