"""What exports read of the checks: every check with its appearances, evidence, claimant and
(for `export --format checks`) history, in a fixed handful of queries however many checks
there are; and the check object formats.md defines, which native JSONL carries on every
appearance (`attrs.check`) and the checks export writes per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store.info import CheckChange, CheckInfo, EvidenceInfo


@dataclass(frozen=True)
class CheckExport:
    """One check as exports read it: everything about it, and its history when asked for."""

    check: CheckInfo
    history: tuple[CheckChange, ...] = ()


def check_object(check: CheckInfo) -> dict[str, Any]:
    """The check object of formats.md (the same on every appearance)."""
    claimant = check.claimant
    return {
        "id": check.uid,
        "claim": check.claim,
        "status": check.status,
        "assignee": check.assignee,
        "claimant": None
        if claimant is None
        else {"id": claimant.uid, "name": claimant.name, "type": claimant.type},
        "verdict": _verdict(check),
        "evidence": [_evidence(item) for item in check.evidence],
    }


def _verdict(check: CheckInfo) -> dict[str, Any] | None:
    """The verdict, or None while no part of it is written."""
    verdict = {
        "rating": check.rating,
        "rating_value": check.rating_value,
        "explanation": check.explanation,
        "summary": check.summary,
        "url": check.url,
        "date": check.date,
        "reviewed_by": check.reviewed_by,
    }
    return verdict if any(value is not None for value in verdict.values()) else None


def _evidence(item: EvidenceInfo) -> dict[str, Any]:
    return {
        "url": item.url,
        "title": item.title,
        "publisher": item.publisher,
        "published": item.published,
        "accessed": item.accessed,
        "archived": item.archived,
        "excerpt": item.excerpt,
        "stance": item.stance,
        "document": item.document_ext_id,
        "span": None if item.span_id is None else f"s-{item.span_id}",
    }
