"""A bug of ours still reaches the user as one line, never a traceback."""

from __future__ import annotations

import pytest

import cli.main as cli
import importers.dispatch as dispatch


def _explode(*args, **kwargs):
    raise RuntimeError("boom\x1b[2J")


def test_an_unexpected_error_on_one_input_fails_that_input_only(
    db_path, seeds_dir, capsys, monkeypatch
):
    real = dispatch.parse_input
    first = sorted(seeds_dir.iterdir())[0]

    def parse_or_explode(name, data, fmt, options, **where):
        return _explode() if name == str(first) else real(name, data, fmt, options, **where)

    monkeypatch.setattr(dispatch, "parse_input", parse_or_explode)
    assert cli.main(["--db", str(db_path), "import", str(seeds_dir)]) == 1
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1] == "imported 4, duplicates 0, failed 1"
    (line,) = err.strip().splitlines()
    assert line.startswith(f"{first}: could not be read (RuntimeError: boom")
    assert "\x1b" not in line


def test_an_unexpected_error_anywhere_is_one_line_and_exit_70(db_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "_runner", lambda command: _explode)
    assert cli.main(["--db", str(db_path), "list"]) == cli.EXIT_INTERNAL
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("factmark: internal error: RuntimeError: boom")
    assert "\x1b" not in line and "FACTMARK_DEBUG" in line
    monkeypatch.setenv("FACTMARK_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["--db", str(db_path), "list"])
