"""Who may do what: annotators edit their own layer; reviewers and admins also edit others' layers
and the gold layer; only admins change roles (once the database has an admin).

Checked inside the write transaction that does the work, so no path around the store skips them.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from store.errors import PermissionDenied
from store.events import ROLE_SET, log_event
from store.queries import annotator_named, create_annotator
from store.tables import Annotator
from vocabulary.names import ADMIN_ROLES, GOLD_LAYER, REVIEW_ROLES, ROLES


def person(session: Session, name: str) -> Annotator:
    """The annotator called `name`, registered now if new (the first of a database is admin)."""
    return annotator_named(session, name) or create_annotator(session, name)


def require_role(session: Session, name: str, allowed: tuple[str, ...], doing: str) -> Annotator:
    """`name`'s row if their role is one of `allowed`; PermissionDenied otherwise."""
    row = person(session, name)
    if row.role not in allowed:
        needed = "admins" if allowed == ADMIN_ROLES else "reviewers and admins"
        raise PermissionDenied(f"{name} is {_with_article(row.role)}: only {needed} can {doing}")
    return row


def require_reviewer(session: Session, name: str, doing: str) -> Annotator:
    return require_role(session, name, REVIEW_ROLES, doing)


def authorise_layer(session: Session, user: str | None, layer: str) -> None:
    """Refuse a write by `user` to `layer` unless it is their own or they review.

    `user` None is the system itself (tests, maintenance scripts, imports run without a user).
    """
    if user is None or layer == user:
        return
    doing = "write the gold layer" if layer == GOLD_LAYER else f"change {layer}'s spans"
    require_reviewer(session, user, doing)


def set_role(
    session: Session, name: str, role: str, actor: str | None, *, trusted: bool = False
) -> Annotator:
    """Give `name` (created if new) the `role`; only an admin may, once an admin exists.

    `trusted`: the actor is the system (on PostgreSQL, the tables' owner granting a role), which
    no check applies to and which is not registered as an annotator itself.
    The last admin cannot be demoted, so a database never loses the person who can fix roles.
    """
    if role not in ROLES:
        raise ValueError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if not trusted:
        if actor is None:
            raise PermissionDenied("only an admin can add annotators or change roles")
        acting = person(session, actor)
        if _admin_count(session) > 0 and acting.role != "admin":
            role_of_actor = _with_article(acting.role)
            raise PermissionDenied(
                f"{actor} is {role_of_actor}: only admins can add annotators or change roles"
            )
    found = annotator_named(session, name)
    row = found or create_annotator(session, name, first_is_admin=not trusted)
    if row.role == "admin" and role != "admin" and _admin_count(session) == 1:
        raise PermissionDenied(f"{name} is the only admin: make someone else admin first")
    if row.role != role:
        log_event(session, ROLE_SET, actor, {"name": name, "before": row.role, "after": role})
        row.role = role
        session.add(row)
        session.flush()
    return row


def _admin_count(session: Session) -> int:
    query = select(func.count()).select_from(Annotator).where(col(Annotator.role) == "admin")
    return session.exec(query).one()


def _with_article(role: str) -> str:
    return f"an {role}" if role[:1] in "aeiou" else f"a {role}"
