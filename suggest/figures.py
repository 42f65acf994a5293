"""Figure rules: a number with what it counts, found by anchored regexes around each number.

A figure is a number in digits or words together with its qualifier ("at least", "about"), its
currency and scale ("$1.5 billion"), its unit ("15 percent", "11 days of fighting") or its counted
noun ("34,535 Palestinians", "a dozen protesters"), ranges included ("10 to 15 percent"). Not
figures: a date that only stamps when something happened or was said (a date is a figure only
after a deadline or schedule cue: "by March 1", "will be held on June 5"), a year, a time of
day, a number inside a name ("resolution 2334", "COVID-19", "Channel 12"), an ordinal, and a
small number that points back to a set already named ("the two leaders").

Everything here is a linear scan over the numbers of the text: one regex finds candidate numbers,
and small regexes anchored at the candidate (`pattern.match(text, pos)`) look left and right, so a
200,000-character article takes a few milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from suggest.asides import aside_ranges, outside
from suggest.model import Suggestion, word_set
from suggest.scan import both_cases, find_watched, watch

_UNITS_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORD_NUMBER = (
    rf"(?:(?:{_TENS})(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|{_UNITS_WORDS})"
)
_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|mn|tn|m|k)"
_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion|lakh|lakhs|crore|crores)"
_ATTACHED_UNIT = r"(?:bn|mn|tn|m|k|km|kg|cm|mm|mph|kph|ha|gw|mw|kw|g|t|%)"

# A candidate number: digits (with thousands separators and decimals, maybe a unit written on
# them), a number in words, "a dozen", or "thousands of". The look-behind keeps out numbers glued
# to a word, a hyphen or a path ("COVID-19", "G7", "F-16", "t.co/4Tp", "#2").
_NUMBER = re.compile(
    rf"""
    (?<![\w.,/#@:-])
    (?:
        (?P<digits>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)(?:(?P<glued>{_ATTACHED_UNIT})(?![\w]))?
        (?![\w]|[.,]\d)
      | (?P<many>(?:tens\s+of\s+|hundreds\s+of\s+)?
          (?:thousands|millions|billions|hundreds|dozens|scores))
        (?=\s+of\b)
      | (?P<adozen>\b(?:half\s+a|an?|several|a\s+few)\s+
          (?:dozen|hundred|thousand|million|billion|half-dozen))\b
      | (?P<fraction>\b(?:an?|one|two|three|four)[-\s](?:quarters?|thirds?|fifths?|tenths?)
          |\bhalf)\b
      | (?P<bare>\b(?:hundreds|thousands|millions|dozens))
        (?=\s+(?:are|were|have|had|will|would|could|may|might|more|[a-z]+ed)\b)
      | (?P<words>\b{_WORD_NUMBER}(?:\s+(?:and\s+)?{_WORD_NUMBER})*(?:\s+dozen)?)\b
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE = re.compile(
    rf"""
    (?:(?:the\s+)?(?:end|middle|start|beginning)\s+of\s+)?
    (?:
        {_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?![\w])
      | \d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?(?![\w])
      | (?:(?:early|mid|late)[-\s])?{_MONTH}(?:\s+of)?\s+\d{{4}}(?![\w])
      | (?:(?:early|mid|late)[-\s])?(?:1[89]|20|21)\d\d(?:s)?(?![\w]|,\d)
      | \d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?![\w])
      | \d{{4}}-\d\d-\d\d(?![\w])
    )
    """,
    re.VERBOSE,
)
# A weekday or month is a figure only with a deadline cue, so only these are looked for.
_CUED_DAY = re.compile(rf"(?:next\s+)?{_WEEKDAY}|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:year|month)")
_DEADLINE_CUE = re.compile(
    r"""(?:\b(?:by|until|till|before|no\s+later\s+than|deadline(?:\s+(?:of|is|was))?:?
           |scheduled\s+(?:for|on|to\s+\w+\s+(?:on|in))|due\s+(?:on|in|by)|set\s+for
           |slated\s+for|expires?\s+(?:on|in)|takes?\s+effect\s+(?:on|in)|effective\s+from
           |will\s+(?:\w+\s+){0,3}(?:on|in)
           |(?:expected|set|planned|due|scheduled|slated)\s+to\s+(?:\w+\s+){1,3}(?:on|in|by)))
           \s+$""",
    re.VERBOSE | re.IGNORECASE,
)
_TIME_AFTER = re.compile(
    r"(?::\d\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT\b|UTC\b|o[’']clock\b|hrs\b|local\s+time\b))",
    re.IGNORECASE,
)

_CURRENCY_BEFORE = re.compile(
    r"(?:US\$|C\$|A\$|HK\$|\$|€|£|¥|₪|₹|৳|(?:USD|EUR|GBP|NIS|JPY|CNY|Rs\.?|INR|Tk\.?|Taka|"
    r"Rupees?|Naira|Rand|Dirhams?|Riyals?|Shekels?)\s?)$"
)
# Qualifiers written before a number, as the gold takes them ("at least 34,535 Palestinians").
# Qualifiers written before a number; "a total of", "another" and the like may come before one
# more ("a total of about 270"), but "over" never does ("over a period of 12 months" is a
# preposition before the figure).
_QUALIFIER_BEFORE = re.compile(
    r"""(?:\b(?:a\s+total\s+of|another|an\s+additional|a\s+further)\s+)?
       (?:\b(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|no\s+fewer\s+than
         |no\s+more\s+than|(?:just|well|slightly)\s+(?:over|under|above|below)|over|under
         |nearly|almost|about|around|approximately|roughly|some|up\s+to|as\s+(?:many|much|few)\s+as
         |close\s+to|upwards\s+of|in\s+excess\s+of|an\s+estimated|a\s+total\s+of
         |a\s+period\s+of|an\s+average\s+of|a\s+(?:maximum|minimum|record)\s+of|between
         |a\s+further|an\s+additional|another|several)\s+)$""",
    re.VERBOSE | re.IGNORECASE,
)
# The regexes above and below end at the number ("…$"): `search` would try them at every
# position of the window. The last word (or character) before the number decides first whether
# one can match at all, so most numbers cost a set look-up instead.
_QUALIFIER_LAST = word_set(
    """least most than over under above below nearly almost about around approximately roughly
    some to as of excess estimated between further additional another several"""
)
_CURRENCY_LAST = word_set(
    """usd eur gbp nis jpy cny rs rs. inr tk tk. taka rupee rupees naira rand dirham dirhams
    riyal riyals shekel shekels"""
)


def _last_word(before: str) -> str:
    words = before.rsplit(None, 1)
    return words[-1].lower() if words else ""


def _qualifier(before: str) -> re.Match[str] | None:
    if _last_word(before) not in _QUALIFIER_LAST:
        return None
    return _QUALIFIER_BEFORE.search(before)


def _currency(before: str) -> re.Match[str] | None:
    if not before:
        return None
    if before[-1] not in "$€£¥₪₹৳" and _last_word(before) not in _CURRENCY_LAST:
        return None
    return _CURRENCY_BEFORE.search(before)


_NOT_A_COUNT_BEFORE = re.compile(r"\b(?:any|each|every|no|that|this|the|which)\s+$", re.IGNORECASE)
_ANAPHORA_BEFORE = re.compile(
    r"\b(?:the|these|those|both|its|their|his|her|our|all|other|last|first|next)\s+$",
    re.IGNORECASE,
)
# A capitalised word right before digits names them ("Resolution 2334", "Channel 12") unless it
# is a sentence-initial function word or qualifier; lowercase name-makers count too.
_NAME_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(“\"'‘]))([A-Z][\w.’'-]*|[a-z]+\.?)[^\S\n]\Z")
_NAME_MAKERS = word_set(
    "resolution resolutions article articles section sections chapter chapters number no. nos. "
    "flight route channel room page p. pp. vol. volume grade level phase stage version episode "
    "season game highway road street gate platform unit bus line building block sector lot "
    "item paragraph clause rule amendment bill act law decree order case file code model type "
    "series class tier category category size number# district ward zone precinct exit"
)
_CAPITALISED_NOT_NAMES = word_set(
    "About Around Some Nearly Almost Over Under More Less Fewer Only Just At In On By Since "
    "Until From To For With Of And Or But The A An Approximately Roughly Up Than Between "
    "Another Another Of Each Every All Those These Their His Her Its Our Your My Some That "
    "Which When While After Before During Whereas If As Estimated Total Nearly Almost Still "
    "Also Even Then Now Today Yesterday Another Further Additional Least Most"
)
_DATE_WORDS_BEFORE = re.compile(rf"(?:{_MONTH}|{_WEEKDAY})\s+$")
_DATE_WORDS = word_set(
    """january february march april may june july august september october november december
    jan jan. feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept. oct oct.
    nov nov. dec dec. monday tuesday wednesday thursday friday saturday sunday"""
)

_RANGE = re.compile(
    rf"""\s*(?:-|–|—|\bto\b|\band\b|\bor\b)\s*(?:US\$|\$|€|£|¥|₪)?
    (?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?(?![\w]|[.,]\d)|{_WORD_NUMBER}\b)""",
    re.VERBOSE | re.IGNORECASE,
)
_OR_SO = re.compile(r"\s+(?:or\s+so|or\s+more|or\s+fewer|or\s+less|and\s+more)\b|\+", re.IGNORECASE)
_AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)
_SCALE_AFTER = re.compile(rf"(?:\s+(?:{_SCALE_WORD})\b|\s*(?:bn|mn|tn)\b)+", re.IGNORECASE)
_SCALE_AFTER_DIGITS = re.compile(rf"(?:\s+{_SCALE_WORD}\b|\s*(?:bn|mn|tn|m|k)\b)+", re.IGNORECASE)

_TIME_UNITS = (
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century|nights?"
    r"|quarters?|semesters?|terms?)"
)
_MEASURE_UNITS = (
    r"(?:percentage\s+points?|points?|per\s*cent|percent|(?:square\s+)?(?:kilomet(?:re|er)s?|"
    r"miles?|met(?:re|er)s?|feet|foot|inches|inch|centimet(?:re|er)s?|millimet(?:re|er)s?)|"
    r"km2?|sq\s+km|acres?|hectares?|dunams?|tons?|tonnes?|kilograms?|kg|grams?|pounds?|ounces?|"
    r"litres?|liters?|gallons?|barrels?|degrees?(?:\s+(?:Celsius|Fahrenheit))?|calories|megawatts?|gigawatts?|kilowatts?|"
    r"votes?|seats?)"
)
_MONEY_UNITS = (
    r"(?:dollars?|euros?|pounds\s+sterling|yuan|renminbi|yen|rupees?|shekels?|riyals?|dirhams?|"
    r"lira|liras|rubles?|roubles?|francs?|pesos?|won|naira|rand|dinars?|cents?|pence)"
)
_UNIT_AFTER = re.compile(
    rf"\s?(?P<sign>%)|\s*(?:(?P<time>{_TIME_UNITS})|(?P<measure>{_MEASURE_UNITS})"
    rf"|(?P<money>{_MONEY_UNITS}))\b",
    re.IGNORECASE,
)
# "1.5 degrees Celsius to 2 degrees Celsius": a range written with its unit on both ends.
_UNIT_RANGE = re.compile(r"\s*(?:-|–|to)\s*\d+(?:\.\d+)?(?![\w]|[.,]\d)", re.IGNORECASE)
# "212-678-3595", "978-0-13": a phone number or a code, not a quantity.
_CODE_AFTER = re.compile(r"-\d+-\d")
# "1-to-1 or 2-to-1 student-to-tutor ratios"
_RATIO = re.compile(r"-to-\d+(?:\s+or\s+\d+-to-\d+)?(?![\w-])")
_PERCENT_SIGN = re.compile(r"\s?%")
_HYPHEN_UNIT = re.compile(
    r"-(?:year-old|years?-old|month-old|week-old|day-old|"
    r"(?:day|week|month|year|hour|minute|second|decade|kilomet(?:re|er)|mile|met(?:re|er)|"
    r"point|member|percent|storey|story|mile|acre|ton|tonne|seat)(?:s)?)\b"
    r"(?:\s+(?P<noun>(?-i:[a-z][a-z-]*)))?",
    re.IGNORECASE,
)
_RATE_AFTER = re.compile(
    r"\s+(?:(?:a|per|each|every)\s+(?:day|week|month|year|hour|capita|person|head|annum)\b"
    r"|per\s+(?!(?:the|a|an|cent)\b)[a-z]+\b)",
    re.IGNORECASE,
)
_OF_AFTER = re.compile(r"\s+of\s+(?P<word>[A-Za-z][\w’'-]*)(?:\s+(?P<word2>[a-z][\w’'-]*))?")
# "of" and what a plural or a unit counts ("tonnes of vegetables", "thousands of Hamas members"),
# not "of the …" (a part of a set named elsewhere).
_OF_PHRASE = re.compile(
    r"\s+of\s+(?!(?:the|a|an|their|its|his|her|them|these|those|whom|which|this|that|our|"
    r"your|my|it|us|all|each|both)\b)(?:(?:[A-Z][\w’'-]*|[a-z][\w’'-]*)\s+)?"
    r"(?!(?:and|or|in|on|at|to|for|from|by|with|was|were|is|are|have|has|had)\b)[a-z][\w’'-]*"
)
# One space, or one line break: a counted noun never runs across a blank line (a heading's
# "40 Deals" is not counted by the next paragraph's first word).
_GAP = r"(?=\s)[^\S\n]*\n?[^\S\n]*"
_WORD_AFTER = re.compile(_GAP + r"(?P<word>[A-Za-z][\w’'-]*)")
_AND_PLURAL_AFTER = re.compile(r"\s+(?:and|or)\s+(?P<word>[a-z][\w’'-]*s)\b")
_TITLE_CASE_AFTER = re.compile(r"\s+(?:On|Of|In|At|The|And|For|To|By|Your|My|Our|Is|A)\s+[A-Z]")
_NAME_LIST = re.compile(r"(?:\s*(?:,|\band\b|\bor\b|&)\s*\d+(?![\w]))+")
_LINE_NUMBERING = re.compile(r"(?:^|\n)[ \t]*$")
_NUMBERING_AFTER = re.compile(r"[.)]\s")

# Words that end a counted noun: function words, auxiliaries and verbs of report, adverbs.
_NOT_NOUNS = word_set(
    """a an the this that these those its their his her our your my of in on at to from for by
    with without into onto over under about above below after before since until during between
    among against across through throughout within per than as and or but nor so yet if when
    while where whereas because although though which who whom whose what why how not no
    is are was were be been being am has have had having do does did will would shall should
    can could may might must said says say told tell reported according added more less most
    least very also only just even still already now then there here it he she they we you i
    me him them us out up down off again ago each every all both some any other another such
    same own than too via vs amid including despite toward towards upon around near like unlike
    have remain remained remains died die dies fled flee left leave live lived living were
    reportedly respectively total overall altogether who've annually daily weekly monthly
    yearly dead alive"""
)
_CASUALTY_WORDS = word_set(
    "wounded injured killed dead displaced detained arrested missing abducted kidnapped "
    "captured imprisoned evacuated infected hospitalised hospitalized"
)
_MAX_NOUN_WORDS = 4


def figure_suggestions(text: str) -> list[Suggestion]:
    """Every figure the rules find in `text`, in text order, none overlapping."""
    found: list[Suggestion] = []
    given: set[str] = set()
    last_end = 0
    for position in _candidates(text):
        if position < last_end:
            continue
        match = _NUMBER.match(text, position)
        if match is None:
            continue
        date = _date_at(text, match) if match.group("digits") else None
        if date is not None:
            start, end = date
            if start >= last_end and _deadline_before(text, start):
                found.append(Suggestion(start, end, "figure", text[start:end], "deadline"))
            last_end = max(last_end, end)
            continue
        if match.group("digits") and _is_name_number(text, match.start(), match.end()):
            # "resolutions 181 and 2334": every number of the list belongs to the name.
            listed = _NAME_LIST.match(text, match.end())
            last_end = listed.end() if listed else match.end()
            continue
        span = _figure_at(text, match)
        if span is not None:
            number = match.group("digits")
            if (
                number is not None
                and number in given
                and _THE_END.search(text, position - 4, position)
            ):
                last_end = span.end  # "of the 20,000 students": the figure given before
                continue
            if number is not None:
                given.add(number)
            found.append(span)
            last_end = span.end
    for start, end in _cued_days(text):
        if not any(span.start < end and start < span.end for span in found):
            found.append(Suggestion(start, end, "figure", text[start:end], "deadline"))
    asides = aside_ranges(text)
    if asides:
        found = [span for span in found if outside(asides, span.start)]
    found.sort()
    return found


_DIGIT_RUN = re.compile(r"\d+")
_NUMBER_WORDS = tuple(
    word_set(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
        "thousands millions billions hundreds dozens scores tens dozen hundred thousand million "
        "billion half-dozen half quarter quarters third thirds fifth fifths tenth tenths"
    )
)
_NUMBER_WORD_CASES = both_cases(_NUMBER_WORDS)
watch(_NUMBER_WORD_CASES)
_A_WORDS = frozenset(
    ("dozen", "hundred", "thousand", "million", "billion", "half-dozen", "quarter", "third")
    + ("fifth", "tenth")
)
# What may stand before "dozen", "hundred"… as part of the number ("half a dozen", "several
# hundred", "a few thousand"), or before a fraction ("a quarter").
_A_BEFORE = re.compile(r"(?:\bhalf\s+a|\ba\s+few|\bseveral|\ban?)\s$", re.IGNORECASE)


def _candidates(text: str) -> list[int]:
    """Where a number may start: the first digit of each digit run that is not the tail of a
    longer number, and each number word (from the rules' shared word scan, suggest.scan)."""
    positions = []
    for run in _DIGIT_RUN.finditer(text):
        start = run.start()
        if start >= 2 and text[start - 1] in ",." and text[start - 2].isdigit():
            continue
        positions.append(start)
    for index, _end, word in find_watched(text, _NUMBER_WORD_CASES):
        if word.lower() in _A_WORDS:
            article = _A_BEFORE.search(text, max(0, index - 8), index)
            if article is not None:
                positions.append(article.start())  # "a dozen", "a million"
                continue
        positions.append(index)
    positions.sort()
    return positions


_THE_END = re.compile(r"\bthe\s+$", re.IGNORECASE)
_MONTH_BEFORE = re.compile(rf"{_MONTH}\s+$")
_DATE_PREFIX = re.compile(
    r"(?:(?:the\s+)?(?:end|middle|start|beginning)\s+of\s+|(?:early|mid|late)[-\s]"
    r"|(?:first|second|third|fourth|last)\s+quarter\s+of\s+|(?:first|second)\s+half\s+of\s+)$",
    re.IGNORECASE,
)


def _date_at(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The date a number belongs to ("April 30, 2024", "7 October", "2014"), or None."""
    start = match.start()
    month = (
        _MONTH_BEFORE.search(text, max(0, start - 12), start)
        if _last_word(text[max(0, start - 12) : start]) in _DATE_WORDS
        else None
    )
    if month is not None:
        start = month.start()
    date = _DATE.match(text, start)
    if date is None or date.end() < match.end("digits"):
        return None
    prefix = _DATE_PREFIX.search(text, max(0, start - 24), start)
    return (prefix.start() if prefix else start), date.end()


def _cued_days(text: str) -> Iterator[tuple[int, int]]:
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        index = text.find(day)
        while index != -1:
            if _deadline_before(text, index):
                yield index, index + len(day)
            index = text.find(day, index + len(day))


_DEADLINE_HINTS = (
    "by",
    "til",
    "before",
    "later",
    "eadline",
    "chedule",
    "due",
    "set",
    "slated",
    "xpire",
    "effect",
    "will",
    "xpected",
    "planned",
)


def _deadline_before(text: str, start: int) -> bool:
    window = text[max(0, start - 44) : start]
    if not any(hint in window for hint in _DEADLINE_HINTS):
        return False  # no cue word at all: spare the regex its try at every position
    window = _THE_END.sub("", window)
    window = re.sub(r"\b(?:on|in)\s+$", "", window) if not _DEADLINE_CUE.search(window) else window
    return _DEADLINE_CUE.search(window) is not None


def _figure_at(text: str, match: re.Match[str]) -> Suggestion | None:
    """The figure around one candidate number, or None when the number is not a figure."""
    start, end = match.span()
    before = text[max(0, start - 40) : start]
    if match.group("fraction") or match.group("bare"):
        return _share_or_crowd(text, match, before)
    digits = match.group("digits")
    words = match.group("words")
    if match.group("adozen"):
        start = match.start("adozen")
    if digits is not None:
        if _TIME_AFTER.match(text, end) or _CODE_AFTER.match(text, end):
            return None
        if _NUMBERING_AFTER.match(text, end) and _LINE_NUMBERING.search(before):
            return None
        if _last_word(before) in _DATE_WORDS and _DATE_WORDS_BEFORE.search(before):
            return None
        looks_like_year = (
            len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2100
        ) and not match.group("glued")
    else:
        looks_like_year = False
    small_word = words is not None or (
        digits is not None and digits.isdigit() and int(digits) < 100
    )
    points_back = small_word and _ANAPHORA_BEFORE.search(before) is not None
    qualifier = _qualifier(before)
    currency = _currency(before) if digits is not None else None
    if currency is not None:
        start -= len(currency.group())
        qualifier = _qualifier(text[max(0, start - 40) : start])
    ratio = _RATIO.match(text, end) if digits is not None else None
    if ratio is not None:
        end = ratio.end()
        looks_like_year = False
    # Ranges: "10 to 15", "10-15", "between 10 and 15", "two or three".
    range_match = _RANGE.match(text, end) if ratio is None else None
    if range_match is not None:
        connector = range_match.group().strip().split()[0].lower() if range_match else ""
        allowed = connector not in ("and",) or (
            qualifier is not None and qualifier.group().lower().startswith("between")
        )
        if connector.startswith(("and", "or")) and digits is not None and looks_like_year:
            allowed = False
        if allowed:
            end = range_match.end()
            looks_like_year = False
    more = _OR_SO.match(text, end)
    if more is not None:
        end = more.end()
    half = _AND_A_HALF.match(text, end)
    if half is not None:
        end = half.end()
    has_scale = False
    scale_pattern = _SCALE_AFTER_DIGITS if digits is not None else _SCALE_AFTER
    scale = scale_pattern.match(text, end)
    if scale is not None and not match.group("glued"):
        end = scale.end()
        has_scale = True
        looks_like_year = False
    counted = False
    unit_kind = None
    if match.group("glued"):
        unit_kind = "measure" if match.group("glued") == "%" else None
        has_scale = unit_kind is None
        counted = unit_kind is not None
    unit = _UNIT_AFTER.match(text, end) if unit_kind is None else None
    if unit is not None:
        end = unit.end()
        unit_kind = "measure" if unit.lastgroup == "sign" else unit.lastgroup
        counted = True
        upper = _UNIT_RANGE.match(text, end)
        again = _UNIT_AFTER.match(text, upper.end()) if upper is not None else None
        if again is not None and again.lastgroup == unit.lastgroup:
            end = again.end()
    hyphen = _HYPHEN_UNIT.match(text, end) if unit is None else None
    if hyphen is not None:
        end = hyphen.end() if _is_noun(hyphen.group("noun")) else hyphen.start("noun") - 1
        if hyphen.group("noun") is None:
            end = hyphen.end()
        counted = True
        unit_kind = "hyphen"
    if match.group("many"):
        of = _OF_PHRASE.match(text, end)
        if of is None:
            return None
        if match.group("many").lower() == "scores" and _noun_before(before):
            return None  # "test scores of tutored students": a noun, not a number
        last = _LAST_WORD.search(text, of.start(), of.end())
        if last is not None and last.group().lower() in _NOT_NOUNS and last.start() > of.start():
            of_end = text.rfind(" ", of.start(), last.start())
            end = of_end if of_end > of.start() + 3 else of.end()  # "of people died"
        else:
            end = of.end()
        counted = True
    elif unit_kind == "time":
        of = _OF_AFTER.match(text, end)
        if (
            of is not None
            and of.group("word")[0].islower()
            and (_is_noun(of.group("word")) or of.group("word").endswith("ing"))
        ):
            end = of.end("word")
    elif not counted and not (has_scale and currency is not None):
        end, counted = _counted_noun(text, end)
        if counted and text[end - 1] == "s":
            of = _OF_PHRASE.match(text, end)  # "16 decimals of land"
            end = of.end() if of is not None else end
    elif (
        unit_kind == "measure"
        and "%" not in text[match.start() : end]
        and not re.search("cent|point", text[match.start() : end], re.IGNORECASE)
    ):
        of = _OF_PHRASE.match(text, end)  # "2.5 lakh tonnes of vegetables"
        end = of.end() if of is not None else end
    if counted or unit_kind is not None or currency is not None:
        rate = _RATE_AFTER.match(text, end)
        while rate is not None:  # "$4,000 a year per student"
            end = rate.end()
            rate = _RATE_AFTER.match(text, end)
    if points_back and unit_kind is None and not has_scale:
        return None  # "the two leaders": a set already named, not a quantity
    if looks_like_year and not (counted and qualifier is not None):
        return None
    if words is not None and not (counted or has_scale):
        return None
    if (
        words is not None
        and re.fullmatch(r"one", words, re.IGNORECASE)
        and (not (has_scale or unit_kind is not None) or _NOT_A_COUNT_BEFORE.search(before))
    ):
        return None  # "one of them", "any one year": not a quantity
    if qualifier is not None:
        start -= len(qualifier.group())
    rule = "money" if (currency is not None or unit_kind == "money") else "number"
    if unit_kind == "measure" and re.search(r"%|cent", text[match.start() : end], re.IGNORECASE):
        rule = "percent"
    return Suggestion(start, end, "figure", text[start:end], rule)


_WORD_BEFORE = re.compile(r"\b([a-z]+)\s+$")
_LAST_WORD = re.compile(r"[A-Za-z][\w’'-]*$")


def _noun_before(before: str) -> bool:
    word = _WORD_BEFORE.search(before)
    return word is not None and _is_noun(word.group(1)) and not word.group(1).endswith("ed")


_OF_NEXT = re.compile(r"\s+of\b")
_ORDINAL_BEFORE = re.compile(r"\b(?:first|second|third|fourth|final|last|next|the)\s+$", re.I)


def _share_or_crowd(text: str, match: re.Match[str], before: str) -> Suggestion | None:
    """A fraction ("roughly a quarter", "more than three-quarters of") or a crowd that is the
    subject of a verb ("hundreds were arrested"). A fraction needs a qualifier or an "of" after
    it: "a quarter" alone is as often a coin or a district, and "the second half" a time."""
    start, end = match.span()
    qualifier = _qualifier(before)
    if match.group("fraction"):
        if _ORDINAL_BEFORE.search(before) or _NOT_A_COUNT_BEFORE.search(before):
            return None
        if qualifier is None and _OF_NEXT.match(text, end) is None:
            return None
    if qualifier is not None:
        start -= len(qualifier.group())
    return Suggestion(start, end, "figure", text[start:end], "number")


def _is_name_number(text: str, start: int, end: int) -> bool:
    """Whether the words around a number make it part of a name: the word before ("Resolution
    2334", "Channel 12", "ABC 7") or a capitalised function word after ("7 On Your Side")."""
    if _TITLE_CASE_AFTER.match(text, end):
        return True
    if _currency(text[max(0, start - 10) : start]):
        return False  # "Taka 8,500" is money, not a name
    word_match = _NAME_WORD_BEFORE.search(text, max(0, start - 30), start)
    if word_match is None:
        return False
    word = word_match.group(1)
    if word.lower() in _NAME_MAKERS:
        return True
    if not word[0].isupper() or word in _CAPITALISED_NOT_NAMES:
        return False
    # A possessive ("Gaza's 2.3 million") or a currency code is not a name.
    return not word.endswith(("'s", "’s", "s'", "s’"))


def _is_noun(word: str | None) -> bool:
    if not word:
        return False
    lower = word.lower()
    return lower not in _NOT_NOUNS and not lower.endswith("ly") and not lower.endswith("ing")


def _counted_noun(text: str, end: int) -> tuple[int, bool]:
    """Extend over the noun a bare number counts ("3,000 Fatah security officers"); returns the
    new end and whether a noun was found."""
    taken = 0
    position = end
    last_plural = False
    while taken < _MAX_NOUN_WORDS:
        word_match = _WORD_AFTER.match(text, position)
        if word_match is None:
            break
        word = word_match.group("word")
        lower = word.lower()
        if lower in _CASUALTY_WORDS:
            if taken == 0:
                position = word_match.end()
                taken += 1
            break
        if not _is_noun(word) or (taken > 0 and lower.endswith("ed")):
            break
        if taken == 0 and lower.endswith("ed"):
            # "3,000 armed men": a participle first only when a noun follows it.
            follow = _WORD_AFTER.match(text, word_match.end())
            if follow is None or not _is_noun(follow.group("word")):
                break
        position = word_match.end()
        taken += 1
        last_plural = lower.endswith("s") and not lower.endswith("ss")
        if last_plural:
            more = _AND_PLURAL_AFTER.match(text, position)
            if more is not None and _is_noun(more.group("word")):
                position = more.end()
            break
    if taken and not last_plural:
        # A singular word after a bare number is often the start of something else ("5 Hamas
        # leaders" is fine, "in 2019 Hamas" is a year): keep it only when it ends in a noun shape.
        final = text[end:position].split()[-1]
        if final[0].isupper() and taken == 1:
            return end, False
    return position, taken > 0
