"""Spreading documents over annotators for an agreement study: K annotators per document, loads
as even as possible, and partners that vary. Pure: ids and names in, a plan out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from itertools import combinations


def plan_assignments(
    documents: Sequence[int],
    annotators: Sequence[str],
    per_document: int,
    existing: Mapping[int, Collection[str]] | None = None,
    load: Mapping[str, int] | None = None,
) -> dict[int, list[str]]:
    """The new assignments that give every document `per_document` of `annotators`.

    `existing` holds each document's current assignees (those among `annotators` count towards K
    and are not picked again); `load` each annotator's current number of assignments. Each
    document takes the least loaded annotators, so from equal loads no two annotators end more
    than one document apart; among equally loaded ones, those who shared the fewest documents with
    the others picked so far, so that pairs vary (every pair of annotators gets compared).
    """
    names = list(dict.fromkeys(annotators))
    if len(names) != len(annotators):
        raise ValueError("an annotator is named twice")
    if not 1 <= per_document <= len(names):
        raise ValueError(
            f"--per-document must be between 1 and the number of annotators ({len(names)}), "
            f"not {per_document}"
        )
    existing = existing or {}
    loads = {name: (load or {}).get(name, 0) for name in names}
    order = {name: index for index, name in enumerate(names)}
    together: Counter[frozenset[str]] = Counter()  # how often two annotators shared a document
    plan: dict[int, list[str]] = {}
    for position, doc_id in enumerate(documents):
        team = [name for name in names if name in set(existing.get(doc_id, ()))]
        picked: list[str] = []
        while len(team) < per_document:
            free = [name for name in names if name not in team]
            best = min(
                free,
                key=lambda name: (
                    loads[name],
                    sum(together[frozenset((name, other))] for other in team),
                    (order[name] - position) % len(names),
                ),
            )
            team.append(best)
            picked.append(best)
            loads[best] += 1
        for first, second in combinations(team, 2):
            together[frozenset((first, second))] += 1
        if picked:
            plan[doc_id] = sorted(picked, key=order.__getitem__)
    return plan
