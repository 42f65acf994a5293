"""Schema versioning: the version lives in `factmark_meta`; upgrades run in order on open.

A new database gets the current tables straight from `store.tables` and the current version. An
older database is brought forward one step at a time by `UPGRADES[n]` (version n-1 -> n), all inside
the opening write transaction, so a failed upgrade leaves the file as it was. A database made by a
newer factmark is refused rather than guessed at.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    text,
)
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel, select

from store.errors import StoreError
from store.identity import refuse_newer
from store.layer_versions import install_layer_triggers
from store.schema import CREATED_KEY, SCHEMA_VERSION, UPGRADED_KEY, VERSION_KEY
from store.search import install_fulltext
from store.tables import MetaEntry, factmark_tables, utc_now

Upgrade = Callable[[Connection], None]


def _review_tables_v2(metadata: MetaData) -> list[Table]:
    """The tables version 2 added, exactly as version 2 defines them.

    Frozen here rather than taken from `store.tables`, so that a later change to those models
    cannot change what this step creates (a later step would alter them instead).
    """
    annotator_ref = ForeignKey("annotators.id", ondelete="SET NULL")
    # Stand-ins for the referenced tables, so the foreign keys resolve within this metadata.
    Table("documents", metadata, Column("id", Integer, primary_key=True))
    Table("annotators", metadata, Column("id", Integer, primary_key=True))
    assignments = Table(
        "assignments",
        metadata,
        Column(
            "document_id",
            Integer,
            ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(
            "annotator_id",
            Integer,
            ForeignKey("annotators.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("assigned_at", DateTime(timezone=True), nullable=False),
        Column("assigned_by", Integer, annotator_ref, nullable=True),
        Index("ix_assignments_annotator", "annotator_id", "document_id"),
    )
    decisions = Table(
        "gold_decisions",
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("label", String(100), nullable=False),
        Column("decision", String(20), nullable=False),
        Column("reviewer_id", Integer, ForeignKey("annotators.id", ondelete="SET NULL")),
        Column("decided_at", DateTime(timezone=True), nullable=False),
        Index("ix_gold_decisions_key", "document_id", "start", "end", "label", unique=True),
        sqlite_autoincrement=True,
    )
    reviews = Table(
        "document_reviews",
        metadata,
        Column(
            "document_id",
            Integer,
            ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("adjudicated", Boolean, nullable=False),
        Column("reviewer_id", Integer, ForeignKey("annotators.id", ondelete="SET NULL")),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    return [assignments, decisions, reviews]


def _add_review_tables(connection: Connection) -> None:
    """Version 2: assignments, gold decisions (rejections) and documents' adjudication marks."""
    tables = _review_tables_v2(MetaData())
    for table in tables:
        table.create(connection, checkfirst=True)


