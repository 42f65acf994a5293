"""The claim matcher's labelled set and its scoring, shared by `bench.bench_claims` and the tests.

tests/data/claim_match/claims.json holds candidates (checks: a claim as a checker words it and
the seed sentences it appears in) and queries (other wordings of one candidate's claim, "real"
ones taken from the seed articles and "written" ones, plus "none" queries: different claims of
the same stories, which should match nothing).

Figures: precision@1 (the best-ranked candidate is the right one) over the queries with a match;
separation: the right candidate's score against the best wrong one's, per query (the margin), and
at the store's threshold how many right ones pass (recall) and how many queries get a wrong
candidate past it (false alarms, "none" queries included).
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path

from suggest.claim_match import ClaimIndex, ClaimText, WordWeights

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "claim_match" / "claims.json"


@dataclass(frozen=True)
class Query:
    text: ClaimText
    match: str | None
    kind: str


@dataclass(frozen=True)
class Quality:
    queries: int
    precision_at_1: float
    right_mean: float  # mean score of the right candidate
    wrong_mean: float  # mean score of the best wrong candidate
    margin_min: float  # the smallest right-minus-best-wrong
    recall_at: float  # right candidates at or over the threshold
    false_alarms_at: float  # queries whose best wrong candidate is at or over the threshold
    misses: tuple[str, ...]  # texts of queries whose first candidate was wrong


def load_set(path: Path = DATA) -> tuple[list[tuple[str, list[ClaimText]]], list[Query]]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    candidates = []
    for item in raw["candidates"]:
        claimant = item["claimant"]
        texts = [ClaimText(item["claim"], claimant)]
        texts += [ClaimText(text, claimant) for text in item["appearances"]]
        candidates.append((item["id"], texts))
    queries = [
        Query(ClaimText(q["text"], q["claimant"]), q["match"], q["kind"]) for q in raw["queries"]
    ]
    return candidates, queries


def corpus_weights(candidates: list[tuple[str, list[ClaimText]]]) -> WordWeights:
    """Word rarity over the candidates' texts (what a store knows: its own checks)."""
    return WordWeights.from_texts(text.text for _, texts in candidates for text in texts)


def score(
    threshold: float, *, weighted: bool = True, kinds: tuple[str, ...] = ("real", "written")
) -> Quality:
    candidates, queries = load_set()
    index = ClaimIndex(candidates, corpus_weights(candidates) if weighted else None)
    hits, right, wrong, margins, passed, alarms, misses = 0, [], [], [], 0, 0, []
    matched = [q for q in queries if q.kind in kinds]
    for query in matched:
        ranked = index.search(query.text, limit=len(candidates), min_score=0.0)
        scores = dict(ranked)
        right_score = scores[query.match].score if query.match in scores else 0.0
        wrong_score = max((like.score for key, like in ranked if key != query.match), default=0)
        hits += bool(ranked) and ranked[0][0] == query.match
        if not (ranked and ranked[0][0] == query.match):
            misses.append(query.text.text)
        right.append(right_score)
        wrong.append(wrong_score)
        margins.append(right_score - wrong_score)
        passed += right_score >= threshold
        alarms += wrong_score >= threshold
    nones = [q for q in queries if q.kind == "none"]
    for query in nones:
        ranked = index.search(query.text, limit=1, min_score=threshold)
        alarms += bool(ranked)
    return Quality(
        queries=len(matched),
        precision_at_1=hits / len(matched),
        right_mean=statistics.fmean(right),
        wrong_mean=statistics.fmean(wrong),
        margin_min=min(margins),
        recall_at=passed / len(matched),
        false_alarms_at=alarms / (len(matched) + len(nones)),
        misses=tuple(misses),
    )
