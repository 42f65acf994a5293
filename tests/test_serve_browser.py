"""`factmark serve` in a real browser: headless Chromium (the system's, driven by Playwright).

The seeds are imported into a temporary database and `factmark serve` started on a free loopback
port. Without the token the page and the websocket are refused. With it, the browser shows the
library; keys typed in the page filter it to the document that reports the toll, open it, find
"34,535 Palestinians" and label it a figure (`3`); the span is then read back from the database
through the store. A screenshot is kept (under $FACTMARK_TEST_ARTIFACTS, else test-artifacts/),
`q` ends the session in the page, and Ctrl+C stops the server cleanly.

What the page shows is read from the websocket's frames (the terminal's output, escape sequences
removed): xterm.js draws on a canvas, which has no text to ask for.
"""

from __future__ import annotations

import codecs
import importlib.util
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from store import Store
from tests.serve_support import FACTMARK, SEEDS, Served, environment, served
from tests.test_tui_tmux import factmark

# Debian's `chromium` (apt; .ci/run installs it), never Playwright's own download.
CHROMIUM = Path(
    os.environ.get("FACTMARK_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
ROOT = Path(__file__).parent.parent
ANNOTATOR = "browser-tester"
TARGET = "34,535 Palestinians"
FILTER = "fully expressed"  # the library filter that leaves only the document reporting the toll

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="Playwright is not installed (pip install -e '.[dev]')",
    ),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (Debian: apt install chromium)"
    ),
    pytest.mark.skipif(
        not FACTMARK.exists(), reason=f"factmark is not installed at {FACTMARK} (pip install -e .)"
    ),
]
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[P^_][^\x1b]*\x1b\\|.)")


def artifacts() -> Path:
    folder = Path(os.environ.get("FACTMARK_TEST_ARTIFACTS") or ROOT / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Terminal:
    """The text a page's terminal received over its websocket, waited on as a user watches."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.raw: list[str] = []
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        page.on("websocket", lambda ws: ws.on("framereceived", self._received))

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):  # the app's output; str frames are the page's pings
            self.raw.append(self.decoder.decode(payload))

    def mark(self) -> int:
        return len(self.raw)

    def text(self, since: int = 0) -> str:
        return ESCAPES.sub("", "".join(self.raw[since:]))

    def wait_for(self, needle: str, what: str, since: int = 0, seconds: float = 30) -> float:
        """Wait (in short steps, letting Playwright deliver frames) until `needle` is drawn."""
        deadline = time.monotonic() + seconds
        while needle not in self.text(since):
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the page got:\n{self.text()[-3000:]}")
            self.page.wait_for_timeout(50)
        return time.monotonic()

    def keys(self, *keys: str, text: str | None = None) -> int:
        """Press keys (Playwright names) or type text; the mark to wait from."""
        mark = self.mark()
        for key in keys:
            self.page.keyboard.press(key)
        if text is not None:
            self.page.keyboard.type(text)
        return mark


def _refused_without_the_token(page: Any, server: Served) -> None:
    response = page.goto(server.base + "/")
    assert response.status == 403
    assert "needs the token" in page.inner_text("body")
    response = page.goto(server.url.replace("token=", "token=x"))
    assert response.status == 403
    # The page's script cannot open a session either (no cookie yet): the handshake is refused.
    opened = page.evaluate(
        """url => new Promise(done => {
            const ws = new WebSocket(url);
            ws.onopen = () => done("open");
            ws.onerror = () => done("refused");
        })""",
        server.base.replace("http:", "ws:") + "/ws",
    )
    assert opened == "refused"


def test_label_a_span_in_the_browser(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    db = tmp_path / "desk.db"
    env = environment(db, ANNOTATOR, tmp_path)
    factmark(env, "import", *map(str, sorted(SEEDS.glob("*.txt"))))
    with Store.open(db) as store:
        (doc_id,) = [d.id for d in store.list_documents() if FILTER in (d.title or d.opening)]
        assert TARGET in store.document(doc_id).text

    timings: dict[str, float] = {}
    with served(env) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            # Nothing leaves the machine (the page links a web font): only the server answers.
            page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
            _refused_without_the_token(page, server)
            terminal = Terminal(page)
            timings["serve start to its URL printed"] = server.ready - server.started
            opened = time.monotonic()
            assert page.goto(server.url).status == 200
            painted = terminal.wait_for("Enter opens.", "the library")
            timings["page opened to the library drawn"] = painted - opened
            assert f"annotator {ANNOTATOR}" in terminal.text()
            # As a user does, click the page (its top line: the header) to type into it.
            page.click("#terminal", position={"x": 4, "y": 4})
            mark = terminal.keys("/", text=FILTER)  # `/` enters the library's filter
            terminal.wait_for("1 of 5 documents", "the filtered library", mark)
            mark = terminal.keys("Enter")
            terminal.wait_for(f"document {doc_id} of 5", "the annotate screen", mark)
            mark = terminal.keys("/", text=TARGET)
            terminal.keys("Enter")
            terminal.wait_for("Found at", "the find result", mark)
            started = time.monotonic()
            mark = terminal.keys("3")
            terminal.wait_for(f"Saved figure: “{TARGET}”", "the label to be saved", mark)
            timings["key to Saved"] = time.monotonic() - started
            page.screenshot(path=str(artifacts() / "serve-browser.png"))

            with Store.open(db) as store:
                spans = store.spans(doc_id, ANNOTATOR)
            assert [(s.label, s.text) for s in spans] == [("figure", TARGET)]

            terminal.keys("q")  # the session ends; the page says so
            page.wait_for_selector("body.-closed", timeout=15_000)
        finally:
            browser.close()
        assert server.stop() == 0
    assert "Traceback" not in server.output(), server.output()
    assert server.output().splitlines()[-1] == "factmark serve: stopped"
    (artifacts() / "serve-browser-timings.txt").write_text(
        "".join(f"{name}: {seconds:.2f} s\n" for name, seconds in timings.items()),
        encoding="utf-8",
    )
