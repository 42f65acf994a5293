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


# What `-o` names decides how it is written: regular files by temporary file and rename (keeping
# their mode), anything else streamed to, never renamed over; a failed output is one line, exit 1.
# The exports run the real command line in a child process.

_ROOT = os.geteuid() == 0
# A directory no one may create files in: as root only a kernel file system refuses (sysfs).
_UNWRITABLE = Path("/sys/kernel")


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    from tests.formats_support import build_database

    return build_database(tmp_path_factory.mktemp("outputs") / "small.db")


def _export(db: Path, *extra: str):
    from tests.conftest import run_factmark

    # A later --format in `extra` overrides this one.
    return run_factmark("--db", str(db), "export", "--format", "jsonl", "--source", "all", *extra)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "factmark-partial" in p.name)


def test_a_link_to_standard_output_is_written_through_not_replaced(small_db, tmp_path):
    expected = _export(small_db).stdout
    assert expected.count(b"\n") > 3
    link = tmp_path / "out"
    link.symlink_to("/proc/self/fd/1")
    for target in (str(link), "/dev/stdout"):
        result = _export(small_db, "-o", target)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert _export(small_db, "-o", "/dev/null").returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # still the device, as root too
    assert _leftovers(tmp_path) == []


def test_a_fifo_is_streamed_to(small_db, tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = _export(small_db, "-o", str(fifo))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert received == [_export(small_db).stdout]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_file_keeps_its_mode_and_a_link_to_it_stays_a_link(small_db, tmp_path):
    private = tmp_path / "private.jsonl"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    assert _export(small_db, "-o", str(private)).returncode == 0
    assert _mode(private) == 0o600 and private.read_bytes() == _export(small_db).stdout
    shared = tmp_path / "shared.jsonl"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o664)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(shared.name)
    assert _export(small_db, "-o", str(link)).returncode == 0
    assert link.is_symlink() and os.readlink(link) == shared.name
    assert shared.read_bytes() == _export(small_db).stdout and _mode(shared) == 0o664
    assert _leftovers(tmp_path) == []


def test_a_directory_or_an_unwritable_one_is_one_line_and_exit_1(small_db, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = _export(small_db, "-o", str(folder))
    assert result.returncode == 1
    message = f"factmark: -o {folder}: is a directory (give a file name)"
    assert result.stderr.decode().splitlines() == [message]
    if _ROOT:
        unwritable = _UNWRITABLE
    else:
        unwritable = tmp_path / "locked"
        unwritable.mkdir(mode=0o500)
    for fmt, name in (("jsonl", "out.jsonl"), ("brat", "brat")):
        result = _export(small_db, "--format", fmt, "-o", str(unwritable / name))
        assert result.returncode == 1, result.stderr
        lines = result.stderr.decode().splitlines()
        assert len(lines) == 1 and "cannot write" in lines[0] and str(unwritable) in lines[0]


_SLOW_WRITER = """
import sys, time
from cli.output import export_output
from exporters.formats import Output
with export_output(Output.TEXT, sys.argv[1]) as out:
    out.write("half of it")
    out.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def _start_slow_writer(target: Path):
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"writing\n"
    assert len(_leftovers(target.parent)) == 1
    return child


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_an_interrupted_export_leaves_no_partial_file(tmp_path, how):
    import signal

    target = tmp_path / "out.jsonl"
    target.write_text("before", encoding="utf-8")
    child = _start_slow_writer(target)
    child.send_signal(getattr(signal, how))
    _, stderr = child.communicate(timeout=30)
    assert _leftovers(tmp_path) == [], stderr
    assert target.read_text(encoding="utf-8") == "before"
    if how != "SIGINT":
        assert child.returncode == 128 + getattr(signal, how)


def test_a_partial_file_of_a_killed_export_is_removed_by_the_next(small_db, tmp_path):
    import signal

    target = tmp_path / "out.jsonl"
    child = _start_slow_writer(target)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    (left,) = _leftovers(tmp_path)
    assert left.startswith(f".out.jsonl.factmark-partial-{child.pid}-")
    # A partial file of a process still running (this one) is someone's export in progress.
    running = tmp_path / f".out.jsonl.factmark-partial-{os.getpid()}-0123abcd"
    running.write_text("in progress", encoding="utf-8")
    assert _export(small_db, "-o", str(target)).returncode == 0
    assert _leftovers(tmp_path) == [running.name]
    assert target.read_bytes() == _export(small_db).stdout


def test_temporary_names_fit_beside_a_long_name(tmp_path):
    long_name = "é" * 120 + ".jsonl"  # 246 bytes: a name and a temporary suffix would not fit
    target = tmp_path / long_name
    with atomic_text(target) as out:
        out.write("x")
    assert target.read_text(encoding="utf-8") == "x"
    assert list(tmp_path.iterdir()) == [target]
