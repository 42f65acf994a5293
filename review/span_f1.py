"""Pairwise span F1: strict (same offsets) and overlap (a maximum one-to-one matching)."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

Interval = tuple[int, int]  # (start, end), end exclusive


def strict_matches(reference: list[Interval], predicted: list[Interval]) -> int:
    """How many spans the two lists share with identical offsets, as a multiset intersection."""
    if not reference or not predicted:
        return 0
    reference_set, predicted_set = set(reference), set(predicted)
    if len(reference_set) == len(reference) and len(predicted_set) == len(predicted):
        return len(reference_set & predicted_set)
    return sum((Counter(reference) & Counter(predicted)).values())


def overlap_matches(reference: list[Interval], predicted: list[Interval]) -> int:
    """The size of a maximum matching pairing spans that share a character (touching is not)."""
    if not reference or not predicted:
        return 0
    return maximum_matching_size(overlap_adjacency(reference, predicted), len(predicted))


def overlap_adjacency(reference: list[Interval], predicted: list[Interval]) -> list[list[int]]:
    """For each reference span, the indexes (into `predicted`) of the spans it overlaps."""
    order = sorted(range(len(predicted)), key=lambda index: predicted[index])
    starts = [predicted[index][0] for index in order]
    adjacency: list[list[int]] = []
    for start, end in reference:
        # Only predicted spans starting before this one ends can overlap it.
        candidates = order[: bisect_left(starts, end)]
        adjacency.append([index for index in candidates if predicted[index][1] > start])
    return adjacency


def maximum_matching_size(adjacency: list[list[int]], right_count: int) -> int:
    """The size of a maximum matching of a bipartite graph (see `maximum_matching`)."""
    return sum(right != -1 for right in maximum_matching(adjacency, right_count))


def maximum_matching(adjacency: list[list[int]], right_count: int) -> list[int]:
    """A maximum matching of a bipartite graph (Kuhn's augmenting paths): for each left vertex,
    the right vertex it is matched with, or -1.

    `adjacency[left]` lists the right vertices `left` may pair with, preferred first. A greedy
    pass matches the easy vertices first; then one augmenting-path search per unmatched left
    vertex is enough, because a vertex with no augmenting path never gains one later (Berge;
    Kuhn 1955).
    """
    match_of_left = [-1] * len(adjacency)
    match_of_right = [-1] * right_count
    for left, neighbours in enumerate(adjacency):
        for right in neighbours:
            if match_of_right[right] == -1:
                match_of_right[right], match_of_left[left] = left, right
                break
    for left, neighbours in enumerate(adjacency):
        if match_of_left[left] == -1 and neighbours:
            _augment(left, adjacency, match_of_left, match_of_right)
    return match_of_left


def _augment(
    root: int, adjacency: list[list[int]], match_of_left: list[int], match_of_right: list[int]
) -> bool:
    """Search an augmenting path from the unmatched `root` depth-first; flip it when found."""
    visited: set[int] = set()
    path = [(root, iter(adjacency[root]))]  # left vertices on the path, with untried neighbours
    chosen: list[int] = []  # the right vertex each path level moved through
    while path:
        _left, neighbours = path[-1]
        for right in neighbours:
            if right in visited:
                continue
            visited.add(right)
            chosen.append(right)
            owner = match_of_right[right]
            if owner == -1:
                for (left, _rest), right_vertex in zip(path, chosen, strict=True):
                    match_of_left[left], match_of_right[right_vertex] = right_vertex, left
                return True
            path.append((owner, iter(adjacency[owner])))
            break
        else:
            path.pop()
            if chosen:
                chosen.pop()
    return False


def f1_figures(matches: int, n_a: int, n_b: int) -> dict[str, int | float | None]:
    """agreement.md's figures for one pair: the first name is the reference (recall, `n_a`)."""
    return {
        "n_a": n_a,
        "n_b": n_b,
        "matches": matches,
        "precision": matches / n_b if n_b else None,
        "recall": matches / n_a if n_a else None,
        "f1": 2 * matches / (n_a + n_b) if n_a + n_b else None,
    }
