"""Who wrote an article, as a scrape prints it: "By …", "Written by …", or a name line alone.

    byline_in("By Jane Doe, Staff Writer | May 1, 2024")   # "Jane Doe"
    byline_in("Written by Ann Lee and Bo Chan")             # "Ann Lee and Bo Chan"
    name_in("Picture of Andrew King")                       # "Andrew King"
    name_in("Contact Us")                                   # None

A byline is read up to what follows the names: a date, a bar or bullet, "Updated", "in
<section>"; roles and credentials after the names ("Staff Writer", "PhD") are not part of them.
A line with no "by" counts only when it reads as a person's name: two to four capitalised
words, none of them a word menus and buttons are made of.
"""

from __future__ import annotations

import re

from importers.text_dates import find_dates

# "By", "Written by", "Words by", "Posted by", "Author:", "Words & images:"; "ByJane" (a text
# browser glues the label to a linked name).
_BYLINE = re.compile(
    r"^\W*(?:(?:written|words|story|reporting|text|posted|published|article)\s+by\b:?"
    r"|by\b:?|by(?=[A-Z][a-z])|author(?:s|ed by)?\s*:|author\s+(?=[A-Z])"
    r"|words(?:\s*(?:&|and)\s*\w+)?\s*:)\s*"
    r"(?P<rest>.+)$",
    re.IGNORECASE,
)
# Where the names end: a separator, a dash, "on"/"in"/"for"/"updated"/"published", a date.
_NAMES_END = re.compile(
    r"\s*(?:[|•·⋅;:()\[\]]|\s[-–—]\s|[–—]|\b(?:on|in|for|at|updated|published|posted|last"
    r"|reviewed|fact[- ]checked|edited|photos?|images?|illustrations?|min(?:ute)?s?|read)\b)",
    re.IGNORECASE,
)


def _word_set(words: str) -> frozenset[str]:
    """A word list written as words, as it reads best."""
    return frozenset(words.split())


# Roles and credentials written after a name, cut at the comma or dash before them: a part
# naming one of these jobs is a role ("Local Reporter"), as is a run of credentials ("MS, RD").
_ROLE_WORDS = _word_set(
    "staff writer writers editor editors reporter reporters correspondent correspondents "
    "columnist contributor contributors producer journalist analyst expert specialist "
    "director manager founder ceo team desk editorial freelance md phd ph.d rd ms ma mba "
    "cfa cfp rn dr lcsw jd bsc msc mph "
)
_CONNECTOR = re.compile(r"\s*(?:,|&|\band\b)\s*", re.IGNORECASE)
# Words of menus, buttons and labels: a line holding one is not a person's name.
_NOT_NAME_WORDS = _word_set(
    "home news about contact us our we you your menu search login log sign subscribe share "
    "read more next previous back top blog articles article posts post comments comment "
    "reply privacy policy terms cookies cookie follow all latest popular trending related "
    "sponsored advertisement video videos photo photos image images gallery newsletter "
    "podcast podcasts categories category tags tag the of for and to in on with by a an is "
    "are how what why best guide tips new free get view show load skip close open print "
    "email facebook twitter instagram linkedin youtube pinterest tiktok whatsapp reddit "
    "copy link links account services service products product shop store cart careers help "
    "support faq resources team company group media press inc llc ltd editorial staff "
    "writer editor reviews review world politics business sports health science technology "
    "tech opinion culture travel style food life entertainment money markets economy "
    "education full bio page select join talk insights industry agencies agency coaching "
    "updates update tracker roundup solutions marketing software platform pricing plans "
    "features stories topics sections events event learn explore discover start today now "
    "here click download watch listen buy order tools tool library center centre local "
)
_NAME_PREFIXES = ("Mc", "Mac", "O'", "O’", "D'", "D’")
_NAME_PARTICLES = frozenset(("de", "van", "von", "der", "da", "di", "la", "le", "bin", "al", "del"))
_PORTRAIT = re.compile(
    r"^(?:(?:picture|photo|image|avatar|portrait|headshot)\s+of\s+)?(?P<name>.+?)"
    r"(?:\s+(?:photo|image|avatar|picture|headshot|profile|author))?$",
    re.IGNORECASE,
)
# What may follow a name on its line: a role after a comma or dash, an outlet after a bar.
_NAME_AFTER = re.compile(r",|\s[|/•·]\s|\s{2,}|\s[-–—]\s")
_PLACEHOLDERS = re.compile(r"\[[^\]]*\]")  # "[RM_headshot]Rebecca MacFarlane"
_DATE_FIRST_CHARS = 4
_SHORT_WORD = 5  # "Ness", "Vance": short names may end like nouns
_USER_NAME = re.compile(r"[a-z][a-z0-9_.-]{3,30}")
_WORDY = re.compile(r"[^\W\d_]{2}")
# Endings of common nouns that personal names hardly ever have.
_NOUN_ENDINGS = (
    "ment",
    "tion",
    "sion",
    "ics",
    "ing",
    "ity",
    "ness",
    "ogy",
    "ance",
    "ence",
    "ship",
    ".jpg",
    ".png",
    "logo",
)
_NAME_LINE_MAX_CHARS = 120  # a name with a role, an outlet and a date: no longer
NAME_MIN_WORDS = 2
NAME_MAX_WORDS = 4
_NAMES_MAX_CHARS = 80


