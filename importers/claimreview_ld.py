"""ClaimReview JSON-LD out of fact-check pages and ClaimReview files, as `ExternalCheck`s (pure).

Fact-check pages embed their verdicts as schema.org `ClaimReview` objects in
`<script type="application/ld+json">` blocks; desks also collect them as JSON (one object or an
array) or JSON-lines files. What the wild holds, and is read here:

- a ClaimReview at the top of a block, in an array, in a `@graph` (Yoast and most CMSs), or
  nested under another object (an Article's `review` or `mainEntity`); `@type` as a string, a
  list, a prefixed name (`schema:ClaimReview`) or a full IRI, over http or https contexts;
- property names prefixed or full IRIs (`schema:claimReviewed`), and in another case
  ("Name", as some hand-written markup has it); values as strings, numbers (ratings),
  lists (the first usable one) or `{"@value": ...}`; HTML entities in strings (WordPress);
- `author` with no name (PolitiFact's 2017 markup gives only its `url`): the publisher is then
  the site's host name; `claimUrlOriginal` (PolitiFact) for where the claim appeared.

A block that is not valid JSON is skipped, and the page's other blocks still count. Every
string is cleaned: control and bidi characters stripped, whitespace collapsed, capped.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from importers.formats import ImportFailure
from importers.html_decode import decode_html
from importers.html_meta import iso_date
from vocabulary.external_checks import (
    CLAIM_MAX,
    DATE_MAX,
    FIELD_MAX,
    URL_MAX,
    ExternalCheck,
)
from vocabulary.text import strip_controls

CLAIMREVIEW = "claimreview"
MAX_DEPTH = 12  # JSON nesting looked into for ClaimReviews (hostile input cannot recurse deep)
_LD_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?\s*application/ld\+json\b[^>]*>", re.IGNORECASE
)
_WRAPPERS = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")
_PREFIXES = ("schema:", "http://schema.org/", "https://schema.org/", "sdo:")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LineFailure:
    """A line (or object) of a ClaimReview file that could not be read, and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ClaimReviewParse:
    checks: list[ExternalCheck]
    failures: list[LineFailure]


# -- finding them -------------------------------------------------------------------------------


def claimreviews_in_html(data: bytes | str, page_url: str | None = None) -> list[ExternalCheck]:
    """Every ClaimReview of a page's JSON-LD blocks, in page order; `page_url` stands in for a
    review that names no URL of its own (it is the page's)."""
    markup = decode_html(data) if isinstance(data, bytes) else data
    found: list[ExternalCheck] = []
    for block in _ld_blocks(markup):
        loaded = _load(block)
        if loaded is not None:
            found.extend(_checks(loaded, page_url))
    return _unique(found)


def _ld_blocks(markup: str) -> Iterator[str]:
    """The text of each JSON-LD script, in one pass: each opening tag is closed by the first
    `</script` after it, and where none is left the search stops (a page of unclosed tags
    cannot make it quadratic)."""
    lowered = markup.lower()
    position = 0
    while (opening := _LD_SCRIPT.search(markup, position)) is not None:
        close = lowered.find("</script", opening.end())
        if close < 0:
            return
        yield markup[opening.end() : close]
        position = close


