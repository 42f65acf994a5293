"""Page furniture a text dump prints inside and under the article, which line scores let through.

Images: a text browser prints an image's alt text or its caption where the image stood. A credit
("Photo by …", "Credit: …", "Getty Images") marks a caption; alt text is a lower-case phrase
with no full stop standing alone between blank lines ("slicing up sourdough loaf"), where an
article's own headings start with a capital and its sentences end, or a sentence alone between
blank lines that says it describes a picture ("A photo of …", "This image shows …").

Teaser cards: a card linking to another story prints its headline twice, once for the picture's
link and once for the headline's ("Ergonomic Workspace Setup Tips | Logitech" on two lines in a
row, or glued into one). The article prints its own headings once.

Calls to action: the buttons and links a page sets between and under paragraphs ("Get a free
quote today", "Schedule a free consultation", "Learn more", "Contact us") print as short lines
of their own: a verb asking the reader to act, and what they get.

The article's end: below the last paragraph, pages print the same few sections whatever the
outlet: the sources ("References", "Article sources"), the author's box ("About the author"), and
a list of what to read next ("What to read next", "Explore more", "Recent posts", "More articles
by …"). Their header is a short line of its own in the body's last part, and nothing under it
is the article any more.
"""

from __future__ import annotations

import re
from itertools import accumulate

from importers.text_lines import Line, lines_containing

# A closing section's header, as the whole (lower-case) line. Methodology boxes ("How we test")
# and FAQ sections are not here: on the dev set's pages the gold body keeps them.
_CLOSING_HEADER = re.compile(
    r"(?:references?|sources?|article sources|citations?|footnotes|bibliography|works cited"
    r"|about the author|meet the author|about (?:the )?writer"
    r"|what to read next|explore more\b.*|keep exploring\b.*|keep reading|more to explore"
    r"|recent(?:ly)? (?:posts|articles|stories)(?: by .*)?|recently by .*"
    r"|more (?:articles|stories|posts) (?:by|from) .*|you (?:may|might) also (?:like|enjoy)\b.*"
    r"|related (?:posts|articles|stories|reading|content|resources)"
    r")[\s:?.!]*"
)
# Longer lines are never such a header: they are not even lower-cased and matched.
_HEADER_MAX_CHARS = 60
# The header must stand in the body's last part (by words): above that, such a line opens a
# section of the article itself (the "Sources" of a story about whistle-blowers).
_TAIL_SHARE = 0.5


def without_closing_sections(lines: list[Line], kept: list[int]) -> list[int]:
    """The body (`kept`, line indices) cut at the first closing-section header in its last part."""
    headers = [
        position
        for position, i in enumerate(kept)
        if position
        and len(lines[i].text) <= _HEADER_MAX_CHARS
        and not lines[i].marker
        and _CLOSING_HEADER.fullmatch(lines[i].text.lower()) is not None
    ]
    if not headers:
        return kept
    words = [len(lines[i].text.split()) for i in kept]
    least = _TAIL_SHARE * sum(words)
    for position in headers:
        if sum(words[:position]) >= least:
            return kept[:position]
    return kept


# Who made a picture: a caption's credit, in a lower-case line; the last alternatives open it.
_CREDIT = re.compile(
    r"\b(?:photo(?:graph)?s?|image|illustration|video)(?: by| courtesy| credit)\b|\bcredit:"
    r"|getty images|shutterstock|\bistock\b|courtesy of|\bunsplash\b|\bpexels\b|adobe stock"
    r"|^(?:photo|image|pictured|pictured above|above|top):",
)
# Every _CREDIT alternative holds one of these.
_CREDIT_ANCHORS = (
    "photo", "image", "illustration", "video", "credit", "getty", "shutterstock", "istock",
    "courtesy", "unsplash", "pexels", "adobe stock", "pictured", "above:", "top:",
)  # fmt: skip
# Longer lines holding a credit are prose that mentions one. (Longer lines than this are not
# even searched: 40 words rarely take more.)
_CAPTION_MAX_WORDS = 40
_CAPTION_MAX_CHARS = 320
# A call to action as a whole (lower-case) line: an imperative, then what the reader gets or
# where they go.
_CALL_TO_ACTION = re.compile(
    r"(?:get|request|schedule|book|call|contact|try|start|learn|discover|explore|shop|buy|download"
    r"|join|sign|subscribe|register|apply|claim|see|view|check|find|browse|grab|unlock|talk|speak"
    r"|let'?s|ready)\b.*\b(?:free|now|today|us|more|quote|demo|consultation|trial|started|touch"
    r"|expert|team|here)\b[\s!.?:→»›>]*"
)
_CALL_MAX_CHARS = 60
# A line printed twice in a row is a card's headline up to this many words; longer, it is a
# paragraph the page repeats (a quotation pulled out), which the article keeps.
_TWICE_MAX_WORDS = 15
# Shorter lines that read twice over are words, not copies ("bye bye").
_GLUED_MIN_CHARS = 10
# Alt text: two to twelve words, the first lower-case, no sentence punctuation or code.
_ALT_TEXT = re.compile(r"[a-z][\w'’,&-]*(?: [\w'’,&-]+){1,11}")
# Alt text written as a sentence about the picture: its opening (lower-case).
_PICTURE_SENTENCE = re.compile(
    r"(?:a |an )?(?:picture|photo|photograph|image|screenshot|illustration|graphic|infographic"
    r"|close-?up) (?:of|shows|showing)\b"
    r"|this (?:image|photo|picture|screenshot|graphic) (?:shows|is)\b"
)
_PICTURE_SENTENCE_MAX_WORDS = 25
_PICTURE_INITIALS = frozenset("APISTCG")  # the capitals a _PICTURE_SENTENCE can start with


