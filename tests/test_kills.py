"""kill -9 of the installed program at random moments: a few rounds of `python -m bench kills`.

An import of a directory of many files, an export to a file, a TUI session in tmux right after a
label shows "Saved": afterwards the database passes integrity_check and foreign_key_check, every
document is whole (text, title and spans as an uninterrupted import makes them), what was shown
or printed as saved is there, and the export's target is what it was or the whole new export.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from bench.bench_kills import FACTMARK, kill_exports, kill_imports, kill_tui_sessions

pytestmark = pytest.mark.skipif(
    not FACTMARK.exists(), reason=f"factmark is not installed at {FACTMARK} (pip install -e .)"
)


def test_killed_imports_leave_whole_documents_and_complete_when_run_again(tmp_path: Path) -> None:
    tally = kill_imports(tmp_path, rounds=3, rng=random.Random(3))
    assert tally.problems == []
    assert tally.kills + tally.finished_first == 3
    assert tally.saved_checked > 0


def test_a_killed_export_leaves_its_target_as_it_was_or_complete(tmp_path: Path) -> None:
    tally = kill_exports(tmp_path, rounds=3, rng=random.Random(4))
    assert tally.problems == []
    assert tally.kills + tally.finished_first == 3
    # A killed export's temporary file (counted in tally.leftovers) is removed by the next export
    # to the same place: kill_exports reports any that survive it as broken.


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_tui_killed_right_after_saved_keeps_every_saved_label(tmp_path: Path) -> None:
    tally = kill_tui_sessions(tmp_path, rounds=2, rng=random.Random(5))
    assert tally.notes == []  # every phrase was found, labelled and shown saved
    assert tally.kills == 2
    assert tally.saved_checked >= 2
    assert tally.problems == []
