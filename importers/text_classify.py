"""Which logical lines of a scrape are the article: a per-line score and the best-scoring run.

Plain text has no markup and no links, so the evidence is the text itself. Article prose is made of
sentences: many words, most of them not capitalised, ending in sentence punctuation. Menus,
tickers, headline lists and footers are short, title-cased, repeated, crowded into one block, or
say what they are ("Subscribe", "All rights reserved"). Each line gets a score (positive for
prose, negative for the rest) and the article is the contiguous run with the highest total: it is
usually one region of prose. The run is then widened to prose islands that only unmarked filler
(data cards, credits) separates from it, but never past a comment-section header or a boilerplate
marker; inside it, furniture lines and the headlines under a "Related" header are dropped again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import NamedTuple

from importers.text_bylines import name_in
from importers.text_furniture import without_closing_sections, without_page_furniture
from importers.text_lines import Line, lines_containing

_SENTENCE_END_CHARS = frozenset('.!?…:;"”’)»。！？')

# Phrases that mark page furniture. "Marker" phrases condemn a line of up to _MARKER_MAX_WORDS
# words (copyright lines and sign-up pitches run long) and stop the article from being extended
# past them; "label" phrases only condemn a short line, since words such as "share", "related"
# or "newsletter" also occur in article sentences.
_MARKER = re.compile(
    r"all rights reserved|©|copyright ?(?:\(c\)|\d{4})|privacy (?:policy|notice|settings)"
    r"|terms (?:of|and) (?:use|service|conditions)|enable javascript|javascript is disabled"
    r"|your browser (?:does not|doesn.t|is not)|skip to (?:main )?content"
    r"|already (?:a member|have an account)"
    r"|already signed up|subscribe (?:now|today|to (?:our|the)|for)|sign up (?:for|to) (?:our|the)"
    r"|(?:get|join) (?:our|the) newsletter|click (?:here|the|to)\b|follow (?:us|topics)"
    r"|don.t miss (?:a|out|any)|advertise with us|\bad blocker|^\W*end of (?:article|story)\W*$"
)
# Every _MARKER phrase contains one of these: found with str.find before any regex runs.
_MARKER_ANCHORS = (
    "reserved", "©", "copyright", "privacy", "terms ", "javascript", "browser", "skip to",
    "already", "subscribe", "sign up", "newsletter", "click", "follow", "miss", "advertise",
    "blocker", "end of",
)  # fmt: skip
_LABEL = re.compile(
    r"^\W*(?:share|related|most (?:read|popular|viewed|shared)|read (?:more|next|also)|follow"
    r"|reply|tags?|topics?|categor(?:y|ies)|print|e-?mail|menu|search|close|back to top|loading"
    r"|listen|watch|see (?:also|more)|more (?:from|stories|news)|recommended|trending|previous"
    r"|next|home|advertisement|sponsored|show (?:more|less)|log ?(?:in|out)|sign (?:in|up|out)"
    r"|subscribe|newsletter|register|credit|source|photo|image|video|skip)\b"
)
# Boxes of links to other stories: the headlines after such a header are not the article.
_TEASER_HEADER = re.compile(
    r"^\W*(?:related|more (?:on|from|about|stories|news|articles)|see also|read (?:more|next|also)"
    r"|also read|most (?:read|popular|viewed|shared)|recommended|trending|popular|you (?:may|might)"
    r" (?:also )?like|latest|further reading|up next|editor.s picks?)\b"
)
# An upper-case label and colon before a headline: "LISTEN: ...", "WATCH: ...", "READ MORE: ...".
_PROMO = re.compile(r"^\W*[A-Z]{2,}(?: [A-Z]{2,})*:\s")
_TEASER_MAX_WORDS = 20
# A cookie or consent notice is condemned up to _COOKIE_MAX_WORDS: it is prose, but never the
# article.
_COOKIE_NOTICE = re.compile(
    r"\bcookies?\b.*\b(?:website|site|browser|experience|consent|accept|privacy|preferences)\b"
    r"|\b(?:website|site|we|partners)\b.*\bcookies?\b"
)
# Disclosures and disclaimers the site prints on every article: affiliate commissions, "for
# informational purposes only". Prose, but the page's, not the article's; condemned up to
# _COOKIE_MAX_WORDS like a consent notice.
_DISCLOSURE = re.compile(
    r"\b(?:we|i) (?:may |might |could )?(?:earn|receive|get) (?:a |an )?(?:small )?(?:affiliate )?"
    r"commission|\b(?:contains?|uses?|includes?) (?:some )?affiliate links"
    r"|\bfor (?:general )?(?:informational|information|educational) purposes only"
    r"|\bnot intended (?:to|as) (?:replace|constitute|be a substitute)|reader-supported"
)
# Every cookie notice and disclosure above holds one of these words, and every comment-section
# header below one of those: a line holding none is not tested with their regexes.
_NOTICE_ANCHORS = (
    "cookie", "commission", "affiliate", "purposes only", "not intended", "reader-supported",
)  # fmt: skip
_COMMENTS_ANCHORS = ("comment", "respons", "repl", "thought", "review", "join the")
# Headers that open a comment section: nothing after them is the article
# ("Comments", "59 Comments on “…”", "3 thoughts on “…”", "Leave a Reply"), not a line that
# merely starts with the word ("Comment engagement score").
_COMMENTS_HEADER = re.compile(
    r"\W*(?:(?:(?:\d[\d,]*|one|no)\s+)?(?:reader\s+)?(?:comments?|responses?|replies)"
    r"(?:\s*\(\d+\))?(?:\s+(?:on|to)\b.*|\W*$)"
    r"|(?:\d[\d,]*|one)\s+thoughts? on\b"
    r"|(?:leave|post|add|write) a (?:reply|comment|review)\b|join the (?:discussion|conversation)"
    r"|(?:post\s+)?(?:load|show|view|see|read)\s+(?:all\s+|earlier\s+|more\s+|older\s+)?"
    r"(?:\d[\d,]*\s+)?comments\b)"
)
# Comment and listing metadata: "John says:", "Reply", "December 18, 2025, 9:46 pm", "3 hours ago".
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_META_LINE = re.compile(r"\W*(?:reply|report|like|quote)\W*")
_AUTHOR_SAYS = (" says", " said", " wrote", " writes")
# A comment thread is a run of such author lines: this many within _THREAD_LINES lines.
_THREAD_AUTHORS = 3
_THREAD_LINES = 60
_AUTHOR_LINE_CHARS = 60
_META_DATE = re.compile(
    rf"\b\d+\s+\w+\s+ago\b|\b\d{{1,2}}:\d{{2}}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
)
_DIGIT = re.compile(r"\d")
_BOX_DRAWING = re.compile("[\u2500-\u257f]")
_HAS_WORD = re.compile(r"\w")
# Image and form placeholders a text browser prints: "[svg]", "[photo_1160]", "[          ]".
_PLACEHOLDER = re.compile(r"^\W*\[[^\]]*\]\W*$")

_MARKER_MAX_WORDS = 25
# An author box: its label, and how near below the name the biography starts.
_AUTHOR_BOX_LABEL = re.compile(r"^\W*(?:written by|about the author|author|meet the author)\W*$")
_BIO_REACH = 3
# A biography speaks of a person (a product description starting with its name does not).
_BIO_WORDS = re.compile(
    r"\b(?:he|she|his|her|they|their|writer|author|editor|journalist|i'm|i am)\b"
)
_BOX_TAIL_SHARE = 0.25
_BIO_MIN_WORDS = 8
_NAME_LINE_MAX_WORDS = 8
# A form button as a text browser labels it: the line is a control, not text to read.
_BUTTON = "(BUTTON)"
_COOKIE_MAX_WORDS = 80  # consent banners run long, but not to article length
_LABEL_MAX_WORDS = 4
_META_MAX_WORDS = 10
_PROSE_MIN_WORDS = 10
# Fewer distinct words than this share: a word repeated ("#alternate alternate …"), not prose.
_DISTINCT_SHARE = 0.3
_UNSPACED_CHARS_PER_WORD = 12  # longer "words" than this mean a script written without spaces

LINE_COST = 2.0  # every line must earn its place
CAPITALISED_COST = 0.6  # per capitalised word: menus and headline lists are title-cased
SENTENCE_BONUS = 2.0
BOILERPLATE_COST = 20.0
META_COST = 4.0
REPEAT_COST = 5.0
COMMENTS_COST = 60.0
FIRST_ZONE_SHARE = 0.15
ARTICLE_ENOUGH = 100.0  # a run this heavy before the comments is an article, however long they run
ISLAND_SEED = 8.0  # a line this good starts a prose island
ISLAND_MIN = 20.0
MAX_GAP_LINES = 40
SPACED_PAGE_SHARE = 0.6
PACKED_BLOCK_LINES = 3
PACKED_CREDIT = 0.5
HEADLINE_RUN_LINES = 4
HEADLINE_MAX_WORDS = 30  # longer unfinished lines are prose that lost its full stop
UNFINISHED_CREDIT = 0.8


class LineEvidence(NamedTuple):
    """What one logical line looks like, as far as telling article from furniture goes."""

    words: int
    lower: int  # words after the first that are not capitalised: sentences have many
    phrase: bool  # some word is not capitalised: running text, not a title-cased menu entry
    capitalised: int
    sentence_end: bool
    boilerplate: bool
    marker: bool  # a strong boilerplate phrase: the page's own furniture says what it is
    meta: bool
    comments_header: bool
    teaser_header: bool
    placeholder: bool
    wordless: bool  # rules and ornaments ("━━━━", "* * *"): nothing to read
    repeated: bool
    tokens: int  # whitespace-separated words as written (`words` estimates unspaced scripts)


# ASCII capitals and letters, as bytes: str.isupper / str.isalpha on an ASCII character.
_ASCII_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LETTERS = _ASCII_CAPITALS + _ASCII_CAPITALS.lower()


def word_shape(text: str) -> tuple[int, int, int, int]:
    """What `text`'s whitespace-separated words say (close enough to words, cheaper than a
    regex): how many (tokens), how many after the first read as running text (lower-case, or in
    a script without case), how many start with a capital, and how many differ."""
    words = text.split()
    initials = "".join([w[0] for w in words])
    if initials.isascii():
        # Counting by deleting the characters counted (in C) costs a fraction of one Python-level
        # test per word; most lines are ASCII.
        raw = initials.encode()
        capitalised = len(raw) - len(raw.translate(None, _ASCII_CAPITALS))
        letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    else:
        capitalised = sum(map(str.isupper, initials))
        letters = sum(map(str.isalpha, initials))
    running = letters - capitalised
    if initials and initials[0].isalpha() and not initials[0].isupper():
        running -= 1  # the first word's case says nothing: a sentence starts with a capital
    # A set only where the count may be high enough for the repetition test to apply (unspaced
    # scripts are counted by characters later, so theirs may be).
    if len(words) >= _PROSE_MIN_WORDS or not text.isascii():
        distinct = len(set(words))
    else:
        distinct = len(words)
    return len(words), running, capitalised, distinct


def marker_lines(lows: list[str]) -> set[int]:
    """Lines holding a _MARKER phrase (indices).

    Most lines hold none of the anchor words, so the page is searched for those first (plain
    substring search is cheap) and the regex runs only on the lines where one was found.
    """
    starts = list(accumulate((len(low) + 1 for low in lows), initial=0))
    page = "\n".join(lows)
    return {i for i in lines_containing(page, starts, _MARKER_ANCHORS) if _MARKER.search(lows[i])}


def line_evidence(
    text: str,
    low: str,
    repeats: int,
    has_marker: bool,
    *,
    notice_words: bool = True,
    comment_words: bool = True,
) -> LineEvidence:
    """Measure one line (`low` is its lower-case text, `repeats` how often the page holds it).

    `has_marker`: the line holds a _MARKER phrase. `notice_words` / `comment_words`: it holds one
    of _NOTICE_ANCHORS / _COMMENTS_ANCHORS (False: it cannot be a notice / a comments header).
    """
    count, running, capitalised, distinct = word_shape(text)
    tokens = count
    if not text.isascii() and len(text) > _UNSPACED_CHARS_PER_WORD * count:
        # Chinese, Japanese, Thai: no spaces between words, so count characters instead.
        count = running = len(text) // _UNSPACED_CHARS_PER_WORD
    marker = (count <= _MARKER_MAX_WORDS and has_marker) or (
        notice_words
        and count <= _COOKIE_MAX_WORDS
        and (("cookie" in low and _COOKIE_NOTICE.search(low) is not None) or _is_disclosure(low))
    )
    sentence_end = text[-1:] in _SENTENCE_END_CHARS
    short = count <= _LABEL_MAX_WORDS
    boilerplate = (
        marker
        or (count <= _MARKER_MAX_WORDS and _BUTTON in text)
        or (short and _LABEL.match(low) is not None)
        or (
            count <= _TEASER_MAX_WORDS
            and not sentence_end
            and ":" in text  # every promotion label ends with one: most lines need no regex
            and _PROMO.match(text) is not None
        )
    )
    first = text[0]
    # The tuple is built directly: a NamedTuple's own __new__ is a Python function, one more call
    # per line of every page.
    fields = (
        count,
        running,
        running > 0 or (count > 0 and not capitalised),
        capitalised,
        sentence_end,
        boilerplate,
        marker,
        count <= _META_MAX_WORDS and _is_meta(low),
        comment_words and count <= _MARKER_MAX_WORDS and _COMMENTS_HEADER.match(low) is not None,
        short and _TEASER_HEADER.match(low) is not None,
        (text[-1] == "]" and _PLACEHOLDER.match(text) is not None)
        or (count >= _PROSE_MIN_WORDS and distinct < _DISTINCT_SHARE * count),
        not (first.isalnum() or first == "_") and _HAS_WORD.search(text) is None,
        repeats > 1 and count < _PROSE_MIN_WORDS,
        tokens,
    )
    return tuple.__new__(LineEvidence, fields)


def _is_disclosure(low: str) -> bool:
    """An affiliate disclosure or a legal disclaimer (see _DISCLOSURE)."""
    return (
        "commission" in low
        or "affiliate" in low
        or "purposes only" in low
        or "not intended" in low
        or "reader-supported" in low
    ) and _DISCLOSURE.search(low) is not None


def _is_meta(low: str) -> bool:
    """A comment or listing metadata line: author "says:", "Reply", a date or a time."""
    if low.rstrip(" :").endswith(_AUTHOR_SAYS) or _META_LINE.fullmatch(low):
        return True
    return _DIGIT.search(low) is not None and _META_DATE.search(low) is not None


def packed_lines(lines: list[Line], evidence: list[LineEvidence]) -> list[bool]:
    """Which lines are crowded into one block on a page that puts blank lines between paragraphs.

    Where a page separates its paragraphs by blank lines, a block of several unbulleted lines is
    a ticker, a headline list or a teaser box, not article prose. Pages that never leave blank
    lines (one paragraph per line) have no packed lines.
    """
    block_sizes = Counter(line.block for line in lines)
    prose_blocks = {
        line.block
        for line, ev in zip(lines, evidence, strict=True)
        if ev.words >= _PROSE_MIN_WORDS and not line.marker
    }
    spaced = sum(1 for block in prose_blocks if block_sizes[block] == 1)
    if not prose_blocks or spaced < SPACED_PAGE_SHARE * len(prose_blocks):
        return [False] * len(lines)
    return [not line.marker and block_sizes[line.block] >= PACKED_BLOCK_LINES for line in lines]


def line_score(ev: LineEvidence, packed: bool = False, item: bool = False) -> float:
    """How much a line pulls the article region towards itself (negative: pushes it away)."""
    if ev.comments_header:
        return -COMMENTS_COST
    if ev.placeholder:
        return -LINE_COST
    if ev.boilerplate:
        return -BOILERPLATE_COST
    lower = ev.lower * PACKED_CREDIT if packed else ev.lower
    if not ev.sentence_end:
        lower *= UNFINISHED_CREDIT
    score = lower - CAPITALISED_COST * ev.capitalised - LINE_COST
    if ev.sentence_end:
        score += SENTENCE_BONUS
    if ev.meta:
        score -= META_COST
    if ev.repeated:
        score -= REPEAT_COST
    if item and ev.phrase:
        # List items that read as phrases ("organic cotton sun hats") belong to the article's
        # lists; menus are title-cased. Such an item never pushes the article away.
        score = max(score, 0.0)
    return score


def best_run(scores: list[float]) -> tuple[int, int]:
    """The contiguous run of lines with the highest total score (start, end inclusive)."""
    best_total, best_start, best_end = float("-inf"), 0, -1
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > best_total:
            best_total, best_start, best_end = total, start, i
    return best_start, best_end


def comment_zones(evidence: list[LineEvidence]) -> list[tuple[int, int]]:
    """Stretches of the page between comment-section headers (start, end exclusive)."""
    cuts = [i for i, ev in enumerate(evidence) if ev.comments_header]
    bounds = [0, *cuts, len(evidence)]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def article_run(scores: list[float], zones: list[tuple[int, int]]) -> tuple[int, int]:
    """The best run of the first zone that holds real prose.

    Comment threads are prose too, and can outweigh the article; but they come after it, below
    a "42 Comments" header, so a zone that reaches a fair share of the best zone's total (or
    holds a run heavy enough to be an article on its own) wins when it comes first.
    """
    runs = []
    for a, b in zones:
        start, end = best_run(scores[a:b])
        total = sum(scores[a + start : a + end + 1])
        runs.append((total, a + start, a + end))
    best_total = max(total for total, _, _ in runs)
    if best_total <= 0:
        return 0, -1
    enough = min(FIRST_ZONE_SHARE * best_total, ARTICLE_ENOUGH)
    for total, start, end in runs:
        if total >= enough:
            return start, end
    return runs[0][1], runs[0][2]


def _is_stop(ev: LineEvidence) -> bool:
    """Lines the article does not continue past when it is extended to a further island."""
    return ev.comments_header or ev.marker


def _next_island(
    scores: list[float], evidence: list[LineEvidence], start: int, step: int
) -> tuple[int, int] | None:
    """The prose island just beyond `start` in direction `step` (+1 or -1), if one follows.

    Returns (the island's first line, its far end) or None when a stop line, too long a gap,
    or too light an island comes first.
    """
    i, n = start, len(scores)
    gap = 0
    while 0 <= i < n and scores[i] < ISLAND_SEED:
        if _is_stop(evidence[i]) or gap >= MAX_GAP_LINES:
            return None
        i += step
        gap += 1
    if not 0 <= i < n:
        return None
    seed = i
    total, best_total, best_end = 0.0, 0.0, i
    while 0 <= i < n and not _is_stop(evidence[i]):
        total += scores[i]
        if total > best_total:
            best_total, best_end = total, i
        i += step
    return (seed, best_end) if best_total >= ISLAND_MIN else None


def extend_over_islands(
    scores: list[float], evidence: list[LineEvidence], start: int, end: int
) -> tuple[int, int, set[int]]:
    """Widen the run to further prose islands separated from it only by unmarked filler.

    Articles are broken up by data cards, image credits and widgets that score badly; when the
    prose resumes with no boilerplate marker in between, it is still the article. Returns the new
    bounds and the filler lines to leave out.
    """
    skipped: set[int] = set()
    while (found := _next_island(scores, evidence, end + 1, 1)) is not None:
        seed, island_end = found
        skipped.update(i for i in range(end + 1, seed) if scores[i] < 0)
        end = island_end
    while (found := _next_island(scores, evidence, start - 1, -1)) is not None:
        seed, island_start = found
        skipped.update(i for i in range(seed + 1, start) if scores[i] < 0)
        start = island_start
    return start, end, skipped


def is_furniture(ev: LineEvidence) -> bool:
    """Lines dropped even inside the article region."""
    return (
        ev.boilerplate
        or ev.placeholder
        or ev.wordless
        or ev.comments_header
        or (ev.meta and ev.words <= 6)
    )


def is_teaser(ev: LineEvidence) -> bool:
    """A line that reads like a headline or a caption rather than a sentence of prose."""
    return ev.words <= _TEASER_MAX_WORDS and not (ev.sentence_end and ev.words >= _PROSE_MIN_WORDS)


def drop_teasers(kept: list[int], evidence: list[LineEvidence]) -> list[int]:
    """Remove the headlines listed under a "Related" / "Read more" header inside the article."""
    result: list[int] = []
    in_teasers = False
    for i in kept:
        ev = evidence[i]
        if ev.teaser_header:
            in_teasers = True
        elif in_teasers and is_teaser(ev):
            continue
        else:
            in_teasers = False
            result.append(i)
    return result


@dataclass(frozen=True)
class Selection:
    """The article's lines (indices, in order) and the lines known to be page furniture."""

    body: list[int]
    furniture: frozenset[int]


def page_evidence(lines: list[Line]) -> tuple[list[LineEvidence], list[float]]:
    """Every line's evidence and score (a line's score depends on the page it is on)."""
    texts = [line.text for line in lines]
    repeats = Counter(texts)
    distinct = list(repeats)  # menus repeat: measure each text once
    low_of = {text: text.lower() for text in distinct}  # the lexicons are written in lower case
    # One substring search of the page per anchor word finds the few lines that may be a notice
    # or a comments header; the others are spared those regexes.
    distinct_lows = list(low_of.values())
    page = "\n".join(distinct_lows)
    starts = list(accumulate((len(low) + 1 for low in distinct_lows), initial=0))
    notices = lines_containing(page, starts, _NOTICE_ANCHORS)
    headers = lines_containing(page, starts, _COMMENTS_ANCHORS)
    evidence_of = {
        text: line_evidence(
            text,
            low,
            repeats[text],
            False,
            notice_words=k in notices,
            comment_words=k in headers,
        )
        for k, (text, low) in enumerate(low_of.items())
    }
    # Marker phrases condemn only short lines: the page search need not read the long ones, and
    # the few lines holding one are measured again.
    short = [text for text, ev in evidence_of.items() if ev.words <= _MARKER_MAX_WORDS]
    for i in marker_lines([low_of[text] for text in short]):
        text = short[i]
        evidence_of[text] = line_evidence(text, low_of[text], repeats[text], True)
    evidence = [evidence_of[text] for text in texts]
    lows = [low_of[text] for text in texts]
    thread = comment_thread_start(lows)
    if thread is not None:
        evidence[thread] = evidence[thread]._replace(comments_header=True)
    packed = packed_lines(lines, evidence)
    scores = [
        line_score(ev, crowded, line.marker != "")
        for line, ev, crowded in zip(lines, evidence, packed, strict=True)
    ]
    for start, end in headline_runs(lines, evidence):
        for i in range(start, end):
            scores[i] = min(scores[i], 0.0)
    for i, line in enumerate(lines):
        if line.tabular and _BOX_DRAWING.search(line.text):
            # A table drawn with borders is content the page chose to frame: its rows are short
            # and title-cased, but they do not push the article away.
            scores[i] = max(scores[i], 0.0)
    return evidence, scores


def comment_thread_start(lows: list[str]) -> int | None:
    """The first author line ("Ann says:", "by kaboom (1034) writes:") of a comment thread.

    A page whose comment section has no header still gives it away: one author line after
    another, each above a comment. One such line alone may be a quotation in the article.
    """
    authors = [
        i
        for i, low in enumerate(lows)
        if low.endswith(":")
        and len(low) <= _AUTHOR_LINE_CHARS
        and low[:-1].rstrip().endswith(_AUTHOR_SAYS)
    ]
    for k in range(len(authors) - _THREAD_AUTHORS + 1):
        if authors[k + _THREAD_AUTHORS - 1] - authors[k] <= _THREAD_LINES:
            return authors[k]
    return None


def headline_runs(lines: list[Line], evidence: list[LineEvidence]) -> list[tuple[int, int]]:
    """Runs of HEADLINE_RUN_LINES or more consecutive headline-length lines ending no sentence.

    Article paragraphs end in punctuation, and a heading is followed by one; lists of headlines
    ("Most read", "More stories", teaser captions) are unfinished line after unfinished line, and
    in sentence case they would otherwise score as prose. Such lines never pull the region, while
    list items and table rows, which are unfinished by nature, do not count.
    """
    runs: list[tuple[int, int]] = []
    start = 0
    for i, (line, ev) in enumerate(zip(lines, evidence, strict=True)):
        if ev.sentence_end or ev.words > HEADLINE_MAX_WORDS or line.marker or line.tabular:
            if i - start >= HEADLINE_RUN_LINES:
                runs.append((start, i))
            start = i + 1
    if len(lines) - start >= HEADLINE_RUN_LINES:
        runs.append((start, len(lines)))
    return runs


def without_author_box(
    lines: list[Line], kept: list[int], evidence: list[LineEvidence]
) -> list[int]:
    """The body cut before an author box in its last part: a name line, then a biography
    that starts with that name ("Karina Cohen" / "Karina Cohen is the owner of …").

    What follows an author box (more bios, related posts, comments) is not the article either.
    """
    words = [evidence[i].tokens for i in kept]
    # An author box closes the page: most of the body stands above it.
    tail = len(kept)
    remaining, most = 0, _BOX_TAIL_SHARE * sum(words)
    while tail > 0 and remaining + words[tail - 1] <= most:
        tail -= 1
        remaining += words[tail]
    # Lines that could open a biography; a name line is only looked for just above one.
    bios = [False] * tail + [
        words[k] >= _BIO_MIN_WORDS and _BIO_WORDS.search(lines[kept[k]].text.lower()) is not None
        for k in range(tail, len(kept))
    ]
    for position in range(tail, len(kept)):
        reach = range(position + 1, min(len(kept), position + 1 + _BIO_REACH))
        if words[position] > _NAME_LINE_MAX_WORDS or not any(bios[k] for k in reach):
            continue
        name = name_in(lines[kept[position]].text)
        if name is None:
            continue
        first = name.split()[0]
        if any(bios[k] and lines[kept[k]].text.startswith(first) for k in reach):
            cut = position
            if cut > 0 and _AUTHOR_BOX_LABEL.match(lines[kept[cut - 1]].text.lower()):
                cut -= 1
            return kept[:cut]
    return kept


def is_clean(evidence: list[LineEvidence]) -> bool:
    """True when no line of the page is boilerplate, a placeholder or a comment-section header."""
    return not any(ev.boilerplate or ev.placeholder or ev.comments_header for ev in evidence)


def select_article(lines: list[Line]) -> Selection:
    """Find the article body among the logical lines of a scrape."""
    if not lines:
        return Selection([], frozenset())
    evidence, scores = page_evidence(lines)
    furniture = frozenset(i for i, ev in enumerate(evidence) if is_furniture(ev))
    if is_clean(evidence) and max(scores) > 0:
        # Nothing on the page says "menu", "share" or "all rights reserved": it is an article
        # someone already cleaned, and its short lines (headings, list items) are its own.
        return Selection([i for i, ev in enumerate(evidence) if not ev.wordless], furniture)
    start, end = article_run(scores, comment_zones(evidence))
    if end < start:
        return Selection([], furniture)
    start, end, skipped = extend_over_islands(scores, evidence, start, end)
    kept = [i for i in range(start, end + 1) if i not in skipped]
    kept = [i for i in drop_teasers(kept, evidence) if i not in furniture]
    kept = without_closing_sections(lines, without_author_box(lines, kept, evidence))
    kept = without_page_furniture(lines, kept)
    return Selection(kept, furniture)
