"""Roles that hold on PostgreSQL: table privileges and row-level security, in SQL the store owns.

Each annotator connects as their own database role; who they are is `current_user`, looked up
in `annotators` by name. The policies (installed by `factmark db grant`, again on every grant by
the tables' owner, so an upgrade of factmark refreshes them) let a connection:

- annotator: write only rows of its own layer (spans, relations, done marks, suggestion answers:
  `annotator_id` is its own), propose and edit checks that are not published, add evidence and
  appearances, documents, entities and external checks (imports);
- reviewer and admin: also write every layer and gold, gold decisions, adjudication marks,
  assignments, published checks, documents' metadata (corrections), and edit or delete
  entities and external checks;
- admin: also change `annotators` (roles) and delete documents;
- everyone: read everything, and append events in their own name (`actor` is their role, or
  empty as imports log; an admin working as someone else logs that name); nobody may change or
  delete an event.

PostgreSQL lets superusers and the tables' owner bypass row-level security (FORCE is not set: the
owner is the system that creates and upgrades the schema, as root is for a SQLite file), so an
annotator must never connect as the owner. Everything here runs inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from store.errors import StoreError

_POLICY_PREFIX = "factmark_"
# Evaluated once per statement (an InitPlan), not once per row: see the RLS figures in README.
_ROLE = "(SELECT factmark_role_of(current_user::text))"
_ME = "(SELECT factmark_annotator_id(current_user::text))"
MEMBER = f"{_ROLE} IS NOT NULL"
REVIEWER = f"{_ROLE} IN ('reviewer', 'admin')"
ADMIN = f"{_ROLE} = 'admin'"
OWN = f"(annotator_id = {_ME} OR {REVIEWER})"
UNPUBLISHED = f"({MEMBER} AND (status <> 'published' OR {REVIEWER}))"
OWN_EVENT = f"({MEMBER} AND (actor IS NULL OR actor = current_user OR {ADMIN}))"
NOBODY = "false"


@dataclass(frozen=True)
class TableRule:
    """Who may insert (`insert`: a WITH CHECK), update and delete (USING) rows of a table."""

    insert: str
    update: str
    delete: str


RULES: dict[str, TableRule] = {
    "annotators": TableRule(ADMIN, ADMIN, ADMIN),
    # Reviewers correct documents' metadata (store.document_corrections); the text never changes.
    "documents": TableRule(MEMBER, REVIEWER, ADMIN),
    "entities": TableRule(MEMBER, MEMBER, REVIEWER),
    "spans": TableRule(OWN, OWN, OWN),
    "relations": TableRule(OWN, OWN, OWN),
    "document_status": TableRule(OWN, OWN, OWN),
    "suggestion_decisions": TableRule(OWN, OWN, OWN),
    "events": TableRule(OWN_EVENT, NOBODY, NOBODY),
    "assignments": TableRule(REVIEWER, REVIEWER, REVIEWER),
    "gold_decisions": TableRule(REVIEWER, REVIEWER, REVIEWER),
    "relation_decisions": TableRule(REVIEWER, REVIEWER, REVIEWER),
    "document_reviews": TableRule(REVIEWER, REVIEWER, REVIEWER),
    "checks": TableRule(UNPUBLISHED, UNPUBLISHED, REVIEWER),
    "check_appearances": TableRule(MEMBER, MEMBER, MEMBER),
    "evidence": TableRule(MEMBER, MEMBER, MEMBER),
    "external_checks": TableRule(MEMBER, REVIEWER, REVIEWER),
    # Figures kept per document: what reviewers see, so only they may keep them.
    "document_figures": TableRule(REVIEWER, REVIEWER, REVIEWER),
    "study_figures": TableRule(REVIEWER, REVIEWER, REVIEWER),
}
READ_ONLY_TABLES = ("factmark_meta", "document_layers")  # the schema version: the owner's,
# through upgrades; layer versions: raised by the triggers only (store.layer_versions)


def connection_identity(session: Session) -> tuple[str, bool]:
    """The connection's role, and whether row-level security passes it by (a superuser, a role
    with BYPASSRLS, or one with the privileges of the tables' owner)."""
    row = session.execute(
        text(
            "SELECT current_user::text, "
            "(SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) "
            "OR pg_has_role(current_user, "
            "(SELECT relowner FROM pg_class WHERE oid = 'annotators'::regclass), 'USAGE')"
        )
    ).one()
    return str(row[0]), bool(row[1])