def byline_in(text: str) -> str | None:
    """The author names a "By …" line gives, roles left out; None for other lines."""
    low = text.lower()
    if "by" not in low and "author" not in low and "words" not in low:
        return None  # the cheap test: most lines are no byline
    text = _PLACEHOLDERS.sub("", text)
    dates = find_dates(text)
    if dates and dates[0].start < _DATE_FIRST_CHARS:  # "October 11, 2023 by Autumn Huerter"
        text = text[dates[0].end :]
    match = _BYLINE.match(text)
    if match is None:
        return None
    rest = match.group("rest")
    dates = find_dates(rest)
    if dates:
        rest = rest[: dates[0].start]
    end = _NAMES_END.search(rest)
    names = rest[: end.start()] if end else rest
    return names_without_roles(names)


def names_without_roles(names: str) -> str | None:
    """The names of "Ann Lee, Staff Writer" or "Ann Lee and Bo Chan, Reporters", roles dropped."""
    names = names.strip(" ,.-–—")
    if not names or len(names) > _NAMES_MAX_CHARS:
        return None
    if not names[0].isupper():
        # A user name ("by jsteinhardt") is one token; lower-case words are a sentence.
        return names if _USER_NAME.fullmatch(names) else None
    kept: list[str] = []
    connectors: list[str] = []
    position = 0
    for connector in [*_CONNECTOR.finditer(names), None]:
        part = names[position : connector.start() if connector else len(names)].strip()
        # The first part is the byline itself even when it names a job ("Our Editors").
        if part and (not kept or not _is_role(part)):
            kept.append(part)
            connectors.append(connector.group() if connector else "")
        if connector is None:
            break
        position = connector.end()
    if not kept or not all(_reads_as_name(part) for part in kept):
        return None
    joined = kept[0]
    for previous, part in zip(connectors, kept[1:], strict=False):
        joined += (previous if previous.strip() else " and ") + part
    return joined


def _is_role(part: str) -> bool:
    words = part.replace(".", "").split()
    if len(words) == 1 and words[0].isupper():
        return True  # a credential: "FAND", "RN"
    return any(w.lower() in _ROLE_WORDS for w in words)


def _reads_as_name(part: str) -> bool:
    words = part.split()
    return 1 <= len(words) <= NAME_MAX_WORDS + 1 and words[0][0].isupper()


def is_name_word(word: str) -> bool:
    """A word of a personal name: capitalised with no capital inside (bar "McDonald",
    "O'Neil", "Jean-Luc", "Martínez-Beltrán"), all capitals, an initial, or a particle ("van").
    "BlogseBooksGuides" is menu entries glued together."""
    if word in _NAME_PARTICLES or word.isupper():
        return True
    for prefix in _NAME_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix):
            word = word[len(prefix) :]
            break
    return all(
        part[:1].isupper()
        and (part[1:].replace("'", "").replace("’", "").rstrip(".").islower() or len(part) <= 2)
        for part in word.split("-")
    )


def name_in(text: str) -> str | None:
    """The person a line names when it holds only a name (or a portrait caption, or a name and
    a date: "Tom Talbot October 14, 2025"); None for any other line."""
    if len(text) > _NAME_LINE_MAX_CHARS:
        return None
    dates = find_dates(text)
    if dates:  # "Tom Talbot October 14, 2025", "2025-12-17·Trond Teigen"
        before = text[: dates[0].start]
        text = before if _WORDY.search(before) else text[dates[-1].end :]
    text = _NAME_AFTER.split(_PLACEHOLDERS.sub("", text), maxsplit=1)[0]
    match = _PORTRAIT.match(text.strip(" ,.-–—|•·"))
    if match is None:
        return None
    name = match.group("name").strip()
    if name[-1:] in "!?:":
        return None
    words = name.split()
    if not NAME_MIN_WORDS <= len(words) <= NAME_MAX_WORDS:
        return None
    if any(w.lower().strip(".,'’") in _NOT_NAME_WORDS for w in words):
        return None
    if not all(is_name_word(w) for w in words) or any(ch.isdigit() for ch in name):
        return None
    if any(len(w) > _SHORT_WORD and w.lower().endswith(_NOUN_ENDINGS) for w in words):
        return None  # "Mobile App Development", "UX Analytics": a topic, not a person
    return name
