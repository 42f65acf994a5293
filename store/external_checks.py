"""External checks inside a transaction: adding ClaimReviews (deduplicated) and reading them.

A ClaimReview is the same one when its URL and claim are: `dedupe_key` holds their sha256, under
a unique index, so importing a page or a file again adds nothing (the import counts them as
duplicates). An import is logged as one `external_checks_import` event with its counts.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.desk_info import ExternalCheckInfo
from store.events import log_event
from store.queries import select_columns
from store.row_info import row_id
from store.tables import ExternalCheckEntry, utc_now
from store.writes import insert_rows
from vocabulary.external_checks import ExternalCheck

EXTERNAL_IMPORT = "external_checks_import"
UID_PREFIX = "x-"
IN_LIST = 500  # keys per IN (...)


@dataclass(frozen=True)
class ExternalAdded:
    """What adding a batch of external checks did."""

    added: int
    duplicates: int


def dedupe_key(check: ExternalCheck) -> str:
    """The sha256 of the check's URL and claim (what makes two imports the same review)."""
    return hashlib.sha256(f"{check.url or ''}\n{check.claim}".encode()).hexdigest()


def add_external(
    session: Session, checks: Sequence[ExternalCheck], source: str | None, actor: str | None
) -> ExternalAdded:
    """Insert the checks not stored yet (nor earlier in `checks`); log the import."""
    if not checks:
        return ExternalAdded(0, 0)
    keys = [dedupe_key(check) for check in checks]
    seen = _stored_keys(session, sorted(set(keys)))
    rows = []
    for check, key in zip(checks, keys, strict=True):
        if key in seen:
            continue
        seen.add(key)
        rows.append(_row(check, key, source))
    insert_rows(session, ExternalCheckEntry, rows)
    added = ExternalAdded(len(rows), len(checks) - len(rows))
    payload = {"source": source, "added": added.added, "duplicates": added.duplicates}
    log_event(session, EXTERNAL_IMPORT, actor, payload)
    return added


def _stored_keys(session: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), IN_LIST):
        part = keys[start : start + IN_LIST]
        query = select(ExternalCheckEntry.dedupe_key).where(
            col(ExternalCheckEntry.dedupe_key).in_(part)
        )
        found.update(session.exec(query))
    return found


def _row(check: ExternalCheck, key: str, source: str | None) -> dict[str, Any]:
    """Every column of a new row (a Core INSERT applies no model defaults)."""
    return {
        "uid": UID_PREFIX + secrets.token_hex(6),
        "dedupe_key": key,
        "claim": check.claim,
        "rating": check.rating,
        "rating_value": check.rating_value,
        "best": check.best,
        "worst": check.worst,
        "publisher": check.publisher,
        "url": check.url,
        "date": check.date,
        "claimant": check.claimant,
        "appearance_url": check.appearance_url,
        "language": check.language,
        "source_file": source,
        "raw": dict(check.raw),
        "imported_at": utc_now(),
    }


_INFO_COLUMNS = (
    ExternalCheckEntry.id,
    ExternalCheckEntry.uid,
    ExternalCheckEntry.claim,
    ExternalCheckEntry.rating,
    ExternalCheckEntry.rating_value,
    ExternalCheckEntry.best,
    ExternalCheckEntry.worst,
    ExternalCheckEntry.publisher,
    ExternalCheckEntry.url,
    ExternalCheckEntry.date,
    ExternalCheckEntry.claimant,
    ExternalCheckEntry.appearance_url,
    ExternalCheckEntry.language,
    ExternalCheckEntry.source_file,
    ExternalCheckEntry.imported_at,
)


def read_external(session: Session, limit: int | None = None) -> list[ExternalCheckInfo]:
    """Stored external checks, newest first (without their raw objects)."""
    query = select_columns(*_INFO_COLUMNS).order_by(col(ExternalCheckEntry.id).desc())
    if limit is not None:
        query = query.limit(limit)
    return [_info(row) for row in session.exec(query)]


def external_claims(session: Session, after: int = 0) -> list[tuple[int, str, str | None]]:
    """(id, claim, claimant) of the stored external checks (those with an id over `after`), in
    id order: what matching reads."""
    query = (
        select(ExternalCheckEntry.id, ExternalCheckEntry.claim, ExternalCheckEntry.claimant)
        .where(col(ExternalCheckEntry.id) > after)
        .order_by(col(ExternalCheckEntry.id))
    )
    # Core rows, not ORM objects: thousands of claims read in milliseconds.
    rows = session.connection().execute(query)
    return [(int(id_), str(claim), claimant) for id_, claim, claimant in rows]


def external_by_ids(session: Session, ids: Sequence[int]) -> dict[int, ExternalCheckInfo]:
    """The stored external checks of these ids, by id."""
    query = select_columns(*_INFO_COLUMNS).where(col(ExternalCheckEntry.id).in_(list(ids)))
    return {info.id: info for info in map(_info, session.exec(query))}


def external_state(session: Session) -> tuple[int, int]:
    """(how many, the highest id): rows are only ever added, so this names what is stored."""
    count, highest = session.exec(
        select(func.count(col(ExternalCheckEntry.id)), func.max(ExternalCheckEntry.id))
    ).one()
    return int(count or 0), int(highest or 0)


def _info(row: Iterable[Any]) -> ExternalCheckInfo:
    values = list(row)
    values[0] = row_id(values[0])
    return ExternalCheckInfo(*values)
