"""Dates as pages print them, read without guessing: "April 30, 2024", "30/04/2024 14:05", ...

    find_dates("Published 4:05 PM EDT, Tue April 30, 2024 | Updated May 1, 2024")
    # [WrittenDate("2024-04-30", ..., published=True),
    #  WrittenDate("2024-05-01", ..., modified=True)]

Only calendar days count: "3 hours ago", "yesterday" or "July 2025" name no day, so they are no
date at all (a scrape read today must not come out dated today). A date that a "Updated" or
"Modified" label introduces is the modification date, kept apart from the publication date.

The patterns are written here rather than handed to dateparser: dateparser reads a date from a
string that is one, but finding which part of a line is a date is the work, and its search mode
costs milliseconds a line (a scrape has hundreds) and reads relative phrases as today.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

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
_MONTH_NAME = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# What may follow a year written after its month and day: not a letter or digit, except where a
# text browser glued the next item to it: a capital ("2025January 22", "2025By"), a time
# ("20236:01 PM") or a reading time ("202511 mins").
_YEAR_END = r"(?:(?!\w)|(?-i:(?=[A-Z]))|(?=\d{1,2}:[0-5]\d)|(?=\d{1,3}\s?mins?\b))"
_TIME = (
    r"(?:(?:,?\s*(?:at\s+|[-–—|·•]\s*)?|T)(?P<hour>[0-2]?\d)[:.h](?P<minute>[0-5]\d)"
    r"(?::[0-5]\d)?\s*(?P<ampm>[ap]\.?\s?m\.?)?)?"
)
# "30 April 2024", "30th Apr. 2024", "Tue, 30 April, 2024 14:05"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w/.-]){_DAY}(?:\s+of)?[\s-]+{_MONTH_NAME},?[\s-]+{_YEAR}{_YEAR_END}{_TIME}", re.I
)
# "April 30, 2024", "Apr. 30 2024", "April 30th, 2024 at 4:05 pm"; also glued to a name before
# it ("Kathryn GiuffridaMar 5, 2025"), as text browsers join adjacent links.
_MONTH_DAY_YEAR = re.compile(
    rf"(?:(?<![\w/.-])|(?-i:(?<=[a-z\d])(?=[A-Z]))){_MONTH_NAME}\s+{_DAY}[,.]?\s+{_YEAR}{_YEAR_END}"
    rf"{_TIME}",
    re.I,
)
# "2024-04-30", "2024-04-30T14:05", "2024/4/30", "2024.04.30"
_YEAR_FIRST = re.compile(
    rf"(?<![\w/.-]){_YEAR}(?P<sep>[-/.•·])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)"
    rf"(?![\d/_]|\.\w|-\d|[A-SU-Za-z]){_TIME}"
)
# "30/04/2024", "04/30/2024 14:05", "30.04.2024", "30-04-2024": which number is the month is
# decided by the numbers themselves, else by the separator (dots and dashes: day first).
_NUMERIC = re.compile(
    rf"(?<![\w/.-])(?P<first>[0-3]?\d)(?P<sep>[/.-])(?P<second>[0-3]?\d)(?P=sep){_YEAR}"
    rf"(?![\w/]|\.\w|-\d){_TIME}"
)
_PATTERNS = (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR, _YEAR_FIRST, _NUMERIC)
# The label nearest before a date says which date it is: "Updated" and the like make it the
# modification date, "Published" and the like the publication date.
_LABEL = re.compile(
    r"(?:\b|(?<=\d))(?:(?P<modified>updated|modified|revised|edited|reviewed|fact[- ]checked)"
    r"|(?P<published>published|posted|released|written|created|first published))\b",
    re.I,
)
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")  # every date read here names its year: a cheap test
_LABEL_REACH = 40
_LINES_REMEMBERED = 2048  # dated lines: a page has tens, seldom hundreds
_GLUED_GAP = 1  # characters between two dates printed as one


@dataclass(frozen=True, slots=True)
class WrittenDate:
    """One date found in a line: ISO 8601 (date, or date and time), where, and its label."""

    iso: str
    start: int
    end: int
    modified: bool  # introduced by "Updated", "Modified", ...: not the publication date
    published: bool  # introduced by "Published", "Posted", ...
    ambiguous: bool = False  # "04/05/2024": day and month could be either way round


def find_dates(text: str, day_first: bool | None = None) -> list[WrittenDate]:
    """Every calendar date written in `text`, in reading order.

    `day_first` says how the page writes numeric dates whose day and month could be either way
    round (see numeric_order); None: by the separator."""
    if not _ANY_YEAR.search(text):
        return []
    return list(_dates_in(text, day_first))


# The metadata reader asks about the same few dated lines many times (is it a dateline, a
# byline, a name beside a date?): each line is read once.
@lru_cache(maxsize=_LINES_REMEMBERED)
def _dates_in(text: str, day_first: bool | None) -> tuple[WrittenDate, ...]:
    found: list[WrittenDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            moment = _moment(match, day_first)
            if moment is None:
                continue
            taken.append((match.start(), match.end()))
            iso = moment.isoformat() if match.group("hour") else moment.date().isoformat()
            ambiguous = pattern is _NUMERIC and _either_way(match)
            found.append(WrittenDate(iso, match.start(), match.end(), False, False, ambiguous))
    found.sort(key=lambda d: d.start)
    return tuple(_labelled(text, found[i], found[i - 1].end if i else 0) for i in range(len(found)))


def _labelled(text: str, date: WrittenDate, since: int) -> WrittenDate:
    """`date` with the label written between the previous date (ending at `since`) and it."""
    labels = list(_LABEL.finditer(text, max(since, date.start - _LABEL_REACH), date.start))
    if not labels:
        return date
    last = labels[-1]
    return WrittenDate(
        date.iso,
        date.start,
        date.end,
        last.group("modified") is not None,
        last.group("published") is not None,
        date.ambiguous,
    )


def parse_date(text: str) -> str | None:
    """ISO 8601 of the publication date written in `text`, or None when it names no day.

    The first date not labelled as an update wins; an update date only when it is all there is.
    """
    dates = find_dates(text)
    if not dates:
        return None
    return publication_of(dates).iso


def publication_of(dates: Sequence[WrittenDate]) -> WrittenDate:
    """Of the dates on one line, the one that says when the article was published."""
    labelled = [d for d in dates if d.published]
    if labelled:
        return labelled[0]
    unlabelled = [d for d in dates if not d.modified]
    if not unlabelled:
        return dates[0]
    first = unlabelled[0]
    following = dates[dates.index(first) + 1 :]
    if following and _glued(first, following[0]) and following[0].iso < first.iso:
        return following[0]
    return first


def _glued(date: WrittenDate, following: WrittenDate) -> bool:
    """Two dates printed as one ("May 21, 2025April 24, 2025"): a blog theme's published and
    updated times side by side, in either order; the earlier is the publication date, as an
    update cannot come before it."""
    return following.start - date.end <= _GLUED_GAP


def numeric_order(text: str) -> bool | None:
    """Whether the page writes numeric dates day first (True), month first (False), or cannot
    tell (None): a number over 12 in one of its dates gives the order away ("25.12.2024")."""
    day_first = month_first = False
    for match in _NUMERIC.finditer(text):
        first, second = int(match.group("first")), int(match.group("second"))
        day_first |= 12 < first <= 31 and second <= 12
        month_first |= first <= 12 < second <= 31
    return None if day_first == month_first else day_first


def _either_way(match: re.Match[str]) -> bool:
    first, second = int(match.group("first")), int(match.group("second"))
    return first != second and first <= 12 and second <= 12


def _moment(match: re.Match[str], day_first: bool | None = None) -> datetime | None:
    groups = match.groupdict()
    month: int | None
    if groups.get("first") is not None:
        first, second = int(groups["first"]), int(groups["second"])
        if day_first is not None and first <= 12 and second <= 12:
            month, day = (second, first) if day_first else (first, second)
        else:
            month, day = _month_and_day(first, second, groups["sep"])
    else:
        month_text = groups["month"].lower()
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3])
        day = int(groups["day"])
    if not month:
        return None
    hour, minute = int(groups.get("hour") or 0), int(groups.get("minute") or 0)
    ampm = (groups.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    try:
        return datetime(int(groups["year"]), month, day, hour, minute)
    except ValueError:
        return None


def _month_and_day(first: int, second: int, separator: str) -> tuple[int, int]:
    """(month, day) of "first/second/year": a number over 12 is the day; else by the separator.

    With a slash and both numbers 12 or under, the American order (month first) is taken, as
    most English-language pages that write slashes use it; dots and dashes are day first.
    """
    if first > 12:
        return second, first
    if second > 12:
        return first, second
    return (first, second) if separator == "/" else (second, first)
