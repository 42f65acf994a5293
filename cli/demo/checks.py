"""The demo desk: checks in every status on the demo's claim spans (`checks.json`), made through
the Store API as the people of the demo would make them, so each has its history.

alice and bob research and write verdicts; carol, a reviewer the demo adds, signs off the
published ones (she wrote none of their verdicts, as the sign-off rule asks).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from store import Store
from vocabulary.checks import DEFAULT_STATUSES, NOT_CHECKABLE, PUBLISHED
from vocabulary.names import CLAIM_LABEL

# The statuses a check walks through, in order, to reach published (the default workflow).
_WALK = tuple(status for status in DEFAULT_STATUSES if status != NOT_CHECKABLE)
_VERDICT_FIELDS = ("rating", "explanation", "summary", "url", "date")


def demo_checks_plan() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("checks.json").read_text("utf-8")
    return json.loads(text)


def add_demo_checks(store: Store, admin: str) -> None:
    """Every planned check, with its appearances, evidence, verdict and status."""
    plan = demo_checks_plan()
    reviewer = plan["reviewer"]
    store.set_role(reviewer, "reviewer", actor=admin)
    spans = _SpanFinder(store)
    for planned in plan["checks"]:
        _add_check(store, spans, planned, reviewer)


class _SpanFinder:
    """The demo's spans by (file, annotator, phrase), as annotations.json names them."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._documents = {
            store.document(summary.id).source_file: summary.id for summary in store.list_documents()
        }

    def document_id(self, file: str) -> int:
        return self._documents[file]

    def span_id(self, file: str, annotator: str, phrase: str, *, claim: bool = True) -> int:
        doc_id = self._documents[file]
        for span in self._store.spans(doc_id, annotator):
            if span.text == phrase and (span.label == CLAIM_LABEL or not claim):
                return span.id
        raise LookupError(f"demo plan: no span {phrase!r} of {annotator} in {file}")


def _add_check(store: Store, spans: _SpanFinder, planned: dict[str, Any], reviewer: str) -> None:
    by = planned["by"]
    first, *others = (spans.span_id(*where) for where in planned["appearances"])
    check = store.create_check(first, claim=planned["claim"], user=by)
    uid = check.uid
    for span_id in others:
        store.attach_appearance(uid, span_id, user=by)
    _set(store, uid, "assignee", planned["assignee"], by)
    if planned["claimant"] is not None:
        claimant = next(
            e for e in store.entities(planned["claimant"]) if e.name == planned["claimant"]
        )
        _set(store, uid, "claimant", claimant.uid, by)
    for evidence in planned["evidence"]:
        store.add_evidence(uid, _evidence_draft(spans, evidence), user=by)
    target = planned["status"]
    verdict = planned["verdict"]
    if target == NOT_CHECKABLE:
        _set(store, uid, "status", "researching", by)
        if verdict is not None:
            _write_verdict(store, uid, verdict)
        _set(store, uid, "status", NOT_CHECKABLE, by)
        return
    for status in _WALK[1 : _WALK.index(target) + 1]:
        if status == "in review" and verdict is not None:
            _write_verdict(store, uid, verdict)
        _set(
            store,
            uid,
            "status",
            status,
            reviewer if status == PUBLISHED else verdict_author(verdict, by),
        )


def verdict_author(verdict: dict[str, Any] | None, by: str) -> str:
    return verdict["by"] if verdict is not None else by


def _write_verdict(store: Store, uid: str, verdict: dict[str, Any]) -> None:
    for field in _VERDICT_FIELDS:
        if verdict.get(field) is not None:
            _set(store, uid, field, verdict[field], verdict["by"])


def _set(store: Store, uid: str, field: str, value: str | None, user: str) -> None:
    current = store.check(uid).value(field)
    if current != value:
        store.set_check_field(uid, field, value, expected=current, user=user)


def _evidence_draft(spans: _SpanFinder, planned: dict[str, Any]) -> dict[str, str | int | None]:
    draft: dict[str, str | int | None] = {k: v for k, v in planned.items() if k != "span"}
    if "span" in planned:
        file, annotator, phrase = planned["span"]
        draft["document_id"] = spans.document_id(file)
        draft["span_id"] = spans.span_id(file, annotator, phrase, claim=False)
    return draft
