"""`factmark serve [--host 127.0.0.1] [--port 8000] [--public]`: the TUI in a browser.

textual-serve runs one `factmark` process per browser session (every screen, as the `factmark`
command opens it) and relays it over a websocket. Every session works as the annotator who
started the server, on the database they named: the browser user gets no identity of their own.
So the server listens on loopback unless `--public` says otherwise, and a random token, printed
in the URL as Jupyter does, is the key to every route (`cli.web_server`).

Only `run_serve` loads the web server (aiohttp, textual-serve): the parser is built on every
start, and `factmark --help` must not pay for them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.common import CliError, Context, checked_annotator, open_store, safe

if TYPE_CHECKING:
    import socket

# socket, ipaddress, shlex and urllib are imported where used: this module is loaded to build
# the parser on every start (some 5 ms of imports that only `serve` needs).

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_serve_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """The `serve` command (called by cli.main's parser builder)."""
    parser = commands.add_parser(
        "serve",
        parents=[common],
        help="serve the TUI to a browser (loopback only unless --public; a token in the URL)",
        description="Serves the factmark TUI (every screen) to a browser. Each browser session "
        "works as the annotator who started the server, on this database. Binds to loopback: "
        "from another computer use an SSH tunnel (ssh -L 8000:localhost:8000 HOST).",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        metavar="PORT",
        help=f"port to listen on (default {DEFAULT_PORT}; 0: any free port)",
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow a non-loopback --host: anyone who reaches the port with the URL acts as "
        "you; no TLS",
    )


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, not {value!r}")
    return int(value)


class Listener:
    """Where the server listens: the bound socket, its address and whether it is loopback.
    (A plain class: a dataclass would cost every start of factmark a millisecond.)"""

    def __init__(self, sock: socket.socket, address: str, port: int, loopback: bool) -> None:
        self.sock, self.address, self.port, self.loopback = sock, address, port, loopback


def run_serve(args: argparse.Namespace, context: Context) -> int:
    annotator = checked_annotator(context.annotator)
    target = _explicit(context.db)
    with open_store(Context(target, annotator, context.config_path, context.mouse)) as store:
        role = store.ensure_annotator(annotator).role
        where = target if "://" not in target else store.url  # store.url hides a password
    listener = _listen(args.host, args.port, public=args.public)
    from cli.web_server import serve  # aiohttp and textual-serve: for this command only

    token = serve_token()
    command, environment = session_command(target, annotator, context)
    os.environ.update(environment)  # each session's process inherits the server's environment
    _print_banner(listener, token, annotator=annotator, role=role, where=where, host=args.host)
    serve(command, listener.sock, token=token, port=listener.port)
    print("factmark serve: stopped", flush=True)
    return 0


def serve_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


def _explicit(db: str | None) -> str:
    """The database the `factmark` command would open, named so that every session opens the
    same one: a file as an absolute path, the default file by its path."""
    if db is None:
        from store.paths import default_db_path

        return str(default_db_path())
    return db if "://" in db else str(Path(db).expanduser().absolute())


def session_command(target: str, annotator: str, context: Context) -> tuple[str, dict[str, str]]:
    """The shell command textual-serve runs per browser session: this Python running factmark's
    `cli` package on the library, with the database and annotator named explicitly; and what it
    needs in its environment (a URL with a password goes there, not on a command line that `ps`
    shows every user of the machine)."""
    import shlex
    from urllib.parse import urlsplit

    environment: dict[str, str] = {}
    words = [sys.executable, *_isolated(), "-m", "cli", "--annotator", annotator]
    if "://" in target and urlsplit(target).password is not None:
        environment["FACTMARK_DB"] = target
    else:
        words += ["--db", target]
    if context.config_path:
        words += ["--config", str(Path(context.config_path).absolute())]
    if not context.mouse:
        words.append("--no-mouse")
    # `exec`: the shell makes way for factmark, so the session's signals and exit reach it.
    return "exec " + shlex.join(words), environment


def _isolated() -> list[str]:
    """`-P` (no current directory on the module path), so a `cli` directory wherever the server
    was started cannot stand in for factmark; not when factmark runs from that very checkout."""
    import cli

    package_root = Path(cli.__file__).resolve().parent.parent
    return [] if package_root == Path.cwd().resolve() else ["-P"]


def _listen(host: str, port: int, *, public: bool) -> Listener:
    """Bind the listening socket now, so a bad host or a port in use is one line before anything
    is promised, and a non-loopback host is refused unless `public`."""
    import errno
    import socket

    if not host.strip():
        raise CliError("serve: --host is empty")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        raise CliError(f"serve: --host {safe(host)}: not an address here ({error})") from None
    loopback = all(_is_loopback(str(info[4][0])) for info in found)
    if not loopback and not public:
        raise CliError(
            f"serve: --host {safe(host)} is not a loopback address, so anyone on the network "
            "could reach the server: add --public to mean it, or keep the default and use an "
            "SSH tunnel"
        )
    family, kind, proto, _, address = found[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart after a stop
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        reason = (
            "the port is in use"
            if error.errno == errno.EADDRINUSE
            else error.strerror or str(error)
        )
        raise CliError(f"serve: cannot listen on {safe(host)} port {port}: {reason}") from None
    bound_address, bound_port = sock.getsockname()[:2]
    return Listener(sock, bound_address, bound_port, loopback)


def _is_loopback(address: str) -> bool:
    import ipaddress

    return ipaddress.ip_address(address.split("%")[0]).is_loopback  # "%": an IPv6 zone


def _url_host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def _print_banner(
    listener: Listener, token: str, *, annotator: str, role: str, where: str, host: str
) -> None:
    import ipaddress
    import socket

    port = listener.port
    wildcard = ipaddress.ip_address(listener.address.split("%")[0]).is_unspecified
    shown_host = socket.gethostname() if wildcard else _url_host(listener.address)
    url = f"http://{shown_host}:{port}/?token={token}"
    lines = [
        f"factmark serve: every browser session works as {safe(annotator)} (who started this "
        f"server; role {role}) on {safe(where)}: what it saves is {safe(annotator)}'s.",
        "Open this URL in a browser (the token in it is the key: keep it private):",
        f"    {url}",
    ]
    if listener.loopback:
        forward = "localhost" if listener.address in ("127.0.0.1", "::1") else listener.address
        lines += [
            "From another computer, open an SSH tunnel there, then the same URL:",
            f"    ssh -L {port}:{_url_host(forward)}:{port} {socket.gethostname()}",
        ]
    else:
        lines.append(
            f"--public: anyone who can reach port {port} of {safe(host)} and has this URL can "
            f"act as {safe(annotator)} on this database (read every document, change what "
            f"{safe(annotator)} may change). There is no TLS: the token and the text cross "
            "the network unencrypted."
        )
    lines.append("Ctrl+C stops the server.")
    print("\n".join(lines), flush=True)
