"""Annotators as pseudonyms in an export and its data card: "annotator 1", "annotator 2", … by
first appearance.

Stable within one export (the same login always gets the same pseudonym, in the data and in the
card, both numbered in the order of the store's annotators), and a login met late still gets
one, so no login can slip through by being unlisted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from store.info import ExportRecord, ExportSpan
from vocabulary.names import GOLD_LAYER


class Pseudonyms:
    """Hands out "annotator N" to logins in the order it first sees them."""

    def __init__(self, first_seen: Iterable[str] = ()) -> None:
        self._names: dict[str, str] = {}
        for login in first_seen:
            self(login)

    def __call__(self, login: str) -> str:
        if login not in self._names:
            self._names[login] = f"annotator {len(self._names) + 1}"
        return self._names[login]


def as_typed(login: str) -> str:
    """The login itself: what a card without pseudonyms shows."""
    return login


def pseudonymised_records(
    records: Iterable[ExportRecord], name_of: Pseudonyms
) -> Iterator[ExportRecord]:
    """The records with every login under its pseudonym: each annotator's layer (gold is
    nobody's login) and, in a claim's fact-check, its assignee and the reviewer of its verdict."""
    for record in records:
        layer = record.layer if record.layer == GOLD_LAYER else name_of(record.layer)
        spans = [_span(span, name_of) for span in record.spans]
        yield dataclasses.replace(record, layer=layer, spans=spans)


def _span(span: ExportSpan, name_of: Pseudonyms) -> ExportSpan:
    check = span.attrs.get("check") if isinstance(span.attrs, dict) else None
    if not isinstance(check, dict):
        return span
    check = dict(check)
    if isinstance(check.get("assignee"), str):
        check["assignee"] = name_of(check["assignee"])
    verdict = check.get("verdict")
    if isinstance(verdict, dict) and isinstance(verdict.get("reviewed_by"), str):
        check["verdict"] = {**verdict, "reviewed_by": name_of(verdict["reviewed_by"])}
    return span._replace(attrs={**span.attrs, "check": check})
