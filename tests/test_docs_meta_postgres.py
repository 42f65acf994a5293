"""Corrections of a document's metadata on PostgreSQL: a reviewer's connection may make them,
an annotator's may not, even in raw SQL (row-level security, store.pg_security)."""

from __future__ import annotations

import pytest

from store.errors import PermissionDenied
from tests.test_pg_roles import Desk, desk  # noqa: F401 - the fixture, shared


def test_a_reviewer_corrects_metadata_an_annotator_cannot(desk: Desk) -> None:  # noqa: F811
    rita = desk.names["rita"]
    with desk.store_as("rita") as store:
        (made,) = store.correct_document(1, {"outlet": "Reuters"})
        assert (made.actor, made.old, made.new) == (rita, None, "Reuters")
    with desk.store_as("alice") as store, pytest.raises(PermissionDenied):
        store.correct_document(1, {"outlet": "AP"})
    with desk.psql("alice") as sql:
        assert sql.execute("UPDATE documents SET outlet = 'AP'").rowcount == 0
    with desk.store_as("carol") as store:
        meta = store.document_meta(1)
    assert (meta.found["outlet"], meta.in_force["outlet"]) == (None, "Reuters")
