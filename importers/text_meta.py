"""Title, byline, date and outlet of a plain-text scrape, read from the lines around the article.

A scrape has no meta tags: the headline is the title-like line above the body that shares most
words with it (often printed twice, in the breadcrumb and as the heading, with byline and date
below), the byline says "By ...", the date is the first dateline near the headline, and the
outlet shows in a "Source:" line or a copyright notice. Two things stand in for the meta tags
where they can: lynx prints the page's feed list first, whose post-comments feed names the
headline; and a credits line far from the body ("By … – Updated <date>") still dates it.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from importers.text_bylines import byline_in, name_in
from importers.text_dates import find_dates, numeric_order, parse_date, publication_of
from importers.text_lines import Line

__all__ = ["ScrapeMeta", "parse_date", "scrape_meta"]

_WORD = re.compile(r"\w+")
# Headlines end bare, or with ? or !; a full stop (even inside closing quotes) ends a sentence.
_TITLE_END = re.compile(r"[.,;:…。，；：][\"'”’»)\]」』]*\s*$")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CREDIT_MAX_CHARS = 120
_LABELLED_DATE_REACH = 60  # "Posted on" and a date with its time
_DATE_LABEL_WORDS = 3  # "Last updated on"
_SEPARATORS = re.compile(r"\s[|/»>]+\s|//")  # breadcrumbs and "date | time | read" lines
# A byline or dateline label printed apart from its value ("Written by", "Last updated").
_CREDIT_LABEL = re.compile(
    r"^\W*(?:written by|posted (?:on|by)|published(?: on)?|(?:last )?updated(?: on| at)?|by)\W*$",
    re.IGNORECASE,
)
# A post's labels: "Labels: customer development, lean startup", "Filed under: Travel".
_TAXONOMY = re.compile(
    r"^\W*(?:labels?|tags?|tagged(?: with)?|categories|category|filed under|topics?)\s*:",
    re.IGNORECASE,
)
_SEGMENT_BAR = re.compile(r"\s[|•·⋅]\s|\s[-–—]\s")
_DATE_LABEL = re.compile(r"^\W*(?:posted|published|updated|last updated)\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\[[^\]]*\]")
# The counters a dateline carries ("2 Comments", "7 Mins Read", "14,267 Views"): no running text.
_COUNTERS = re.compile(
    r"\d[\d,.]*\s*(?:comments?|mins?(?:ute)?s?(?:\s+read)?|views?|shares?|likes?|replies)\b",
    re.IGNORECASE,
)
# What may stand before a date that opens a line of credits ("On January 12, 2025 By …").
_DATE_LEAD = re.compile(
    r"^\W*(?:(?:on|posted|published|updated|last updated|date|dated)\b\W*)?$", re.IGNORECASE
)
# A credit that ends with the date: "… By Lisa Jennings on Dec. 19, 2025".
_CREDITED_DATE = re.compile(
    r"\b[Bb]y\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*(?:\bon\b|[|•·,–—-])?\s*$"
)
# lynx prints a page's <link rel="alternate"> titles first ("#Site » Feed Site » Comments Feed
# Site » <headline> Comments Feed"): a blog's feed of one post's comments names the post.
_POST_FEED = re.compile(r"»\s+(?P<title>[^»]+?)\s+Comments Feed")
_LINK_LIST_LINES = 2  # the link list is the scrape's first line, wrapped rows joined
_COPYRIGHT_SIGNS = ("©", "opyright", "OPYRIGHT", "(c)", "(C)")
_COPYRIGHT_MAX_WORDS = 25
_SOURCE = re.compile(r"^\W*source:\s*(?P<name>\S.{0,60}?)\s*$", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"(?:©|copyright(?:\s*©)?|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?,?\s*"
    r"(?P<name>[^\W\d_][\w&.'’ -]{1,60}?)\s*(?:[.,|]|all rights|$)",
    re.IGNORECASE,
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
# A standfirst reads as a sentence: twelve words or more, few of them capitalised; the
# headline above it may score this much lower (measured on the tuning pages: 12-13 words,
# 0.3-0.35 capitalised and a margin of 6 all give the same choices there).
TITLE_DEK_WORDS = 12
TITLE_DEK_CAPITALS = 0.3
TITLE_SENTENCE_DEK_MARGIN = 6.0
TITLE_CONTAINER_COST = 4.0
TITLE_CONTAINED_MIN_WORDS = 4
TITLE_CAPTION_WORDS = 2
TITLE_IN_BODY_COST = 2.0
TITLE_LONG_WORDS = 14
TITLE_LONG_COST = 0.8
TITLE_INTO_BODY = 16  # the body may start early, with a dek or a notice above the headline
DATE_LINE_OTHER_WORDS = 8
DATE_LINE_RUNNING_WORDS = 3  # lower-case words: more make a sentence that holds a date
_CONTENT_WORD_CHARS = 4
# The same words as _WORD's runs of _CONTENT_WORD_CHARS or more, shorter ones never built.
_CONTENT_WORD = re.compile(rf"\w{{{_CONTENT_WORD_CHARS},}}")
HEADER_LINES = 40  # how far above the body the headline, byline and date are looked for
BODY_HEAD_LINES = 4  # and how far into it
DATE_MAX_WORDS = 14
BYLINE_MAX_WORDS = 24
NAME_REACH = 6  # lines either side of the headline or dateline where a name line may stand
DATE_SEARCH_LINES = 60  # how far above the headline a dateline is still looked for
DATE_BODY_LINES = 10  # a dateline may stand this far into the body (it is left out of it)
DATE_AFTER_BODY_LINES = 12  # and how far below the body ("Posted on …" footers)


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
    # The cheap tests first: most lines tested are paragraphs, and counting their words costs most.
    return (
        not line.bullet
        and not text[0].islower()
        and text[0] != "["  # an image placeholder: "[svg][top-trends]"
        and "(BUTTON)" not in text
        and not _TITLE_END.search(text)
        and TITLE_MIN_WORDS <= words_in(text) <= TITLE_MAX_WORDS
        and not _SEPARATORS.search(text)
        and _TAXONOMY.match(text) is None
    )


def _content_words(text: str) -> set[str]:
    return set(_CONTENT_WORD.findall(text.lower()))


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
    # Headlines are short; a long unfinished line is a standfirst or a paragraph.
    score -= TITLE_LONG_COST * max(0, words_in(line.text) - TITLE_LONG_WORDS)
    return score + (TITLE_REPEAT_BONUS if echoes > 1 else 0.0)


def find_title(lines: list[Line], body: list[int], unusable: set[int]) -> int | None:
    """Index of the headline: the best title-like line above the body or opening it."""
    if not body:
        return None
    first = body[0]
    opening = body[:TITLE_BODY_LINES]
    opening_words = {j: _content_words(lines[j].text) for j in opening}
    word_lines = Counter(chain.from_iterable(opening_words.values()))
    body_words = set(word_lines)
    page = "\n".join([line.text for line in lines])  # a list joins faster than a generator
    window = range(max(0, first - HEADER_LINES), min(len(lines), first + 1 + TITLE_INTO_BODY))
    # Which lines are credits is asked only next to title-like lines: most lines are neither.
    credit: dict[int, bool] = {}

    def is_credit(j: int) -> bool:
        if j not in credit:
            credit[j] = _is_byline_or_date(lines[j])
        return credit[j]

    scores: dict[int, float] = {}
    for i in window:
        line = lines[i]
        if i in unusable or line.tabular or not looks_like_title(line) or is_credit(i):
            continue  # a byline, dateline or table row is not a headline
        credited = any(
            is_credit(j) for j in range(i + 1, min(len(lines), i + 1 + TITLE_BYLINE_LINES))
        )
        if i > first and not credited:
            continue  # a heading of the body, unless a byline or dateline stands under it
        echoes = page.count(line.text)
        # A line of the body's opening is compared with the rest of it, not with itself.
        compared = body_words
        if i in opening_words:
            own = opening_words[i]
            compared = {w for w, n in word_lines.items() if n > (w in own)}
        score = title_score(line, abs(first - i), compared, echoes)
        if credited:
            score += TITLE_BYLINE_BONUS
        if i >= first:
            score -= TITLE_IN_BODY_COST  # the body's own heading, unless nothing above will do
        scores[i] = score
    texts = {j: lines[j].text for j in scores}
    for i in scores:
        # A line ending with another candidate is a breadcrumb or an image caption
        # ("Home » Title", "Hero image for blog post Title"): the shorter line is the headline.
        # A short one it ends with or opens with is a section label or a shortened headline
        # ("Cloud Computing", "Pros and Cons of Consulting"): the longer line is the headline,
        # unless a word or two follow the other line ("Title cover", an image's caption).
        if any(
            j != i and texts[j] in texts[i] and _holds_title(texts[i], texts[j]) for j in scores
        ):
            scores[i] -= TITLE_CONTAINER_COST
    if not scores:
        return None
    best = max(scores, key=lambda i: (scores[i], i))
    if scores[best] < TITLE_MIN_SCORE:
        return None
    return _headline_above_dek(lines, scores, best)


def _holds_title(text: str, other: str) -> bool:
    """`text` is `other` with a lead-in (a breadcrumb, a caption's words) or a word or two
    after it."""
    if len(other) >= len(text):
        return False
    if text.endswith(other):
        return words_in(other) >= TITLE_CONTAINED_MIN_WORDS
    tail = text[len(other) :] if text.startswith(other) else None
    return tail is not None and tail[:1].isspace() and words_in(tail) <= TITLE_CAPTION_WORDS


def _headline_above_dek(lines: list[Line], scores: dict[int, float], best: int) -> int:
    """The headline rather than its standfirst: a shorter title-like line just above wins.

    Only over a long line: above a short headline stands a section label ("Cloud Computing");
    a standfirst written as a sentence gives way more easily than a long headline.
    """
    text = lines[best].text
    sentence = words_in(text) >= TITLE_DEK_WORDS and _capitalised_share(text) < TITLE_DEK_CAPITALS
    if words_in(text) < TITLE_LONG_WORDS and not sentence:
        return best
    margin = TITLE_SENTENCE_DEK_MARGIN if sentence else TITLE_DEK_MARGIN
    for i in (best - 1, best - 2):
        if (
            i in scores
            and scores[i] >= scores[best] - margin
            and words_in(lines[i].text) < words_in(text)
        ):
            return i
    return best


def _capitalised_share(text: str) -> float:
    """Share of the words of four letters or more that start with a capital (Title Case: 1)."""
    words = [w for w in _WORD.findall(text) if len(w) >= _CONTENT_WORD_CHARS]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


def _is_byline_or_date(line: Line) -> bool:
    """A short line naming the author or giving a date: what stands under a headline."""
    text = line.text
    if len(text) > _CREDIT_MAX_CHARS or words_in(text) > DATE_MAX_WORDS:
        return False
    return (
        byline_in(text) is not None or is_date_line(text) or _CREDIT_LABEL.match(text) is not None
    )


def is_date_line(text: str) -> bool:
    """A dateline ("Published Jun 4, 2025", "9 Oct 2024 22:40"), not a sentence holding a date."""
    if "[" in text:  # an image's placeholder beside the date is no running text
        text = _PLACEHOLDER.sub(" ", text)
    dates = find_dates(text)
    if not dates:
        return False
    first, last = dates[0], dates[-1]
    if _few_other_words(text[: first.start] + " " + text[last.end :]):
        return True
    # A credits line of segments ("Staff | Apr 21, 2017 | Products Liability"): the date stands
    # in a segment of its own.
    start = 0
    for bar in [*_SEGMENT_BAR.finditer(text), None]:
        end = bar.start() if bar else len(text)
        segment = text[start:end]
        if find_dates(segment) and _few_other_words(_without_dates(segment)):
            return True
        if bar is None:
            break
        start = bar.end()
    return False


def _ends_with_credited_date(text: str) -> bool:
    """A standfirst that ends with its credits: "… Canada. By Lisa Jennings on Dec. 19, 2025"."""
    if "y " not in text:  # the cheap test: no "By"
        return False
    dates = find_dates(text)
    return (
        bool(dates)
        and not text[dates[-1].end :].strip(" .")
        and _CREDITED_DATE.search(text[: dates[-1].start]) is not None
    )


def _opens_with_labelled_date(text: str) -> bool:
    """A credits line led by its date, however many categories follow: "Posted on November 25,
    2024 in College of Health Sciences, General, Healthcare, …"."""
    if _DATE_LABEL.match(text) is None:
        return False
    dates = find_dates(text[:_LABELLED_DATE_REACH])
    return bool(dates) and words_in(text[: dates[0].start]) <= _DATE_LABEL_WORDS


def _few_other_words(rest: str) -> bool:
    others = _WORD.findall(_COUNTERS.sub(" ", rest))
    running = sum(1 for word in others if word.islower() and len(word) > 1)
    return len(others) <= DATE_LINE_OTHER_WORDS and running <= DATE_LINE_RUNNING_WORDS


def _without_dates(text: str) -> str:
    dates = find_dates(text)
    return text[: dates[0].start] + " " + text[dates[-1].end :] if dates else text


def _header_zone(lines: list[Line], body: list[int], title: int | None) -> list[int]:
    """Lines where a byline or date of the article may stand: around the headline and body start."""
    anchor = title if title is not None else (body[0] if body else 0)
    start = max(0, anchor - 2)
    # A headline may stand in the body's opening (under a notice): its credits follow it.
    end = min(len(lines), max(body[0] if body else anchor, anchor) + BODY_HEAD_LINES)
    # Lines of the body itself only count at its head (or under a headline that stands in it);
    # further down, a date is article text.
    excluded = {i for i in body[BODY_HEAD_LINES:] if not anchor < i < end}
    excluded.add(-1 if title is None else title)
    return [i for i in range(start, end) if i not in excluded]


def find_byline(
    lines: list[Line], zone: list[int], near: list[int]
) -> tuple[str | None, int | None]:
    """The author: a "By …" line of the header zone or next to the headline or dateline, else
    a name line there (pages print the author's name, often twice, just above or below them).

    Name lines that something vouches for (printed twice, beside a date, under "Picture of")
    come before plain ones, which may be a section label ("Mobile App Development").
    """
    around = [
        i
        for anchor in near
        for i in sorted(
            range(max(0, anchor - NAME_REACH), min(len(lines), anchor + NAME_REACH + 1)),
            key=lambda j: abs(j - anchor),
        )
        if i != anchor
    ]
    for i in [*zone, *around]:
        if words_in(lines[i].text) <= BYLINE_MAX_WORDS:
            names = byline_in(lines[i].text)
            if names:
                return names, i
    plain: tuple[str | None, int | None] = (None, None)
    for i in around:
        name = name_in(lines[i].text)
        if name is None:
            continue
        if _vouched_name(lines, i, name):
            return name, i
        if plain[0] is None:
            plain = name, i
    return plain


def _vouched_name(lines: list[Line], i: int, name: str) -> bool:
    """A name line with a second sign of a person: the name printed again on a line next to
    it, a date beside it, or a portrait caption ("Picture of …")."""
    text = lines[i].text
    if text != name or find_dates(text):
        return True
    neighbours = [lines[j].text for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return any(name in other or is_date_line(other) for other in neighbours)


def find_published(
    lines: list[Line], zone: list[int], anchor: int, body: list[int]
) -> tuple[str | None, int | None]:
    """The publication date: from the datelines of the header zone, else the nearest dateline
    of the page outside the body (above it or shortly below), "Updated" dates only as a last
    resort."""
    candidates = [
        i
        for i in zone
        if words_in(lines[i].text) <= BYLINE_MAX_WORDS
        or _ends_with_credited_date(lines[i].text)
        or _opens_with_labelled_date(lines[i].text)
    ]
    # The dateline stands under the headline; above it, a date is more often another story's.
    candidates.sort(key=lambda i: i < anchor)
    found = _dated(lines, candidates)
    if found[0] is None:
        inside = set(body[DATE_BODY_LINES:])
        end = (body[-1] if body else anchor) + DATE_AFTER_BODY_LINES
        rest = [
            i
            for i in range(max(0, anchor - DATE_SEARCH_LINES), min(len(lines), end))
            if i not in inside and i not in zone
        ]
        rest.sort(key=lambda i: abs(i - anchor))
        found = _dated(lines, [i for i in rest if is_date_line(lines[i].text)])
    if found[0] is None:
        found = _dated(lines, _credited_dates(lines, anchor))
    return found


def _credited_dates(lines: list[Line], anchor: int) -> list[int]:
    """Lines anywhere on the page that credit the article with a date ("By Scott Levine –
    Updated Sep 9, 2025", "Published on 2021-01-18"), nearest the headline first: where the
    article's head and body lie far apart, its credits may too."""
    found = [
        i
        for i, line in enumerate(lines)
        if _YEAR.search(line.text)  # the cheap test first: most lines name no year
        and words_in(line.text) <= BYLINE_MAX_WORDS
        and find_dates(line.text)
        and (
            _DATE_LABEL.match(line.text)
            or byline_in(line.text)
            or (i > 0 and is_date_line(line.text) and _credits_above(lines, i, anchor))
        )
    ]
    return sorted(found, key=lambda i: abs(i - anchor))


def _credits_above(lines: list[Line], i: int, anchor: int) -> bool:
    """The line above dateline `i` makes it the article's: its label printed apart
    ("Published"), or, above the article, the author's name ("Oleg Parashchak"; below the
    article a name over a date is a comment's)."""
    above = lines[i - 1].text
    return _CREDIT_LABEL.match(above) is not None or (i < anchor and name_in(above) is not None)


def _dated(lines: list[Line], candidates: list[int]) -> tuple[str | None, int | None]:
    """The first publication date among lines `candidates`; an update date if none has one."""
    modified: tuple[str | None, int | None] = (None, None)
    for i in candidates:
        text = lines[i].text
        dates = find_dates(text)
        if not dates:
            continue
        if not (
            is_date_line(text)
            or byline_in(text)
            or _DATE_LABEL.match(text)
            or _DATE_LEAD.match(text[: dates[0].start])
            or _ends_with_credited_date(text)
        ):
            continue
        chosen = publication_of(dates)
        if chosen.ambiguous:  # "04/05/2024": read as the page's other numeric dates are written
            order = numeric_order("\n".join(line.text for line in lines))
            if order is not None:
                chosen = publication_of(find_dates(text, order))
        if not chosen.modified:
            return chosen.iso, i
        if modified[0] is None:
            modified = chosen.iso, i
    return modified


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


def feed_title(lines: list[Line]) -> str | None:
    """The headline a text browser's list of the page's feeds gives (see _POST_FEED), if any."""
    for line in lines[:_LINK_LIST_LINES]:
        if line.text.startswith("#") and "Comments Feed" in line.text:
            titles = [m.group("title") for m in _POST_FEED.finditer(line.text)]
            if titles and TITLE_MIN_WORDS <= words_in(titles[-1]) <= TITLE_MAX_WORDS:
                return html.unescape(titles[-1]).strip()
    return None


def _line_of(lines: list[Line], text: str, body: list[int]) -> int | None:
    """The line nearest the body's start that reads `text` (case and spacing aside)."""
    wanted = " ".join(text.split()).casefold()
    first = body[0] if body else 0
    same = [i for i, line in enumerate(lines) if " ".join(line.text.split()).casefold() == wanted]
    return min(same, key=lambda i: abs(i - first)) if same else None


def scrape_meta(lines: list[Line], body: list[int], unusable: set[int]) -> ScrapeMeta:
    """Metadata of the article whose body lines are `body`; `unusable` lines cannot be a title."""
    # The feeds' headline is the page's own word for it; the line printing it is the headline.
    named = feed_title(lines)
    title = _line_of(lines, named, body) if named else None
    if title is None:
        title = find_title(lines, body, unusable)
    zone = _header_zone(lines, body, title)
    anchor = title if title is not None else (body[0] if body else 0)
    published, date_at = find_published(lines, zone, anchor, body)
    near = [i for i in (title, date_at) if i is not None]
    byline, byline_at = find_byline(lines, zone, near)
    used = {i for i in (title, byline_at, date_at) if i is not None}
    if date_at is not None and words_in(lines[date_at].text) > BYLINE_MAX_WORDS:
        used.discard(date_at)  # a standfirst that ends with its credits stays in the body
    return ScrapeMeta(
        title=lines[title].text if title is not None else None,
        byline=byline,
        published=published,
        outlet=find_outlet(lines, zone, body),
        used=frozenset(used),
    )