def claimreviews_in_json(text: str) -> ClaimReviewParse:
    """The ClaimReviews of a JSON document (an object or an array) or a JSON-lines file.

    A whole document that holds none raises ImportFailure; in JSON lines, a line that is not
    JSON or holds no ClaimReview fails alone (its number and why)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    whole = _load(stripped) if stripped[:1] in "[{" else None
    if whole is not None and not _is_one_line_each(stripped, whole):
        checks = list(_checks(whole, None))
        if not checks:
            raise ImportFailure("no ClaimReview with a claimReviewed in it")
        return ClaimReviewParse(_unique(checks), [])
    checks, failures = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        loaded = _load(line)
        if loaded is None:
            failures.append(LineFailure(number, "not valid JSON"))
            continue
        found = list(_checks(loaded, None))
        if not found:
            failures.append(LineFailure(number, "no ClaimReview with a claimReviewed in it"))
        checks.extend(found)
    if not checks and not failures:
        raise ImportFailure("empty file")
    return ClaimReviewParse(_unique(checks), failures)


def _is_one_line_each(text: str, whole: Any) -> bool:
    """A one-line JSON-lines file parses as one JSON object too: read it as lines (the same)."""
    return isinstance(whole, dict) and "\n" not in text.strip()


def holds_claimreviews(text: str) -> bool:
    """Whether a JSON or JSON-lines file is one of ClaimReviews (its first object, or the whole
    document, has one): how `factmark import` tells it from annotation records."""
    if CLAIMREVIEW not in text[:1_000_000].lower():
        return False
    first = next((line for line in text.splitlines() if line.strip()), "")
    loaded = _load(first)
    if loaded is None:
        loaded = _load(text.lstrip("\ufeff \t\r\n"))
    if isinstance(loaded, list):
        loaded = loaded[:1]
    return loaded is not None and next(_claimreview_objects(loaded, 0), None) is not None


def _load(text: str) -> Any:
    cleaned = _WRAPPERS.sub("", text.strip()).strip().rstrip(";")
    if not cleaned:
        return None
    try:
        # strict=False: raw newlines inside strings. NaN and Infinity become null: the object
        # is kept (`raw`) and must stay JSON.
        loaded = json.loads(cleaned, strict=False, parse_constant=lambda name: None)
        return _without_surrogates(loaded) if _SURROGATE_ESCAPE.search(cleaned) else loaded
    except (ValueError, RecursionError):
        return None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """`value` with lone surrogates (escaped "\\ud800" in the source) replaced by U+FFFD: they are
    no characters, and the object is stored and exported as it is. RecursionError when deep."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _checks(data: Any, page_url: str | None) -> Iterator[ExternalCheck]:
    for obj in _claimreview_objects(data, 0):
        check = to_external_check(obj, page_url)
        if check is not None:
            yield check


