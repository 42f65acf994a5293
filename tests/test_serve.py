"""`factmark serve` without a browser: the token on every route (HTTP client and websocket), the
loopback default and `--public`, bad input in one line, Ctrl+C, and a start-up that stays light."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from cli.web_server import SHUTDOWN_SECONDS, FactmarkServer, cookie_name
from store import Store
from tests.serve_support import FACTMARK, environment, served
from tests.test_cli_startup import _loaded

pytestmark = pytest.mark.skipif(
    not FACTMARK.exists(), reason=f"factmark is not installed at {FACTMARK} (pip install -e .)"
)
ANNOTATOR = "serve-tester"
TOKEN = "the-token-of-this-test"
CLOSED = {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED}


def _database(tmp_path: Path) -> Path:
    db = tmp_path / "desk.db"
    with Store.open(db) as store:
        store.ensure_annotator(ANNOTATOR)
    return db


def _factmark(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FACTMARK), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


# -- the token guard, in process: every route textual-serve registers ----------------------------


def _paths(app: object) -> list[str]:
    """A concrete path for every route of the app (placeholders filled in)."""
    paths = []
    for resource in app.router.resources():  # type: ignore[attr-defined]
        info = resource.get_info()
        if "prefix" in info:  # a static directory
            paths.append(info["prefix"].rstrip("/") + "/x.js")
        else:
            paths.append((info.get("path") or info["formatter"]).replace("{key}", "k1"))
    return paths


async def test_every_route_refuses_without_the_token_and_opens_with_it() -> None:
    listener = socket.socket()
    server = FactmarkServer("exit 1", listener, token=TOKEN, port=8123)
    app = await server._make_app()
    paths = _paths(app)
    assert {"/", "/ws", "/download/k1", "/static/x.js"} <= set(paths)  # textual-serve's routes
    async with TestClient(TestServer(app)) as client:
        for path in [*paths, "/nowhere"]:
            for query in ("", "?token=wrong", "?token=é", f"?token={TOKEN}x"):
                response = await client.get(path + query)
                assert response.status == 403, (path, query)
                assert (await response.text()).startswith("factmark serve: this needs the token")
        page = await client.get(f"/?token={TOKEN}")
        assert page.status == 200
        cookie = page.headers["Set-Cookie"]
        assert cookie.startswith(f"{cookie_name(8123)}={TOKEN};")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert page.headers["Referrer-Policy"] == "no-referrer"
        html = await page.text()
        assert f'data-session-websocket-url="ws://{page.url.host}:{page.url.port}/ws"' in html
        client.session.cookie_jar.clear()  # from here on, only the cookies each request names
        assert (await client.get("/static/js/textual.js")).status == 403
        headers = {"Cookie": f"{cookie_name(8123)}={TOKEN}"}
        assert (await client.get("/static/js/textual.js", headers=headers)).status == 200
        # Another server's cookie (another port) is not this one's.
        other = {"Cookie": f"{cookie_name(8124)}={TOKEN}"}
        assert (await client.get("/static/js/textual.js", headers=other)).status == 403
    listener.close()


# -- the real command -----------------------------------------------------------------------


async def test_the_served_page_and_websocket_need_the_token(tmp_path: Path) -> None:
    db = _database(tmp_path)
    env = environment(db, ANNOTATOR, tmp_path)
    with served(env) as server:
        out = server.output()
        assert f"works as {ANNOTATOR}" in out and str(db) in out
        assert server.url.startswith("http://127.0.0.1:")
        assert f"ssh -L {server.port}:localhost:{server.port} {socket.gethostname()}" in out
        jar = aiohttp.CookieJar(unsafe=True)  # unsafe: keep cookies of an IP address host
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            async with http.get(server.base + "/") as refused:
                assert refused.status == 403
                assert "needs the token" in await refused.text()
            with pytest.raises(aiohttp.WSServerHandshakeError) as handshake:
                await http.ws_connect(server.base + "/ws")
            assert handshake.value.status == 403
            async with http.get(server.url) as page:
                assert page.status == 200 and "textual-terminal" in await page.text()
            assert [c.key for c in jar] == [cookie_name(server.port)]
            # With the cookie (no token in the URL): a session, which draws the library.
            # The same cookie from another site's page: refused.
            with pytest.raises(aiohttp.WSServerHandshakeError) as foreign:
                await http.ws_connect(server.base + "/ws", headers={"Origin": "http://evil.test"})
            assert foreign.value.status == 403
            origin = {"Origin": server.base}
            async with http.ws_connect(
                server.base + "/ws?width=100&height=30", headers=origin
            ) as ws:
                drawn = b""
                while b"documents" not in drawn:
                    message = await ws.receive(timeout=30)
                    assert message.type == aiohttp.WSMsgType.BINARY, message
                    drawn += message.data
                # Ctrl+C with the session open: it is closed, not waited for.
                started = time.monotonic()
                stopping = asyncio.create_task(asyncio.to_thread(server.stop))
                while (await ws.receive(timeout=SHUTDOWN_SECONDS)).type not in CLOSED:
                    pass  # the app's last frames, then the server's close
                assert await stopping == 0
                assert time.monotonic() - started < SHUTDOWN_SECONDS
    assert "Traceback" not in server.output()
    assert server.output().splitlines()[-1] == "factmark serve: stopped"


def test_a_non_loopback_host_needs_public_and_says_what_it_exposes(tmp_path: Path) -> None:
    env = environment(_database(tmp_path), ANNOTATOR, tmp_path)
    refused = _factmark(env, "serve", "--host", "0.0.0.0", "--port", "0")
    assert refused.returncode == 2 and refused.stdout == ""
    (line,) = refused.stderr.splitlines()
    assert "0.0.0.0 is not a loopback address" in line and "--public" in line
    with served(env, "--host", "0.0.0.0", "--public") as server:
        out = " ".join(server.output().split())
        assert server.url.startswith(f"http://{socket.gethostname()}:")
        assert f"anyone who can reach port {server.port}" in out
        assert f"can act as {ANNOTATOR} on this database" in out and "no TLS" in out


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--host", "no-such-host.invalid"], "--host no-such-host.invalid: not an address here"),
        (["--host", ""], "--host is empty"),
        (["--port", "70000"], "must be a port number from 0 to 65535"),
        (["--port", "http"], "must be a port number from 0 to 65535"),
    ],
)
def test_a_bad_host_or_port_is_one_line(tmp_path: Path, args: list[str], reason: str) -> None:
    env = environment(_database(tmp_path), ANNOTATOR, tmp_path)
    result = _factmark(env, "serve", *args)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert reason in line


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    env = environment(_database(tmp_path), ANNOTATOR, tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _factmark(env, "serve", "--port", str(port))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"factmark: serve: cannot listen on 127.0.0.1 port {port}: the port is in use"
    ]


def test_a_database_that_cannot_be_opened_is_one_line_before_listening(tmp_path: Path) -> None:
    env = environment(tmp_path / "missing" / "desk.db", ANNOTATOR, tmp_path)
    result = _factmark(env, "serve", "--port", "0")
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "does not exist" in line and "Traceback" not in result.stderr
    not_ours = tmp_path / "notes.db"
    not_ours.write_text("not a database\n", encoding="utf-8")
    result = _factmark({**env, "FACTMARK_DB": str(not_ours)}, "serve", "--port", "0")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1


def test_help_does_not_load_the_web_server() -> None:
    web = ("textual_serve", "aiohttp", "jinja2")
    assert _loaded("--help", heavy=web) == []
    assert _loaded("serve", "--help", heavy=web) == []
