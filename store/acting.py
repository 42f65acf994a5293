"""Who is working, and whether they may work as someone else.

The login is who is really there: on SQLite the operating-system account running factmark, on
PostgreSQL the database role of the connection (`current_user`). The annotator is who the work
is recorded for: the login's own name unless `--annotator` (or FACTMARK_ANNOTATOR) names someone
else, which only an admin of that database may do; their events then record the login
(payload "login"). A login that can rewrite everything anyway may name anyone: the
operating-system superuser on a SQLite file, and on PostgreSQL a superuser or the owner of the
tables (row-level security does not apply to them). Saying no to them would protect nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, func, select

from store.engine import Database
from store.errors import StoreError, work_as_refused
from store.pg_security import connection_identity
from store.queries import annotator_named, create_annotator
from store.tables import Annotator
from store.validation import check_annotator_name


@dataclass(frozen=True)
class Login:
    """Who runs factmark: the account's name, and whether it is the operating-system superuser."""

    name: str
    superuser: bool = False


@dataclass(frozen=True)
class Identity:
    """Who the work is recorded for (`user`), and the login when that is someone else."""

    user: str
    acting_login: str | None


def settle_identity(database: Database, requested: str | None, login: Login) -> Identity:
    """The annotator to work as: `requested` (None: the login's own name) if the login may.

    PermissionDenied, in one line, when the login may not work as `requested`; StoreError when a
    PostgreSQL role is no annotator of the database (an admin registers it with `db grant`).
    """
    if database.dialect == "postgresql":
        who, bypasses = database.read(connection_identity)
    else:
        who, bypasses = login.name, login.superuser
    user = who if requested is None else requested
    check_annotator_name(user)
    if database.dialect == "postgresql" and not bypasses:
        database.read(lambda session: _require_registered(session, who, database.name))
    if user == who:
        return Identity(user, None)
    if not bypasses:
        database.write(lambda session: _require_admin(session, who, user))
    return Identity(user, who)


def _require_registered(session: Session, who: str, name: str) -> None:
    if annotator_named(session, who) is None:
        raise StoreError(
            f"{name}: the database role {who} is not an annotator of this database "
            f"(an admin runs: factmark db grant {who} --role annotator)"
        )


def _require_admin(session: Session, who: str, user: str) -> None:
    """Refuse unless `who` is an admin; in a database with nobody in it yet, `who` is the first
    annotator and so its admin (not the name they asked to work as)."""
    count = session.exec(select(func.count()).select_from(Annotator)).one()
    row = annotator_named(session, who)
    if row is None and count == 0:
        row = create_annotator(session, who)
    if row is None or row.role != "admin":
        raise work_as_refused(who, user)
