"""Output files appear only once complete: the one atomic-write helper and the export outputs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cli.common import CliError
from cli.output import atomic_path, atomic_text, export_output
from exporters.formats import Output


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_file_appears_only_once_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_text(target) as out:
        out.write("half")
        assert not target.exists()
        assert [p.name.startswith(".out.txt.") for p in tmp_path.iterdir()] == [True]
    assert target.read_text(encoding="utf-8") == "half"
    assert list(tmp_path.iterdir()) == [target]
    assert _mode(target) == 0o666 & ~_umask()


def test_a_failed_write_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("before", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_text(target) as out:
        out.write("after")
        raise RuntimeError("stop")
    assert target.read_text(encoding="utf-8") == "before"
    assert list(tmp_path.iterdir()) == [target]


def test_a_directory_replaces_an_empty_one_once_complete(tmp_path: Path) -> None:
    target = tmp_path / "brat"
    target.mkdir()
    with atomic_path(target, directory=True) as building:
        (building / "a.txt").write_text("a", encoding="utf-8")
        assert not any(target.iterdir())
    assert [p.name for p in target.iterdir()] == ["a.txt"]
    assert _mode(target) == 0o777 & ~_umask()
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "other", directory=True) as building:
        (building / "b.txt").write_text("b", encoding="utf-8")
        raise RuntimeError("stop")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brat"]


def test_export_outputs_refuse_what_they_cannot_write(tmp_path: Path) -> None:
    with (
        pytest.raises(CliError, match="does not exist"),
        export_output(Output.TEXT, str(tmp_path / "missing" / "out.jsonl")),
    ):
        pass
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x", encoding="utf-8")
    with (
        pytest.raises(CliError, match="not an empty directory"),
        export_output(Output.DIRECTORY, str(tmp_path / "full")),
    ):
        pass
