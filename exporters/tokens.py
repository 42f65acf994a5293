"""Tokens and sentences for the token-based formats (Prodigy, CoNLL), and picking spans that fit.

The tokenizer, shared by the exports so they agree on what a token is:
- whitespace separates tokens and belongs to none;
- a word is a run of letters, digits, underscore and combining marks (so Arabic with its
  vowel marks, or a letter with an accent written as two code points, stays one word);
- any other character is a token of its own, together with what joins it into one visible
  character: combining marks, variation selectors, skin-tone modifiers, a zero-width joiner and
  the character after it (emoji ZWJ sequences such as a family), the second half of a flag;
- finally a token is cut wherever a span starts or ends inside it, so every span covers whole
  tokens and keeps its exact offsets.
This is `\\w+|[^\\w\\s]` made aware of marks and emoji sequences. Offsets are code points.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ZWJ = "\u200d"
SENTENCE_ENDS = frozenset({".", "!", "?", "…", "。", "؟", "\uff01", "\uff1f"})
CLOSERS = frozenset({'"', "'", "”", "’", "»", ")", "]", "›"})


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    ws: bool  # followed by whitespace (Prodigy's "ws")


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[Token]:
    """The tokens of `text`, also cut at each offset in `cuts` that falls inside a token."""
    bounds = _token_bounds(text)
    cut_points = sorted({c for c in cuts if 0 < c < len(text)})
    tokens: list[Token] = []
    for start, end in _cut(bounds, cut_points):
        ws = end < len(text) and text[end].isspace()
        tokens.append(Token(text[start:end], start, end, ws))
    return tokens


def _token_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        if _is_word_char(char):
            end = position + 1
            while end < length and _is_word_char(text[end]):
                end += 1
        else:
            end = _symbol_end(text, position)
        bounds.append((position, end))
        position = end
    return bounds


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def _symbol_end(text: str, position: int) -> int:
    """Where the visible character starting at `position` ends (one code point or a sequence)."""
    end = position + 1
    if end < len(text) and _is_regional_indicator(text[position]):
        end += _is_regional_indicator(text[end])  # a flag is a pair of regional indicators
    while end < len(text):
        char = text[end]
        if _extends(char):
            end += 1
        elif char == ZWJ and end + 1 < len(text) and not text[end + 1].isspace():
            end += 2
        else:
            break
    return end


def _extends(char: str) -> bool:
    """Marks, variation selectors, skin-tone modifiers and tag characters attach to the left."""
    code = ord(char)
    return (
        unicodedata.category(char).startswith("M")
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _cut(bounds: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    if not cuts:
        return bounds
    pieces: list[tuple[int, int]] = []
    index = 0
    for start, end in bounds:
        while index < len(cuts) and cuts[index] <= start:
            index += 1
        piece_start = start
        while index < len(cuts) and cuts[index] < end:
            pieces.append((piece_start, cuts[index]))
            piece_start = cuts[index]
            index += 1
        pieces.append((piece_start, end))
    return pieces


class TokenPositions:
    """Finds the tokens inside a character range (tokens are in order and never overlap)."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.starts = [token.start for token in tokens]
        self.ends = [token.end for token in tokens]

    def inside(self, start: int, end: int) -> tuple[int, int] | None:
        """The first and last (inclusive) token within start..end; None if there is none
        (the range holds only whitespace)."""
        first = bisect_left(self.starts, start)
        last = bisect_right(self.ends, end) - 1
        return (first, last) if first <= last else None


def sentences(
    text: str, tokens: Sequence[Token], keep_together: Sequence[tuple[int, int]] = ()
) -> list[list[Token]]:
    """Tokens grouped in sentences by a simple rule:

    a sentence ends at a line break, or after . ! ? … (and any closing quotes or brackets)
    followed by whitespace and a token that does not start with a lowercase letter; never
    inside one of the `keep_together` (start, end) ranges, so no span is cut in two.
    """
    groups: list[list[Token]] = []
    current: list[Token] = []
    ranges = sorted(keep_together)
    opened, reach = 0, -1  # ranges starting before the current gap, and how far they reach
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        current.append(token)
        if following is None:
            break
        while opened < len(ranges) and ranges[opened][0] < token.end:
            reach = max(reach, ranges[opened][1])
            opened += 1
        protected = reach > following.start  # a range covers text on both sides of the gap
        if not protected and _ends_sentence(text, current, following):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _ends_sentence(text: str, current: list[Token], following: Token) -> bool:
    gap = text[current[-1].end : following.start]
    if "\n" in gap:
        return True
    if not gap:
        return False
    index = len(current) - 1
    while index > 0 and current[index].text in CLOSERS:
        index -= 1
    return current[index].text in SENTENCE_ENDS and not following.text[0].islower()


def longest_first(spans: Sequence[tuple[int, int, str]]) -> tuple[list[int], list[int]]:
    """Indices of spans kept and dropped so that no two kept ones overlap.

    The rule (documented): the longest span wins; between equally long ones, the earliest;
    then the label name decides. Returns (kept, dropped), each in text order.
    """
    order = sorted(range(len(spans)), key=lambda i: (-(spans[i][1] - spans[i][0]), spans[i]))
    taken: list[tuple[int, int]] = []
    kept: list[int] = []
    dropped: list[int] = []
    for i in order:
        start, end, _ = spans[i]
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            dropped.append(i)
        else:
            taken.append((start, end))
            kept.append(i)
    by_position = lambda i: spans[i]  # noqa: E731
    return sorted(kept, key=by_position), sorted(dropped, key=by_position)
