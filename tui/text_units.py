"""Grapheme clusters and words in article text: where the cursor may stop and how a selection snaps.

Every offset here is a Python code-point index into the document text (what spans store). The
cursor only ever rests on extended grapheme cluster boundaries (Unicode UAX #29, via the `regex`
module's `\\X`), so an emoji ZWJ sequence, a flag, or a letter with combining marks is one step.

Words are runs of word characters in scripts that separate words with spaces (Latin, Cyrillic,
Arabic, Hangul, ...; marks and joiners count as word characters). Scripts written without spaces
(Han, kana, Thai, Lao, Khmer, Myanmar) have no word boundaries a tool can trust, so each of their
grapheme clusters is a word of its own: a selection there snaps to clusters, not to a whole line.
"""

from __future__ import annotations

import unicodedata

import regex

_GRAPHEME = regex.compile(r"\X")
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_SPACED_WORD_CHAR = regex.compile(rf"[\w--[{_UNSPACED}]]", regex.V1)
_UNSPACED_CHAR = regex.compile(rf"[{_UNSPACED}]")
# Punctuation inside a word: apostrophes and hyphens between word characters ("don't",
# "al-Hayya"), and digit-group and decimal separators between digits ("34,535", "3.5").
_INNER_PUNCTUATION = regex.compile(r"(?<=\w)['’\-](?=\w)|(?<=\d)[.,](?=\d)")
# A token for word motions: a spaced-script word (with its inner punctuation), or one
# unspaced-script cluster.
_TOKEN = regex.compile(
    rf"[\w--[{_UNSPACED}]]+(?:(?:['’\-]|(?<=\d)[.,](?=\d))[\w--[{_UNSPACED}]]+)*"
    rf"|[{_UNSPACED}]\p{{M}}*",
    regex.V1,
)

# How far back to start scanning for cluster boundaries when no newline is closer. Clusters are
# short (the longest emoji ZWJ sequences are ~11 code points), and \X re-synchronises after any
# ordinary character, so a scan that starts mid-cluster is right again well before this window ends.
_RESYNC_WINDOW = 64


def is_word_char(char: str) -> bool:
    """True for a character that belongs to a word in a space-separated script."""
    return _SPACED_WORD_CHAR.match(char) is not None


def _scan_start(text: str, pos: int) -> int:
    """A position at or before `pos` from which \\X scanning finds the right boundaries."""
    line_start = text.rfind("\n", 0, pos) + 1
    return max(line_start, pos - _RESYNC_WINDOW)


def grapheme_start(text: str, pos: int) -> int:
    """The start of the grapheme cluster containing `pos` (pos itself if it is a boundary)."""
    if pos <= 0:
        return 0
    if pos >= len(text):
        return len(text)
    start = _scan_start(text, pos)
    for match in _GRAPHEME.finditer(text, start):
        if match.end() > pos:
            return match.start()
    return pos


def grapheme_end(text: str, pos: int) -> int:
    """The end of the grapheme cluster containing `pos` (pos itself if it is a boundary)."""
    start = grapheme_start(text, pos)
    if start == pos:
        return pos
    match = _GRAPHEME.match(text, start)
    return match.end() if match else pos


def next_grapheme(text: str, pos: int) -> int:
    """The cluster boundary after `pos` (len(text) at the end)."""
    if pos >= len(text):
        return len(text)
    match = _GRAPHEME.match(text, grapheme_start(text, pos))
    return match.end() if match else len(text)


def previous_grapheme(text: str, pos: int) -> int:
    """The cluster boundary before `pos` (0 at the start)."""
    if pos <= 0:
        return 0
    return grapheme_start(text, min(pos, len(text)) - 1)


def next_word_start(text: str, pos: int) -> int:
    """Where `w` moves: the start of the next word after `pos` (len(text) if none)."""
    for match in _TOKEN.finditer(text, pos):
        boundary = grapheme_start(text, match.start())
        if boundary > pos:
            return boundary
    return len(text)


def previous_word_start(text: str, pos: int) -> int:
    """Where `b` moves: the start of the word before `pos` (or of the word `pos` is inside)."""
    index = min(pos, len(text)) - 1
    while index >= 0 and not _is_token_char(text[index]):
        index -= 1
    if index < 0:
        return 0
    if not _UNSPACED_CHAR.match(text[index]):
        while index > 0 and _in_word(text, index - 1) and _in_word(text, index):
            index -= 1
    return grapheme_start(text, index)


def _is_token_char(char: str) -> bool:
    return is_word_char(char) or _UNSPACED_CHAR.match(char) is not None


def _in_word(text: str, index: int) -> bool:
    """True if the character at `index` is part of a spaced-script word (letters, marks, digits,
    or punctuation inside the word)."""
    return is_word_char(text[index]) or _INNER_PUNCTUATION.match(text, index) is not None


def word_at(text: str, pos: int) -> tuple[int, int]:
    """The word (or unspaced-script cluster) at `pos`; an empty range when pos is not on one."""
    if pos >= len(text) or not _is_token_char(text[pos]):
        return (pos, pos)
    return snap_selection(text, pos, next_grapheme(text, pos))


def snap_selection(text: str, start: int, end: int) -> tuple[int, int]:
    """What a label covers: the selection trimmed of surrounding whitespace, widened to whole
    words and whole grapheme clusters, then trimmed of punctuation and whitespace at either end
    ("Reuters news agency," -> "Reuters news agency"). A quote or bracket at an end stays when its
    partner is inside the selection (a quotation keeps its quotes when they were selected), and
    so does the last dot of "U.S.". Returns an empty range if nothing but those was selected."""
    start, end = _trim_space(text, *sorted((max(0, start), min(len(text), end))))
    if start == end:
        return (start, start)
    while True:
        widened = _widen_to_words(text, grapheme_start(text, start), grapheme_end(text, end))
        if widened == (start, end):
            break
        start, end = widened
    return _trim_punctuation(text, start, end)


def _trim_space(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


# Openers and the closers they pair with (straight quotes pair with themselves).
_PAIRED = {"“": "”", "‘": "’", "«": "»", '"': '"', "'": "'", "(": ")", "[": "]", "{": "}"}
_CLOSERS = {closer: opener for opener, closer in _PAIRED.items()}
# Punctuation that belongs to what it follows or precedes: 50%, #Hamas, @AlArabiya_Eng.
_KEPT_AT_ENDS = frozenset("%‰‱#@&$€£¥")
_DOTTED_ABBREVIATION = regex.compile(r"(?<![\w.])(?:\w\.){2,}$")


def _droppable(char: str) -> bool:
    return char.isspace() or (
        unicodedata.category(char).startswith("P") and char not in _KEPT_AT_ENDS
    )


def _trim_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end:
        char = text[start]
        if not _droppable(char) or (
            char in _PAIRED and text.find(_PAIRED[char], start + 1, end) >= 0
        ):
            break
        start += 1
    while end > start:
        char = text[end - 1]
        if not _droppable(char) or (
            char in _CLOSERS and text.rfind(_CLOSERS[char], start, end - 1) >= 0
        ):
            break
        if char == "." and _DOTTED_ABBREVIATION.search(text[max(0, end - 12) : end]):
            break
        end -= 1
    return (start, end)


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend each end of [start, end) that cuts through a spaced-script word to the word's edge."""
    while 0 < start < len(text) and _in_word(text, start - 1) and _in_word(text, start):
        start -= 1
    while 0 < end < len(text) and _in_word(text, end - 1) and _in_word(text, end):
        end += 1
    return (start, end)
