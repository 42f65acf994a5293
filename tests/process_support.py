"""Which processes a command left behind, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


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
