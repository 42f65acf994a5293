"""Roles enforced by PostgreSQL itself: each annotator connects as their own database role, and
row-level security holds even for raw SQL typed into psql as that role.

Throw-away login roles and a throw-away database per test, on the server
FACTMARK_TEST_POSTGRES_URL names (a superuser); skipped without it.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store import Store, StoreError
from store.acting import Login
from tests.conftest import run_factmark
from tests.postgres import POSTGRES_ENV, fresh_postgres_database

TEXT = "Hamas and Fatah met in Cairo on Monday. The minister said prices fell by 40 percent."
PASSWORD = "factmark-test-password"
NOBODY_NAMED = {"FACTMARK_ANNOTATOR": ""}  # who works is the connection's role, not a name


@dataclass(frozen=True)
class Desk:
    """The URL of one test database, and the throw-away roles made for it."""

    url: str  # as the server's superuser (who owns the tables: the system)
    names: dict[str, str]  # short name ("alice") -> role name ("alice_3f9a...")

    def url_as(self, who: str) -> str:
        from sqlalchemy import make_url

        url = make_url(self.url).set(username=self.names[who], password=PASSWORD)
        return url.render_as_string(hide_password=False)

    def store_as(self, who: str, user: str | None = None) -> Store:
        # The login given is not used on PostgreSQL: the connection's role is who is working.
        return Store.open(self.url_as(who), user=user, login=Login("someone-else"))

    @contextmanager
    def psql(self, who: str) -> Iterator[Any]:
        """A raw psycopg connection as `who`, the way psql would connect."""
        import psycopg
        from sqlalchemy import make_url

        url = make_url(self.url_as(who))
        with psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            dbname=url.database,
            user=url.username,
            password=PASSWORD,
            autocommit=True,
        ) as connection:
            yield connection


@contextmanager
def login_roles(*names: str) -> Iterator[dict[str, str]]:
    """Create login roles with a password (the desk's administrator's job); drop them after."""
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (a server URL)")
    from sqlalchemy import create_engine, text

    suffix = uuid.uuid4().hex[:8]
    roles = {name: f"{name}_{suffix}" for name in names}
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for role in roles.values():
                connection.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'"))
        yield roles
    finally:
        with engine.connect() as connection:
            for role in [*roles.values(), f"dave_{suffix}"]:
                connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        engine.dispose()


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    with (
        login_roles("alice", "bob", "rita", "carol", "eve") as roles,
        fresh_postgres_database("roles") as url,
    ):
        source = tmp_path / "article.jsonl"
        source.write_text(json.dumps({"text": TEXT}) + "\n", encoding="utf-8")
        made = run_factmark("--db", url, "import", str(source), env=NOBODY_NAMED)
        assert made.returncode == 0, made.stderr
        for who, role in (("alice", "annotator"), ("bob", "annotator"), ("rita", "reviewer")):
            granted = run_factmark("--db", url, "db", "grant", roles[who], "--role", role)
            assert granted.stdout.decode() == f"{roles[who]}: {role}\n", granted.stderr
        assert (
            run_factmark("--db", url, "db", "grant", roles["carol"], "--role", "admin").returncode
            == 0
        )
        yield Desk(url, roles)


def test_an_annotator_writes_only_its_own_spans_even_in_raw_sql(desk: Desk, tmp_path: Path) -> None:
    alice, bob = desk.names["alice"], desk.names["bob"]
    labelled = tmp_path / "alice.jsonl"
    record = {"text": TEXT, "spans": [{"start": 0, "end": 5, "label": "actor"}]}
    labelled.write_text(json.dumps(record) + "\n", encoding="utf-8")
    imported = run_factmark("--db", desk.url_as("alice"), "import", str(labelled), env=NOBODY_NAMED)
    assert imported.returncode == 0, imported.stderr  # factmark as alice labels a span
    with desk.store_as("bob") as store:
        assert store.user == bob
        bobs = store.add_span(1, bob, 10, 15, "actor")
        with pytest.raises(StoreError):
            store.add_span(1, "gold", 10, 15, "actor")  # the store's own check says no first
    with desk.store_as("alice") as store:
        assert [s.label for s in store.spans(1, alice)] == ["actor"]
    with desk.psql("alice") as sql:
        ids = dict(sql.execute("SELECT name, id FROM annotators").fetchall())
        refused = [
            'INSERT INTO spans (document_id, annotator_id, start, "end", label, attrs, origin, '
            "created_at, updated_at) VALUES (1, NULL, 0, 5, 'actor', '{}', 'manual', now(), now())",
            f'INSERT INTO spans (document_id, annotator_id, start, "end", label, attrs, origin, '
            f"created_at, updated_at) VALUES (1, {ids[bob]}, 0, 5, 'actor', '{{}}', 'manual', "
            "now(), now())",
            "INSERT INTO annotators (name, role, created_at) VALUES ('mallory', 'admin', now())",
            "INSERT INTO events (at, actor, kind, payload) "
            f"VALUES (now(), '{bob}', 'span_add', '{{}}')",
            "UPDATE events SET actor = 'nobody'",
            "DELETE FROM events",
            'INSERT INTO gold_decisions (document_id, start, "end", label, decision, decided_at) '
            "VALUES (1, 0, 5, 'actor', 'rejected', now())",
            "UPDATE factmark_meta SET value = '99'",
            "ALTER TABLE spans DISABLE ROW LEVEL SECURITY",
            f'SET ROLE "{bob}"',
        ]
        for statement in refused:
            with pytest.raises(Exception) as error:
                sql.execute(statement)
            assert (
                "row-level security" in str(error.value)
                or "denied" in str(error.value)
                or ("must be owner" in str(error.value))
            ), statement
        untouched = [
            f"UPDATE spans SET label = 'claim' WHERE annotator_id = {ids[bob]}",
            f"DELETE FROM spans WHERE annotator_id = {ids[bob]}",
            "UPDATE spans SET label = 'claim' WHERE annotator_id IS NULL",
            f"UPDATE spans SET annotator_id = NULL WHERE annotator_id = {ids[bob]}",
            f"UPDATE annotators SET role = 'admin' WHERE name = '{alice}'",
            "DELETE FROM annotators",
            "UPDATE documents SET text = 'rewritten'",
        ]
        for statement in untouched:
            assert sql.execute(statement).rowcount == 0, statement
        # Her own rows she may change: the policies are not simply "no".
        assert (
            sql.execute(
                f"UPDATE spans SET note = 'mine' WHERE annotator_id = {ids[alice]}"
            ).rowcount
            == 1
        )
        with pytest.raises(Exception, match="row-level security"):
            sql.execute(f"UPDATE spans SET annotator_id = NULL WHERE annotator_id = {ids[alice]}")
    with Store.open(desk.url) as store:
        assert [(s.id, s.label) for s in store.spans(1, bob)] == [(bobs.id, "actor")]
        assert store.spans(1, "gold") == []
        assert store.role_of(alice) == "annotator"
        assert store.role_of("mallory") is None


def test_a_reviewer_writes_gold_and_publishes_checks_an_annotator_only_proposes(
    desk: Desk,
) -> None:
    alice, rita = desk.names["alice"], desk.names["rita"]
    with desk.store_as("alice") as store:
        proposed = store.create_check(None, claim="Prices fell by 40 percent.")
    with desk.psql("alice") as sql:
        published = (
            f"UPDATE checks SET status = 'published', rating = 'false' WHERE uid = '{proposed.uid}'"
        )
        with pytest.raises(Exception, match="row-level security"):
            sql.execute(published)
    with desk.store_as("rita") as store:
        assert store.user == rita
        gold = store.add_gold_span(1, 0, 5, "actor")
        store.create_check(None, claim="The minister spoke.")
    with desk.psql("rita") as sql:
        assert sql.execute(published).rowcount == 1
    with desk.psql("alice") as sql:
        assert (
            sql.execute(f"UPDATE checks SET claim = 'x' WHERE uid = '{proposed.uid}'").rowcount == 0
        )
        assert sql.execute(f"DELETE FROM spans WHERE id = {gold.id}").rowcount == 0
    with Store.open(desk.url) as store:
        assert [s.id for s in store.spans(1, "gold")] == [gold.id]
        assert store.check(proposed.uid).status == "published"
        assert {c.claim for c in store.checks()} >= {
            "Prices fell by 40 percent.",
            "The minister spoke.",
        }
    assert alice  # (alice proposed the first check above)


def test_an_admin_grants_and_works_as_others_an_annotator_may_not(desk: Desk) -> None:
    alice, bob, carol = desk.names["alice"], desk.names["bob"], desk.names["carol"]
    dave = carol.replace("carol", "dave")
    refused = run_factmark(
        "--db", desk.url_as("alice"), "db", "grant", bob, "--role", "admin", env=NOBODY_NAMED
    )
    assert refused.returncode == 2
    assert refused.stderr.decode() == (
        f"factmark: {alice} is an annotator: only admins can add annotators or change roles\n"
    )
    acting = run_factmark("--db", desk.url_as("alice"), "--annotator", bob, "list")
    assert acting.returncode == 2
    assert acting.stderr.decode() == (
        f"factmark: you are logged in as {alice}: only an admin of this database may work as "
        f"{bob} (--annotator or FACTMARK_ANNOTATOR)\n"
    )
    # The superuser made dave's login role; carol, a factmark admin, makes him an annotator.
    from sqlalchemy import create_engine, text

    engine = create_engine(desk.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE ROLE \"{dave}\" LOGIN PASSWORD '{PASSWORD}'"))
    engine.dispose()
    granted = run_factmark(
        "--db", desk.url_as("carol"), "db", "grant", dave, "--role", "annotator", env=NOBODY_NAMED
    )
    assert (granted.returncode, granted.stdout.decode()) == (0, f"{dave}: annotator\n"), (
        granted.stderr
    )
    with Store.open(desk.url_as("carol").replace(carol, dave), login=Login("x")) as store:
        assert store.user == dave
        store.add_span(1, dave, 0, 5, "actor")
    with desk.store_as("carol", user=bob) as store:
        assert (store.user, store.acting_login) == (bob, carol)
        span = store.add_span(1, bob, 16, 21, "actor")
    with Store.open(desk.url) as store:
        logged = [e for e in store.events(1) if e.span_id == span.id]
        assert [(e.actor, e.payload["login"]) for e in logged] == [(bob, carol)]
        assert store.role_of(dave) == "annotator"


def test_a_role_that_is_no_annotator_is_refused_in_one_line(desk: Desk) -> None:
    result = run_factmark("--db", desk.url_as("eve"), "list", env=NOBODY_NAMED)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and b"Traceback" not in result.stderr
    with desk.psql("eve") as sql, pytest.raises(Exception, match="denied"):
        sql.execute(
            "INSERT INTO annotators (name, role, created_at) VALUES ('eve', 'admin', now())"
        )


def test_db_grant_creates_a_missing_login_role(desk: Desk) -> None:
    dave = desk.names["carol"].replace("carol", "dave")
    made = run_factmark("--db", desk.url, "db", "grant", dave, "--role", "reviewer")
    assert made.returncode == 0, made.stderr
    assert made.stdout.decode() == (
        f"{dave}: reviewer (new login role without a password: set one with psql's \\password)\n"
    )
    again = run_factmark("--db", desk.url, "db", "grant", dave, "--role", "reviewer")
    assert again.stdout.decode() == f"{dave}: reviewer\n"  # idempotent: the same once more


def test_db_grant_on_sqlite_says_there_are_no_roles(db_path: Path) -> None:
    result = run_factmark("--db", str(db_path), "db", "grant", "ana", "--role", "reviewer")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"factmark: {db_path} is a SQLite file: SQLite has no database roles "
        "(use: factmark annotators add ana --role reviewer)\n"
    )
