"""`factmark serve` in a child process, as a user starts it: the installed `factmark` on a free
loopback port (`--port 0`), its printed URL and token read from its output."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FACTMARK = Path(sys.executable).with_name("factmark")
SEEDS = Path(__file__).parent / "data" / "seeds"
URL_LINE = re.compile(r"^\s+(http://\S+/\?token=\S+)$")


@dataclass
class Served:
    """A running `factmark serve`: its process, URL (with the token) and everything it printed."""

    process: subprocess.Popen[str]
    url: str = ""
    started: float = 0.0  # time.monotonic() when the process was started
    ready: float = 0.0  # and when it had printed its URL
    lines: list[str] = field(default_factory=list)

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.url).query)["token"][0]

    @property
    def base(self) -> str:
        """http://HOST:PORT, without the token."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def port(self) -> int:
        port = urlsplit(self.url).port
        assert port is not None
        return port

    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self, seconds: float = 15) -> int:
        """Ctrl+C, as a user stops it; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=seconds)


def environment(db: Path, annotator: str, home: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("FACTMARK_")},
        "FACTMARK_DB": str(db),
        "FACTMARK_ANNOTATOR": annotator,
        "FACTMARK_DATA_DIR": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),  # no user config file applies
    }


@contextmanager
def served(env: dict[str, str], *args: str, seconds: float = 30) -> Iterator[Served]:
    """`factmark serve --port 0 ARGS` until the block ends (then Ctrl+C, and kill if need be)."""
    command: Sequence[str] = [str(FACTMARK), "serve", "--port", "0", *args]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    server = Served(process, started=time.monotonic())
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:  # the pipe must be drained all along: sessions print to it too
        assert process.stdout is not None
        for line in process.stdout:
            server.lines.append(line.rstrip("\n"))
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + seconds
        while not server.url:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                raise AssertionError(f"factmark serve ended before serving:\n{server.output()}")
            if match := URL_LINE.match(line.rstrip("\n")):
                server.url = match.group(1)
                server.ready = time.monotonic()
        yield server
    finally:
        try:
            server.stop()
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
