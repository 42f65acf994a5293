"""A throw-away PostgreSQL database per test, when FACTMARK_TEST_POSTGRES_URL names a server.

`.ci/run` installs and starts PostgreSQL and sets the variable; without it these tests skip.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ENV = "FACTMARK_TEST_POSTGRES_URL"


@contextmanager
def fresh_postgres_database(label: str) -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (a server URL)")
    from sqlalchemy import create_engine, make_url, text

    name = "fm_" + re.sub(r"\W", "_", label.lower())[:30] + "_" + uuid.uuid4().hex[:8]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
