"""Spans aligned across annotators for review: what they agree on and where they part ways.

Pure: plain spans in, plain candidates out. A *version* is one exact span (start, end, label) with
the annotators who marked it. Two versions belong to the same *candidate* when they are rival
answers to one question: the same label over overlapping text (a boundary disagreement) or the
same text under different labels (a label disagreement). Spans of different labels that merely
nest or overlap (an actor inside a claim) are separate candidates: that is normal annotation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from review.model import Marked

SpanKey = tuple[int, int, str]  # (start, end, label), offsets in code points, end exclusive

# Kinds of candidate.
AGREED = "agreed"  # one version, marked by every annotator
PARTIAL = "partial"  # one version, marked by only some annotators
BOUNDARY = "boundary"  # several versions, one label, overlapping extents
LABEL = "label"  # several versions, one extent, different labels
MIXED = "mixed"  # several versions differing in both extent and label
KINDS = (AGREED, PARTIAL, BOUNDARY, LABEL, MIXED)

# Review states of an item.
OPEN = "open"  # nothing decided yet
ACCEPTED = "accepted"  # a version is in gold as it was marked
EDITED = "edited"  # gold holds a span for it that no annotator marked exactly
REJECTED = "rejected"  # every version was rejected; nothing in gold
GOLD_ONLY = "gold"  # a gold span no annotator's version competes with (added by a reviewer)


@dataclass(frozen=True)
class Version:
    """One exact span and who marked it (names sorted)."""

    start: int
    end: int
    label: str
    annotators: tuple[str, ...]

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, self.label)


@dataclass(frozen=True)
class Candidate:
    """Rival versions of one span; `missing` are the annotators who marked none of them."""

    kind: str
    versions: tuple[Version, ...]
    missing: tuple[str, ...]

    @property
    def start(self) -> int:
        return min(version.start for version in self.versions)

    @property
    def end(self) -> int:
        return max(version.end for version in self.versions)

    @property
    def keys(self) -> tuple[SpanKey, ...]:
        return tuple(version.key for version in self.versions)

    @property
    def marked_by(self) -> tuple[str, ...]:
        return tuple(sorted({name for version in self.versions for name in version.annotators}))


@dataclass(frozen=True)
class GoldRef:
    """A gold span as review sees it: its store id and key."""

    id: int
    start: int
    end: int
    label: str

    @property
    def key(self) -> SpanKey:
        return (self.start, self.end, self.label)


@dataclass(frozen=True)
class ReviewItem:
    """One line of work for a reviewer: a candidate (None for a gold-only span), the gold spans
    that answer it, and its state (OPEN, ACCEPTED, EDITED, REJECTED or GOLD_ONLY)."""

    candidate: Candidate | None
    gold: tuple[GoldRef, ...]
    state: str

    @property
    def start(self) -> int:
        starts = [g.start for g in self.gold]
        if self.candidate is not None:
            starts.append(self.candidate.start)
        return min(starts)

    @property
    def end(self) -> int:
        ends = [g.end for g in self.gold]
        if self.candidate is not None:
            ends.append(self.candidate.end)
        return max(ends)


def rivals(a: SpanKey, b: SpanKey) -> bool:
    """True when two different spans answer the same question (see the module docstring)."""
    if a == b:
        return False
    same_extent = a[0] == b[0] and a[1] == b[1]
    overlapping = a[0] < b[1] and b[0] < a[1]
    return same_extent or (a[2] == b[2] and overlapping)


def versions_of(layers: Mapping[str, Iterable[Marked]]) -> list[Version]:
    """Every distinct span of the layers with its annotators, in text order."""
    marked: dict[SpanKey, set[str]] = defaultdict(set)
    for annotator, spans in layers.items():
        for span in spans:
            marked[(span.start, span.end, span.label)].add(annotator)
    return [Version(*key, tuple(sorted(names))) for key, names in sorted(marked.items())]


def align(layers: Mapping[str, Iterable[Marked]]) -> list[Candidate]:
    """The candidates of one document: `layers` maps each annotator to their spans (an annotator
    with no spans still counts: what others marked is then partial). Sorted by start, end."""
    annotators = sorted(layers)
    versions = versions_of(layers)
    groups = _rival_groups([version.key for version in versions])
    candidates = [_candidate([versions[i] for i in group], annotators) for group in groups]
    return sorted(candidates, key=lambda c: (c.start, c.end, c.keys))


def _rival_groups(keys: Sequence[SpanKey]) -> list[list[int]]:
    """Indexes of `keys` (sorted by start) grouped into connected components of `rivals`."""
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(keys):
        for j in range(i + 1, len(keys)):
            b = keys[j]
            if b[0] >= a[1]:
                break  # sorted by start: no later span overlaps or shares a's extent
            if rivals(a, b):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(keys)):
        groups[root(i)].append(i)
    return list(groups.values())


def _candidate(versions: list[Version], annotators: Sequence[str]) -> Candidate:
    marked = {name for version in versions for name in version.annotators}
    missing = tuple(name for name in annotators if name not in marked)
    return Candidate(_kind(versions, missing), tuple(versions), missing)


def _kind(versions: list[Version], missing: tuple[str, ...]) -> str:
    if len(versions) == 1:
        return PARTIAL if missing else AGREED
    labels = {version.label for version in versions}
    extents = {(version.start, version.end) for version in versions}
    if len(labels) == 1:
        return BOUNDARY
    if len(extents) == 1:
        return LABEL
    return MIXED


def review_items(
    candidates: Sequence[Candidate], gold: Sequence[GoldRef], decided: Iterable[SpanKey]
) -> list[ReviewItem]:
    """Candidates with the gold spans answering each and their state, plus gold-only items.

    A gold span answers a candidate when it equals one of its versions or rivals one. `decided`
    holds the keys a reviewer rejected or edited away.
    """
    decided_keys = set(decided)
    answered: set[int] = set()
    items: list[ReviewItem] = []
    for candidate in candidates:
        answers = tuple(g for g in gold if _answers(g.key, candidate))
        answered.update(g.id for g in answers)
        items.append(ReviewItem(candidate, answers, _state(candidate, answers, decided_keys)))
    items.extend(ReviewItem(None, (g,), GOLD_ONLY) for g in gold if g.id not in answered)
    return sorted(items, key=lambda item: (item.start, item.end, item.candidate is None))


def _answers(key: SpanKey, candidate: Candidate) -> bool:
    return any(key == version.key or rivals(key, version.key) for version in candidate.versions)


def _state(candidate: Candidate, answers: tuple[GoldRef, ...], decided: set[SpanKey]) -> str:
    if answers:
        keys = set(candidate.keys)
        return ACCEPTED if all(g.key in keys for g in answers) else EDITED
    if all(key in decided for key in candidate.keys):
        return REJECTED
    return OPEN


@dataclass
class AutoPlan:
    """What auto-adjudication does with one document: spans to add (with who marked them) and
    how many qualifying spans it leaves alone, by reason."""

    add: list[Version] = field(default_factory=list)
    already_in_gold: int = 0
    decided: int = 0  # a reviewer rejected or edited it
    conflicting: int = 0  # rivals a gold span or another qualifying span


def auto_plan(
    layers: Mapping[str, Iterable[Marked]],
    gold: Iterable[SpanKey],
    decided: Iterable[SpanKey],
    min_agree: int,
) -> AutoPlan:
    """The spans at least `min_agree` annotators marked identically that may go into gold.

    A qualifying span is left out when it is already in gold, when a reviewer decided against it,
    or when it rivals a gold span or another qualifying span (a disagreement for the reviewer).
    """
    if min_agree < 1:
        raise ValueError(f"min_agree must be at least 1 (got {min_agree})")
    gold_keys, decided_keys = list(gold), set(decided)
    qualifying = [v for v in versions_of(layers) if len(v.annotators) >= min_agree]
    plan = AutoPlan()
    for version in qualifying:
        key = version.key
        if key in gold_keys:
            plan.already_in_gold += 1
        elif key in decided_keys:
            plan.decided += 1
        elif any(rivals(key, other) for other in gold_keys) or any(
            rivals(key, other.key) for other in qualifying
        ):
            plan.conflicting += 1
        else:
            plan.add.append(version)
    return plan


def anonymous_names(annotators: Iterable[str]) -> dict[str, str]:
    """Stand-in names for anonymised review: "annotator 1", "annotator 2", ... in sorted order."""
    return {name: f"annotator {index}" for index, name in enumerate(sorted(annotators), start=1)}
