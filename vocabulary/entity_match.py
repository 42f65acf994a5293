"""Forgiving type-ahead matching of entities by their names and aliases (no database).

"haniyeh", "Haniya" and "Hamas chief" all find Ismail Haniyeh (aliases "Haniyeh", "Hamas political
bureau chief"): names are compared folded (`vocabulary.entities.fold`: case, diacritics and
punctuation), every word typed must match a word of one name or alias, exactly, as its beginning
(typing as you go), or within a small edit distance (1 for words of 4-5 letters, 2 from 6;
two letters swapped count as one edit). The best-matching first; among equal matches the
most-named entity (span_count) first.

An `EntityIndex` is built once over the entities (a picker builds it when it opens) and then
answers each keystroke from a token index: the words of every name and alias, sorted for the
prefix look-ups, and searched by rapidfuzz's C edit distance (OSA) for the near misses, so
filtering 10,000 entities stays well under a frame (see `bench/bench_entities.py`).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from vocabulary.entities import fold

EXACT, PREFIX, NEAR = 3, 2, 1  # how well one typed word matched one word of a name


class Nameable(Protocol):
    """What the matcher reads of an entity."""

    @property
    def name(self) -> str: ...

    @property
    def aliases(self) -> Sequence[str]: ...

    @property
    def span_count(self) -> int: ...


E = TypeVar("E", bound=Nameable)


@dataclass(frozen=True)
class EntityMatch(Generic[E]):
    """One entity found: `hit` is the alias that matched (None: its name did)."""

    entity: E
    hit: str | None
    score: tuple[int, int]  # (whole-string match 0-2, sum of word matches): higher is better


@dataclass(frozen=True)
class _Spelling:
    entity: int  # index into the entities
    alias: str | None  # None: the entity's name
    folded: str


def near_distance(word: str) -> int:
    """How many edits a typed word may be from a word it matches (none for short words: "al"
    is not "el")."""
    if len(word) >= 6:
        return 2
    return 1 if len(word) >= 4 else 0


class EntityIndex(Generic[E]):
    """The entities' names and aliases, indexed by their folded words."""

    def __init__(self, entities: Sequence[E]) -> None:
        self._entities = list(entities)
        self._spellings: list[_Spelling] = []
        postings: dict[str, list[int]] = {}
        for position, entity in enumerate(self._entities):
            for alias in (None, *entity.aliases):
                folded = fold(entity.name if alias is None else alias)
                if not folded:
                    continue
                spelling = len(self._spellings)
                self._spellings.append(_Spelling(position, alias, folded))
                for word in set(folded.split()):
                    postings.setdefault(word, []).append(spelling)
        self._postings = postings
        self._words = sorted(postings)
        self._names = [fold(entity.name) for entity in self._entities]
        # With nothing typed: the most-named first (then by name).
        self._by_use = sorted(
            range(len(self._entities)),
            key=lambda i: (-self._entities[i].span_count, self._names[i]),
        )

    def __len__(self) -> int:
        return len(self._entities)

    def search(self, query: str, limit: int | None = None) -> list[EntityMatch[E]]:
        """The entities matching `query`, best first (all of them, most-named first, for an
        empty query); at most `limit`."""
        folded = fold(query)
        if not folded:
            chosen = self._by_use if limit is None else self._by_use[:limit]
            return [EntityMatch(self._entities[i], None, (0, 0)) for i in chosen]
        scores = self._word_scores(folded.split())
        best: dict[int, tuple[tuple[int, int], str | None]] = {}
        for spelling_index, word_score in scores.items():
            spelling = self._spellings[spelling_index]
            score = (_whole(spelling.folded, folded), word_score)
            kept = best.get(spelling.entity)
            # The better spelling wins; on a tie, the name over an alias.
            if kept is None or score > kept[0] or (score == kept[0] and spelling.alias is None):
                best[spelling.entity] = (score, spelling.alias)

        def rank(i: int) -> tuple[int, int, int, str]:
            score = best[i][0]
            return (-score[0], -score[1], -self._entities[i].span_count, self._names[i])

        # A limit (the picker's visible rows) needs only the best few, not all matches sorted.
        order = sorted(best, key=rank) if limit is None else heapq.nsmallest(limit, best, key=rank)
        return [EntityMatch(self._entities[i], best[i][1], best[i][0]) for i in order]

    def _word_scores(self, words: list[str]) -> dict[int, int]:
        """For each spelling that has a match for every typed word, the sum of those matches."""
        totals: dict[int, int] | None = None
        for word in dict.fromkeys(words):
            found: dict[int, int] = {}
            for token, quality in self._matching_tokens(word).items():
                for spelling in self._postings[token]:
                    if quality > found.get(spelling, 0):
                        found[spelling] = quality
            if totals is None:
                totals = found
            else:
                totals = {s: totals[s] + q for s, q in found.items() if s in totals}
            if not totals:
                return {}
        return totals or {}

    def _matching_tokens(self, word: str) -> dict[str, int]:
        """The indexed words `word` matches, each with how well."""
        matched: dict[str, int] = {}
        cutoff = near_distance(word)
        if cutoff:
            for token, _, _ in process.extract(
                word, self._words, scorer=OSA.distance, score_cutoff=cutoff, limit=None
            ):
                matched[token] = NEAR
        start = bisect_left(self._words, word)
        for token in self._words[start:]:
            if not token.startswith(word):
                break
            matched[token] = EXACT if token == word else PREFIX
        return matched


def _whole(spelling: str, query: str) -> int:
    """2 when the whole spelling is what was typed, 1 when it starts with it, else 0."""
    if spelling == query:
        return 2
    return 1 if spelling.startswith(query) else 0


def match_entities(query: str, entities: Sequence[E], limit: int | None = None) -> list[E]:
    """The entities matching `query`, best first (see the module docstring): an index built
    for one query. A picker keeps its `EntityIndex` instead."""
    return [match.entity for match in EntityIndex(entities).search(query, limit)]
