"""Full-text search, the pure part: words, folding, typed queries, and where a query matches.

The database finds the documents (SQLite FTS5 with `unicode61 remove_diacritics 2`, or
PostgreSQL's full text); this module says where in each document's text the query matches, in
code points, so a match can be highlighted, opened and tagged. To agree with FTS5 it cuts a text
into words and folds them as FTS5's unicode61 tokenizer does: a word is a run of letters and
digits (and the Latin combining accents), case is folded, and a Latin letter loses one accent
("Ė" → "e"; "ø", "ł" and Greek or Cyrillic letters keep theirs, as in FTS5). `tests/test_search.py`
holds the two to the same words over the Latin, Greek, Cyrillic, Hebrew and Arabic blocks.

A typed query is never a syntax error: words are ANDed, "quoted text" is a phrase, a chunk with
punctuation inside ("34,535", "al-Shifa", "don't") is the phrase of its words, `word*` is a
prefix, and every other punctuation mark is just a separator (no operators: a leading "-" does
not mean NOT).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from vocabulary.text import strip_controls

# The combining accents FTS5's unicode61 keeps inside a word (and drops when folding): the Latin
# diacritics of Unicode 6.1's tables. Every other combining mark separates words there, too.
_ACCENTS = "\u0300-\u0304\u0306-\u030c\u030f\u0311\u031b\u0323-\u0328\u032d\u032e\u0330\u0331"
_ACCENT_SET = frozenset(
    chr(code)
    for code in (
        *range(0x300, 0x305),
        *range(0x306, 0x30D),
        0x30F,
        0x311,
        0x31B,
        *range(0x323, 0x329),
        0x32D,
        0x32E,
        0x330,
        0x331,
    )
)
# Letters with accents that FTS5's table keeps (found by tests/test_search.py's comparison).
_KEEP = frozenset("ǡ")
# [^\W_] is a letter or a digit (str.isalnum): FTS5's "L* N*" categories.
_WORD = re.compile(rf"(?:[^\W_]|[{_ACCENTS}])+")
_QUOTES = '"“”„«»'
_SNIPPET_BEFORE = 60
_SNIPPET_AFTER = 80
_SNIPPET_LONGEST_MATCH = 120
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """One character folded as FTS5 folds it: case (one-to-one), then one Latin accent."""
    folded = char.casefold()
    if len(folded) != 1:  # "ß" → "ss": FTS5 folds character by character and keeps "ß"
        folded = char.lower()
    out = []
    for low in folded:
        parts = unicodedata.normalize("NFD", low)
        if (
            len(parts) > 1
            and parts[0].isascii()
            and all(mark in _ACCENT_SET for mark in parts[1:])
            and low not in _KEEP
        ):
            out.append(parts[0])
        elif low not in _ACCENT_SET:
            out.append(low)
    return "".join(out)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as the index holds it: case and Latin accents folded ("Gazá" → "gaza")."""
    return "".join(_fold_char(char) for char in word)


