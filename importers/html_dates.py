"""Publication dates a page shows: by its headline, in its address, or as htmldate reads them.

A date the reader sees under the headline ("Updated Dec 12, 2025", "12.12.2025", "Published on
Oct 21, 2025") is what a fact-check cites; many pages put no date in their metadata at all, or
only the first version's. Relative dates ("3 hours ago") are not dates: nothing here guesses
one from the clock, so a page that shows no date gives None.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# Written dates, most specific first; each alternative names its groups the same way.
_WRITTEN_DATES = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # December 3, 2025
    re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.I),  # 3 December 2025
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2025-12-03
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),  # 3.12.2025
    re.compile(r"\b(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b"),  # 12/3/2025
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]([01]?\d)[/-]([0-3]?\d)(?:[/-]|$)")
# How much text around the headline may hold its date: bylines and date lines sit just above
# or below the `<h1>`; further down, dates belong to the article's story or to other stories.
_BEFORE_HEADLINE_CHARS = 300
_AFTER_HEADLINE_CHARS = 600


def written_date(text: str) -> str | None:
    """The first calendar date written out in `text`, as YYYY-MM-DD, or None."""
    found: list[tuple[int, str]] = []
    for pattern in _WRITTEN_DATES:
        for match in pattern.finditer(text):
            day = _match_date(match)
            if day is not None:
                found.append((match.start(), day))
                break
    return min(found)[1] if found else None


def _match_date(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if parts.get("a") is not None:  # M/D/Y as US sites write it, D/M/Y when M cannot be a month
        first, second = int(parts["a"]), int(parts["b"])
        month, day = (first, second) if first <= 12 else (second, first)
    else:
        raw_month = parts["month"]
        month = int(raw_month) if raw_month.isdigit() else _MONTHS[raw_month.lower()]
        day = int(parts["day"])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def url_date(url: str | None) -> str | None:
    """The date in a URL's path (`/2025/12/19/slug`, `/2025-12-17-slug`), or None."""
    if not url:
        return None
    match = _URL_DATE.search(urlsplit(url).path)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def headline_date(tree: HtmlElement) -> str | None:
    """The date written just below or above the page's first `<h1>` (its date line), or None."""
    # A page without an <h1> (some blogs) heads its story with an <h2>.
    headline = next(iter(tree.iter("h1")), None)
    if headline is None:
        headline = next(iter(tree.iter("h2")), None)
    if headline is None:
        return None
    after = _text_within(_FOLLOWING_TEXT(headline), _AFTER_HEADLINE_CHARS)
    before = _text_within(_PRECEDING_TEXT(headline), _BEFORE_HEADLINE_CHARS)
    return written_date(after) or written_date(" ".join(reversed(before.split("\n"))))


# Text nodes after (before: nearest first) the headline, outside scripts and styles; XPath does
# the walk in C, which matters at 50 pages/s.
_VISIBLE = "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::h1)]"
_FOLLOWING_TEXT = etree.XPath(f"following::text()[position() <= 80]{_VISIBLE}")
_PRECEDING_TEXT = etree.XPath(f"preceding::text()[position() <= 30]{_VISIBLE}")


def labelled_date(tree: HtmlElement) -> str | None:
    """A date the page labels as its own ("Published: …", "Last updated: …", "Posted on …"):
    the label, then at once the date (a script's `"datePublished":"…"` is no label)."""
    body = tree.find("body")
    if body is None:
        return None
    text = body.text_content()  # one pass in C; a label in a script does not match, see above
    for label in _DATE_LABEL.finditer(text):
        found = _date_at(text[label.end() : label.end() + 40])
        if found:
            return found
    return None


_DATE_LABEL = re.compile(
    r"\b(?:published|posted|last updated|updated|last modified)(?:\s+on)?(?:\s*:)?[ \t\xa0]+",
    re.I,
)


def _date_at(text: str) -> str | None:
    """The date `text` starts with, or None."""
    for pattern in _WRITTEN_DATES:
        match = pattern.match(text)
        if match is not None:
            return _match_date(match)
    return None


def _text_within(texts: list[str], limit: int) -> str:
    kept: list[str] = []
    length = 0
    for text in texts:
        text = " ".join(text.split())
        if not text:
            continue
        kept.append(text)
        length += len(text)
        if length > limit:
            break
    return "\n".join(kept)
