"""Opening a store: where it lives, what it refuses (with one-line reasons), schema versions."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

import store.store as store_module
from store import SCHEMA_VERSION, Store, StoreError, default_db_path
from store.engine import Database, make_engine, target_url
from store.migrations import prepare_schema


def _version_in(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        row = connection.execute(
            "SELECT value FROM factmark_meta WHERE key = 'schema_version'"
        ).fetchone()
    return int(row[0])


def _set_version(path: Path, version: int) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "UPDATE factmark_meta SET value = ? WHERE key = 'schema_version'", (str(version),)
        )
    connection.close()


def _assert_one_line_naming(error: pytest.ExceptionInfo[StoreError], name: str, reason: str):
    message = str(error.value)
    assert "\n" not in message
    assert name in message
    assert reason in message


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("FACTMARK_DB", "FACTMARK_DATA_DIR", "FACTMARK_CONFIG"):
        monkeypatch.delenv(variable, raising=False)


def test_open_creates_a_versioned_wal_database(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Store.open(path) as opened:
        assert opened.document_count() == 0
        assert str(path) in opened.url
    assert _version_in(path) == SCHEMA_VERSION
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_connections_get_the_pragmas(tmp_path: Path) -> None:
    database = Database(make_engine(target_url(tmp_path / "p.db"), target="p.db"), "p.db")

    def pragmas(session) -> tuple:
        run = session.connection().exec_driver_sql
        return tuple(
            run(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        )

    assert database.read(pragmas) == ("wal", 1, 10_000, 1)  # synchronous 1 = NORMAL
    database.dispose()


def test_reopen_keeps_data_and_accepts_sqlite_urls(tmp_path: Path) -> None:
    path = tmp_path / "kept.db"
    with Store.open(path) as first:
        first.ensure_annotator("ana")
    with Store.open(f"sqlite:///{path}") as again:
        assert [a.name for a in again.annotators()] == ["ana"]


def test_default_path_under_factmark_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_env: None
) -> None:
    data_dir = tmp_path / "nested" / "data"
    monkeypatch.setenv("FACTMARK_DATA_DIR", str(data_dir))
    assert default_db_path() == data_dir / "factmark.db"
    assert not data_dir.exists()  # resolving the path creates nothing
    with Store.open() as opened:
        opened.ensure_annotator("ana")
    assert (data_dir / "factmark.db").is_file()


def test_factmark_db_variable_wins_over_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_env: None
) -> None:
    monkeypatch.setenv("FACTMARK_DATA_DIR", str(tmp_path / "unused"))
    monkeypatch.setenv("FACTMARK_DB", str(tmp_path / "chosen.db"))
    Store.open().close()
    assert (tmp_path / "chosen.db").is_file()
    assert not (tmp_path / "unused").exists()


def test_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "x.db"
    with pytest.raises(StoreError) as error:
        Store.open(path)
    _assert_one_line_naming(error, str(path), "does not exist")
    assert not path.parent.exists()


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_text("just some notes\n" * 20)
    with pytest.raises(StoreError) as error:
        Store.open(path)
    _assert_one_line_naming(error, str(path), "not a SQLite database")
    assert path.read_text() == "just some notes\n" * 20  # the user's file is left alone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]


def test_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    Store.open(path).close()
    path.chmod(0o444)
    try:
        with pytest.raises(StoreError) as error:
            Store.open(path)
        _assert_one_line_naming(error, str(path), "read-only")
    finally:
        path.chmod(0o644)


def test_read_only_directory(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "db.db"
    Store.open(path).close()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(StoreError) as error:
            Store.open(path)
        _assert_one_line_naming(error, str(folder), "read-only")
    finally:
        folder.chmod(0o755)


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store.open(path).close()
    _set_version(path, SCHEMA_VERSION + 1)
    with pytest.raises(StoreError) as error:
        Store.open(path)
    _assert_one_line_naming(error, str(path), "newer factmark")
    assert _version_in(path) == SCHEMA_VERSION + 1  # untouched


def test_someone_elses_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.close()
    with pytest.raises(StoreError) as error:
        Store.open(path)
    _assert_one_line_naming(error, str(path), "not a factmark database")


def test_failed_open_leaves_no_half_created_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def create_then_fail(session, name: str) -> int:
        prepare_schema(session, name)
        raise StoreError(f"cannot open {name}: simulated failure after creating tables")

    monkeypatch.setattr(store_module, "change_schema", create_then_fail)
    with pytest.raises(StoreError, match="simulated failure"):
        Store.open(tmp_path / "half.db")
    assert list(tmp_path.iterdir()) == []


def test_upgrades_run_in_order_inside_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Store.open(path).close()
    database = Database(make_engine(target_url(path), target=str(path)), str(path))
    ran: list[int] = []

    def add_column(connection) -> None:
        ran.append(2)
        connection.execute(text("ALTER TABLE documents ADD COLUMN language TEXT"))

    def broken(connection) -> None:
        ran.append(3)
        raise StoreError("step 3 failed")

    # Steps numbered from the current version, so the test holds whatever SCHEMA_VERSION is.
    now = SCHEMA_VERSION
    upgrades = {now + 1: add_column, now + 2: broken}
    with pytest.raises(StoreError, match="step 3 failed"):
        database.write(
            lambda session: prepare_schema(session, "old", target=now + 2, upgrades=upgrades)
        )
    assert ran == [2, 3]
    assert _version_in(path) == now  # the failed upgrade rolled back, the first step included
    upgrades[now + 2] = lambda connection: ran.append(4)
    database.write(
        lambda session: prepare_schema(session, "old", target=now + 2, upgrades=upgrades)
    )
    assert ran == [2, 3, 2, 4]
    assert _version_in(path) == now + 2
    with sqlite3.connect(path) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(documents)")]
    assert "language" in columns
    database.dispose()


def test_unreachable_postgres_url_is_a_store_error() -> None:
    with pytest.raises(StoreError) as error:
        Store.open("postgresql+psycopg://ana:s3cret@127.0.0.1:1/factmark")
    message = str(error.value)
    assert "\n" not in message and "s3cret" not in message
    assert "127.0.0.1" in message


def test_malformed_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="not a valid database URL"):
        Store.open("nonsense://::::")


def test_closed_store_refuses_work(tmp_path: Path) -> None:
    opened = Store.open(tmp_path / "c.db")
    opened.close()
    with pytest.raises(StoreError, match="closed"):
        opened.document_count()


def test_read_only_checks_respect_permission_bits_even_for_root(tmp_path: Path) -> None:
    # Root bypasses file permissions; the store still treats chmod 444 as "do not write".
    path = tmp_path / "bits.db"
    Store.open(path).close()
    os.chmod(path, 0o444)
    try:
        with pytest.raises(StoreError, match="read-only"):
            Store.open(f"sqlite:///{path}")
    finally:
        os.chmod(path, 0o644)