def words(text: str) -> list[tuple[int, int, str]]:
    """The words of `text` as (start, end, folded word), code-point offsets, in order."""
    return [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class Term:
    """One thing a document must contain: a word, or a phrase of words in a row.

    `words` are as typed (the database folds them itself); `folded` as the index holds them;
    `prefix`: the last word may be the start of a longer one.
    """

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(fold(word) for word in self.words)


@dataclass(frozen=True)
class Query:
    """A typed query, read: the terms a document must all contain (in this order)."""

    text: str
    terms: tuple[Term, ...]

    def fts5(self) -> str:
        """The query in FTS5's syntax: every term a quoted string (so nothing in it is an
        operator), ANDed; a prefix term ends in `*`."""
        parts = []
        for term in self.terms:
            phrase = '"' + " ".join(term.words) + '"'  # words hold no quote: they are \w runs
            parts.append(phrase + " *" if term.prefix else phrase)
        return " ".join(parts)


class QueryError(ValueError):
    """A query with nothing to search for (only punctuation, or empty)."""


def parse_query(text: str) -> Query:
    """Read what a person typed (see the module docstring); QueryError if it holds no word."""
    terms: list[Term] = []
    for chunk, quoted in _chunks(strip_controls(text)):
        found = tuple(match.group() for match in _WORD.finditer(chunk))
        if not found:
            continue
        prefix = not quoted and chunk.rstrip().endswith("*")
        term = Term(found, prefix)
        if term not in terms:
            terms.append(term)
    if not terms:
        raise QueryError(f"nothing to search for in {text.strip()!r}: type a word")
    return Query(text, tuple(terms))


def _chunks(text: str) -> list[tuple[str, bool]]:
    """The query cut at quotes and, outside them, at spaces; (chunk, was quoted). An unclosed
    quote runs to the end."""
    chunks: list[tuple[str, bool]] = []
    quoted = False
    for index, part in enumerate(re.split(f"[{_QUOTES}]", text)):
        quoted = index % 2 == 1
        if quoted:
            chunks.append((part, True))
        else:
            chunks.extend((piece, False) for piece in part.split())
    return chunks


# -- where a query matches ---------------------------------------------------------------------


def _occurrences(found: Sequence[tuple[int, int, str]], term: Term) -> list[tuple[int, int]]:
    """Where a term occurs among a text's words: (start, end) of each, in order."""
    wanted = term.folded
    size = len(wanted)
    last = size - 1
    hits = []
    for index in range(len(found) - last):
        if all(found[index + k][2] == wanted[k] for k in range(last)):
            word = found[index + last][2]
            if word == wanted[last] or (term.prefix and word.startswith(wanted[last])):
                hits.append((found[index][0], found[index + last][1]))
    return hits


def _windows(per_term: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """The minimal stretches holding one occurrence of every term, in text order: for each
    occurrence, the stretch ending there with the latest occurrence of every other term,
    keeping only those that hold no smaller one."""
    events = sorted(
        (start, end, index) for index, hits in enumerate(per_term) for start, end in hits
    )
    latest: dict[int, tuple[int, int]] = {}
    windows: list[tuple[int, int]] = []
    for start, end, index in events:
        latest[index] = (start, end)
        if len(latest) == len(per_term):
            window = (min(s for s, _ in latest.values()), max(e for _, e in latest.values()))
            # Starts only grow; one that did not grow holds the previous stretch: not minimal.
            if not windows or window[0] > windows[-1][0]:
                windows.append(window)
    return windows


def find_matches(text: str, query: Query, *, every: bool = False) -> list[tuple[int, int]]:
    """Where `query` matches `text` ((start, end) code points): a stretch holding every term.

    By default the one best match (the shortest such stretch, the first of equals); `every`:
    all of them, in text order, none overlapping. Empty when the text does not match.
    """
    found = words(text)
    per_term = [_occurrences(found, term) for term in query.terms]
    if not all(per_term):
        return []
    windows = per_term[0] if len(per_term) == 1 else _windows(per_term)
    if every:
        return _apart(windows)
    return [min(windows, key=lambda window: (window[1] - window[0], window[0]))]


def _apart(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for window in windows:
        if not kept or window[0] >= kept[-1][1]:
            kept.append(window)
    return kept


@dataclass(frozen=True)
class Snippet:
    """One line of text around a match; the match is `text[start:end]`."""

    text: str
    start: int
    end: int


def snippet(text: str, start: int, end: int) -> Snippet:
    """The match with some words either side, on one line (whitespace runs become one space,
    control characters go); "…" where the text goes on, and in the middle of a long match."""
    before = max(0, start - _SNIPPET_BEFORE)
    if before:
        space = text.find(" ", before, start)
        before = space + 1 if space != -1 else before
    after = min(len(text), end + _SNIPPET_AFTER)
    if after < len(text):
        space = text.rfind(" ", end, after)
        after = space if space != -1 else after
    head = ("…" if before else "") + _one_line(text[before:start]).lstrip()
    match = _one_line(text[start:end])
    if len(match) > _SNIPPET_LONGEST_MATCH:
        half = _SNIPPET_LONGEST_MATCH // 2
        match = match[:half].rstrip() + " … " + match[-half:].lstrip()
    tail = _one_line(text[end:after]).rstrip() + ("…" if after < len(text) else "")
    return Snippet(head + match + tail, len(head), len(head) + len(match))


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", strip_controls(text.replace("\n", " ")))
