"""`factmark backup PATH` and the `factmark db ACTION` group (`check`, `upgrade`): keeping the data.

The group is a table, `DB_ACTIONS`: an action is one row naming its help, the module and function
that run it and, if it takes any, the function that adds its arguments; the module is imported
only when the action runs.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cli.commands.db_grant import grant_arguments
from cli.common import CliError, Context, safe

if TYPE_CHECKING:
    from sqlalchemy import URL

    from store import Store
    from store.maintenance import CheckResult

EXIT_OK, EXIT_PROBLEMS = 0, 1


class DbAction(NamedTuple):
    help: str
    module: str  # imported only when the action runs
    run: str  # (args, context) -> exit code
    arguments: Callable[[argparse.ArgumentParser], None] | None = None


DB_ACTIONS: dict[str, DbAction] = {
    "check": DbAction(
        "integrity, foreign keys, schema and factmark's own rules; exit 1 if any fails",
        __name__,
        "run_check",
    ),
    "upgrade": DbAction(
        "bring the database to this factmark's schema now, and say what was done",
        __name__,
        "run_upgrade",
    ),
    "grant": DbAction(
        "PostgreSQL: let a database role work as an annotator, reviewer or admin "
        "(creates the login role if missing; no password: set one with psql's \\password)",
        "cli.commands.db_grant",
        "run_db_grant",
        grant_arguments,
    ),
}


def add_database_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """`backup PATH [--force]` and `db ACTION` (one subcommand per row of DB_ACTIONS)."""
    backup = commands.add_parser(
        "backup",
        parents=[common],
        help="a consistent copy of the SQLite database, safe while others work",
    )
    backup.add_argument("path", metavar="PATH", help="the copy to write (a new file)")
    backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    group = commands.add_parser("db", parents=[common], help="check or upgrade the database")
    actions = group.add_subparsers(
        dest="action", metavar="ACTION", parser_class=type(group), required=True
    )
    for name, action in DB_ACTIONS.items():
        parser = actions.add_parser(name, parents=[common], help=action.help)
        if action.arguments is not None:
            action.arguments(parser)


def run_db(args: argparse.Namespace, context: Context) -> int:
    action = DB_ACTIONS[args.action]
    run: Callable[[argparse.Namespace, Context], int] = getattr(
        import_module(action.module), action.run
    )
    return run(args, context)


# ---------------------------------------------------------------------------------------------
# Which database


def _target(context: Context) -> URL:
    from store import StoreError
    from store.engine import choose_target

    try:
        return choose_target(context.db)[0]
    except StoreError as error:
        raise CliError(str(error)) from None


def _existing_store(context: Context) -> tuple[Store, str, float]:
    """The database opened as every command opens it (an older schema is upgraded), its name
    for messages, and the seconds opening took; a SQLite file that is not there is refused,
    never created."""
    from store import Store, StoreError
    from store.engine import printable_url, sqlite_file

    url = _target(context)
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise CliError(f"cannot open {path}: no database file there")
    started = time.monotonic()
    try:
        store = Store.open(context.db)
    except StoreError as error:
        raise CliError(str(error)) from None
    name = str(path) if path is not None else printable_url(url)
    return store, safe(name), time.monotonic() - started


# ---------------------------------------------------------------------------------------------
# db upgrade and db check


def run_upgrade(args: argparse.Namespace, context: Context) -> int:
    store, name, seconds = _existing_store(context)
    with store:
        change = store.schema_change
        restored = store.restore_triggers()
    if change is None or change.before is None:
        after = change.after if change else "?"
        print(f"{name}: a new database, created at schema version {after}")
    elif change.steps:
        done = (
            f"completed schema version {change.after}"
            if change.before == change.after
            else f"upgraded from schema version {change.before} to {change.after}"
        )
        print(f"{name}: {done} in {seconds:.2f} s ({len(change.steps)} steps)")
        for step in change.steps:
            print(f"  {step}")
    elif not restored:
        print(f"{name}: already current (schema version {change.after})")
    if restored:
        # Writes made while a trigger was gone were not seen: what they keep is made whole.
        noun = "trigger" if len(restored) == 1 else "triggers"
        print(f"{name}: put back {len(restored)} {noun}; kept figures will be counted again")
        for line in restored:
            print(f"  {safe(line)}")
    return EXIT_OK


def run_check(args: argparse.Namespace, context: Context) -> int:
    store, name, _ = _existing_store(context)
    started = time.monotonic()
    with store:
        from store import StoreError

        try:
            results = store.check_database()
        except StoreError as error:  # unreadable pages stop even the checks: that is a finding
            print(f"PROBLEM  {safe(error)}")
            return EXIT_PROBLEMS
        postgres = not store.url.startswith("sqlite")
    problems = sum(len(result.problems) + result.more for result in results)
    for result in results:
        _print_result(result)
    if postgres:
        print("ok       foreign keys (enforced by PostgreSQL on every write)")
    verdict = "clean" if problems == 0 else f"{problems} problems"
    seconds = time.monotonic() - started
    print(f"{name}: {verdict} ({len(results)} checks, {seconds:.2f} s)", file=sys.stderr)
    return EXIT_OK if problems == 0 else EXIT_PROBLEMS


def _print_result(result: CheckResult) -> None:
    if not result.problems:
        print(f"ok       {result.name}")
        return
    for problem in result.problems:
        print(f"PROBLEM  {result.name}: {safe(problem)}")
    if result.more:
        print(f"PROBLEM  {result.name}: and {result.more} more")


# ---------------------------------------------------------------------------------------------
# backup


def run_backup(args: argparse.Namespace, context: Context) -> int:
    from store import StoreError
    from store.engine import sqlite_file
    from store.maintenance import backup_sqlite

    url = _target(context)
    source = sqlite_file(url)
    if source is None:
        raise CliError(_not_a_file(url))
    destination = Path(args.path).expanduser().absolute()
    try:
        with _progress_line(f"backing up {safe(source)}") as progress:
            done = backup_sqlite(source, destination, force=args.force, progress=progress)
    except StoreError as error:
        raise CliError(str(error)) from None
    megabytes = done.size / 1e6
    print(
        f"backed up {safe(source)} to {safe(done.path)}: {done.counts.documents} documents, "
        f"{done.counts.spans} spans, {done.counts.events} events; {megabytes:.1f} MB in "
        f"{done.seconds:.2f} s; integrity ok, schema version {done.schema_version}"
    )
    return EXIT_OK


def _not_a_file(url: URL) -> str:
    """What to do instead when the database is not a SQLite file (the password left out)."""
    from store.engine import printable_url

    if url.get_backend_name() == "postgresql":
        from sqlalchemy import URL

        plain = URL.create(
            "postgresql", url.username, None, url.host, url.port, url.database, url.query
        ).render_as_string(hide_password=False)
        return (
            "backup copies SQLite files; for PostgreSQL use pg_dump (it asks for the password): "
            f"pg_dump --format=custom --file=factmark.dump {shlex.quote(plain)}"
        )
    return f"backup copies SQLite files; {printable_url(url)} is not one"


class _ProgressLine:
    """A one-line progress report on a terminal (standard error), nothing when piped."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.shown = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.shown and total:
            sys.stderr.write(f"\r{self.what}: {100 * done // total}% ({done}/{total} pages)")
            sys.stderr.flush()

    def __enter__(self) -> _ProgressLine:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[2K")  # clear the line: the summary follows on stdout
            sys.stderr.flush()


def _progress_line(what: str) -> _ProgressLine:
    return _ProgressLine(what)