def _claimreview_objects(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """ClaimReview objects anywhere in `data` (not inside another ClaimReview)."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _claimreview_objects(item, depth + 1)
    elif isinstance(data, dict):
        if CLAIMREVIEW in _types(data):
            yield data
            return
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _claimreview_objects(value, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    kinds = _get(obj, "@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {_local_name(kind) for kind in kinds if isinstance(kind, str)}


def _local_name(name: str) -> str:
    return re.split(r"[/:#]", name.strip())[-1].lower()


def _unique(checks: list[ExternalCheck]) -> list[ExternalCheck]:
    """One of each (url, claim): a page that embeds the same review twice gives it once."""
    seen: set[tuple[str | None, str]] = set()
    kept = []
    for check in checks:
        key = (check.url, check.claim)
        if key not in seen:
            seen.add(key)
            kept.append(check)
    return kept


# -- reading one --------------------------------------------------------------------------------


def to_external_check(obj: dict[str, Any], page_url: str | None = None) -> ExternalCheck | None:
    """The ExternalCheck of one ClaimReview object; None when it names no claim."""
    item = _first_object(_get(obj, "itemReviewed"))
    claim = _text(_get(obj, "claimReviewed"), CLAIM_MAX) or _text(
        _get(item, "name") if item else None, CLAIM_MAX
    )
    if claim is None:
        return None
    rating = _first_object(_get(obj, "reviewRating")) or {}
    url = _url(_get(obj, "url")) or _url(page_url)
    return ExternalCheck(
        claim=claim,
        rating=_text(_get(rating, "alternateName"), FIELD_MAX)
        or _text(_get(rating, "name"), FIELD_MAX),
        rating_value=_number(_get(rating, "ratingValue")),
        best=_number(_get(rating, "bestRating")),
        worst=_number(_get(rating, "worstRating")),
        publisher=_name(_get(obj, "author"))
        or _name(_get(obj, "publisher"))
        or _host(_url_of(_get(obj, "author")))
        or _host(url),
        url=url,
        date=_date(_get(obj, "datePublished")),
        claimant=_name(_get(item, "author")) if item else None,
        appearance_url=_appearance(obj, item),
        language=_language(_get(obj, "inLanguage")),
        raw=obj,
    )


def _get(obj: dict[str, Any] | None, key: str) -> Any:
    """`obj[key]`, under a schema.org prefix or IRI, or in another case."""
    if not isinstance(obj, dict):
        return None
    if key in obj:
        return obj[key]
    for prefix in _PREFIXES:
        if prefix + key in obj:
            return obj[prefix + key]
    lowered = key.lower()
    for name, value in obj.items():
        if isinstance(name, str) and name.lower() == lowered:
            return value
    return None


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _first_object(value: Any) -> dict[str, Any] | None:
    return next((v for v in _values(value) if isinstance(v, dict)), None)


def _text(value: Any, limit: int) -> str | None:
    for candidate in _values(value):
        if isinstance(candidate, dict):
            candidate = _get(candidate, "@value")
        if isinstance(candidate, (int, float)) and not isinstance(candidate, bool):
            candidate = str(candidate)
        if isinstance(candidate, str):
            cleaned = _SPACE.sub(" ", strip_controls(html.unescape(candidate))).strip()
            if cleaned:
                return cleaned[:limit]
    return None


def _name(value: Any) -> str | None:
    """A person's or organisation's name: a string, or an object's name (else alternateName)."""
    for candidate in _values(value):
        if isinstance(candidate, dict):
            found = _text(_get(candidate, "name"), FIELD_MAX) or _text(
                _get(candidate, "alternateName"), FIELD_MAX
            )
        else:
            found = _text(candidate, FIELD_MAX)
            if found is not None and _looks_like_url(found):
                found = None  # an author given as a URL names no one
        if found:
            return found
    return None


def _url_of(value: Any) -> str | None:
    for candidate in _values(value):
        found = _url(_get(candidate, "url") if isinstance(candidate, dict) else candidate)
        if found:
            return found
    return None


def _url(value: Any) -> str | None:
    text = _text(value, URL_MAX)
    return text if text is not None and _looks_like_url(text) else None


def _looks_like_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://")) and " " not in text


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")[:FIELD_MAX] or None


def _number(value: Any) -> float | None:
    for candidate in _values(value):
        if isinstance(candidate, dict):
            candidate = _get(candidate, "@value")
        if isinstance(candidate, bool):
            continue
        try:
            if isinstance(candidate, (int, float)):
                number = float(candidate)
            elif isinstance(candidate, str):
                number = float(candidate.strip().replace(",", "."))
            else:
                continue
        except (ValueError, OverflowError):  # "high", or an integer of 400 digits
            continue
        if math.isfinite(number):  # NaN and Infinity are no rating (and not JSON)
            return number
    return None


def _date(value: Any) -> str | None:
    """ISO 8601 where it reads as a date ("May 2, 2024" too), else as given."""
    text = _text(value, DATE_MAX)
    return None if text is None else (iso_date(text) or text)


def _appearance(obj: dict[str, Any], item: dict[str, Any] | None) -> str | None:
    """Where the claim appeared: the item's (first) appearance, its first appearance, the
    review's `claimUrlOriginal`, or the item's own URL."""
    if item:
        for key in ("appearance", "firstAppearance"):
            found = _url_of(_get(item, key))
            if found:
                return found
    return _url(_get(obj, "claimUrlOriginal")) or (_url(_get(item, "url")) if item else None)


def _language(value: Any) -> str | None:
    for candidate in _values(value):
        if isinstance(candidate, dict):
            found = _text(_get(candidate, "alternateName"), FIELD_MAX) or _text(
                _get(candidate, "name"), FIELD_MAX
            )
        else:
            found = _text(candidate, FIELD_MAX)
        if found:
            return found
    return None
