"""Title, byline, date and outlet of a plain-text scrape, read from the lines around the article.

A scrape has no meta tags: the headline is the title-like line above the body that shares most
words with it (often printed twice, in the breadcrumb and as the heading, with byline and date
below), the byline says "By ...", the date is the first dateline near the headline, and the
outlet shows in a "Source:" line or a copyright notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from importers.text_lines import Line

_WORD = re.compile(r"\w+")
# Headlines end bare, or with ? or !; a full stop (even inside closing quotes) ends a sentence.
_TITLE_END = re.compile(r"[.,;:…。，；：][\"'”’»)\]」』]*\s*$")
_DIGIT = re.compile(r"\d")
_CREDIT_MAX_CHARS = 120
_SEPARATORS = re.compile(r"\s[|/»>]+\s|//")  # breadcrumbs and "date | time | read" lines
_BYLINE = re.compile(
    r"^\W*(?:by|written by|words by|author:?)\s+(?P<name>[^\W\d_][^|•·,;]{1,80}?)"
    r"(?:\s*(?:[|•·,;]|\b(?:published|updated|on)\b).*)?$",
    re.IGNORECASE,
)
_COPYRIGHT_SIGNS = ("©", "opyright", "OPYRIGHT", "(c)", "(C)")
_COPYRIGHT_MAX_WORDS = 25
_SOURCE = re.compile(r"^\W*source:\s*(?P<name>\S.{0,60}?)\s*$", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"(?:©|copyright(?:\s*©)?|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?,?\s*"
    r"(?P<name>[^\W\d_][\w&.'’ -]{1,60}?)\s*(?:[.,|]|all rights|$)",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_TIME = r"(?:,?\s*(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
_DATE_PATTERNS = (
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}}){_TIME}", re.I
    ),
    re.compile(
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TIME}", re.I
    ),
    re.compile(
        r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
        r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?(?P<ampm>)"
    ),
)

TITLE_MIN_WORDS = 2
TITLE_MAX_WORDS = 30
TITLE_BODY_LINES = 12  # the opening of the body a headline is compared with
TITLE_SHARED_WEIGHT = 1.2  # per content word the body repeats, up to TITLE_SHARED_CAP
TITLE_SHARED_CAP = 8
TITLE_SHARE_WEIGHT = 3.0
TITLE_LENGTH_WEIGHT = 0.3
TITLE_DISTANCE_COST = 0.15
TITLE_REPEAT_BONUS = 2.0
TITLE_MIN_SCORE = 3.0
TITLE_BYLINE_BONUS = 3.0
TITLE_BYLINE_LINES = 4
TITLE_DEK_MARGIN = 3.0
DATE_LINE_OTHER_WORDS = 6
_CONTENT_WORD_CHARS = 4
HEADER_LINES = 20  # how far above the body the headline, byline and date are looked for
BODY_HEAD_LINES = 4  # and how far into it
DATE_MAX_WORDS = 14


@dataclass(frozen=True)
class ScrapeMeta:
    """What the scrape says about the article, and which lines said it (not body text)."""

    title: str | None
    byline: str | None
    published: str | None
    outlet: str | None
    used: frozenset[int]


def words_in(text: str) -> int:
    """Number of words (runs of letters and digits) in `text`."""
    return len(_WORD.findall(text))


def looks_like_title(line: Line) -> bool:
    """A headline: a few words, no bullet, no sentence-final full stop, no separator bars."""
    text = line.text
    n = words_in(text)
    return (
        not line.bullet
        and TITLE_MIN_WORDS <= n <= TITLE_MAX_WORDS
        and not _TITLE_END.search(text)
        and not text[0].islower()
        and not _SEPARATORS.search(text)
    )


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= _CONTENT_WORD_CHARS}


def title_score(line: Line, distance: int, body_words: set[str], echoes: int) -> float:
    """How much a candidate line looks like this article's headline.

    A headline announces what the body is about, so most of its words recur in the body; it
    stands a few lines above the first paragraph, and pages often print it twice (breadcrumb
    and heading; `echoes` counts its occurrences). Bylines, captions and menu entries share few
    words with the body.
    """
    words = _content_words(line.text)
    shared = len(words & body_words)
    share = shared / len(words) if words else 0.0
    score = TITLE_SHARED_WEIGHT * min(shared, TITLE_SHARED_CAP) + TITLE_SHARE_WEIGHT * share
    score += TITLE_LENGTH_WEIGHT * min(words_in(line.text), 10)
    score -= TITLE_DISTANCE_COST * distance
    return score + (TITLE_REPEAT_BONUS if echoes > 1 else 0.0)


def find_title(lines: list[Line], body: list[int], unusable: set[int]) -> int | None:
    """Index of the headline: the best title-like line above the body or opening it."""
    if not body:
        return None
    first = body[0]
    body_words = _content_words(" ".join(lines[i].text for i in body[:TITLE_BODY_LINES]))
    page = "\n".join(line.text for line in lines)
    window = range(max(0, first - HEADER_LINES), first + 1)
    credits = {
        i
        for i in range(window.start, min(len(lines), window.stop + TITLE_BYLINE_LINES))
        if _is_byline_or_date(lines[i])
    }
    scores: dict[int, float] = {}
    for i in window:
        line = lines[i]
        if i in unusable or not looks_like_title(line):
            continue
        score = title_score(line, abs(first - i), body_words, page.count(line.text))
        if any(i < j <= i + TITLE_BYLINE_LINES for j in credits):
            score += TITLE_BYLINE_BONUS
        scores[i] = score
    if not scores:
        return None
    best = max(scores, key=lambda i: (scores[i], i))
    if scores[best] < TITLE_MIN_SCORE:
        return None
    return _headline_above_dek(lines, scores, best)


def _headline_above_dek(lines: list[Line], scores: dict[int, float], best: int) -> int:
    """The headline rather than its standfirst: a shorter title-like line just above wins."""
    for i in (best - 1, best - 2):
        if (
            i in scores
            and scores[i] >= scores[best] - TITLE_DEK_MARGIN
            and words_in(lines[i].text) < words_in(lines[best].text)
        ):
            return i
    return best


def _is_byline_or_date(line: Line) -> bool:
    """A short line naming the author or giving a date: what stands under a headline."""
    text = line.text
    if len(text) > _CREDIT_MAX_CHARS or words_in(text) > DATE_MAX_WORDS:
        return False
    return _BYLINE.match(text) is not None or is_date_line(text)


def parse_date(text: str) -> str | None:
    """ISO 8601 for the first date written in `text` ("9 Oct 2024 22:40" -> 2024-10-09T22:40:00)."""
    found = _find_date(text)
    return found[0] if found else None


def is_date_line(text: str) -> bool:
    """A dateline ("Published Jun 4, 2025", "9 Oct 2024 22:40"), not a sentence holding a date."""
    found = _find_date(text)
    if found is None:
        return False
    _, start, end = found
    return words_in(text[:start] + " " + text[end:]) <= DATE_LINE_OTHER_WORDS


def _find_date(text: str) -> tuple[str, int, int] | None:
    """The first parseable date in `text`: its ISO 8601 form and where it is written."""
    if not _DIGIT.search(text):
        return None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parsed = _to_datetime(match)
            if parsed is not None:
                iso = parsed.isoformat() if match.group("hour") else parsed.date().isoformat()
                return iso, match.start(), match.end()
    return None


def _to_datetime(match: re.Match[str]) -> datetime | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
    if month is None:
        return None
    hour, minute = int(match.group("hour") or 0), int(match.group("minute") or 0)
    ampm = (match.group("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    try:
        return datetime(int(match.group("year")), month, int(match.group("day")), hour, minute)
    except ValueError:
        return None


def _header_zone(lines: list[Line], body: list[int], title: int | None) -> list[int]:
    """Lines where a byline or date of the article may stand: around the headline and body start."""
    anchor = title if title is not None else (body[0] if body else 0)
    start = max(0, anchor - 2)
    end = min(len(lines), (body[0] if body else anchor) + BODY_HEAD_LINES)
    # Lines of the body itself only count at its head; further down, a date is article text.
    excluded = set(body[BODY_HEAD_LINES:])
    excluded.add(-1 if title is None else title)
    return [i for i in range(start, end) if i not in excluded]


def find_byline(lines: list[Line], zone: list[int]) -> tuple[str | None, int | None]:
    for i in zone:
        match = _BYLINE.match(lines[i].text)
        if match and words_in(lines[i].text) <= DATE_MAX_WORDS:
            return match.group("name").strip(), i
    return None, None


def find_published(lines: list[Line], zone: list[int]) -> tuple[str | None, int | None]:
    for i in zone:
        if words_in(lines[i].text) <= DATE_MAX_WORDS and is_date_line(lines[i].text):
            return parse_date(lines[i].text), i
    return None, None


def find_outlet(lines: list[Line], zone: list[int], body: list[int]) -> str | None:
    """The outlet as the scrape names it: a "Source:" line near the article, else a copyright."""
    for i in zone:
        match = _SOURCE.match(lines[i].text)
        if match:
            return match.group("name")
    kept = set(body)
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i].text
        if i in kept or not any(sign in text for sign in _COPYRIGHT_SIGNS):
            continue
        match = _COPYRIGHT.search(text)
        if match and words_in(text) <= _COPYRIGHT_MAX_WORDS:
            return match.group("name").strip(" .-")
    return None


def scrape_meta(lines: list[Line], body: list[int], unusable: set[int]) -> ScrapeMeta:
    """Metadata of the article whose body lines are `body`; `unusable` lines cannot be a title."""
    title = find_title(lines, body, unusable)
    zone = _header_zone(lines, body, title)
    byline, byline_at = find_byline(lines, zone)
    published, date_at = find_published(lines, zone)
    used = {i for i in (title, byline_at, date_at) if i is not None}
    return ScrapeMeta(
        title=lines[title].text if title is not None else None,
        byline=byline,
        published=published,
        outlet=find_outlet(lines, zone, body),
        used=frozenset(used),
    )
