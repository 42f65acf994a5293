"""Find as people type: `'` finds ’ and ‘, `"` finds “ and ”, `-` finds – and —, and (unless exact)
case and diacritics are folded. Pure functions, no Textual.

Folding changes lengths (é is e + a combining mark, ß folds to ss), so the text is folded one
character at a time with a map back to the original offsets: a match always starts and ends on an
original character, and a character that folds to nothing (a combining mark) belongs to the match
of the letter before it.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

Range = tuple[int, int]

_PUNCTUATION_FOLDS = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    "\u00a0": " ",
}


@lru_cache(maxsize=4096)
def fold_char(char: str, exact: bool) -> str:
    """What one character is compared as: typed punctuation always; case and marks unless exact."""
    folded = _PUNCTUATION_FOLDS.get(char)
    if folded is not None:
        return folded
    if exact:
        return char
    stripped = "".join(
        part for part in unicodedata.normalize("NFD", char) if not unicodedata.combining(part)
    )
    return stripped.casefold()


@dataclass(frozen=True)
class FoldedText:
    """A text folded for finding, with each folded character's original start and end."""

    folded: str
    starts: Sequence[int]
    ends: Sequence[int]


@lru_cache(maxsize=4)
def fold_text(text: str, exact: bool) -> FoldedText:
    memo: dict[str, str] = {}
    folds = [memo[c] if c in memo else memo.setdefault(c, fold_char(c, exact)) for c in text]
    if all(len(fold) == 1 for fold in memo.values()):  # the usual case: one for one
        return FoldedText("".join(folds), range(len(text)), range(1, len(text) + 1))
    # A combining mark folds to nothing: it belongs to the character before it.
    char_ends = list(range(1, len(text) + 1))
    for index in [i for i, fold in enumerate(folds) if not fold]:
        owner = index - 1
        while owner >= 0 and not folds[owner]:
            owner -= 1
        if owner >= 0:
            char_ends[owner] = index + 1
    starts = [index for index, fold in enumerate(folds) for _ in fold]
    ends = [char_ends[index] for index, fold in enumerate(folds) for _ in fold]
    return FoldedText("".join(folds), starts, ends)


def fold_query(query: str, exact: bool) -> str:
    return "".join(fold_char(char, exact) for char in query)


@lru_cache(maxsize=16)
def find_all(text: str, query: str, exact: bool = False) -> tuple[Range, ...]:
    """Every match of `query` in `text`, in order, not overlapping, in original offsets."""
    needle = fold_query(query, exact)
    if not needle:
        return ()
    folded = fold_text(text, exact)
    matches: list[Range] = []
    at = folded.folded.find(needle)
    while at >= 0:
        end = at + len(needle)
        matches.append((folded.starts[at], folded.ends[end - 1]))
        at = folded.folded.find(needle, end)
    return tuple(matches)


@dataclass(frozen=True)
class Found:
    """A match, which one it is (from 1) of how many, and whether the search wrapped to the top."""

    start: int
    end: int
    number: int
    total: int
    wrapped: bool

    def describe(self) -> str:
        wrapped = " (wrapped around to the top)" if self.wrapped else ""
        return f"match {self.number} of {self.total}{wrapped}"


def find_next(text: str, query: str, start: int, exact: bool = False) -> Found | None:
    """The first match at or after `start`, else the first match (wrapped); None if none."""
    matches = find_all(text, query, exact)
    if not matches:
        return None
    index = bisect_left(matches, start, key=lambda match: match[0])
    wrapped = index == len(matches)
    if wrapped:
        index = 0
    match = matches[index]
    return Found(match[0], match[1], index + 1, len(matches), wrapped)
