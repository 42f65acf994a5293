"""The fact-check object of formats.md as files carry it, read into plain checked data.

A claim span of a native JSONL record may carry `attrs.check` (the whole check it is an
appearance of; every appearance carries the same object) or, in older files, `attrs.verdict`
(a verdict on that one span). Importers turn either into a `CheckRecord`; the store joins the
spans whose records share a check id into one check and refuses two copies that differ.
Each problem is a ValueError with a one-line reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from vocabulary.checks import STANCES, date_problem, summary_problem, url_problem
from vocabulary.entities import parse_entity_ref

CHECK_PREFIX = "c-"
UID_MAX = 40  # characters of a check id kept from a file (ours are "c-" + 12 hex digits)
TEXT_MAX = 20_000  # characters of one text field (a claim, an explanation, an excerpt)


@dataclass(frozen=True)
class EvidenceRecord:
    """One evidence item: a URL and its facts, and/or a span of another stored document
    (`document` its id "d-…", `span` the span's id in the same file, "s-…")."""

    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    accessed: str | None = None
    archived: str | None = None
    excerpt: str | None = None
    stance: str | None = None
    document: str | None = None
    start: int | None = None  # the stretch of `document` it points at
    end: int | None = None
    span: str | None = None

    def compared(self) -> tuple[str | int | None, ...]:
        """What two copies of the item must agree on: all but the span's id, which is the
        exporting database's own (its document and excerpt say where it is)."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.name != "span")


@dataclass(frozen=True)
class CheckRecord:
    """A check as a file carries it. `uid` None: an old-style verdict, a check of its own."""

    uid: str | None
    claim: str | None = None  # None: the appearance's text
    status: str | None = None  # None: the first configured status
    assignee: str | None = None
    claimant: dict[str, str] | None = None  # attrs.entity form: id, name, type
    rating: str | None = None
    rating_value: float | None = None
    explanation: str | None = None
    summary: str | None = None
    url: str | None = None
    date: str | None = None
    reviewed_by: str | None = None
    evidence: tuple[EvidenceRecord, ...] = ()

    def compared(self) -> dict[str, Any]:
        """The fields two copies of one check must agree on (the claimant by name and type:
        its id is the exporting database's)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        claimant = self.claimant
        values["claimant"] = None if claimant is None else (claimant["name"], claimant["type"])
        values["evidence"] = [item.compared() for item in self.evidence]
        del values["uid"]
        return values


def parse_check(raw: Any) -> CheckRecord:
    """`attrs.check` of formats.md, checked; ValueError names the first problem."""
    if not isinstance(raw, dict):
        raise ValueError("check must be an object")
    uid = _text(raw, "id", "check")
    if uid is None or not uid.startswith(CHECK_PREFIX) or len(uid) > UID_MAX:
        raise ValueError(f"check id {uid!r} must be c-… (at most {UID_MAX} characters)")
    verdict = raw.get("verdict") or {}
    if not isinstance(verdict, dict):
        raise ValueError(f"check {uid}: verdict must be an object or null")
    where = f"check {uid}"
    claimant = raw.get("claimant")
    return CheckRecord(
        uid=uid,
        claim=_text(raw, "claim", where),
        status=_text(raw, "status", where),
        assignee=_text(raw, "assignee", where),
        claimant=_claimant(claimant, where) if claimant is not None else None,
        **_verdict_fields(verdict, where),
        evidence=_evidence(raw.get("evidence"), where),
    )


def check_from_verdict(raw: Any) -> CheckRecord:
    """An old-style `attrs.verdict` (rating, explanation, summary, url, date, evidence): a check
    of its own with the span as its one appearance; published when it names the published
    fact-check's URL, else at the first status."""
    if not isinstance(raw, dict):
        raise ValueError("verdict must be an object")
    where = "verdict"
    values = _verdict_fields(raw, where)
    status = "published" if values["url"] and values["rating"] else None
    return CheckRecord(
        uid=None, status=status, **values, evidence=_evidence(raw.get("evidence"), where)
    )


def _verdict_fields(verdict: dict[str, Any], where: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: _text(verdict, key, where)
        for key in ("rating", "explanation", "summary", "url", "date", "reviewed_by")
    }
    _checked(values, ("url",), url_problem, where)
    _checked(values, ("date",), date_problem, where)
    _checked(values, ("summary",), summary_problem, where)
    number = verdict.get("rating_value")
    if number is not None and (
        isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number)
    ):
        raise ValueError(f"{where}: rating_value must be a number or null")
    values["rating_value"] = None if number is None else float(number)
    return values


def _claimant(raw: Any, where: str) -> dict[str, str]:
    try:
        return parse_entity_ref(raw)
    except ValueError as error:
        raise ValueError(f"{where}: claimant: {error}") from None


def _evidence(raw: Any, where: str) -> tuple[EvidenceRecord, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError(f"{where}: evidence must be a list")
    items = []
    for number, item in enumerate(raw, start=1):
        at = f"{where}: evidence {number}"
        if not isinstance(item, dict):
            raise ValueError(f"{at}: expected an object")
        values: dict[str, Any] = {
            f.name: _text(item, f.name, at)
            for f in fields(EvidenceRecord)
            if f.name not in ("start", "end")
        }
        values.update(_stretch(item, at, values["document"] is not None))
        _checked(values, ("url", "archived"), url_problem, at)
        _checked(values, ("published", "accessed"), date_problem, at)
        if values["stance"] is not None and values["stance"] not in STANCES:
            raise ValueError(
                f"{at}: stance {values['stance']!r} is not one of {', '.join(STANCES)}"
            )
        if not any(values[key] for key in ("url", "document", "excerpt", "title")):
            raise ValueError(f"{at}: needs a url, a document or an excerpt")
        items.append(EvidenceRecord(**values))
    return tuple(items)


def _stretch(item: dict[str, Any], where: str, has_document: bool) -> dict[str, int | None]:
    """`start` and `end` of the stretch an evidence item points at: both or neither, with
    its document."""
    start, end = item.get("start"), item.get("end")
    if start is None and end is None:
        return {"start": None, "end": None}
    if (
        not has_document
        or not isinstance(start, int)
        or not isinstance(end, int)
        or isinstance(start, bool)
        or isinstance(end, bool)
        or start < 0
    ):
        raise ValueError(f"{where}: start and end are offsets into its document, given together")
    if end <= start:
        raise ValueError(f"{where}: end {end} is not after start {start}")
    return {"start": start, "end": end}


def _text(raw: dict[str, Any], key: str, where: str) -> str | None:
    """A string field (None, "" and absent: unknown), at most TEXT_MAX characters."""
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: {key} must be a string or null")
    if len(value) > TEXT_MAX:
        raise ValueError(f"{where}: {key} is longer than {TEXT_MAX} characters")
    return value.strip() or None


def _checked(values: dict[str, Any], keys: tuple[str, ...], problem: Any, where: str) -> None:
    for key in keys:
        if values[key] is not None and (reason := problem(values[key])) is not None:
            raise ValueError(f"{where}: {key}: {reason}")
