"""`factmark db grant NAME --role annotator|reviewer|admin`: on PostgreSQL, give a database role
its factmark role, enforced by the database itself (see store.pg_security)."""

from __future__ import annotations

import argparse

from cli.common import Context, checked_annotator, open_store, safe
from vocabulary.names import ROLES


def grant_arguments(grant: argparse.ArgumentParser) -> None:
    """The arguments of `db grant` (a row of cli.commands.database.DB_ACTIONS)."""
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
