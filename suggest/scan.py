"""Whole-word look-ups by str.find: many times faster than a regex alternation over a long text.

A regex of fifty alternatives is tried branch by branch at nearly every letter of a 200,000
character article; fifty `str.find` loops skip through it in C.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def find_words(text: str, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of every whole-word occurrence of each of `words` in `text`, in text
    order (a word is whole when no letter or digit touches it on either side)."""
    found: list[tuple[int, int, str]] = []
    size = len(text)
    for word in words:
        length = len(word)
        index = text.find(word)
        while index != -1:
            end = index + length
            if (index == 0 or not text[index - 1].isalnum()) and (
                end == size or not text[end].isalnum()
            ):
                found.append((index, end, word))
            index = text.find(word, end)
    found.sort()
    return found


def both_cases(words: Iterable[str]) -> tuple[str, ...]:
    """Each word as written and with a capital first letter (a sentence may start with it)."""
    return tuple(w for word in words for w in dict.fromkeys((word, word[0].upper() + word[1:])))


_Trie = dict[str, "_Trie"]


def trie_pattern(words: Iterable[str]) -> str:
    """A regex (no groups) matching exactly `words`, factored by common prefixes: "said|says|
    say" becomes "sa(?:id|ys?)". The regex engine tries alternatives one by one, so a list of two
    hundred verbs written flat costs two hundred tries at each place; factored, a handful."""
    trie: _Trie = {}
    for word in set(words):
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: _Trie) -> str:
    optional = "" in node
    branches = [re.escape(char) + _emit(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if optional:
        return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
    return body


# Every rule module registers the words it looks for (`watch`); `hits` finds all of them in one
# regex pass (a prefix-factored alternation) and keeps the result for the last text, so the
# figure, actor and link rules share one scan of a long article instead of one each.
_WATCHED: set[str] = set()
_PATTERN: list[re.Pattern[str]] = []
_LAST: list[tuple[str, dict[str, list[tuple[int, int]]]]] = []


def watch(words: Iterable[str]) -> None:
    """Add `words` to those `hits` finds (at import time of a rule module)."""
    _WATCHED.update(words)
    _PATTERN.clear()
    _LAST.clear()


def hits(text: str) -> dict[str, list[tuple[int, int]]]:
    """(start, end) of every whole-word occurrence of each watched word in `text`, in order."""
    # Copies, read once: a worker thread of the annotate screen and another caller may both be
    # here (the worst a race does is scan a text twice).
    last = list(_LAST)
    if last and last[0][0] is text:
        return last[0][1]
    patterns = list(_PATTERN)
    if not patterns:
        patterns = [re.compile(rf"(?<!\w)(?:{trie_pattern(_WATCHED)})(?!\w)")]
        _PATTERN[:] = patterns
    found: dict[str, list[tuple[int, int]]] = {}
    for match in patterns[0].finditer(text):
        found.setdefault(match.group(), []).append(match.span())
    _LAST[:] = [(text, found)]
    return found


def forget() -> None:
    """Drop the kept scan (`suggest` calls it first: each call scans its text afresh)."""
    _LAST.clear()


def find_watched(text: str, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """Like `find_words`, for watched words, from the shared scan."""
    index = hits(text)
    found = [(start, end, word) for word in words for start, end in index.get(word, ())]
    found.sort()
    return found
