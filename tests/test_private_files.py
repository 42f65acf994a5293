"""A new SQLite database and the directory factmark makes for it are private to their owner, or
shared with one Unix group; SQLite's -wal and -shm files follow the database file's mode."""

from __future__ import annotations

import grp
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store, StoreError
from tests.conftest import run_factmark

TEXT = "Hamas and Fatah met in Cairo on Monday."


@pytest.fixture
def careless_umask() -> Iterator[None]:
    """The most permissive umask: the modes must not come from it."""
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _write_and_look(store: Store, path: Path) -> dict[str, tuple[int, int]]:
    """Write through the open store, then each file's (mode, group) while SQLite holds them."""
    from vocabulary.records import Article, ImportItem

    store.import_items([ImportItem(article=Article(text=TEXT))])
    files = {suffix: Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")}
    assert all(file.exists() for file in files.values())
    return {suffix: (_mode(file), file.stat().st_gid) for suffix, file in files.items()}


def test_a_new_default_database_and_its_directory_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, careless_umask: None
) -> None:
    data = tmp_path / "data" / "factmark"
    monkeypatch.setenv("FACTMARK_DATA_DIR", str(data))
    with Store.open() as store:
        seen = _write_and_look(store, data / "factmark.db")
    assert _mode(data) == 0o700
    assert {suffix: mode for suffix, (mode, _gid) in seen.items()} == {
        "": 0o600,
        "-wal": 0o600,
        "-shm": 0o600,
    }


def test_a_new_file_given_by_path_is_private_too(db_path: Path, careless_umask: None) -> None:
    db_path.parent.chmod(0o755)
    with Store.open(db_path) as store:
        seen = _write_and_look(store, db_path)
    assert {mode for mode, _gid in seen.values()} == {0o600}
    assert _mode(db_path.parent) == 0o755  # a directory factmark did not make is left alone


def _some_group() -> grp.struct_group:
    """A group this process may give files to (root: any; others: one they belong to)."""
    if os.geteuid() == 0:
        return grp.getgrnam("daemon") if _has_group("daemon") else grp.getgrgid(1)
    return grp.getgrgid(os.getgroups()[0])


def _has_group(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def test_a_shared_group_gets_0660_files_and_a_2770_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, careless_umask: None
) -> None:
    group = _some_group()
    data = tmp_path / "desk"
    monkeypatch.setenv("FACTMARK_DATA_DIR", str(data))
    with Store.open(shared_group=group.gr_name) as store:
        seen = _write_and_look(store, data / "factmark.db")
    assert _mode(data) == 0o2770 and data.stat().st_gid == group.gr_gid
    assert seen == {suffix: (0o660, group.gr_gid) for suffix in ("", "-wal", "-shm")}


def test_an_existing_file_keeps_its_mode(db_path: Path) -> None:
    db_path.touch()
    db_path.chmod(0o644)
    with Store.open(db_path, shared_group=_some_group().gr_name) as store:
        store.ensure_annotator("ana")
    assert _mode(db_path) == 0o644


def test_an_unknown_group_is_refused_in_one_line_and_nothing_is_made(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    with pytest.raises(StoreError, match="no such group"):
        Store.open(target, shared_group="no-such-group-here")
    assert list(tmp_path.iterdir()) == []
    result = run_factmark("--db", str(target), "--shared-group", "no-such-group-here", "list")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "factmark: shared group no-such-group-here: there is no such group on this machine\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_config_file_setting_applies_and_config_shows_it(tmp_path: Path) -> None:
    group = _some_group().gr_name
    config = tmp_path / "config.toml"
    config.write_text(f'shared_group = "{group}"\n', encoding="utf-8")
    target = tmp_path / "shared.db"
    made = run_factmark("--db", str(target), "--config", str(config), "annotators", "add", "ana")
    assert made.returncode == 0, made.stderr
    assert _mode(target) == 0o660 and target.stat().st_gid == grp.getgrnam(group).gr_gid
    shown = run_factmark("--config", str(config), "config")
    assert f"shared with group {group} (file 0660, directory 2770)" in shown.stdout.decode()
    private = run_factmark("config").stdout.decode()
    assert "private to you (file 0600, directory 0700)" in private
    bad = tmp_path / "bad.toml"
    bad.write_text('shared_group = "a b"\n', encoding="utf-8")
    refused = run_factmark("--config", str(bad), "config")
    assert refused.returncode == 2
    assert refused.stderr.decode() == (
        f"factmark: {bad}, line 1: shared_group must be the name of a Unix group\n"
    )
