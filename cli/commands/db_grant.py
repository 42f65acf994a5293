"""`factmark db grant NAME --role annotator|reviewer|admin`: on PostgreSQL, give a database role
its factmark role, enforced by the database itself (see store.pg_security)."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import Context, checked_annotator, open_store, safe
from vocabulary.names import ROLES


def add_grant_parser(
    actions: argparse._SubParsersAction[Any], common: argparse.ArgumentParser
) -> None:
    grant = actions.add_parser(
        "grant",
        parents=[common],
        help="PostgreSQL: let a database role work as an annotator, reviewer or admin",
        description="Creates the login role if it is missing (no password: set one with psql's "
        "\\password NAME, or authenticate it in pg_hba.conf), grants it the tables, installs "
        "the row-level security policies (when run by the tables' owner), and registers the "
        "annotator with ROLE. On SQLite there are no database roles: use annotators add.",
    )
    grant_arguments(grant)


def grant_arguments(grant: argparse.ArgumentParser) -> None:
    """The arguments of `db grant` (also what a table of db actions would add)."""
    grant.add_argument("name", metavar="NAME", help="the PostgreSQL role (= the annotator name)")
    grant.add_argument("--role", required=True, choices=ROLES)


def run_db_grant(args: argparse.Namespace, context: Context) -> int:
    from cli.commands.annotators import refused

    name = checked_annotator(args.name)
    with open_store(context) as store:
        outcome = refused(lambda: store.grant(name, args.role))
    made = " (new login role without a password: set one with psql's \\password)"
    print(f"{safe(outcome.name)}: {outcome.role}{made if outcome.created_role else ''}")
    return 0
