"""Who may work as whom on a SQLite file, and canonical annotator names.

The store takes the login as a parameter (unit tests below); one test runs the real command line
as an unprivileged account (`runuser -u nobody`, when the suite runs as root) to show the
refusal where the login comes from the process's user id.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import PermissionDenied, Store
from store.acting import Login
from tests.conftest import run_factmark

REPO = Path(__file__).resolve().parents[1]


def test_an_annotator_cannot_work_as_someone_else(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.ensure_annotator("ana", "admin")
        store.ensure_annotator("ben")
    with pytest.raises(PermissionDenied) as refused:
        Store.open(db_path, user="ana", login=Login("ben"))
    assert str(refused.value) == (
        "you are logged in as ben: only an admin of this database may work as ana "
        "(--annotator or FACTMARK_ANNOTATOR)"
    )
    with Store.open(db_path, login=Login("ben")) as own:  # no name asked for: the login's own
        assert own.user == "ben" and own.acting_login is None


def test_an_admin_works_as_someone_else_and_the_events_say_who(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.ensure_annotator("ana", "admin")
        doc = store.import_items([_item("Hamas and Fatah met in Cairo on Monday.")])[0].document_id
    with Store.open(db_path, user="ben", login=Login("ana")) as acting:
        assert acting.user == "ben" and acting.acting_login == "ana"
        span = acting.add_span(doc, "ben", 0, 5, "actor")
    with Store.open(db_path) as store:
        added = [event for event in store.events(doc) if event.span_id == span.id]
        assert [(e.actor, e.payload["login"]) for e in added] == [("ben", "ana")]
        assert store.role_of("ben") == "annotator"


def test_on_a_new_database_the_login_is_the_first_admin_not_the_name_asked_for(
    db_path: Path,
) -> None:
    with Store.open(db_path, user="ben", login=Login("ana")) as store:
        assert store.user == "ben"
        assert {a.name: a.role for a in store.annotators()} == {"ana": "admin"}
        store.ensure_annotator("ben")
        assert store.role_of("ben") == "annotator"


def test_the_superuser_may_name_anyone_and_is_not_registered(db_path: Path) -> None:
    """root can rewrite the file anyway: refusing would protect nothing (README says so)."""
    with Store.open(db_path) as store:
        store.ensure_annotator("ana", "admin")
    with Store.open(db_path, user="ben", login=Login("root", superuser=True)) as store:
        assert store.user == "ben" and store.acting_login == "root"
        assert store.role_of("root") is None


def test_names_with_invisible_characters_are_refused(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.ensure_annotator("alice")
        for name in ("ali\u200bce", "alice\u2060", "\u202ealice", "bob\x85"):
            with pytest.raises(ValueError, match="invisible character|control characters"):
                store.ensure_annotator(name)
        with pytest.raises(ValueError, match="NFC"):
            store.ensure_annotator("Jose\u0301")
        assert [a.name for a in store.annotators()] == ["alice"]


def test_a_name_that_only_looks_like_an_old_one_is_refused(db_path: Path) -> None:
    """A database from before names were canonical may hold one with an invisible character."""
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "INSERT INTO annotators (name, role, created_at) VALUES (?, 'admin', '2024-01-01')",
            ("ali\u200bce",),
        )
    with Store.open(db_path) as store, pytest.raises(ValueError, match="looks the same"):
        store.ensure_annotator("alice")


def test_the_command_line_canonicalises_typed_names_and_refuses_invisible_ones(
    db_path: Path,
) -> None:
    added = run_factmark("--db", str(db_path), "annotators", "add", "Jose\u0301")
    assert added.returncode == 0, added.stderr
    assert added.stdout.decode() == "Jos\u00e9: annotator\n"
    hidden = run_factmark("--db", str(db_path), "annotators", "add", "tes\u200bter")
    assert hidden.returncode == 2
    assert len(hidden.stderr.splitlines()) == 1 and b"U+200B" in hidden.stderr
    as_flag = run_factmark("--db", str(db_path), "--annotator", "bo\u200bb", "list")
    assert as_flag.returncode == 2 and b"U+200B" in as_flag.stderr
    listed = json.loads(run_factmark("--db", str(db_path), "annotators", "list", "--json").stdout)
    assert sorted(p["name"] for p in listed) == ["Jos\u00e9", "tester"]


def test_an_import_naming_an_invisible_annotator_stores_nothing_of_it(
    db_path: Path, tmp_path: Path
) -> None:
    source = tmp_path / "hidden.jsonl"
    record = {
        "text": "Hamas and Fatah met in Cairo on Monday.",
        "_annotator_id": "tes\u200bter",
        "spans": [{"start": 0, "end": 5, "label": "actor"}],
    }
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run_factmark("--db", str(db_path), "import", str(source))
    assert result.returncode != 0
    assert b"U+200B" in result.stderr and b"Traceback" not in result.stderr
    with Store.open(db_path) as store:
        assert all("\u200b" not in a.name for a in store.annotators())


# -- the real command line, as an account that is not root ------------------------------------


def _python_for(account: str) -> str | None:
    """A Python of this version that `account` can run (ours may live under /root)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, shutil.which(version, path="/usr/local/bin:/usr/bin")):
        if candidate is None:
            continue
        probe = subprocess.run(
            ["runuser", "-u", account, "--", candidate, "-c", "pass"],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return candidate
    return None


@pytest.fixture
def as_nobody() -> Iterator[tuple[Path, list[str]]]:
    """A directory `nobody` owns, and the command that runs factmark as `nobody`."""
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser to run factmark as another account")
    python = _python_for("nobody")
    if python is None:
        pytest.skip("no Python the account nobody can run")
    place = Path(tempfile.mkdtemp(prefix="factmark-nobody-"))
    os.chmod(place, 0o755)
    paths = os.pathsep.join([str(REPO), *site.getsitepackages()])
    command = ["runuser", "-u", "nobody", "--", "env", "-i", f"PYTHONPATH={paths}"]
    command += [f"HOME={place}", "LANG=C.UTF-8"]
    try:
        yield place, [*command, python, "-m", "cli"]
    finally:
        shutil.rmtree(place, ignore_errors=True)


def test_a_real_login_cannot_name_someone_else_unless_admin(as_nobody, tmp_path: Path) -> None:
    place, factmark = as_nobody
    db = place / "desk.db"
    # Made by root, working as the desk's admin "tester" (the first annotator), then handed over.
    assert run_factmark("--db", str(db), "annotators", "add", "nobody").returncode == 0
    article = place / "a.txt"
    article.write_text("Hamas and Fatah met in Cairo on Monday.\n", encoding="utf-8")
    for path in (place, db, article):
        os.chown(path, 65534, 65534)
    os.chmod(db, 0o600)

    def run(*args: str, env: tuple[str, ...] = ()) -> subprocess.CompletedProcess[bytes]:
        full = [*factmark[:-3], *env, *factmark[-3:], "--db", str(db), *args]
        return subprocess.run(full, capture_output=True, check=False, timeout=120)

    refusal = (
        b"factmark: you are logged in as nobody: only an admin of this database may work as "
        b"tester (--annotator or FACTMARK_ANNOTATOR)\n"
    )
    for attempt in (
        run("--annotator", "tester", "import", str(article)),
        run("import", str(article), env=("FACTMARK_ANNOTATOR=tester",)),
        run("--annotator", "tester", "list"),  # the fast read path refuses it too
        run("--annotator", "tester", "annotators", "add", "nobody", "--role", "admin"),
        # LOGNAME and USER are not who is logged in: the process's user id is.
        run("--annotator", "tester", "list", env=("LOGNAME=tester", "USER=tester")),
    ):
        assert (attempt.returncode, attempt.stderr) == (2, refusal)
    own = run("import", str(article))
    assert own.returncode == 0, own.stderr
    with Store.open(db) as store:
        assert store.document_count() == 1 and store.role_of("nobody") == "annotator"
        store.set_role("nobody", "admin", actor="tester")
    acting = run("--annotator", "ben", "annotators", "add", "carla", "--role", "reviewer")
    assert acting.returncode == 2 and b"ben is an annotator" in acting.stderr
    promoted = run("--annotator", "tester", "annotators", "add", "carla", "--role", "reviewer")
    assert promoted.returncode == 0, promoted.stderr
    with Store.open(db) as store:
        role_events = [e for e in store.events() if e.kind == "role_set"]
        assert (role_events[-1].actor, role_events[-1].payload["login"]) == ("tester", "nobody")


def _item(text: str):  # an article to import, as the importers make it
    from vocabulary.records import Article, ImportItem

    return ImportItem(article=Article(text=text))