def credit_lines(lines: list[Line], kept: list[int]) -> set[int]:
    """The body lines (indices) that are a picture's caption or credit (see _CREDIT).

    The joined body is searched for the words every credit holds (plain substring search is
    cheap), and the regex runs only on the few lines holding one: running it over the body
    took longer than the rest of the cleaning.
    """
    short = [i for i in kept if len(lines[i].text) <= _CAPTION_MAX_CHARS]
    # Lower-cased line by line: lower() may lengthen a string ("İ"), so the offsets are the
    # lower-cased lines' own.
    lows = [lines[i].text.lower() for i in short]
    starts = list(accumulate((len(low) + 1 for low in lows), initial=0))
    return {
        short[position]
        for position in lines_containing("\n".join(lows), starts, _CREDIT_ANCHORS)
        if len(lows[position].split()) <= _CAPTION_MAX_WORDS
        and _CREDIT.search(lows[position]) is not None
    }


def is_alt_text(lines: list[Line], i: int) -> bool:
    """Line `i` is an image's alt text, alone between blank lines: a lower-case phrase, or one
    sentence that says it describes a picture (see module doc)."""
    line = lines[i]
    text = line.text
    if (
        line.marker
        or line.tabular
        or (i and lines[i - 1].block == line.block)
        or (i + 1 < len(lines) and lines[i + 1].block == line.block)
    ):
        return False
    if text[0].islower():
        return _ALT_TEXT.fullmatch(text) is not None
    return (
        text[0] in _PICTURE_INITIALS
        and ". " not in text
        and len(text.split()) <= _PICTURE_SENTENCE_MAX_WORDS
        and _PICTURE_SENTENCE.match(text.lower()) is not None
    )


def is_printed_twice(lines: list[Line], i: int) -> bool:
    """Line `i` is a card's headline: the line next to it says the same, or it is one text twice
    over, glued with or without a space (see module doc)."""
    text = lines[i].text
    if (i + 1 < len(lines) and lines[i + 1].text == text) or (i and lines[i - 1].text == text):
        return len(text.split()) <= _TWICE_MAX_WORDS
    size = len(text)
    half, odd = divmod(size, 2)
    if size < _GLUED_MIN_CHARS or text[0] != text[half + odd]:  # most lines stop here
        return False
    if odd and text[half] != " ":
        return False
    return text[:half] == text[half + odd :]


def is_call_to_action(text: str) -> bool:
    """`text` is a button or link asking the reader to act (see _CALL_TO_ACTION)."""
    return len(text) <= _CALL_MAX_CHARS and _CALL_TO_ACTION.fullmatch(text.lower()) is not None


def without_page_furniture(lines: list[Line], kept: list[int]) -> list[int]:
    """The body without its pictures' captions, credits and alt text, teaser cards' headlines
    and calls to action (see module doc)."""
    credits = credit_lines(lines, kept)
    remaining = [
        i
        for i in kept
        if i not in credits
        and not is_alt_text(lines, i)
        and not is_call_to_action(lines[i].text)
        and not is_printed_twice(lines, i)
    ]
    return remaining or kept  # a page that is one caption keeps it rather than come out empty
