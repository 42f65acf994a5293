"""Nothing stored or named by a file reaches a terminal raw: every command that lists what is
stored (plain or `--json`) and `extract`'s headers are scanned, byte for byte, for ESC and the
other C0 controls, C1 controls (U+009B is a one-byte CSI to some terminals) and the bidi controls
that reorder or hide text (U+202A–U+202E, U+2066–U+2069). JSON keeps the stored strings exactly
(as \\uXXXX escapes); plain output drops those characters."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_factmark

# OSC 52 (writes the clipboard), a colour, a one-byte CSI that clears the screen, and a right-
# to-left override and isolate that reorder what follows.
HOSTILE = "\x1b]52;c;SGVsbG8=\x07\x1b[31mred\x9b2J\u202eevil\u2066x\u2069"
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TEXT = "Hamas and Fatah met in Cairo on Monday. Officials said 40 people came."


def _record(annotator: str, note: str | None) -> dict:
    check = {"id": "c-hostile1", "claim": "Forty came " + HOSTILE}
    return {
        "text": TEXT,
        "meta": {
            "title": "Title " + HOSTILE,
            "outlet": "Outlet " + HOSTILE,
            "byline": "By " + HOSTILE,
            "note " + HOSTILE: ["meta " + HOSTILE, {"deep": HOSTILE}],
        },
        "spans": [
            {
                "start": 0,
                "end": 5,
                "label": "actor",
                "note": note,
                "attrs": {"entity": {"name": "Hamas " + HOSTILE, "type": "Organization"}},
            },
            {"start": 40, "end": 70, "label": "claim", "attrs": {"check": check}},
        ],
        "_annotator_id": annotator,
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    lines = [_record(name, "note " + HOSTILE) for name in ("alice", "bob")]
    (folder / "in.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )
    db = folder / "hostile.db"
    result = run_factmark("--db", str(db), "import", str(folder / "in.jsonl"))
    assert result.returncode == 0, result.stderr
    _plant_hostile_strings(db)
    pages = folder / "pages"
    pages.mkdir()
    for name in ("a\x1b[2Jb\u202e.txt", "c\x9b31m.txt", "plain.txt"):
        (pages / name).write_text("A title\n\nOfficials said the talks ended.\n", encoding="utf-8")
    return folder


def _plant_hostile_strings(db: Path) -> None:
    """Put the controls back where the import now cleans them away (titles, meta, attrs): a
    database written by an earlier factmark, or by another tool, can hold them, and the output
    side must still keep them off the terminal."""
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE documents SET title = ?, outlet = ?, byline = ?, "
            "meta = json_set(meta, '$.hostile', ?)",
            ("Title " + HOSTILE, "Outlet " + HOSTILE, "By " + HOSTILE, "meta " + HOSTILE),
        )
        connection.execute(
            "UPDATE spans SET attrs = json_set(attrs, '$.hostile', ?)", ("attr " + HOSTILE,)
        )
    connection.close()


LISTINGS = [
    ("list",),
    ("list", "--json"),
    ("search", "Officials"),
    ("search", "Officials", "--json"),
    ("entities", "list"),
    ("entities", "list", "--json"),
    ("entities", "show", "1"),
    ("entities", "show", "1", "--json"),
    ("annotators", "list"),
    ("annotators", "list", "--json"),
    ("claims",),
    ("claims", "--json"),
    ("agreement",),
    ("agreement", "--json"),
]


def _clean(output: bytes) -> list[str]:
    """The forbidden characters in `output`, as code points (empty: clean)."""
    return sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(output.decode("utf-8"))})


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_stored_strings_reach_the_terminal_without_controls(hostile, command):
    result = run_factmark("--db", str(hostile / "hostile.db"), *command)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the command printed nothing: nothing was tested"
    assert _clean(result.stdout) == [] and _clean(result.stderr) == []
    if "--json" in command:  # still JSON (search: one object a line)
        out = result.stdout.decode("utf-8")
        for text in out.splitlines() if command[0] == "search" else [out]:
            json.loads(text)


def test_json_keeps_the_stored_strings_exactly(hostile):
    result = run_factmark("--db", str(hostile / "hostile.db"), "search", "Officials", "--json")
    (hit,) = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert "\\u009b" in result.stdout.decode("utf-8")
    assert HOSTILE[HOSTILE.index("red") :] in hit["title"]  # what is stored, escaped not lost


@pytest.mark.parametrize("jsonl", [False, True])
def test_extract_names_files_without_their_controls(hostile, jsonl):
    result = run_factmark("extract", *(["--jsonl"] if jsonl else []), str(hostile / "pages"))
    assert result.returncode == 0, result.stderr
    assert _clean(result.stdout) == [] and _clean(result.stderr) == []
    out = result.stdout.decode("utf-8")
    if jsonl:
        paths = sorted(json.loads(line)["path"] for line in out.splitlines())
        assert paths == sorted(str(p) for p in (hostile / "pages").iterdir())
    else:
        assert out.count("==> ") == 3 and "c31m.txt <==" in out


def test_error_messages_do_not_echo_controls(hostile):
    db = str(hostile / "hostile.db")
    for args in (
        ("export", "--format", "jsonl", "--source", "x" + HOSTILE),
        ("export", "--format", "jsonl", "-o", str(hostile / ("missing" + HOSTILE) / "x")),
        ("list", "extra" + HOSTILE),
        ("assign", "--annotators", "alice", "--per-document", "1", "--documents", HOSTILE),
    ):
        result = run_factmark("--db", db, *args)
        assert result.returncode == 2, result.stderr
        assert _clean(result.stderr) == [] and len(result.stderr.splitlines()) == 1


def _on_a_terminal(*args: str) -> bytes:
    """What the command line writes to standard output when that is a terminal (a pty)."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "cli", *args], stdout=follower, stderr=subprocess.PIPE
    )
    os.close(follower)
    received = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    assert child.wait(timeout=60) == 0
    os.close(leader)
    return bytes(received).replace(b"\r\n", b"\n")  # the terminal's line discipline


@pytest.mark.parametrize("fmt", ["jsonl", "prodigy", "conll"])
def test_an_export_to_a_terminal_shows_controls_as_escapes(hostile, fmt):
    args = ("--db", str(hostile / "hostile.db"), "export", "--format", fmt, "--source", "all")
    piped = run_factmark(*args).stdout
    shown = _on_a_terminal(*args)
    assert _clean(shown) == []
    if fmt != "conll":  # JSON: the same records, only escaped
        assert _clean(piped) != []  # piped, the data is byte for byte what is stored
        as_read = [json.loads(line) for line in shown.decode("utf-8").splitlines()]
        assert as_read == [json.loads(line) for line in piped.decode("utf-8").splitlines()]
