"""`factmark list`: a table that fits the terminal, plain columns for long lists."""

from __future__ import annotations

import cli.commands.listing as listing
import cli.main as cli
from store import Store
from tests.conftest import run_factmark
from tests.formats_support import build_database


def test_an_80_column_table_keeps_every_column_and_cuts_the_titles(tmp_path):
    db = build_database(tmp_path / "annotated.db")
    result = run_factmark("--db", str(db), "list", env={"COLUMNS": "80"})
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if "title" in line)
    for heading in ("id", "outlet", "length", "assigned", "alice", "bob"):
        assert f" {heading} " in header
    assert any("…" in line for line in lines)  # long titles end in an ellipsis


def test_a_long_list_is_plain_aligned_columns(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(listing, "MAX_TABLE_ROWS", 2)
    db = build_database(tmp_path / "annotated.db")
    assert cli.main(["--db", str(db), "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    with Store.open(db) as store:
        documents = store.list_documents()
    assert lines[0] == f"{len(documents)} documents"
    headings = ["id", "title", "outlet", "length", "assigned", "alice", "bob"]
    assert lines[1].split() == headings
    assert len(lines) == 2 + len(documents)
    rows = zip(lines[2:], documents, strict=True)
    id_ends = {line.index(str(doc.id)) + len(str(doc.id)) for line, doc in rows}
    assert id_ends == {lines[1].index("id") + 2}  # right-aligned under the heading
    assert all("┃" not in line and "│" not in line for line in lines)
    listed = zip(lines[2:], documents, strict=True)
    untitled = [(line, doc) for line, doc in listed if not doc.title]
    assert untitled, "the corpus has untitled documents"
    for line, doc in untitled:  # their opening words stand in, as in the library
        assert " ".join(doc.opening.split()[:3]) in line