def _entities_table_v3(metadata: MetaData) -> Table:
    """The entities table as version 3 defines it (frozen, as `_review_tables_v2`)."""
    return Table(
        "entities",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("uid", String(40), nullable=False),
        Column("name", String(300), nullable=False),
        Column("type", String(20), nullable=False),
        Column("aliases", JSON, nullable=False),
        Column("external_id", String(100), nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Index("ix_entities_uid", "uid", unique=True),
        Index("ix_entities_name", "name"),
        sqlite_autoincrement=True,
    )


def _relation_decisions_v3(metadata: MetaData) -> Table:
    """The relation decisions table exactly as version 3 defines it (frozen, as above)."""
    Table("documents", metadata, Column("id", Integer, primary_key=True))
    Table("annotators", metadata, Column("id", Integer, primary_key=True))
    key = ("head_start", "head_end", "head_label", "child_start", "child_end", "child_label")
    return Table(
        "relation_decisions",
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        Column("head_start", Integer, nullable=False),
        Column("head_end", Integer, nullable=False),
        Column("head_label", String(100), nullable=False),
        Column("child_start", Integer, nullable=False),
        Column("child_end", Integer, nullable=False),
        Column("child_label", String(100), nullable=False),
        Column("label", String(100), nullable=False),
        Column("decision", String(20), nullable=False),
        Column("reviewer_id", Integer, ForeignKey("annotators.id", ondelete="SET NULL")),
        Column("decided_at", DateTime(timezone=True), nullable=False),
        Index("ix_relation_decisions_key", "document_id", *key, "label", unique=True),
        sqlite_autoincrement=True,
    )


def _suggestion_decisions_v3(metadata: MetaData) -> Table:
    """The suggestion decisions table exactly as version 3 defines it (frozen: see above)."""
    Table("documents", metadata, Column("id", Integer, primary_key=True))
    Table("annotators", metadata, Column("id", Integer, primary_key=True))
    return Table(
        "suggestion_decisions",
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        Column(
            "annotator_id", Integer, ForeignKey("annotators.id", ondelete="CASCADE"), nullable=False
        ),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("label", String(100), nullable=False),
        Column("rule", String(40), nullable=False),
        Column("decision", String(20), nullable=False),
        Column("decided_at", DateTime(timezone=True), nullable=False),
        Index(
            "ix_suggestion_decisions_key",
            "document_id",
            "annotator_id",
            "start",
            "end",
            "label",
            unique=True,
        ),
        sqlite_autoincrement=True,
    )


def _add_entities(connection: Connection) -> None:
    """Version 3, entities: their table, and the entity an actor span names (`spans.entity_id`,
    NULL for every span there is; SQLite can add a column with a reference when it defaults to
    NULL)."""
    _entities_table_v3(MetaData()).create(connection, checkfirst=True)
    columns = {column["name"] for column in inspect(connection).get_columns("spans")}
    if "entity_id" not in columns:
        connection.execute(
            text(
                "ALTER TABLE spans ADD COLUMN entity_id INTEGER "
                "REFERENCES entities (id) ON DELETE SET NULL"
            )
        )
        connection.execute(text("CREATE INDEX ix_spans_entity_id ON spans (entity_id)"))


def _add_relation_decisions(connection: Connection) -> None:
    """Version 3, review of links: the relations a reviewer rejected."""
    _relation_decisions_v3(MetaData()).create(connection, checkfirst=True)


def _add_suggestion_decisions(connection: Connection) -> None:
    """Version 3, suggestions: each annotator's accepted and rejected suggestions."""
    _suggestion_decisions_v3(MetaData()).create(connection, checkfirst=True)


# Version 3 (links, entities, suggestions): each part adds its own frozen tables or columns here.
VERSION_3_STEPS: list[Upgrade] = [
    _add_entities,
    _add_relation_decisions,
    _add_suggestion_decisions,
]


def _add_fact_check_layer(connection: Connection) -> None:
    """Version 3: what "who said what" needs (entities, link and suggestion decisions)."""
    for step in VERSION_3_STEPS:
        step(connection)


def _check_tables_v4(metadata: MetaData) -> list[Table]:
    """The check tables as version 4 defines them (frozen, as `_review_tables_v2`)."""
    for name in ("annotators", "entities", "documents", "spans"):
        Table(name, metadata, Column("id", Integer, primary_key=True))

    def person(column: str) -> Column[int]:
        return Column(column, Integer, ForeignKey("annotators.id", ondelete="SET NULL"))

    checks = Table(
        "checks",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("uid", String(40), nullable=False, unique=True, index=True),
        Column("claim", Text, nullable=False),
        Column("status", String(60), nullable=False, index=True),
        person("assignee_id"),
        Column("claimant_id", Integer, ForeignKey("entities.id", ondelete="SET NULL")),
        Column("rating", String(100)),
        Column("rating_value", Float),
        Column("explanation", Text),
        Column("summary", Text),
        Column("url", Text),
        Column("date", String(10)),
        person("verdict_by_id"),
        person("reviewed_by_id"),
        person("created_by_id"),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )
    appearances = Table(
        "check_appearances",
        metadata,
        Column("span_id", Integer, ForeignKey("spans.id", ondelete="CASCADE"), primary_key=True),
        Column(
            "check_id",
            Integer,
            ForeignKey("checks.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        person("added_by_id"),
        Column("added_at", DateTime(timezone=True), nullable=False),
    )
    evidence = Table(
        "evidence",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("uid", String(40), nullable=False, unique=True),
        Column("check_id", Integer, ForeignKey("checks.id", ondelete="CASCADE"), nullable=False),
        Column("position", Integer, nullable=False),
        Column("url", Text),
        Column("title", Text),
        Column("publisher", Text),
        Column("published", String(10)),
        Column("accessed", String(10)),
        Column("archived", Text),
        Column("excerpt", Text),
        Column("stance", String(20)),
        Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
        Column("start", Integer),
        Column("end", Integer),
        Column("span_id", Integer, ForeignKey("spans.id", ondelete="SET NULL")),
        person("created_by_id"),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Index("ix_evidence_check", "check_id", "position"),
        sqlite_autoincrement=True,
    )
    return [checks, appearances, evidence]


def _add_checks(connection: Connection) -> None:
    """Version 4, the fact-check desk: checks, their appearances and evidence, and the check an
    event changed (`events.check_id`, NULL for every event there is)."""
    for table in _check_tables_v4(MetaData()):
        table.create(connection, checkfirst=True)
    columns = {column["name"] for column in inspect(connection).get_columns("events")}
    if "check_id" not in columns:
        connection.execute(text("ALTER TABLE events ADD COLUMN check_id INTEGER"))
        connection.execute(text("CREATE INDEX ix_events_check_id ON events (check_id)"))


def _add_fulltext(connection: Connection) -> None:
    """Version 4, corpus search: the full-text index over documents' text, filled from the
    documents already there (see store.search; a later change to the index adds a step)."""
    install_fulltext(connection)


def _external_checks_v4(metadata: MetaData) -> Table:
    """The external checks table exactly as version 4 defines it (frozen, as above)."""
    return Table(
        "external_checks",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("uid", String(40), nullable=False),
        Column("dedupe_key", String(64), nullable=False),
        Column("claim", Text, nullable=False),
        Column("rating", String(300)),
        Column("rating_value", Float),
        Column("best", Float),
        Column("worst", Float),
        Column("publisher", String(300)),
        Column("url", Text),
        Column("date", String(40)),
        Column("claimant", String(300)),
        Column("appearance_url", Text),
        Column("language", String(300)),
        Column("source_file", Text),
        Column("raw", JSON, nullable=False),
        Column("imported_at", DateTime(timezone=True), nullable=False),
        Index("ix_external_checks_uid", "uid", unique=True),
        Index("ix_external_checks_dedupe_key", "dedupe_key", unique=True),
        sqlite_autoincrement=True,
    )


def _add_external_checks(connection: Connection) -> None:
    """Version 4, "checked before?": other fact-checkers' ClaimReviews."""
    _external_checks_v4(MetaData()).create(connection, checkfirst=True)


# Version 4 (the fact-check desk): each part adds its own frozen tables or columns here.
VERSION_4_STEPS: list[Upgrade] = [_add_checks, _add_fulltext, _add_external_checks]


def _add_desk_layer(connection: Connection) -> None:
    """Version 4: what the fact-check desk needs (checks, evidence, search, external checks)."""
    for step in VERSION_4_STEPS:
        step(connection)


def _figure_tables_v5(metadata: MetaData) -> list[Table]:
    """The per-document figures tables exactly as version 5 defines them (frozen, as above)."""
    Table("documents", metadata, Column("id", Integer, primary_key=True))
    layers = Table(
        "document_layers",
        metadata,
        Column("document_id", Integer, primary_key=True, autoincrement=False),
        Column("version", Integer, nullable=False),
    )
    figures = Table(
        "document_figures",
        metadata,
        Column(
            "document_id",
            Integer,
            ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("choice", String(64), primary_key=True),
        Column("layers_version", Integer, nullable=False),
        Column("payload_version", Integer, nullable=False),
        Column("figures", Text),
        Column("counts", Text),
    )
    study = Table(
        "study_figures",
        metadata,
        Column("choice", String(64), primary_key=True),
        Column("documents", Integer, nullable=False),
        Column("counts", Text, nullable=False),
    )
    return [layers, figures, study]


def _add_document_figures(connection: Connection) -> None:
    """Version 5: per-document agreement figures kept in the store, and the layer versions
    (raised by triggers on every layer write) that tell when they are out of date."""
    for table in _figure_tables_v5(MetaData()):
        table.create(connection, checkfirst=True)
    install_layer_triggers(connection)


# version reached -> the step that brings a database from the version before it.
# When a table in store/tables.py changes, bump SCHEMA_VERSION and add the step here.
UPGRADES: dict[int, Upgrade] = {
    2: _add_review_tables,
    3: _add_fact_check_layer,
    4: _add_desk_layer,
    5: _add_document_figures,
}


@dataclass(frozen=True)
class SchemaChange:
    """What opening a database did to its schema: `before` None for a database it created;
    `steps` one line per version step run (its docstring's first line)."""

    before: int | None
    after: int
    steps: tuple[str, ...] = ()


def prepare_schema(
    session: Session,
    name: str,
    *,
    target: int = SCHEMA_VERSION,
    upgrades: Mapping[int, Upgrade] = UPGRADES,
) -> int:
    """Create or upgrade the schema inside the caller's write transaction; return the version.

    StoreError (naming `name`) for a database of someone else's tables or of a newer factmark.
    """
    return change_schema(session, name, target=target, upgrades=upgrades).after


def change_schema(
    session: Session,
    name: str,
    *,
    target: int = SCHEMA_VERSION,
    upgrades: Mapping[int, Upgrade] = UPGRADES,
) -> SchemaChange:
    """`prepare_schema`, saying what it did. Each step run is recorded in factmark_meta
    (`upgraded_to_N`: from which version, when), so a file tells its own upgrade history; the
    whole upgrade is one write transaction, so two processes opening an old file upgrade it once
    (the second finds it current)."""
    connection = session.connection()
    tables = set(inspect(connection).get_table_names())
    if MetaEntry.__tablename__ not in tables:
        if tables:
            listed = ", ".join(sorted(tables)[:5])
            raise StoreError(
                f"cannot open {name}: not a factmark database (it has tables {listed})"
            )
        _create_fresh(session, target)
        return SchemaChange(None, target)
    version = schema_version(session, name)
    refuse_newer(version, name, target)
    steps = []
    for step in range(version + 1, target + 1):
        steps.append(_run_upgrade(connection, step, upgrades, name))
        record = {"from": version, "at": utc_now().isoformat(), "step": steps[-1]}
        _set_meta(session, f"{UPGRADED_KEY}{step}", json.dumps(record))
    if version != target:
        _set_meta(session, VERSION_KEY, str(target))
    if upgrades is UPGRADES and target == SCHEMA_VERSION:
        # The tables read above still hold when no step ran (the usual open): no second look.
        steps.extend(_complete(session, target, None if steps else tables))
    return SchemaChange(version, target, tuple(steps))


def _complete(session: Session, target: int, present: set[str] | None) -> list[str]:
    """Add what a development build left out of a file that says it is at a version.

    Version 3 was declared (8ba07e5) before its tables landed, so a file made then says 3 and
    lacks them, and the step to 4 does not add them; the same may hold of any version. Every
    step checks before it creates, so running them all again adds exactly what is missing.
    `present`: the table names, if already read."""
    connection = session.connection()
    if present is None:
        present = set(inspect(connection).get_table_names())
    missing = sorted({table.name for table in factmark_tables()} - present)
    if not missing:
        return []
    for step in range(2, target + 1):
        UPGRADES[step](connection)
    record = {"missing": missing, "at": utc_now().isoformat()}
    _set_meta(session, f"completed_{target}", json.dumps(record))
    return [
        f"{target}: added what a development build of an earlier version left out: "
        + ", ".join(missing)
    ]


def schema_version(session: Session, name: str) -> int:
    """The version recorded in the database (StoreError if it is missing or unreadable)."""
    entry = session.get(MetaEntry, VERSION_KEY)
    if entry is None or not entry.value.strip().isdigit():
        raise StoreError(f"cannot open {name}: its factmark_meta table has no valid schema version")
    return int(entry.value)


def _create_fresh(session: Session, version: int) -> None:
    SQLModel.metadata.create_all(session.connection(), tables=factmark_tables())
    # Not a SQLModel table: the full-text index (FTS5 table and triggers, or a GIN index).
    install_fulltext(session.connection())
    install_layer_triggers(session.connection())
    _set_meta(session, VERSION_KEY, str(version))
    _set_meta(session, CREATED_KEY, utc_now().isoformat())


def _run_upgrade(
    connection: Connection, step: int, upgrades: Mapping[int, Upgrade], name: str
) -> str:
    """Run the step to version `step`; what it did, in a line (its docstring's first)."""
    upgrade = upgrades.get(step)
    if upgrade is None:
        raise StoreError(f"cannot open {name}: no upgrade to schema version {step} is known")
    upgrade(connection)
    lines = (upgrade.__doc__ or "").strip().splitlines()
    summary = lines[0].removeprefix(f"Version {step}: ") if lines else "(undocumented step)"
    return f"{step - 1} -> {step}: {summary}"


def _set_meta(session: Session, key: str, value: str) -> None:
    entry = session.exec(select(MetaEntry).where(MetaEntry.key == key)).first()
    if entry is None:
        session.add(MetaEntry(key=key, value=value))
    else:
        entry.value = value
        session.add(entry)
    session.flush()
