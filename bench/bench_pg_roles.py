"""What row-level security costs a write on PostgreSQL: ms per span insert, policies on and off.

Needs a server: FACTMARK_BENCH_POSTGRES_URL or FACTMARK_TEST_POSTGRES_URL (a superuser URL);
without one it says so and stops. It makes a throw-away database and annotator role, grants the
role with `Store.grant` (as `factmark db grant` does), and times, as that role:

- `Store.add_span` (one transaction each, as the annotation screen saves a label), and
- a bare single-row INSERT of a span (autocommit), the policy's cost with nothing around it,

in alternating rounds with the policies installed and with row-level security disabled on the
tables (the grants stay), so drift of the machine falls on both alike. The role is reached with
SET ROLE from the superuser's connection: row-level security applies to `current_user`.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

ROUNDS = 6
PER_ROUND_STORE = 60
PER_ROUND_RAW = 400


def main() -> None:
    url = os.environ.get("FACTMARK_BENCH_POSTGRES_URL") or os.environ.get(
        "FACTMARK_TEST_POSTGRES_URL"
    )
    if not url:
        print("skipped: set FACTMARK_BENCH_POSTGRES_URL to a PostgreSQL superuser URL")
        return
    from sqlalchemy import create_engine, make_url, text

    suffix = uuid.uuid4().hex[:8]
    database, role = f"fm_bench_rls_{suffix}", f"fm_bench_annotator_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    target = make_url(url).set(database=database).render_as_string(hide_password=False)
    try:
        _run(target, role)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def _run(target: str, role: str) -> None:
    from sqlalchemy import event

    from store import Store
    from vocabulary.records import Article, ImportItem

    text_ = "Hamas and Fatah met in Cairo on Monday. " * 50
    with Store.open(target) as owner:
        doc = owner.import_items([ImportItem(article=Article(text=text_))])[0].document_id
        owner.ensure_annotator("bench-admin", "admin")
        owner.grant(role, "annotator")
    store = Store.open(target, user=role)
    engine = store._db.engine  # noqa: SLF001 - the benchmark connects as the role, as psql would

    @event.listens_for(engine, "connect")
    def _as_role(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{role}"')
        dbapi_connection.commit()

    engine.dispose()  # connections made before the listener are not the role's
    offset = [0]

    def store_insert() -> None:
        start = offset[0] % 1900
        offset[0] += 1
        store.add_span(doc, role, start, start + 3, "actor", note=str(offset[0]))

    pooled = engine.raw_connection()
    raw: Any = pooled.driver_connection  # psycopg's own connection: autocommit is its setting
    raw.autocommit = True
    annotator_id = raw.execute("SELECT id FROM annotators WHERE name = %s", (role,)).fetchone()[0]

    def raw_insert() -> None:
        raw.execute(
            'INSERT INTO spans (document_id, annotator_id, start, "end", label, attrs, origin, '
            "created_at, updated_at) VALUES (%s, %s, 0, 3, 'actor', '{}', 'manual', now(), now())",
            (doc, annotator_id),
        )

    timings: dict[tuple[str, bool], list[float]] = {}
    for round_number in range(ROUNDS):
        for policies in (True, False) if round_number % 2 == 0 else (False, True):
            _set_policies(target, policies)
            for name, work, count in (
                ("Store.add_span", store_insert, PER_ROUND_STORE),
                ("bare INSERT", raw_insert, PER_ROUND_RAW),
            ):
                timings.setdefault((name, policies), []).append(_ms_each(work, count))
    pooled.close()
    store.close()
    for name in ("Store.add_span", "bare INSERT"):
        with_rls = statistics.median(timings[(name, True)])
        without = statistics.median(timings[(name, False)])
        print(
            f"{name:15} {with_rls:6.3f} ms with policies, {without:6.3f} ms without "
            f"({with_rls - without:+.3f} ms, {100 * (with_rls / without - 1):+.0f}%; "
            f"median of {ROUNDS} rounds)"
        )


def _set_policies(target: str, on: bool) -> None:
    from store import Store
    from store.pg_security import install_policies, remove_policies

    with Store.open(target) as owner:
        owner._db.write(install_policies if on else remove_policies)  # noqa: SLF001


def _ms_each(work: Callable[[], None], count: int) -> float:
    work()  # warm: plans and the policy functions cached
    started = time.perf_counter()
    for _ in range(count):
        work()
    return (time.perf_counter() - started) * 1000 / count


if __name__ == "__main__":
    main()
