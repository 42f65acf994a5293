"""`factmark db grant`: make a PostgreSQL role a factmark annotator, reviewer or admin.

One transaction: the login role (created if missing, when this connection may create roles),
the row-level security policies (installed or refreshed when this connection owns the tables),
the table privileges, and the annotator's row with its role (logged as role_set).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from store.engine import Database
from store.errors import StoreError
from store.pg_security import (
    connection_identity,
    create_login_role,
    grant_privileges,
    install_policies,
    policies_installed,
    role_exists,
)
from store.roles import set_role
from store.validation import check_annotator_name, check_choice
from vocabulary.names import ROLES


@dataclass(frozen=True)
class GrantOutcome:
    name: str
    role: str
    created_role: bool  # the database role did not exist and was created (LOGIN, no password)
    installed_policies: bool  # this connection (re)installed the row-level security policies


def grant_role(database: Database, actor: str | None, name: str, role: str) -> GrantOutcome:
    check_annotator_name(name)
    check_choice(role, ROLES, "role")
    if database.dialect != "postgresql":
        raise StoreError(
            f"{database.name} is a SQLite file: SQLite has no database roles "
            f"(use: factmark annotators add {name} --role {role})"
        )

    def work(session: Session) -> GrantOutcome:
        _who, owner = connection_identity(session)
        created = not role_exists(session, name)
        if created:
            create_login_role(session, name)
        if owner:
            install_policies(session)
        elif not policies_installed(session):
            raise StoreError(
                "the row-level security policies are not installed yet: the owner of the "
                "database's tables runs factmark db grant once first"
            )
        grant_privileges(session, name, role)
        set_role(session, name, role, actor, trusted=owner)
        return GrantOutcome(name, role, created, owner)

    return database.write(work, context=f"db grant {name}")
