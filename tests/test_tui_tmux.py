"""End to end in a real terminal: the installed `factmark` in tmux, driven with send-keys.

Import the seeds into a temporary database, open the document that reports the toll, find
"34,535 Palestinians", label it a figure with `3`, quit with `q`, and check that
`factmark export --format jsonl --source <annotator>` contains that figure span.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from store import Store

SEEDS = Path(__file__).parent / "data" / "seeds"
FACTMARK = Path(sys.executable).with_name("factmark")
ANNOTATOR = "tmux-tester"
TARGET = "34,535 Palestinians"

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(
        not FACTMARK.exists(), reason=f"factmark is not installed at {FACTMARK} (pip install -e .)"
    ),
]


class Tmux:
    """One detached tmux session on a private server socket, so no user session is touched."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["tmux", "-L", self.socket, "-f", "/dev/null", *args]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=20)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e", check=False).stdout

    def alive(self) -> bool:
        return self.run("has-session", "-t", "e2e", check=False).returncode == 0

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "e2e", *(["-l"] if literal else []), *keys)


def wait_until(condition: Callable[[], bool], what: str, tmux: Tmux, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}; the screen shows:\n{tmux.screen()}")


def factmark(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FACTMARK), *args], env=env, capture_output=True, text=True, timeout=120, check=True
    )


def document_with(db: Path, needle: str) -> int:
    with Store.open(db) as store:
        return next(d.id for d in store.list_documents() if needle in store.document(d.id).text)


def test_find_label_quit_then_export_in_tmux(tmp_path: Path) -> None:
    db = tmp_path / "e2e.db"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FACTMARK_", "TMUX"))},
        "FACTMARK_DB": str(db),
        "FACTMARK_ANNOTATOR": ANNOTATOR,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no user config file applies
        "TERM": "xterm-256color",
    }
    factmark(env, "import", *map(str, sorted(SEEDS.glob("*.txt"))))
    doc_id = document_with(db, TARGET)

    exported = {k: env[k] for k in ("FACTMARK_DB", "FACTMARK_ANNOTATOR", "XDG_CONFIG_HOME", "TERM")}
    command = " ".join(
        ["env", *(f"{k}={shlex.quote(v)}" for k, v in exported.items())]
        + [shlex.quote(str(FACTMARK)), "annotate", str(doc_id)]
    )
    tmux = Tmux(f"factmark-test-{uuid.uuid4().hex[:8]}")
    tmux.run("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36", command)
    try:
        wait_until(
            lambda: f"annotator {ANNOTATOR}" in tmux.screen() and "characters" in tmux.screen(),
            "the annotate screen",
            tmux,
        )
        tmux.keys("/")
        tmux.keys(TARGET, literal=True)
        tmux.keys("Enter")
        wait_until(lambda: "Found at" in tmux.screen(), "the find result", tmux)
        tmux.keys("3")
        wait_until(lambda: f"Saved figure: “{TARGET}”" in tmux.screen(), "the label", tmux)
        tmux.keys("q")
        wait_until(lambda: not tmux.alive(), "factmark to quit", tmux)
    finally:
        tmux.run("kill-server", check=False)

    result = factmark(env, "export", "--format", "jsonl", "--source", ANNOTATOR)
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    spans = [span for record in records for span in record["spans"]]
    assert any(span["label"] == "figure" and span["text"] == TARGET for span in spans), spans
    (record,) = [r for r in records if r["spans"]]
    (span,) = record["spans"]
    assert record["text"][span["start"] : span["end"]] == TARGET


def test_link_a_claim_to_its_actor_then_export_the_relation_in_tmux(tmp_path: Path) -> None:
    """Label "Lin Jian" an actor and what he said a claim, put the cursor in the claim, `l`,
    type "lin", `enter`: the export carries the claim's said_by link to him."""
    db = tmp_path / "e2e.db"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FACTMARK_", "TMUX"))},
        "FACTMARK_DB": str(db),
        "FACTMARK_ANNOTATOR": ANNOTATOR,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    factmark(env, "import", *map(str, sorted(SEEDS.glob("*.txt"))))
    actor = "Lin Jian"
    claim = "representatives of Palestinian groups Fatah and Hamas held"
    doc_id = document_with(db, actor)
    exported = {k: env[k] for k in ("FACTMARK_DB", "FACTMARK_ANNOTATOR", "XDG_CONFIG_HOME", "TERM")}
    command = " ".join(
        ["env", *(f"{k}={shlex.quote(v)}" for k, v in exported.items())]
        + [shlex.quote(str(FACTMARK)), "annotate", str(doc_id)]
    )
    tmux = Tmux(f"factmark-test-{uuid.uuid4().hex[:8]}")
    tmux.run("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36", command)
    try:
        wait_until(
            lambda: f"annotator {ANNOTATOR}" in tmux.screen() and "characters" in tmux.screen(),
            "the annotate screen",
            tmux,
        )
        for text, key, label in ((actor, "1", "actor"), (claim, "2", "claim")):
            tmux.keys("/")
            tmux.keys(text, literal=True)
            tmux.keys("Enter")
            wait_until(lambda: "Found at" in tmux.screen(), f"finding {text}", tmux)
            tmux.keys(key)
            wait_until(lambda label=label: f"Saved {label}:" in tmux.screen(), label, tmux)
        tmux.keys("b")  # the cursor was just past the claim: back into its last word
        tmux.keys("l")
        wait_until(lambda: "Link claim" in tmux.screen(), "the link picker", tmux)
        tmux.keys("lin", literal=True)
        tmux.keys("Enter")
        wait_until(lambda: "Linked claim" in tmux.screen(), "the link", tmux)
        assert "→ said by: actor Lin Jian" in tmux.screen()
        tmux.keys("q")
        wait_until(lambda: not tmux.alive(), "factmark to quit", tmux)
    finally:
        tmux.run("kill-server", check=False)

    result = factmark(env, "export", "--format", "jsonl", "--source", ANNOTATOR)
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    (record,) = [r for r in records if r["spans"]]
    by_id = {span["id"]: span for span in record["spans"]}
    (relation,) = record["relations"]
    assert relation["label"] == "said_by"
    assert by_id[relation["head"]]["label"] == "claim"
    assert by_id[relation["head"]]["text"] == claim
    assert (by_id[relation["child"]]["label"], by_id[relation["child"]]["text"]) == ("actor", actor)
