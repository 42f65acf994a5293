"""Per-document layer versions, kept by the database itself.

Triggers on `spans`, `relations` and `document_status` raise `document_layers.version` of the
document a row belongs to on every insert, update and delete — any layer, gold included, any
code path (bulk import, undo, a restore) and any process or connection — so figures kept for a
document (store.doc_figures) can tell they are out of date by comparing one integer.

PostgreSQL: one plpgsql function, SECURITY DEFINER so that an annotator whose role may not write
`document_layers` (read-only to them: nobody should fake a version) still raises it; tables are
named with their schema rather than through a `SET search_path` (which costs every call).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

LAYER_TABLES = ("spans", "relations", "document_status")
_SQLITE_BUMP = (
    "INSERT INTO document_layers (document_id, version) VALUES ({row}.document_id, 1) "
    "ON CONFLICT (document_id) DO UPDATE SET version = version + 1;"
)


def sqlite_trigger_statements() -> list[str]:
    statements = []
    for table in LAYER_TABLES:
        for event, row in (("insert", "new"), ("update", "new"), ("delete", "old")):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_layers_{event} AFTER {event.upper()} "
                f"ON {table} BEGIN {_SQLITE_BUMP.format(row=row)} END"
            )
    return statements


def pg_trigger_statements(schema: str) -> list[str]:
    """`schema`: quoted, the one the tables are in."""
    function = f"{schema}.factmark_bump_layers"
    statements = [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
        "SECURITY DEFINER AS $$ DECLARE doc integer; BEGIN "
        "IF TG_OP = 'DELETE' THEN doc := OLD.document_id; ELSE doc := NEW.document_id; END IF; "
        f"INSERT INTO {schema}.document_layers AS l (document_id, version) VALUES (doc, 1) "
        "ON CONFLICT (document_id) DO UPDATE SET version = l.version OPERATOR(pg_catalog.+) 1; "
        "RETURN NULL; END $$"
    ]
    for table in LAYER_TABLES:
        trigger = f"factmark_{table}_layers"
        statements.append(f"DROP TRIGGER IF EXISTS {trigger} ON {schema}.{table}")
        statements.append(
            f"CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE ON {schema}.{table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    return statements


def install_layer_triggers(connection: Connection) -> None:
    """Create the triggers (again: every statement replaces or checks first), in the caller's
    transaction."""
    if connection.dialect.name == "postgresql":
        schema = str(connection.execute(text("SELECT quote_ident(current_schema())")).scalar_one())
        for statement in pg_trigger_statements(schema):
            connection.execute(text(statement))
        return
    for statement in sqlite_trigger_statements():
        connection.exec_driver_sql(statement)


def missing_layer_triggers(connection: Connection) -> list[str]:
    """The layer triggers not there (or, on PostgreSQL, disabled), one line each: without them
    figures kept per document go on being read after the layers changed."""
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text(
                "SELECT t.tgname, t.tgenabled FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND NOT t.tgisinternal"
            )
        ).all()
        present = {name: enabled for name, enabled in rows}
        problems = []
        for table in LAYER_TABLES:
            name = f"factmark_{table}_layers"
            if name not in present:
                problems.append(f"trigger {name} on {table} is missing")
            elif present[name] == "D":
                problems.append(f"trigger {name} on {table} is disabled")
        return problems
    names = {
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).all()
    }
    return [
        f"trigger {table}_layers_{event} on {table} is missing"
        for table in LAYER_TABLES
        for event in ("insert", "update", "delete")
        if f"{table}_layers_{event}" not in names
    ]


def restore_layer_triggers(connection: Connection) -> list[str]:
    """Put back the layer triggers that are missing, in the caller's transaction; what was
    missing. Every document's version is then raised: writes made while a trigger was gone were
    not counted, so every kept figure is counted again when next asked for."""
    missing = missing_layer_triggers(connection)
    if missing:
        install_layer_triggers(connection)
        if connection.dialect.name == "postgresql":
            for table in LAYER_TABLES:  # a disabled trigger is there, but off
                connection.execute(
                    text(f"ALTER TABLE {table} ENABLE TRIGGER factmark_{table}_layers")
                )
        connection.execute(
            text(
                "INSERT INTO document_layers (document_id, version) "
                "SELECT id, 1 FROM documents WHERE true "
                "ON CONFLICT (document_id) DO UPDATE SET version = document_layers.version + 1"
            )
        )
    return missing


def layer_versions(session: Session) -> dict[int, int]:
    """Every document's layer version: 0 for one no trigger has counted a write of yet (never
    written to, or written before the triggers existed, in a file made by an older factmark)."""
    rows = session.connection().execute(
        text(
            "SELECT d.id, COALESCE(l.version, 0) FROM documents d "
            "LEFT JOIN document_layers l ON l.document_id = d.id"
        )
    )
    return {doc: version for doc, version in rows.all()}
