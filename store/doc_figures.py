"""Per-document agreement figures kept in the store, recomputed only where layers changed.

A record (`document_figures`) holds, for one document and one choice of annotators, labels and
relation labels (`FigureChoice.key`, which includes the payload version), the document's own
figures and its additive counts (review.figure_payload), with the document's layer version
(store.layer_versions) they were computed at. `study_figures` holds, per choice, the sum of the
counts of its records and how many it sums: every transaction that replaces records takes the
old ones out of the sum and puts the new ones in, so the sum stays exactly theirs (integers);
a sum that no longer counts as many records as there are (a document deleted, its record gone
with it) is made again from the records.

Reading compares versions, recomputes the documents whose version moved (or that have no
record), keeps the new records, and reads again. Versions are read before any layer, so a write
landing in between leaves a record marked older than what it holds: it is recomputed next time,
never trusted while out of date. Records of other choices are left as they are: they are checked
by version in the same way when that choice is asked for again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from review.agreement import DocumentCounts, add_to_totals, document_counts, empty_totals
from review.figure_payload import PAYLOAD_VERSION, counts_from_payload, counts_payload
from review.model import DocumentAnnotations
from store.column_values import ext_id
from store.engine import Database
from store.errors import StoreError
from store.export_reads import annotator_ids, done_layers_of
from store.layer_versions import layer_versions
from store.queries import select_columns
from store.tables import DocumentFigures, StudyFigures

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
    """Every counted document's own figures (`entries`, by external id, in document order) and
    the sum of their counts (`totals`; None when the caller did not ask, or when they could not
    be kept: see `FigureMethods.study_figures`); how many documents' records were reused and
    how many computed now."""

    entries: dict[str, dict[str, Any]]
    totals: DocumentCounts | None
    reused: int
    recomputed: int


@dataclass(frozen=True)
class _Record:
    ext_id: str
    figures: str | None
    counts: str | None = None
    parsed: DocumentCounts | None = None


@dataclass
class _Kept:
    """One read of what is kept for a choice."""

    versions: dict[int, int]
    records: dict[int, tuple[int, _Record]]
    totals: tuple[int, str] | None  # (documents summed, counts JSON)

    def stale(self) -> list[int]:
        return sorted(
            doc
            for doc, version in self.versions.items()
            if doc not in self.records or self.records[doc][0] != version
        )

    def entries(self) -> dict[str, dict[str, Any]]:
        ordered = [self.records[doc][1] for doc in sorted(self.records)]
        return {r.ext_id: json.loads(r.figures) for r in ordered if r.figures is not None}


class FigureHost(Protocol):
    @property
    def _db(self) -> Database: ...


class FigureMethods(FigureHost):
    """Kept figures; part of `store.Store`."""

    def document_figures(self, choice: FigureChoice) -> KeptFigures:
        """Each counted document's own figures (the review list's), brought up to date."""
        return _kept(self._db, choice, with_totals=False)

    def study_figures(self, choice: FigureChoice) -> KeptFigures:
        """Each counted document's own figures and the sum of their counts, brought up to date.
        `totals` None: they could not be kept (a role that may not write them), so the caller
        computes the study afresh."""
        return _kept(self._db, choice, with_totals=True)


_ROUNDS = 3  # reads before giving up on catching up with writers (then: what was read)


def _kept(db: Database, choice: FigureChoice, *, with_totals: bool) -> KeptFigures:
    key = choice.key
    kept = db.read(lambda session: _read(session, key, with_totals))
    recomputed = 0
    for _round in range(_ROUNDS):
        stale = kept.stale()
        if not stale:
            break
        computed = _recompute(db, choice, stale)
        recomputed += len(stale)
        if not _keep(db, choice, kept.versions, computed):
            for doc, record in computed.items():
                kept.records[doc] = (kept.versions[doc], record)
            return KeptFigures(kept.entries(), None, len(kept.versions) - recomputed, recomputed)
        kept = db.read(lambda session: _read(session, key, with_totals))
    entries = kept.entries()
    totals = None
    if with_totals:
        totals = _totals(kept, len(entries))
        if totals is None:  # records gone with their documents, or written by someone else
            try:
                totals = db.write(lambda session: _rebuild_totals(session, choice))
            except StoreError:
                totals = None  # may not keep figures: the caller computes them afresh
    reused = max(len(kept.versions) - recomputed, 0)
    return KeptFigures(entries, totals, reused, recomputed)


def _totals(kept: _Kept, counted: int) -> DocumentCounts | None:
    """The kept sum, if it sums exactly the counted records read with it."""
    if kept.totals is None or kept.totals[0] != counted:
        return None if counted or kept.totals is not None else empty_totals()
    return counts_from_payload(json.loads(kept.totals[1]))


def _read(session: Session, key: str, with_totals: bool) -> _Kept:
    """Layer versions first (see the module's note), then the records kept for `key`."""
    versions = layer_versions(session)
    rows = session.connection().execute(
        text(
            "SELECT f.document_id, f.layers_version, d.text_sha256, f.figures "
            "FROM document_figures f JOIN documents d ON d.id = f.document_id "
            "WHERE f.choice = :choice"
        ),
        {"choice": key},
    )
    records = {
        doc: (version, _Record(ext_id(sha), figures)) for doc, version, sha, figures in rows.all()
    }
    totals = None
    if with_totals:
        row = session.connection().execute(
            text("SELECT documents, counts FROM study_figures WHERE choice = :choice"),
            {"choice": key},
        )
        found = row.first()
        totals = (found[0], found[1]) if found is not None else None
    return _Kept(versions, records, totals)


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
                computed[doc] = _Record("", None)
            else:
                payload = counts_payload(counts)
                computed[doc] = _Record(
                    counts.doc_id,
                    json.dumps(payload["entry"], separators=_COMPACT),
                    json.dumps(payload, separators=_COMPACT),
                    counts,
                )
    return computed


def _keep(
    db: Database, choice: FigureChoice, versions: dict[int, int], computed: dict[int, _Record]
) -> bool:
    """Store the new records, and in the same transactions take the records they replace out
    of the study's sum and put them in. False if they cannot be kept (an annotator on
    PostgreSQL may not write them)."""
    docs = sorted(computed)
    for first in range(0, len(docs), BATCH):
        batch = docs[first : first + BATCH]

        def work(session: Session, batch: list[int] = batch) -> None:
            _keep_batch(session, choice, {doc: versions[doc] for doc in batch}, computed)

        try:
            db.write(work)
        except StoreError:
            return False
    return True


def _keep_batch(
    session: Session, choice: FigureChoice, versions: dict[int, int], computed: dict[int, _Record]
) -> None:
    key, label_count = choice.key, len(choice.labels)
    totals, documents = _locked_totals(session, key)
    old = session.connection().execute(
        select_columns(DocumentFigures.counts).where(
            col(DocumentFigures.choice) == key,
            col(DocumentFigures.document_id).in_(list(versions)),
            col(DocumentFigures.counts).is_not(None),
        )
    )
    for (counts,) in old.all():
        add_to_totals(totals, counts_from_payload(json.loads(counts)), label_count, -1)
        documents -= 1
    rows = []
    for doc, version in versions.items():
        record = computed[doc]
        if record.parsed is not None:
            add_to_totals(totals, record.parsed, label_count)
            documents += 1
        rows.append(
            {
                "document_id": doc,
                "choice": key,
                "layers_version": version,
                "payload_version": PAYLOAD_VERSION,
                "figures": record.figures,
                "counts": record.counts,
            }
        )
    session.execute(_upsert(session, DocumentFigures, ["document_id", "choice"]), rows)
    _store_totals(session, key, totals, documents)


def _locked_totals(session: Session, key: str) -> tuple[DocumentCounts, int]:
    """The kept sum for `key` (empty if none), its row locked until the transaction ends (SQLite:
    the write transaction holds the whole file already)."""
    query = select_columns(StudyFigures.documents, StudyFigures.counts).where(
        col(StudyFigures.choice) == key
    )
    found = session.connection().execute(query.with_for_update()).first()
    if found is None:
        return empty_totals(), 0
    return counts_from_payload(json.loads(found[1])), int(found[0])


def _store_totals(session: Session, key: str, totals: DocumentCounts, documents: int) -> None:
    row = {
        "choice": key,
        "documents": documents,
        "counts": json.dumps(counts_payload(totals), separators=_COMPACT),
    }
    session.execute(_upsert(session, StudyFigures, ["choice"]), [row])


def _rebuild_totals(session: Session, choice: FigureChoice) -> DocumentCounts:
    """The sum made again from every record of the choice (when it no longer matches them)."""
    key = choice.key
    _locked_totals(session, key)
    totals, documents = empty_totals(), 0
    rows = session.connection().execute(
        select_columns(DocumentFigures.counts).where(
            col(DocumentFigures.choice) == key, col(DocumentFigures.counts).is_not(None)
        )
    )
    for (counts,) in rows.all():
        add_to_totals(totals, counts_from_payload(json.loads(counts)), len(choice.labels))
        documents += 1
    _store_totals(session, key, totals, documents)
    return totals


def _upsert(session: Session, model: Any, keys: list[str]) -> Any:
    table = model.__table__
    insert: Callable[..., Any] = (
        pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    )
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=keys,
        set_={
            column.name: statement.excluded[column.name]
            for column in table.columns
            if column.name not in keys
        },
    )
