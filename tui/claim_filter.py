"""The claims desk's filter line: free words plus `status:`, `verdict:`, `claimant:` and
`assignee:` terms, matched as the user types (pure: no Textual, no database).

- A free word matches anywhere in a check's claim, id, status, verdict, claimant or assignee.
- A term matches its field where one of the field's words starts with the value
  (`status:review` finds "in review", `claimant:lin` "Lin Jian"); quote a value with spaces
  (`status:"not checkable"`). `none` matches an empty field (`assignee:none`: nobody's yet),
  and `assignee:me` the person working.
- Terms of one field are alternatives (`status:new status:researching`); everything else must
  all hold. A term not yet given a value (`status:` as it is typed) filters nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.desk_info import CheckSummary

# What a user types -> the check's field it filters ("rating" is the verdict's scale name).
TERM_FIELDS: dict[str, str] = {
    "status": "status",
    "verdict": "rating",
    "rating": "rating",
    "claimant": "claimant",
    "assignee": "assignee",
}
UNSET = "none"
ME = "me"
FILTER_HELP = (
    "free words match claim, id and names; status:…  verdict:…  claimant:…  assignee:… "
    '(a word\'s start; "quote values with spaces"; none = unset; assignee:me)'
)
FILTER_TERMS_HELP = """\
Type words to find checks whose claim, id, status, verdict, claimant or assignee hold them all.
Terms narrow one field, matching the start of any of its words:
  status:review         the checks "in review"       status:"not checkable"  (quote spaces)
  verdict:false         False and Mostly false       claimant:lin            Lin Jian's claims
  assignee:me           yours                        assignee:none           nobody's yet
Two terms of one field are alternatives (status:new status:researching); the rest must all hold.
Up and down move while typing; enter opens the check; escape clears, then goes back; F1: this."""
_TOKEN = re.compile(r'(?:(\w+):)?(?:"([^"]*)"?|(\S*))')


@dataclass(frozen=True)
class ClaimQuery:
    """A parsed filter line: folded free words and (field, folded value) terms."""

    words: tuple[str, ...] = ()
    terms: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.words and not self.terms

    def fields(self) -> dict[str, list[str]]:
        """The term values of each filtered field, in the order typed."""
        grouped: dict[str, list[str]] = {}
        for field, value in self.terms:
            grouped.setdefault(field, []).append(value)
        return grouped


def parse_claim_query(text: str) -> ClaimQuery:
    """The filter line as words and terms; a `key:` that is not a field is a free word."""
    words: list[str] = []
    terms: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        key, quoted, bare = match.groups()
        value = " ".join((quoted if quoted is not None else bare or "").casefold().split())
        if key is not None and key.casefold() in TERM_FIELDS:
            if value:
                terms.append((TERM_FIELDS[key.casefold()], value))
        elif key is not None:
            words.append(f"{key.casefold()}:{value}")
        elif quoted is not None and value:
            words.append(value)  # a quoted phrase is found as a whole
        elif value:
            words.append(value)
    return ClaimQuery(tuple(words), tuple(terms))


def haystack(check: CheckSummary) -> str:
    """What free words search in a check, folded (once per load, not per key typed)."""
    parts = (check.claim, check.uid, check.status, check.rating, check.claimant, check.assignee)
    return " ".join(part for part in parts if part).casefold()


def matches(query: ClaimQuery, check: CheckSummary, folded: str, me: str) -> bool:
    """Whether `check` (whose haystack is `folded`) passes the filter for the person `me`."""
    if not all(word in folded for word in query.words):
        return False
    return all(
        any(
            _term_holds(getattr(check, field), value, me if field == "assignee" else None)
            for value in values
        )
        for field, values in query.fields().items()
    )


def _term_holds(stored: str | None, value: str, me: str | None) -> bool:
    if value == UNSET:
        return not stored
    if not stored:
        return False
    folded = " ".join(stored.casefold().split())
    if value == ME and me is not None:
        return folded == me.casefold()
    return folded.startswith(value) or any(word.startswith(value) for word in folded.split())


def unknown_values(query: ClaimQuery, known: dict[str, tuple[str, ...]]) -> list[str]:
    """Terms whose value fits none of the names `known` for their field (the configured statuses
    and ratings): said on the status line, since they can match nothing."""
    unknown = []
    for field, value in query.terms:
        names = known.get(field)
        if names is None or value == UNSET:
            continue
        if not any(_term_holds(name, value, None) for name in names):
            unknown.append(f"{'verdict' if field == 'rating' else field}:{value}")
    return unknown