def role_exists(session: Session, name: str) -> bool:
    found = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    return found.first() is not None


def create_login_role(session: Session, name: str) -> None:
    """A role that may log in, with no password: the desk's administrator sets one (ALTER ROLE …
    PASSWORD, or psql's \\password) or lets pg_hba.conf authenticate it (peer, certificates)."""
    if not _can_create_roles(session):
        raise StoreError(
            f"there is no database role {name}, and this connection may not create roles: "
            f"a PostgreSQL superuser runs CREATE ROLE {_quote(session, name)} LOGIN first"
        )
    session.execute(text(f"CREATE ROLE {_quote(session, name)} LOGIN"))


def policies_installed(session: Session) -> bool:
    found = session.execute(
        text(
            "SELECT count(*) FROM pg_policies WHERE schemaname = current_schema() "
            "AND policyname LIKE 'factmark\\_%'"
        )
    ).scalar_one()
    return int(found) >= len(RULES)


def install_policies(session: Session) -> None:
    """(Re)create the lookup functions and every table's policies; needs the tables' owner."""
    schema = _quote(session, str(session.execute(text("SELECT current_schema()")).scalar_one()))
    # SECURITY DEFINER: the lookups read `annotators` as its owner, which row-level security
    # passes by, so a policy of `annotators` can ask about annotators without recursing. No
    # `SET search_path` (it makes every call save and restore settings, a third of a
    # millisecond per write): the table and the operator are named in full instead, so nothing
    # a caller puts on its search_path can stand in for them.
    for function, column, kind in (
        ("factmark_role_of", "role", "text"),
        ("factmark_annotator_id", "id", "integer"),
    ):
        session.execute(
            text(
                f"CREATE OR REPLACE FUNCTION {schema}.{function}(who text) RETURNS {kind} "
                f"LANGUAGE sql STABLE SECURITY DEFINER AS $$ SELECT {column} FROM "
                f"{schema}.annotators WHERE name::pg_catalog.text OPERATOR(pg_catalog.=) who $$"
            )
        )
    for table, rule in RULES.items():
        session.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        for action in ("read", "insert", "update", "delete"):
            session.execute(text(f"DROP POLICY IF EXISTS {_POLICY_PREFIX}{action} ON {table}"))
        statements = (
            f"CREATE POLICY {_POLICY_PREFIX}read ON {table} FOR SELECT USING (true)",
            f"CREATE POLICY {_POLICY_PREFIX}insert ON {table} FOR INSERT "
            f"WITH CHECK ({rule.insert})",
            f"CREATE POLICY {_POLICY_PREFIX}update ON {table} FOR UPDATE "
            f"USING ({rule.update}) WITH CHECK ({rule.update})",
            f"CREATE POLICY {_POLICY_PREFIX}delete ON {table} FOR DELETE USING ({rule.delete})",
        )
        for statement in statements:
            session.execute(text(statement))


def remove_policies(session: Session) -> None:
    """Row-level security off again (for measuring what the policies cost; not a command)."""
    for table in RULES:
        session.execute(text(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"))


def grant_privileges(session: Session, name: str, role: str) -> None:
    """What the database role `name` may touch at all (the policies then choose the rows).

    An admin gets its privileges WITH GRANT OPTION so it can run `db grant` for others itself.
    Nobody gets UPDATE or DELETE on events, nor a write on factmark_meta.
    """
    who = _quote(session, name)
    option = " WITH GRANT OPTION" if role == "admin" else ""
    schema = _quote(session, str(session.execute(text("SELECT current_schema()")).scalar_one()))
    has_usage = session.execute(
        text("SELECT has_schema_privilege(:n, current_schema(), 'USAGE')"), {"n": name}
    ).scalar_one()
    if not has_usage:
        session.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {who}"))
    for table in RULES:
        privileges = "SELECT, INSERT" if table == "events" else "SELECT, INSERT, UPDATE, DELETE"
        session.execute(text(f"GRANT {privileges} ON TABLE {table} TO {who}{option}"))
    for table in READ_ONLY_TABLES:
        session.execute(text(f"GRANT SELECT ON TABLE {table} TO {who}{option}"))
    session.execute(
        text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}{option}")
    )


def _can_create_roles(session: Session) -> bool:
    found = session.execute(
        text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
    ).scalar_one()
    return bool(found)


def _quote(session: Session, name: str) -> str:
    """`name` as a quoted SQL identifier (roles are named by people: any character may be in)."""
    return session.get_bind().dialect.identifier_preparer.quote_identifier(name)
