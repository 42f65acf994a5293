"""Per-document agreement figures kept in the store, recomputed only where layers changed.

A record (`document_figures`) holds, for one document and one choice of annotators, labels and
relation labels (`FigureChoice.key`, which includes the payload version), the document's own
figures and its additive counts (review.figure_payload), with the document's layer version
(store.layer_versions) they were computed at. Reading figures compares versions, recomputes the
documents whose version moved (or that have no record), keeps the new records, and returns
kept and new together in document order — the order a fresh computation pools them in, so the
study's figures summed from them are exactly those computed from scratch.

Versions are read before any layer, so a write landing in between leaves a record marked older
than what it holds: it is recomputed next time, never trusted while out of date.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import delete, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from review.agreement import DocumentCounts, document_counts
from review.figure_payload import PAYLOAD_VERSION, counts_from_payload, counts_payload
from review.model import DocumentAnnotations
from store.column_values import ext_id
from store.engine import Database
from store.errors import StoreError
from store.export_reads import annotator_ids, done_layers_of
from store.layer_versions import layer_versions
from store.tables import DocumentFigures

BATCH = 500  # documents per read or write transaction while recomputing
_COMPACT = (",", ":")


@dataclass(frozen=True)
class FigureChoice:
    """What a document's figures depend on besides its layers."""

    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    relation_labels: tuple[str, ...]

    @property
    def key(self) -> str:
        chosen = [PAYLOAD_VERSION, self.annotators, self.labels, self.relation_labels]
        return hashlib.sha256(json.dumps(chosen).encode()).hexdigest()


@dataclass(frozen=True)
class KeptFigures:
    """Every counted document's figures (`entries`, by external id) or counts, in document
    order; how many records were reused and how many computed now."""

    entries: dict[str, dict[str, Any]]
    counts: list[DocumentCounts]
    reused: int
    recomputed: int


@dataclass(frozen=True)
class _Record:
    ext_id: str
    figures: str | None
    counts: str | None


class FigureHost(Protocol):
    @property
    def _db(self) -> Database: ...


class FigureMethods(FigureHost):
    """Kept figures; part of `store.Store`."""

    def document_figures(self, choice: FigureChoice) -> KeptFigures:
        """Each counted document's own figures (the review list's), counts left out."""
        return _kept(self._db, choice, with_counts=False)

    def document_counts(self, choice: FigureChoice) -> KeptFigures:
        """Each counted document's counts, to sum into the study's figures."""
        return _kept(self._db, choice, with_counts=True)


def _kept(db: Database, choice: FigureChoice, *, with_counts: bool) -> KeptFigures:
    key = choice.key
    versions, records = db.read(lambda session: _read_records(session, key, with_counts))
    stale = sorted(
        doc for doc, version in versions.items() if doc not in records or records[doc][0] != version
    )
    fresh = {doc: record for doc, (_version, record) in records.items() if doc in versions}
    computed = _recompute(db, choice, stale)
    _keep(db, key, versions, computed)
    fresh.update(computed)
    ordered = [fresh[doc] for doc in sorted(fresh) if fresh[doc].figures is not None]
    entries = {record.ext_id: json.loads(record.figures or "null") for record in ordered}
    counts = (
        [counts_from_payload(json.loads(record.counts or "null")) for record in ordered]
        if with_counts
        else []
    )
    return KeptFigures(entries, counts, len(versions) - len(stale), len(stale))


def _read_records(
    session: Session, key: str, with_counts: bool
) -> tuple[dict[int, int], dict[int, tuple[int, _Record]]]:
    """Layer versions first (see the module's note), then the records kept for `key`."""
    versions = layer_versions(session)
    payload = "f.counts" if with_counts else "NULL"
    rows = session.connection().execute(
        text(
            f"SELECT f.document_id, f.layers_version, d.text_sha256, f.figures, {payload} "
            "FROM document_figures f JOIN documents d ON d.id = f.document_id "
            "WHERE f.choice = :choice"
        ),
        {"choice": key},
    )
    records = {
        doc: (version, _Record(ext_id(sha), figures, counts))
        for doc, version, sha, figures, counts in rows.all()
    }
    return versions, records


def _recompute(db: Database, choice: FigureChoice, stale: list[int]) -> dict[int, _Record]:
    """New records for `stale` (figures None: fewer than two chosen annotators did it)."""
    computed: dict[int, _Record] = {}
    for first in range(0, len(stale), BATCH):
        batch = stale[first : first + BATCH]

        def work(session: Session, batch: list[int] = batch) -> list[Any]:
            wanted = annotator_ids(session, choice.annotators)
            return done_layers_of(session, batch, wanted, 2) if wanted else []

        found = {layers.document_id: layers for layers in db.read(work)}
        for doc in batch:
            layers = found.get(doc)
            counts = None
            if layers is not None:
                document = DocumentAnnotations(
                    layers.ext_id, layers.text, dict(layers.layers), dict(layers.relations)
                )
                counts = document_counts(
                    document, choice.annotators, choice.labels, choice.relation_labels
                )
            if counts is None:
                computed[doc] = _Record("", None, None)
            else:
                payload = counts_payload(counts)
                computed[doc] = _Record(
                    counts.doc_id,
                    json.dumps(payload["entry"], separators=_COMPACT),
                    json.dumps(payload, separators=_COMPACT),
                )
    return computed


def _keep(db: Database, key: str, versions: dict[int, int], computed: dict[int, _Record]) -> None:
    """Store the new records (replacing the document's records of other choices: they were
    computed from layers that have since changed). Best effort: someone who may not keep
    figures (an annotator on PostgreSQL) still gets them, computed each time."""
    docs = sorted(computed)
    for first in range(0, len(docs), BATCH):
        batch = docs[first : first + BATCH]
        rows = [
            {
                "document_id": doc,
                "choice": key,
                "layers_version": versions[doc],
                "payload_version": PAYLOAD_VERSION,
                "figures": computed[doc].figures,
                "counts": computed[doc].counts,
            }
            for doc in batch
        ]

        def work(session: Session, batch: list[int] = batch, rows: list[Any] = rows) -> None:
            session.execute(
                delete(DocumentFigures).where(
                    col(DocumentFigures.document_id).in_(batch), col(DocumentFigures.choice) != key
                )
            )
            session.execute(_upsert(session), rows)

        try:
            db.write(work)
        except StoreError:
            return


def _upsert(session: Session) -> Any:
    table = DocumentFigures.__table__  # type: ignore[attr-defined]
    insert: Callable[..., Any] = (
        pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    )
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=["document_id", "choice"],
        set_={
            name: statement.excluded[name]
            for name in ("layers_version", "payload_version", "figures", "counts")
        },
    )
