"""The web server behind `factmark serve`: textual-serve's Server with a token on every route.

textual-serve starts a process running the TUI for every websocket that connects to `/ws`, and
serves the page, its static files and the app's downloads beside it. Anyone who reaches one of
them reaches a session that acts as the annotator who started the server, so each route (those
textual-serve has today and any it adds: the check is a middleware, not a list) answers only a
request that carries the token: in the URL (`?token=`, as printed at start), which also sets an
HttpOnly, SameSite=Strict cookie, or in that cookie. Without it: 403 and one line of text.

Imported only by `factmark serve` (aiohttp and textual-serve are not loaded by other commands).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import signal
import socket
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

REFUSED = (
    "factmark serve: this needs the token. Open the URL that `factmark serve` printed "
    "(http://HOST:PORT/?token=...).\n"
)
log = logging.getLogger("factmark.serve")
CLOSE_SECONDS = 2.0  # how long closing a websocket waits for the browser's answer
SHUTDOWN_SECONDS = 5.0  # how long Ctrl+C waits for the sessions to close before it leaves


def cookie_name(port: int) -> str:
    """Cookies are shared by every port of a host: one name per port, so two servers on one
    machine do not overwrite each other's key."""
    return f"factmark-serve-{port}"


def token_guard(token: str, port: int) -> Any:
    """The middleware: the token (URL or cookie) or 403; a websocket also from this page only."""
    expected = token.encode("utf-8")
    name = cookie_name(port)

    def matches(given: str | None) -> bool:
        # Bytes: compare_digest refuses str with non-ASCII, which a visitor may well send.
        return given is not None and hmac.compare_digest(given.encode("utf-8"), expected)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        from_url = matches(request.query.get("token"))
        if not (from_url or matches(request.cookies.get(name))) or not _same_origin(request):
            return web.Response(status=403, text=REFUSED)
        response = await handler(request)
        if not response.prepared:
            # The token is in the page's URL: no Referer carries it off, no other site frames it.
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["X-Frame-Options"] = "DENY"
            if from_url:
                response.set_cookie(name, token, path="/", httponly=True, samesite="Strict")
        return response

    return guard


def _same_origin(request: web.Request) -> bool:
    """A browser names the page a websocket comes from (Origin): another site's page, even with
    the user's cookie, gets no session. Non-browser clients send no Origin and need the token."""
    origin = request.headers.get("Origin")
    if origin is None or request.path != "/ws":
        return True
    return urlsplit(origin).netloc.lower() == request.host.lower()


class Session(AppService):
    """One browser session's process, which stopping also waits for (textual-serve's leaves
    it to be collected after the event loop has closed, which prints a traceback)."""

    async def stop(self) -> None:
        await super().stop()  # tells the app to quit, and reads its output to the end
        process = self._process
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(process.wait(), SHUTDOWN_SECONDS)
        except TimeoutError:
            process.kill()
            await process.wait()


class FactmarkServer(Server):
    """textual-serve's Server on a socket bound beforehand, with the token guard, quiet logs and
    a Ctrl+C that closes every session instead of waiting for them."""

    def __init__(self, command: str, sock: socket.socket, *, token: str, port: int) -> None:
        super().__init__(command, title="factmark", port=port)
        self.sock = sock
        self.token = token
        self.sessions: set[asyncio.Task[Any]] = set()

    def initialize_logging(self) -> None:
        # Warnings and errors only (textual-serve logs each request and session at INFO).
        logging.basicConfig(level=logging.WARNING, format="factmark serve: %(message)s")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(token_guard(self.token, self.port))
        return app

    async def on_startup(self, app: web.Application) -> None:
        """The banner is printed by the command, once the socket is bound."""

    async def on_shutdown(self, app: web.Application) -> None:
        # A cancelled session closes its websocket and tells its process to quit (textual-serve's
        # handler does both), instead of the server waiting for the browser to leave.
        # A browser that never answers the close (a dropped tunnel) is waited for only so long.
        sessions = list(self.sessions)
        for task in sessions:
            task.cancel()
        if sessions:
            await asyncio.wait(sessions, timeout=SHUTDOWN_SECONDS)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's session handler, with a session that waits for its process and a
        close that does not wait long for a browser that has gone."""
        websocket = web.WebSocketResponse(heartbeat=15, timeout=CLOSE_SECONDS)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        task = asyncio.current_task()  # aiohttp runs each request in a task of its own
        assert task is not None
        self.sessions.add(task)
        session: Session | None = None

        async def close() -> None:  # the app quit: close the page's websocket
            await websocket.close()

        try:
            await websocket.prepare(request)
            session = Session(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            pass  # the server is stopping: end the session below
        except Exception as error:  # noqa: BLE001 - one session's failure is not the server's
            log.warning("a browser session ended with an error: %s", error)
        finally:
            self.sessions.discard(task)
            if session is not None:
                await session.stop()
            if websocket.prepared:
                await websocket.close()
        return websocket

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """textual-serve's page, with the websocket on the host and port the browser used (an
        SSH tunnel's local port; the host the token cookie was set for), not the bound one."""
        scheme = "wss" if request.secure else "ws"
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, self.request_exit)
        web.run_app(
            self._make_app(),
            sock=self.sock,
            handle_signals=False,
            loop=loop,
            print=None,
            access_log=None,
            shutdown_timeout=1.0,  # on_shutdown has closed the sessions, or given up on them
        )


def serve(command: str, sock: socket.socket, *, token: str, port: int) -> None:
    """Serve the TUI (`command`, run per browser session) on `sock` until Ctrl+C or SIGTERM."""
    FactmarkServer(command, sock, token=token, port=port).serve()
