"""Which processes a command left behind, read from /proc (Linux)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

# What a command stopped by Ctrl+C exits with: 130, or death by SIGINT when the KeyboardInterrupt
# struck inside exec() of a string (dataclasses make their methods so, in a lazy import): Python
# 3.11 then ends the process by SIGINT at exit even though the program caught it and returned
# 130. A shell reports both as 130.
INTERRUPTED_EXITS = (130, -signal.SIGINT)


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children


def alive_pids(pids: list[int]) -> list[int]:
    """Those of `pids` still running (a zombie has ended)."""
    alive = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                if "zombie" not in status.read():
                    alive.append(pid)
        except FileNotFoundError:
            pass
    return alive


def workers_of(pid: int, count: int, seconds: float = 30) -> list[int]:
    """The child processes of `pid`, once there are `count` of them (or `seconds` passed)."""
    deadline = time.monotonic() + seconds
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < count:
        workers = child_pids(pid)
        time.sleep(0.05)
    return workers


def still_alive_after(pids: list[int], seconds: float = 10) -> list[int]:
    """Those of `pids` still running after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while alive_pids(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive_pids(pids)
