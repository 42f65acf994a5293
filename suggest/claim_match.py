"""How alike two claims are: the same figures, shared words, the same claimant (pure, no DB).

Two uses: the check picker proposes checks whose claim or appearances look like a claim span,
and "checked before?" finds external fact-checks (ClaimReviews) of a claim. Both compare short
texts that restate one statement in other words: "34,535 Palestinians have been killed" and
"Gaza's health ministry says 34535 people died" share a figure and little else, so figures,
words and claimant are three signals, each named in the reasons shown to the checker.

- Figures: numbers normalised to their value ("34,535" = "34535", "34.5 million" =
  "34,500,000", "1.2 thousand" = "1,200", "two million" = "2 million"), percentages apart from
  counts; years and the day of a date are not figures (every article about a war says
  "October 7").
- Words: content words, case and diacritics folded, plurals and -ed/-ing cut back, stopwords
  and reporting verbs out; weighted by rarity when a corpus's word counts are given
  (`WordWeights.from_texts`), so "reconciliation" counts for more than "Gaza" in a corpus
  about Gaza.
- Claimant: names compared folded, every word of the shorter name matching a word of the
  longer exactly or within the entity picker's edit distance ("Haniya" is "Ismail Haniyeh").

`claim_likeness` scores one pair; `rank_alike` ranks candidates (a check: its claim and its
appearances' texts, the best of them counting); `ClaimIndex` keeps candidates' features and an
inverted index for a store that asks many times over thousands of candidates.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Generic, TypeVar

import regex
from rapidfuzz.distance import OSA

from suggest.model import word_set
from vocabulary.entities import fold
from vocabulary.entity_match import near_distance

K = TypeVar("K", bound=Hashable)

SAME_FIGURES = "same figures"
SHARED_WORDS = "shared words"
SAME_CLAIMANT = "same claimant"
# Below this word likeness two claims share only a word or two of no weight: not a reason.
WORDS_REASON_AT = 0.25
# How much of the score figures decide when both claims have some (they are the strongest sign
# of one claim: two claims of one article share its words, rarely its numbers).
FIGURE_SHARE = 0.45
CLAIMANT_BONUS = 0.2  # of what is left to 1: the same person saying it again
# Thresholds measured on the labelled set (bench/claim_match_quality.py): a list to pick from
# may show weaker matches than a "checked before" line shown unasked.
PICKER_MIN_SCORE = 0.25
CHECKED_BEFORE_MIN_SCORE = 0.35


@dataclass(frozen=True)
class ClaimText:
    """One wording of a claim, with who made it where known (a name and its other spellings)."""

    text: str
    claimant: str | None = None
    claimant_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Likeness:
    """How alike two claims are (0..1) and why: reasons among SAME_FIGURES, SHARED_WORDS,
    SAME_CLAIMANT, strongest first."""

    score: float
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """The reasons as one phrase ("same figures, shared words"), or "" for none."""
        return ", ".join(self.reasons)


# -- figures ------------------------------------------------------------------------------------


def _in_order(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_SCALES = {
    "hundred": 100,
    "thousand": 1000,
    "k": 1000,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
}
# In order: a word's position is its value.
_UNITS = _in_order(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = _in_order("twenty thirty forty fifty sixty seventy eighty ninety")
_WORD_VALUES = {word: value for value, word in enumerate(_UNITS)}
_WORD_VALUES.update({word: 10 * (index + 2) for index, word in enumerate(_TENS)})
_WORD_VALUES["dozen"] = 12
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
)
_SCALE_WORDS = "|".join(sorted(_SCALES, key=len, reverse=True))
_NUMBER_WORDS = "|".join(sorted((*_UNITS, *_TENS), key=len, reverse=True))
_FIGURE = re.compile(
    rf"""
    (?<![\w.,/#@:-])
    (?:
        (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,.]\d)
      | (?P<words>(?:(?:{"|".join(_TENS)})[-\s](?:{"|".join(_UNITS[1:10])})|{_NUMBER_WORDS}
          |half\s+a|a\s+dozen|a|an))(?=\s+(?:{_SCALE_WORDS})\b)
      | (?P<alone>(?:{"|".join(_TENS)})[-\s](?:{"|".join(_UNITS[1:10])})|{_NUMBER_WORDS})\b
        (?=\s+[a-z])
    )
    (?P<scale>\s*(?:{_SCALE_WORDS})\b)?
    (?P<percent>\s*(?:%|per\s*cent\b|percent\b))?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"\s*(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
# A number under ten with no scale or percent is rarely what makes a claim checkable ("the two
# sides", "3 leaders") and shared by many claims of one story: not a figure here.
SMALLEST_FIGURE = 10


def claim_figures(text: str) -> frozenset[tuple[str, Decimal]]:
    """The figures of `text` as (kind, value): kind "%" for a percentage, "" for the rest."""
    found: set[tuple[str, Decimal]] = set()
    for match in _FIGURE.finditer(text):
        value = _figure_value(match)
        if value is None or _is_date_part(text, match):
            continue
        kind = "%" if match.group("percent") else ""
        found.add((kind, value.normalize()))
    return frozenset(found)


def _figure_value(match: re.Match[str]) -> Decimal | None:
    digits, words = match.group("digits"), match.group("words") or match.group("alone")
    scale_text = (match.group("scale") or "").strip().lower()
    scale = _SCALES.get(scale_text, 1)
    if digits is not None:
        try:
            value = Decimal(digits.replace(",", ""))
        except InvalidOperation:
            return None
        if scale == 1 and not match.group("percent") and _looks_like_year(digits):
            return None
        if scale_text == "m" and value >= 1000:
            return None  # "2000 m" is metres, not millions
        return _counted(value * scale, match)
    spelled = _words_value(" ".join((words or "").lower().replace("-", " ").split()))
    return None if spelled is None else _counted(spelled * scale, match)


def _counted(value: Decimal, match: re.Match[str]) -> Decimal | None:
    if value < SMALLEST_FIGURE and not (match.group("scale") or match.group("percent")):
        return None
    return value


def _words_value(words: str) -> Decimal | None:
    if words in ("a", "an"):
        return Decimal(1)
    if words in ("half a",):
        return Decimal("0.5")
    if words == "a dozen":
        return Decimal(12)
    total = 0
    for word in words.split():
        value = _WORD_VALUES.get(word)
        if value is None:
            return None
        total += int(value)
    return Decimal(total)


def _looks_like_year(digits: str) -> bool:
    return len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2100


def _is_date_part(text: str, match: re.Match[str]) -> bool:
    """The day of "October 7" or "7 October": a date, not a quantity."""
    digits = match.group("digits")
    if digits is None or not digits.isdigit() or int(digits) > 31 or match.group("scale"):
        return False
    start = match.start()
    return bool(
        _MONTH_BEFORE.search(text, max(0, start - 12), start)
        or _MONTH_AFTER.match(text, match.end("digits"))
    )


_DIGIT = re.compile(r"\d")
_NUMBER_TOKENS = frozenset((*_UNITS, *_TENS, "dozen", *_SCALES))


# -- words --------------------------------------------------------------------------------------

_STOPWORDS = word_set(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself s t us via per upon amid among within without across toward towards
    said say says saying told tell tells according reported reportedly added stated state
    claimed claims claim claiming announced noted explained wrote write quoted
    mr mrs ms dr de al el la le du van von
    one two three four five six seven eight nine ten hundred thousand million billion
    percent cent per"""
)
_WORD = re.compile(r"[^\W\d_]+")
_MARKS = regex.compile(r"\p{M}+")  # combining marks: what fold drops after NFKD


def stem(word: str) -> str:
    """A light stem: plural -s/-es/-ies and -ed/-ing cut back ("killed", "killing", "kills" ->
    "kill"; "ceasefires" -> "ceasefire"), never below three letters."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "stopped" -> "stop", not "stopp"; "killed" keeps its ll
            return word
    return word


def claim_words(text: str) -> frozenset[str]:
    """The content words of `text`, folded and stemmed."""
    return _features(text).words


def _tokens(text: str) -> list[str]:
    """The words of `text` folded as `vocabulary.entities.fold` folds names (case and
    diacritics), faster: the word pattern splits at punctuation, so only the marks need going."""
    if text.isascii():
        return _WORD.findall(text.lower())
    return _WORD.findall(_MARKS.sub("", unicodedata.normalize("NFKD", text.casefold())))


def _content_words(tokens: list[str]) -> frozenset[str]:
    kept = {token for token in tokens if len(token) > 1 and token not in _STOPWORDS}
    return frozenset(word for word in map(_stem, kept) if word not in _STOPWORDS)


_stem = lru_cache(maxsize=131072)(stem)  # a corpus's words repeat: stem each once


@dataclass(frozen=True)
class WordWeights:
    """How rare each word is in a corpus of claims: `idf(word)`; words never seen count as the
    rarest. Without a corpus every word weighs 1."""

    counts: Mapping[str, int]
    documents: int

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> WordWeights:
        return cls({}, 0).adding(texts)

    def adding(self, texts: Iterable[str]) -> WordWeights:
        """These weights with more texts counted (a store's corpus grows by imports)."""
        counts: Counter[str] = Counter(self.counts)
        documents = self.documents
        for text in texts:
            counts.update(claim_words(text))
            documents += 1
        return WordWeights(dict(counts), documents)

    def weight(self, word: str) -> float:
        # Smoothed idf, floored: a word in every claim still counts a little (a claim may be
        # only such words).
        seen = self.counts.get(word, 0)
        return max(0.2, math.log((self.documents + 1) / (seen + 0.5)))


def _weight(weights: WordWeights | None, word: str) -> float:
    return 1.0 if weights is None or not weights.documents else weights.weight(word)


def word_likeness(
    a: frozenset[str], b: frozenset[str], weights: WordWeights | None = None
) -> float:
    """The weighted cosine of two word sets (0..1)."""
    if not a or not b:
        return 0.0
    shared = sum(_weight(weights, w) for w in a & b)
    if not shared:
        return 0.0
    total_a = sum(_weight(weights, w) for w in a)
    total_b = sum(_weight(weights, w) for w in b)
    return shared / math.sqrt(total_a * total_b)


# -- claimants ----------------------------------------------------------------------------------


def same_claimant(a: ClaimText, b: ClaimText) -> bool:
    """Whether the two claimants are one (any spelling of one matches any of the other)."""
    if not a.claimant or not b.claimant:
        return False
    names_a = (a.claimant, *a.claimant_aliases)
    names_b = (b.claimant, *b.claimant_aliases)
    return any(names_match(x, y) for x in names_a for y in names_b)


@lru_cache(maxsize=16384)
def names_match(a: str, b: str) -> bool:
    """Every word of the shorter folded name matches a word of the longer one, exactly or
    within the entity picker's edit distance (`near_distance`, none for words under four
    letters): "Lin" is "Lin Jian", "Haniya" is "Ismail Haniyeh", "Al" is not "El"."""
    words_a, words_b = fold(a).split(), fold(b).split()
    if not words_a or not words_b:
        return False
    short, long = sorted((words_a, words_b), key=len)
    return all(any(_word_match(word, other) for other in long) for word in short)


def _word_match(word: str, other: str) -> bool:
    if word == other:
        return True
    limit = min(near_distance(word), near_distance(other))
    return bool(limit) and OSA.distance(word, other, score_cutoff=limit) <= limit


# -- one pair, and ranking ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Features:
    words: frozenset[str]
    figures: frozenset[tuple[str, Decimal]]


@lru_cache(maxsize=65536)
def _features(text: str) -> _Features:
    tokens = _tokens(text)
    # The figure scan is the slow part: only texts with a digit or a number word need it.
    numeric = _DIGIT.search(text) is not None or not _NUMBER_TOKENS.isdisjoint(tokens)
    return _Features(_content_words(tokens), claim_figures(text) if numeric else frozenset())


def claim_likeness(a: ClaimText, b: ClaimText, weights: WordWeights | None = None) -> Likeness:
    """How alike two claims are (see the module docstring)."""
    return _likeness(_features(a.text), _features(b.text), same_claimant(a, b), weights)


def _likeness(a: _Features, b: _Features, claimant: bool, weights: WordWeights | None) -> Likeness:
    words = word_likeness(a.words, b.words, weights)
    score = words
    reasons: list[str] = []
    shared_figures = a.figures & b.figures
    if a.figures and b.figures:
        share = len(shared_figures) / min(len(a.figures), len(b.figures))
        # Both give numbers: the same ones make one claim likely, different ones unlikely.
        score = (1 - FIGURE_SHARE) * words + FIGURE_SHARE * share
        if shared_figures:
            reasons.append(SAME_FIGURES)
    if words >= WORDS_REASON_AT:
        reasons.append(SHARED_WORDS)
    if claimant:
        score += (1 - score) * CLAIMANT_BONUS
        reasons.append(SAME_CLAIMANT)
    return Likeness(round(min(score, 1.0), 4), tuple(reasons))


def rank_alike(
    query: ClaimText,
    candidates: Sequence[tuple[K, Sequence[ClaimText]]],
    limit: int = 10,
    min_score: float = PICKER_MIN_SCORE,
    weights: WordWeights | None = None,
) -> list[tuple[K, Likeness]]:
    """The candidates most like `query`, best first, at most `limit`, none under `min_score`.

    A candidate is a key and its wordings (a check: its claim and its appearances' texts); its
    best wording counts. Ties keep the candidates' order."""
    return ClaimIndex(candidates, weights).search(query, limit, min_score)


class ClaimIndex(Generic[K]):
    """Candidates' wordings, their features and an inverted index of words and figures, built
    once: `search` scores only candidates sharing a word, a figure or a claimant with the query.
    """

    def __init__(
        self,
        candidates: Sequence[tuple[K, Sequence[ClaimText]]],
        weights: WordWeights | None = None,
    ) -> None:
        self.weights = weights
        self._keys: list[K] = []
        self._texts: list[tuple[int, ClaimText, _Features]] = []  # (candidate, wording, features)
        self._postings: dict[object, list[int]] = {}
        self._claimed: list[int] = []  # wordings with a claimant
        self.extend(candidates)

    def extend(
        self,
        candidates: Sequence[tuple[K, Sequence[ClaimText]]],
        weights: WordWeights | None = None,
    ) -> None:
        """Add candidates (and, given, weights that count them too), keeping those indexed."""
        if weights is not None:
            self.weights = weights
        for key, texts in candidates:
            position = len(self._keys)
            self._keys.append(key)
            for text in texts:
                features = _features(text.text)
                wording = len(self._texts)
                self._texts.append((position, text, features))
                for token in (*features.words, *features.figures):
                    self._postings.setdefault(token, []).append(wording)
                if text.claimant:
                    self._claimed.append(wording)

    def __len__(self) -> int:
        return len(self._keys)

    def search(
        self, query: ClaimText, limit: int = 10, min_score: float = PICKER_MIN_SCORE
    ) -> list[tuple[K, Likeness]]:
        """The candidates most like `query` (see `rank_alike`)."""
        features = _features(query.text)
        tokens = (*features.words, *features.figures)
        wordings = {i for token in tokens for i in self._postings.get(token, ())}
        if query.claimant:
            wordings.update(self._claimed)
        best: dict[int, Likeness] = {}
        for wording in wordings:
            position, text, other = self._texts[wording]
            likeness = _likeness(features, other, same_claimant(query, text), self.weights)
            kept = best.get(position)
            if kept is None or likeness.score > kept.score:
                best[position] = likeness
        ranked = [(p, like) for p, like in best.items() if like.score >= min_score]
        top = heapq.nsmallest(limit, ranked, key=lambda item: (-item[1].score, item[0]))
        return [(self._keys[p], like) for p, like in top]
