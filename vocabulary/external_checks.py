"""External checks: other fact-checkers' published verdicts (schema.org ClaimReview), as plain data.

The importers read them out of fact-check pages and ClaimReview files
(`importers.claimreview_ld`), the store keeps them (`external_checks`), and the check form and
the command line show the ones that match a claim in one line, worded here once:
"checked before: PolitiFact, False, 2024-05-02".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

CLAIM_MAX = 2000  # characters of a claim kept (ClaimReview asks for 75; pages give paragraphs)
FIELD_MAX = 300  # characters of a rating, a publisher, a claimant, a language
URL_MAX = 2000
DATE_MAX = 40


@dataclass(frozen=True)
class ExternalCheck:
    """One ClaimReview as read: every text cleaned (no control characters, one line, capped).

    `claim` is what was checked (`claimReviewed`); `rating` the verdict in words
    (`reviewRating.alternateName`), `rating_value`, `best` and `worst` its number where the
    scale has one; `publisher` who checked it (`author`); `url` the fact-check's page; `date`
    when it was published (ISO where the source gave a date); `claimant` who made the claim
    (`itemReviewed.author`); `appearance_url` where the claim appeared; `raw` the object itself.
    """

    claim: str
    rating: str | None = None
    rating_value: float | None = None
    best: float | None = None
    worst: float | None = None
    publisher: str | None = None
    url: str | None = None
    date: str | None = None
    claimant: str | None = None
    appearance_url: str | None = None
    language: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)


class CheckedBefore(Protocol):
    """What the "checked before" line reads: an ExternalCheck, or the store's info of one."""

    @property
    def publisher(self) -> str | None: ...

    @property
    def rating(self) -> str | None: ...

    @property
    def date(self) -> str | None: ...


def checked_before_line(check: CheckedBefore) -> str:
    """ "checked before: PolitiFact, False, 2024-05-02" (the parts that are known; a date
    is shown by its day)."""
    day = (check.date or "")[:10] or None
    parts = [part for part in (check.publisher, check.rating, day) if part]
    return "checked before: " + (", ".join(parts) if parts else "an unnamed fact-checker")
