"""Link rules: a claim or figure joined to its actor by a cue of speech in one sentence.

`said_by` (claim -> actor) and `source` (figure -> actor) are proposed where the configuration has
a relation type that fits the two labels: the relation types come from the caller, so a desk that
renamed them gets its own names. The actor chosen is the one nearest the cue ("Lin said", "said
Lin", "according to Gaza's Ministry of Health"). Quoted speech and "said that …" clauses are also
proposed as claims (`quote`, `reported`), so the links have a head.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from suggest.model import SuggestedLink, Suggestion
from suggest.scan import both_cases, find_watched, watch
from vocabulary.labels import RelationDef, fitting_relations

_CUE_WORDS = (
    "said|says|say|told|tells|added|adds|announced|announces|claimed|claims|stated|states|"
    "declared|declares|reported|reports|confirmed|confirms|insisted|insists|explained|"
    "estimated|estimates|warned|warns|according to"
)
# Found by str.find in both cases (suggest.scan): much faster than a regex over a long article.
_CUE_LIST = both_cases(w.split()[0] for w in _CUE_WORDS.split("|"))
watch(_CUE_LIST)
_TO_AFTER = re.compile(r"\s+to(?![\w])")


def cue_positions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every cue word of `text` (said, told, according to…)."""
    found = []
    for start, end, word in find_watched(text, _CUE_LIST):
        if word in ("according", "According"):
            to = _TO_AFTER.match(text, end)
            if to is None:
                continue
            end = to.end()
        found.append((start, end))
    return found


# A sentence ends at . ! ? (and a closing quote) before a space and a capital or a quote, or at a
# line break; abbreviations like "Mr." rarely sit before a cue, so the simple rule serves links.
_SENTENCE_END = re.compile(r"[.!?][”\"’')]?\s+(?=[A-Z“\"‘(])|\n+")
_QUOTE = re.compile(r"[“\"]([^“”\"\n]{12,}?)[”\"]")
_REPORTED = re.compile(
    r"\b(?:said|says|told\s+\w+(?:\s+\w+){0,3}?|claimed|claims|announced|insisted|stated|added|"
    r"confirmed|reported)\s+(?:that\s+)?(?=[^\s“”\"])"
)
_ACCORDING = re.compile(r"\s*According\s+to\s+[^,\n]{2,80},\s+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        stop = match.start() + (text[match.start()] in ".!?")  # the full stop stays in
        if stop > start:
            spans.append((start, stop))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def claim_suggestions(
    text: str,
    sentences: Sequence[tuple[int, int]],
    actors: Sequence[Suggestion],
    cues: Sequence[tuple[int, int]] | None = None,
) -> list[Suggestion]:
    """Reported speech in sentences with a cue and an actor: the quotation, or the clause after
    "said (that)" / "According to X,"."""
    found: list[Suggestion] = []
    actor_index = 0
    cue_starts = [cue[0] for cue in (cue_positions(text) if cues is None else cues)]
    for start, end in sentences:
        first = bisect.bisect_left(cue_starts, start)
        if first == len(cue_starts) or cue_starts[first] >= end:
            continue
        while actor_index < len(actors) and actors[actor_index].end <= start:
            actor_index += 1
        sentence_actors = []
        for actor in actors[actor_index:]:
            if actor.start >= end:
                break
            sentence_actors.append(actor)
        if not sentence_actors:
            continue
        sentence = text[start:end]
        quotes = [m for m in _QUOTE.finditer(sentence) if len(m.group(1).split()) >= 4]
        if quotes:
            for quote in quotes:
                q_start, q_end = start + quote.start(1), start + quote.end(1)
                q_start, q_end = _strip_edges(text, q_start, q_end)
                found.append(Suggestion(q_start, q_end, "claim", text[q_start:q_end], "quote"))
            continue
        clause_start = None
        according = _ACCORDING.match(sentence)
        if according is not None:
            clause_start = according.end()
        else:
            # The clause after the sentence's first cue that starts one ("said (that) …"); the
            # cues are known, so the pattern is tried only there.
            index = first
            while index < len(cue_starts) and cue_starts[index] < end:
                reported = _REPORTED.match(text, cue_starts[index], end)
                if reported is not None:
                    clause_start = reported.end() - start
                    break
                index += 1
        if clause_start is None or any(mark in sentence[clause_start:] for mark in '“”"'):
            continue
        c_start, c_end = _strip_edges(text, start + clause_start, end)
        if len(text[c_start:c_end].split()) >= 4 and not any(
            a.start <= c_start < a.end for a in sentence_actors
        ):
            found.append(Suggestion(c_start, c_end, "claim", text[c_start:c_end], "reported"))
    return found


def link_suggestions(
    text: str,
    spans: Sequence[Suggestion],
    sentences: Sequence[tuple[int, int]],
    relations: Sequence[RelationDef],
    cues: Sequence[tuple[int, int]] | None = None,
) -> list[SuggestedLink]:
    """Links from each claim or figure to the actor nearest a cue in its sentence."""
    links: list[SuggestedLink] = []
    relation_tuple = tuple(relations)
    fitting_by_label: dict[str, tuple[RelationDef, ...]] = {}
    all_cues = list(cue_positions(text) if cues is None else cues)
    cue_starts = [cue[0] for cue in all_cues]
    position = 0
    for start, end in sentences:
        first = bisect.bisect_left(cue_starts, start)
        cues = all_cues[first : bisect.bisect_left(cue_starts, end, first)]
        if not cues:
            continue
        while position < len(spans) and spans[position].end <= start:
            position += 1
        members = []
        for index in range(position, len(spans)):
            if spans[index].start >= end:
                break
            if spans[index].start >= start:
                members.append(index)
        actors = [index for index in members if spans[index].label == "actor"]
        if not actors:
            continue
        for index in members:
            head = spans[index]
            if head.label == "actor":
                continue
            fitting = fitting_by_label.get(head.label)
            if fitting is None:
                fitting = fitting_relations(relation_tuple, head.label, "actor")
                fitting_by_label[head.label] = fitting
            if not fitting:
                continue
            speaker = _speaker(spans, actors, cues, head)
            if speaker is None:
                continue
            links.append(SuggestedLink(index, speaker, fitting[0].name, "cue"))
    return links


def _speaker(
    spans: Sequence[Suggestion],
    actors: Sequence[int],
    cues: Sequence[tuple[int, int]],
    head: Suggestion,
) -> int | None:
    """The actor nearest any cue of the sentence, not inside the head span itself."""
    best: tuple[int, int] | None = None
    for index in actors:
        actor = spans[index]
        if head.start <= actor.start and actor.end <= head.end:
            continue
        for cue_start, cue_end in cues:
            distance = min(abs(actor.start - cue_end), abs(cue_start - actor.end))
            if best is None or distance < best[0]:
                best = (distance, index)
    return None if best is None or best[0] > 80 else best[1]


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in " ,.;:":
        end -= 1
    while start < end and text[start] in " ":
        start += 1
    return start, end
