"""The metadata of a document a person may correct, and what a correction's value may be.

Shared by every way of correcting (`factmark docs set`, the annotate screen's dialog, a batch
import's mapping file, `import --outlet` of a stored page), so that each refuses the same values
with the same words before anything is written.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from vocabulary.text import strip_controls

# In the order every listing shows them.
DOCUMENT_FIELDS: tuple[str, ...] = ("title", "outlet", "byline", "published", "url")
# documents.meta[FOUND_KEY]: the five fields as the importer found them, once a value given by
# hand (a correction, `import --outlet`, a --meta row) stands in for one of them.
FOUND_KEY = "found"
NO_DATE = "none"  # `--published none`: the document has no date (the one found was wrong)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_VALUE_CHARS = 2000


def corrected_value(field: str, value: str | None) -> str | None:
    """`value` as it would be stored for `field` (None: the field is cleared); ValueError with a
    one-line reason for an unknown field, an empty title, a bad date or URL."""
    if field not in DOCUMENT_FIELDS:
        raise ValueError(f"unknown field {field!r} (one of {', '.join(DOCUMENT_FIELDS)})")
    cleaned = " ".join(strip_controls(value or "").split())
    if len(cleaned) > MAX_VALUE_CHARS:
        raise ValueError(f"{field}: longer than {MAX_VALUE_CHARS} characters")
    if field == "title":
        if not cleaned:
            raise ValueError("title: a title cannot be empty")
        return cleaned
    if field == "published":
        return published_day(cleaned)
    if field == "url" and cleaned:
        return checked_url(cleaned)
    return cleaned or None


def published_day(value: str) -> str | None:
    """A publication date as YYYY-MM-DD, or an ISO 8601 timestamp as given by a page's metadata
    (kept to the second, with its offset; "none" or "": no date); ValueError otherwise."""
    if value.casefold() in ("", NO_DATE):
        return None
    if _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"published: {value!r} is not a day of the calendar") from None
    if _ISO_DAY.match(value) and len(value) > 10 and value[10] in "T ":
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"published: {value[:40]!r} is not an ISO 8601 timestamp") from None
        return stamp.replace(microsecond=0).isoformat()
    raise ValueError(
        f"published: {value[:40]!r} is not a date as YYYY-MM-DD or YYYY-MM-DDTHH:MM (or 'none')"
    )


def checked_url(value: str) -> str:
    """An http(s) URL with a host; ValueError otherwise."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError(f"url: {value[:60]!r} is not an http(s) URL")
    return value


def corrected_values(changes: dict[str, str | None]) -> dict[str, str | None]:
    """Every change checked (`corrected_value`), in DOCUMENT_FIELDS order; ValueError at the
    first bad one, or when there is none."""
    if not changes:
        raise ValueError(f"nothing to change (give one of --{', --'.join(DOCUMENT_FIELDS)})")
    unknown = sorted(set(changes) - set(DOCUMENT_FIELDS))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r} (one of {', '.join(DOCUMENT_FIELDS)})")
    return {f: corrected_value(f, changes[f]) for f in DOCUMENT_FIELDS if f in changes}


def shown_date(published: str | None) -> str:
    """A publication date as the library and the annotate header show it: the day of an ISO 8601
    timestamp, or "no date" when none was found."""
    day = " ".join(strip_controls(published or "").split())[:10]
    return day or "no date"
