"""The claims desk's listing: every check matching a filter, what needs work first.

Plain SQL through a `Rows` (see `store.direct`), so the one listing serves the full store
(`Store.checks`, on SQLite or PostgreSQL, and so the TUI's desk) and `factmark claims`'s direct
read of a SQLite file, which need not load SQLAlchemy. Each kind of row is one query for the whole
desk, so thousands of checks read in a handful of queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from store.column_values import utc_datetime
from store.desk_info import CheckFilter, CheckSummary
from vocabulary.checks import NOT_CHECKABLE, PUBLISHED, CheckSettings
from vocabulary.entities import fold

if TYPE_CHECKING:
    from store.direct import Rows

# Statuses a check is finished in: the desk lists them after every check that needs work.
FINISHED_STATUSES = frozenset({PUBLISHED, NOT_CHECKABLE})

_CHECKS = """SELECT id, uid, claim, status, rating, claimant_id, assignee_id, updated_at
    FROM checks"""
_ANNOTATORS = "SELECT id, name FROM annotators"
_CLAIMANTS = """SELECT id, name FROM entities
    WHERE id IN (SELECT claimant_id FROM checks WHERE claimant_id IS NOT NULL)"""
_APPEARANCE_COUNTS = "SELECT check_id, count(*) FROM check_appearances GROUP BY check_id"
_APPEARANCE_TEXTS = """SELECT a.check_id, substr(d.text, s.start + 1, s."end" - s.start)
    FROM check_appearances a JOIN spans s ON s.id = a.span_id
    JOIN documents d ON d.id = s.document_id"""
_EVIDENCE_COUNTS = "SELECT check_id, count(*) FROM evidence GROUP BY check_id"
# Who made each check's last change: the actor of its newest event.
_LAST_CHANGERS = """SELECT check_id, actor FROM events WHERE id IN
    (SELECT max(id) FROM events WHERE check_id IS NOT NULL GROUP BY check_id)"""


def desk_summaries(
    rows: Rows, wanted: CheckFilter | None, settings: CheckSettings
) -> list[CheckSummary]:
    """The desk's rows: every check matching `wanted` (each criterion given must hold; text:
    every word in the claim or an appearance; claimant: a part of the claimant's name; case and
    accents folded), what needs work first (see `desk_order`)."""
    wanted = wanted or CheckFilter()
    checks = rows(*_checks_query(wanted))
    if not checks:
        return []
    names, claimants = _pairs(rows, _ANNOTATORS), _pairs(rows, _CLAIMANTS)
    texts: dict[int, list[str]] = defaultdict(list)
    if wanted.text:
        for check_id, text in rows(_APPEARANCE_TEXTS, {}):
            texts[check_id].append(text)
        appearances = Counter({check_id: len(found) for check_id, found in texts.items()})
    else:
        appearances = Counter(_pairs(rows, _APPEARANCE_COUNTS))
    evidence = Counter(_pairs(rows, _EVIDENCE_COUNTS))
    changers = _pairs(rows, _LAST_CHANGERS)
    summaries = [
        CheckSummary(
            uid=uid,
            claim=claim,
            status=status,
            rating=rating,
            claimant=claimants.get(claimant_id) if claimant_id else None,
            appearances=appearances[check_id],
            evidence=evidence[check_id],
            assignee=names.get(assignee_id) if assignee_id else None,
            changed_at=utc_datetime(updated_at),
            changed_by=changers.get(check_id),
        )
        for check_id, uid, claim, status, rating, claimant_id, assignee_id, updated_at in checks
        if _matches(
            wanted, claim, texts[check_id], claimants.get(claimant_id), names.get(assignee_id)
        )
    ]
    return desk_order(summaries, settings)


def _pairs(rows: Rows, sql: str) -> dict[Any, Any]:
    return {row[0]: row[1] for row in rows(sql, {})}


def _checks_query(wanted: CheckFilter) -> tuple[str, dict[str, str]]:
    """The checks with the given status and rating (any case), in the order they were made."""
    where, parameters = [], {}
    if wanted.status:
        where.append("lower(status) = :status")
        parameters["status"] = wanted.status.strip().lower()
    if wanted.rating:
        where.append("lower(rating) = :rating")
        parameters["rating"] = wanted.rating.strip().lower()
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    return f"{_CHECKS}{condition} ORDER BY id", parameters


def _matches(
    wanted: CheckFilter,
    claim: str,
    texts: list[str],
    claimant: str | None,
    assignee: str | None,
) -> bool:
    if wanted.assignee and fold(assignee or "") != fold(wanted.assignee):
        return False
    if wanted.claimant and fold(wanted.claimant) not in fold(claimant or ""):
        return False
    if wanted.text:
        haystack = fold(" ".join([claim, *texts]))
        return all(word in haystack for word in fold(wanted.text).split())
    return True


def desk_order(summaries: list[CheckSummary], settings: CheckSettings) -> list[CheckSummary]:
    """What needs work first: unfinished checks before published and not-checkable ones; among
    the unfinished, the furthest along the workflow first (a check in review waits only for a
    reviewer), then the longest untouched; finished ones most recent first."""
    rank = {status.casefold(): index for index, status in enumerate(settings.statuses)}

    def unfinished_key(s: CheckSummary) -> tuple[int, float]:
        return (-rank.get(s.status.casefold(), 0), s.changed_at.timestamp())

    unfinished = [s for s in summaries if s.status not in FINISHED_STATUSES]
    finished = [s for s in summaries if s.status in FINISHED_STATUSES]
    unfinished.sort(key=unfinished_key)
    finished.sort(key=lambda s: -s.changed_at.timestamp())
    return unfinished + finished
