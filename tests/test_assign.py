"""`factmark assign`: K annotators per document with balanced loads; `list` shows assignments;
each annotator's queue (next unfinished, header position) follows their assignments."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from settings.config import Config
from store import Store
from tests.conftest import run_factmark
from tests.test_tui_support import annotate_screen, make_store, screen_text, settle
from tui.app import make_app

ARTICLES = [
    (f"Story {n}", f"Officials said talks number {n} ended without a deal.") for n in range(1, 8)
]


def _db(tmp_path: Path) -> Path:
    store, path = make_store(tmp_path, ARTICLES)
    store.ensure_annotator("tester")  # the CLI's user: first, so admin
    store.close()
    return path


def test_assign_spreads_documents_and_list_shows_them(tmp_path: Path) -> None:
    db = _db(tmp_path)
    result = run_factmark(
        "--db", str(db), "assign", "--annotators", "ana,ben,cy", "--per-document", "2"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().startswith("assigned 14 new (document, annotator) pairs over 7")
    listed = json.loads(run_factmark("--db", str(db), "list", "--json").stdout)
    assert all(len(doc["assigned"]) == 2 for doc in listed)
    loads = Counter(name for doc in listed for name in doc["assigned"])
    assert sorted(loads) == ["ana", "ben", "cy"] and max(loads.values()) - min(loads.values()) <= 1
    first = listed[0]  # assigned annotators are listed with their progress, none yet
    assert {name: first["annotators"][name] for name in first["assigned"]} == {
        name: {"spans": 0, "done": False} for name in first["assigned"]
    }
    assert "assigned" in run_factmark("--db", str(db), "list").stdout.decode()
    again = run_factmark(
        "--db", str(db), "assign", "--annotators", "ana,ben,cy", "--per-document", "2"
    )
    assert again.stdout.decode().startswith("assigned 0 new")  # already staffed


def test_assign_a_subset_and_top_up(tmp_path: Path) -> None:
    db = _db(tmp_path)
    args = ("--db", str(db), "assign", "--annotators", "ana,ben")
    assert run_factmark(*args, "--per-document", "1", "--documents", "1-3,5").returncode == 0
    assert run_factmark(*args, "--per-document", "2", "--documents", "1,2").returncode == 0
    with Store.open(db) as store:
        assigned = store.assignments()
    assert sorted(assigned) == [1, 2, 3, 5]
    assert assigned[1] == assigned[2] == ("ana", "ben")
    assert all(len(assigned[doc]) == 1 for doc in (3, 5))


def test_assign_refuses_bad_input_and_annotators(tmp_path: Path) -> None:
    db = _db(tmp_path)
    base = ("--db", str(db), "assign", "--annotators", "ana,ben")
    cases = [
        ((*base, "--per-document", "3"), "between 1 and the number of annotators (2)"),
        ((*base, "--per-document", "1", "--documents", "99"), "no document 99"),
        ((*base, "--per-document", "1", "--documents", "5-2"), "runs backwards"),
        (("--db", str(db), "assign", "--annotators", "ana,ana", "--per-document", "1"), "twice"),
    ]
    for args, message in cases:
        result = run_factmark(*args)
        assert result.returncode == 2 and message in result.stderr.decode(), result.stderr
    as_ana = run_factmark(*base, "--per-document", "1", env={"FACTMARK_ANNOTATOR": "ana"})
    assert as_ana.returncode == 2
    assert "ana is an annotator: only reviewers and admins can assign" in as_ana.stderr.decode()
    with Store.open(db) as store:
        assert store.assignments() == {}


def test_huge_ranges_are_refused_in_one_line_without_building_them(tmp_path: Path) -> None:
    db = _db(tmp_path)
    base = ("--db", str(db), "assign", "--annotators", "ana,ben", "--per-document", "1")
    cases = [
        ("1-30000000", "no document 8"),  # was 1.5 GB of numbers
        ("1-100000000000", "no document 8"),  # was a MemoryError
        ("3-" + "9" * 23, "no document has a number that large"),  # was an OverflowError
        ("9" * 23, "no document has a number that large"),
        ("2-9223372036854775807", "no document 8"),
        ("9223372036854775808", "no document has a number that large"),
    ]
    for documents, message in cases:
        result = run_factmark(*base, "--documents", documents, timeout=30)
        lines = result.stderr.decode().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and message in lines[0], lines
    adjudicate = run_factmark(
        "--db", str(db), "adjudicate", "--min-agree", "1", "--documents", "1-99999999999999"
    )
    assert adjudicate.returncode == 2 and "no document 8" in adjudicate.stderr.decode()
    assert run_factmark(*base, "--documents", "6-7,2-4,3").returncode == 0
    with Store.open(db) as store:
        assert sorted(store.assignments()) == [2, 3, 4, 6, 7]


def test_next_unfinished_follows_assignments(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, ARTICLES)
    store.ensure_annotator("boss")
    assert store.next_unfinished("ana") == 1  # no assignments yet: every document
    store.assign(["ana"], 1, documents=[3, 5, 6], actor="boss")
    assert store.next_unfinished("ana") == 3
    store.set_done(3, "ana")
    assert store.next_unfinished("ana", after=3) == 5
    assert store.next_unfinished("ana", after=6) == 5  # wraps round the queue
    for doc in (5, 6):
        store.set_done(doc, "ana")
    assert store.next_unfinished("ana") is None
    assert store.next_unfinished("ben") == 1  # ben has no assignments
    store.close()


async def test_annotate_queue_and_library_follow_assignments(tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, ARTICLES)
    store.ensure_annotator("boss")
    store.assign(["alice", "bob"], 2, documents=[2, 4], actor="boss")
    store.add_span(4, "bob", 0, 9, "actor")
    app = make_app(store, "alice", Config(), start="annotate", doc_id=None)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = annotate_screen(app)
        assert screen.document.id == 2
        assert "document 1 of 2 · 0 done" in screen_text(app)
        await pilot.press("d")  # done: on to the next assigned document, 4
        await settle(pilot)
        assert annotate_screen(app).document.id == 4
        assert "document 2 of 2 · 1 done" in screen_text(app)
        app.open_document(1)  # unassigned documents stay reachable
        await settle(pilot)
        assert annotate_screen(app).document.id == 1
        assert "not in your queue of 2" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        shown = screen_text(app)
        assert "2 assigned to you" in shown
        row4 = next(line for line in shown.splitlines() if line.strip().startswith("4 "))
        assert "bob" in row4
    store.close()
