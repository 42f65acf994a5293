"""`factmark annotators add/list` and role refusals on the command line (one line, exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

from store import Store
from tests.conftest import run_factmark


def _fm(db: Path, *args: str, who: str = "tester"):
    return run_factmark("--db", str(db), "--annotator", who, *args)


def test_first_user_is_admin_and_adds_others(db_path: Path) -> None:
    added = _fm(db_path, "annotators", "add", "rita", "--role", "reviewer")
    assert added.returncode == 0, added.stderr
    assert added.stdout.decode() == "rita: reviewer\n"
    assert _fm(db_path, "annotators", "add", "ana").stdout.decode() == "ana: annotator\n"
    listed = json.loads(_fm(db_path, "annotators", "list", "--json").stdout)
    assert [(p["name"], p["role"]) for p in listed] == [
        ("ana", "annotator"),
        ("rita", "reviewer"),
        ("tester", "admin"),
    ]
    table = _fm(db_path, "annotators", "list").stdout.decode()
    assert "rita" in table and "reviewer" in table


def test_only_an_admin_adds_annotators_once_one_exists(db_path: Path) -> None:
    _fm(db_path, "annotators", "add", "rita", "--role", "reviewer")
    refused = _fm(db_path, "annotators", "add", "mallory", "--role", "admin", who="rita")
    assert refused.returncode == 2
    assert refused.stderr.decode() == (
        "factmark: rita is a reviewer: only admins can add annotators or change roles\n"
    )
    with Store.open(db_path) as store:
        assert store.role_of("mallory") is None
    promoted = _fm(db_path, "annotators", "add", "rita", "--role", "admin")
    assert promoted.stdout.decode() == "rita: admin\n"


def test_an_annotator_cannot_open_review(db_path: Path) -> None:
    _fm(db_path, "annotators", "add", "ana")
    refused = _fm(db_path, "review", who="ana")
    assert refused.returncode == 2
    message = refused.stderr.decode()
    assert message == "factmark: ana is an annotator: only reviewers and admins can review\n"


def test_bad_names_and_roles_are_usage_errors(db_path: Path) -> None:
    bad_role = _fm(db_path, "annotators", "add", "ana", "--role", "boss")
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr.decode()
    gold = _fm(db_path, "annotators", "add", "gold")
    assert gold.returncode == 2 and "gold layer" in gold.stderr.decode()
    assert "Traceback" not in gold.stderr.decode()
