"""What a fact-check is made of: its statuses, its rating scale, its fields and their rules.

Plain data and pure checks, shared by the store (which refuses a bad value) and the check form
(which says what is wrong as the user types, before anything is saved).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The workflow of a check, in order; `not checkable` ends it without a verdict.
DEFAULT_STATUSES: tuple[str, ...] = (
    "new",
    "researching",
    "in review",
    "published",
    "not checkable",
)
PUBLISHED = "published"
NOT_CHECKABLE = "not checkable"
STANCES: tuple[str, ...] = ("supports", "refutes", "context")
SUMMARY_MAX = 75  # characters: what a search result shows of a verdict's summary


@dataclass(frozen=True)
class RatingDef:
    """One step of the verdict scale; `value` where the scale is numeric (higher is truer)."""

    name: str
    value: float | None = None


DEFAULT_RATINGS: tuple[RatingDef, ...] = (
    RatingDef("True", 5),
    RatingDef("Mostly true", 4),
    RatingDef("Half true", 3),
    RatingDef("Mostly false", 2),
    RatingDef("False", 1),
    RatingDef("Unverifiable", None),
)


@dataclass(frozen=True)
class CheckSettings:
    """The desk's check settings (`[checks]` of the configuration)."""

    statuses: tuple[str, ...] = DEFAULT_STATUSES
    ratings: tuple[RatingDef, ...] = DEFAULT_RATINGS
    # Publishing needs a reviewer other than the verdict's author; a one-person desk turns it off.
    require_second_reviewer: bool = True

    @property
    def first_status(self) -> str:
        return self.statuses[0]

    @property
    def rating_names(self) -> tuple[str, ...]:
        return tuple(rating.name for rating in self.ratings)

    def rating(self, name: str) -> RatingDef | None:
        folded = name.strip().casefold()
        return next((r for r in self.ratings if r.name.casefold() == folded), None)

    def status(self, name: str) -> str | None:
        folded = " ".join(name.split()).casefold()
        return next((s for s in self.statuses if s.casefold() == folded), None)


def scale_bounds(ratings: tuple[RatingDef, ...]) -> tuple[float, float] | None:
    """(best, worst) of the scale's numeric values, or None where no rating has a value."""
    values = [r.value for r in ratings if r.value is not None]
    return (max(values), min(values)) if values else None


# The scalar fields of a check a user sets one at a time; `url` and `date` are the published
# fact-check's (the verdict's), `claimant` an entity reference, `assignee` an annotator name.
CHECK_FIELDS: tuple[str, ...] = (
    "claim",
    "status",
    "assignee",
    "claimant",
    "rating",
    "explanation",
    "summary",
    "url",
    "date",
)
VERDICT_FIELDS: tuple[str, ...] = ("rating", "explanation", "summary", "url", "date")
EVIDENCE_FIELDS: tuple[str, ...] = (
    "url",
    "title",
    "publisher",
    "published",
    "accessed",
    "archived",
    "excerpt",
    "stance",
)
URL_FIELDS = frozenset({"url", "archived"})
DATE_FIELDS = frozenset({"date", "published", "accessed"})


def new_check_uid() -> str:
    """A check's id in exports, stable across databases: "c-" and 12 hex digits."""
    import secrets  # here, not at the top: the annotate screen's start-up reads this module

    return "c-" + secrets.token_hex(6)


def new_evidence_uid() -> str:
    import secrets

    return "v-" + secrets.token_hex(6)


def url_problem(text: str) -> str | None:
    """Why `text` is not a web address a reader can follow (None: it is one)."""
    from urllib.parse import urlsplit  # only when a URL is checked (start-up reads this module)

    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https"):
        return "a URL starts with http:// or https://"
    if not parts.netloc or "." not in parts.netloc.split("@")[-1] and parts.netloc != "localhost":
        return "a URL names a host, like https://example.org/…"
    if any(c.isspace() for c in text.strip()):
        return "a URL has no spaces"
    return None


def date_problem(text: str) -> str | None:
    """Why `text` is not a calendar date written YYYY-MM-DD (None: it is one)."""
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return "a date is written YYYY-MM-DD, like 2024-05-02"
    if len(text.strip()) != 10:
        return "a date is written YYYY-MM-DD, like 2024-05-02"
    return None


def summary_problem(text: str) -> str | None:
    if len(text.strip()) > SUMMARY_MAX:
        return f"a summary has at most {SUMMARY_MAX} characters (this has {len(text.strip())})"
    return None


def field_problem(field: str, text: str) -> str | None:
    """What is wrong with `text` as the value of a check or evidence field (None: nothing).
    Empty means "not set", allowed everywhere but in the claim, which a check cannot be without."""
    if not text.strip():
        return "a check needs its claim" if field == "claim" else None
    if field in URL_FIELDS:
        return url_problem(text)
    if field in DATE_FIELDS:
        return date_problem(text)
    if field == "summary":
        return summary_problem(text)
    if field == "stance" and text.strip() not in STANCES:
        return f"a stance is one of {', '.join(STANCES)}"
    return None
