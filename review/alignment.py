"""Spans aligned across annotators for review: what they agree on and where they part ways.

Pure: plain spans in, plain candidates out. A *version* is one exact span (start, end, label) with
the annotators who marked it. Two versions belong to the same *candidate* when they are rival
answers to one question: the same label over overlapping text (a boundary disagreement) or the
same text under different labels (a label disagreement). Spans of different labels that merely
nest or overlap (an actor inside a claim) are separate candidates: that is normal annotation.

Labels an annotator drew together stay apart: when one annotator marked a claim 751-923 and an
outcome 895-923 inside it, the outcome is no rival of another annotator's claim 895-923 (that
claim rivals the first one's claim instead), so both labels can reach gold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

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

    # Cached: sorting and matching read these many times (a frozen dataclass without slots
    # keeps them in its __dict__).
    @cached_property
    def start(self) -> int:
        return min(version.start for version in self.versions)

    @cached_property
    def end(self) -> int:
        return max(version.end for version in self.versions)

    @cached_property
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


def labels_drawn_with(versions: Sequence[Version]) -> dict[SpanKey, frozenset[str]]:
    """For each version, the other labels its own annotators drew over text overlapping it
    (`versions` sorted by start, as `versions_of` gives them)."""
    together: dict[SpanKey, set[str]] = defaultdict(set)
    for i, a in enumerate(versions):
        for b in versions[i + 1 :]:
            if b.start >= a.end:
                break
            if a.label != b.label and set(a.annotators) & set(b.annotators):
                together[a.key].add(b.label)
                together[b.key].add(a.label)
    return {key: frozenset(labels) for key, labels in together.items()}


def rivals_in(a: SpanKey, b: SpanKey, together: Mapping[SpanKey, frozenset[str]]) -> bool:
    """`rivals`, but two labels some annotator of either drew together there are no rivals."""
    if not rivals(a, b):
        return False
    if a[2] == b[2]:
        return True
    return b[2] not in together.get(a, frozenset()) and a[2] not in together.get(b, frozenset())


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
    groups = _rival_groups([version.key for version in versions], labels_drawn_with(versions))
    candidates = [_candidate([versions[i] for i in group], annotators) for group in groups]
    return sorted(candidates, key=lambda c: (c.start, c.end, c.keys))


def _rival_groups(
    keys: Sequence[SpanKey], together: Mapping[SpanKey, frozenset[str]]
) -> list[list[int]]:
    """Indexes of `keys` (sorted by start) grouped into connected components of `rivals_in`."""
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
            if rivals_in(a, b, together):
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

    A gold span equal to a version answers that version's candidate only (a nested outcome in
    gold is no answer to the claim beside it); any other gold span answers the candidates it
    rivals a version of. `decided` holds the keys a reviewer rejected or edited away.
    """
    decided_keys = set(decided)
    owner = {key: index for index, candidate in enumerate(candidates) for key in candidate.keys}
    answered: set[int] = set()
    items: list[ReviewItem] = []
    for index, candidate in enumerate(candidates):
        answers = tuple(g for g in gold if _answers(g.key, candidate, owner.get(g.key), index))
        answered.update(g.id for g in answers)
        items.append(ReviewItem(candidate, answers, _state(candidate, answers, decided_keys)))
    items.extend(ReviewItem(None, (g,), GOLD_ONLY) for g in gold if g.id not in answered)
    return sorted(items, key=lambda item: (item.start, item.end, item.candidate is None))


def _answers(key: SpanKey, candidate: Candidate, owner: int | None, index: int) -> bool:
    if owner is not None:
        return owner == index
    return any(rivals(key, version.key) for version in candidate.versions)


def _state(candidate: Candidate, answers: tuple[GoldRef, ...], decided: set[SpanKey]) -> str:
    if answers:
        if _rival_gold(answers):
            return OPEN  # gold holds rival versions (auto with K = 1): one is to be chosen
        keys = set(candidate.keys)
        return ACCEPTED if all(g.key in keys for g in answers) else EDITED
    if all(key in decided for key in candidate.keys):
        return REJECTED
    return OPEN


def _rival_gold(answers: tuple[GoldRef, ...]) -> bool:
    return any(rivals(a.key, b.key) for i, a in enumerate(answers) for b in answers[i + 1 :])


@dataclass
class AutoPlan:
    """What auto-adjudication does with one document: spans to add (with who marked them) and
    how many qualifying spans it leaves alone, by reason."""

    add: list[Version] = field(default_factory=list)
    already_in_gold: int = 0
    decided: int = 0  # a reviewer rejected or edited it
    conflicting: int = 0  # rivals a gold span or another qualifying span
    beside_rival: int = 0  # added (K = 1) though another annotator's version rivals it


def auto_plan(
    layers: Mapping[str, Iterable[Marked]],
    gold: Iterable[SpanKey],
    decided: Iterable[SpanKey],
    min_agree: int,
) -> AutoPlan:
    """The spans at least `min_agree` annotators marked identically that may go into gold.

    A qualifying span is left out when it is already in gold (identical duplicates go in once),
    when a reviewer decided against it, or when it rivals a gold span answering its candidate.
    Rival qualifying spans (same candidate) are left for the reviewer when `min_agree` >= 2; with
    `min_agree` 1, which asks for every span, they all go in and are counted as `beside_rival`:
    the review screen shows such candidates open until one version is accepted.
    """
    if min_agree < 1:
        raise ValueError(f"min_agree must be at least 1 (got {min_agree})")
    gold_keys = list(dict.fromkeys(gold))
    gold_set, decided_keys = set(gold_keys), set(decided)
    plan = AutoPlan()
    versions = versions_of(layers)
    if not any(len(version.annotators) >= min_agree for version in versions):
        return plan
    # The candidates of `align`, as groups of versions: no Candidate built, nothing sorted
    # (10,000 documents go through here in one run).
    keys = [version.key for version in versions]
    groups = _rival_groups(keys, labels_drawn_with(versions))
    owner = {keys[i]: index for index, group in enumerate(groups) for i in group}
    for index, group in enumerate(groups):
        qualifying = [versions[i] for i in group if len(versions[i].annotators) >= min_agree]
        if not qualifying:
            continue
        answering = [
            g
            for g in gold_keys
            if (owner[g] == index if g in owner else any(rivals(g, keys[i]) for i in group))
        ]
        for version in qualifying:
            key = version.key
            rival_qualifies = any(rivals(key, other.key) for other in qualifying)
            if key in gold_set:
                plan.already_in_gold += 1
            elif key in decided_keys:
                plan.decided += 1
            elif _left_for_review(key, answering, rival_qualifies, min_agree):
                plan.conflicting += 1
            else:
                plan.add.append(version)
                plan.beside_rival += rival_qualifies
    plan.add.sort(key=lambda version: version.key)
    return plan


def _left_for_review(
    key: SpanKey, answering: Sequence[SpanKey], rival_qualifies: bool, min_agree: int
) -> bool:
    """A gold span already answers the question differently, or (K >= 2) so does another
    qualifying version."""
    return any(rivals(key, other) for other in answering) or (rival_qualifies and min_agree > 1)


def anonymous_names(annotators: Iterable[str]) -> dict[str, str]:
    """Stand-in names for anonymised review: "annotator 1", "annotator 2", ... in sorted order."""
    return {name: f"annotator {index}" for index, name in enumerate(sorted(annotators), start=1)}
