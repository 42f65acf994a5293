"""Suggestions: spans and links proposed by rules (and an optional spaCy model), never decided.

Pure: no database, no UI, no network. `suggest(text, ...)` returns every suggestion for one text
(offsets into that exact text); the annotate screen shows them apart from spans, and only an
annotator's accept turns one into a span (origin `suggested:<rule>`). The inputs are plain data —
the text, the corpus's known entities (name and aliases), the label set and relation types in
force, and an already loaded spaCy pipeline — so the same call serves `factmark suggest`, the
annotate screen and the quality bench. Blind stays blind: nothing here sees another annotator's
spans.

Modules: `figures` (numbers with what they count), `actors` (who says or does), `links` (cue
words joining a claim or figure to its actor; sentences; reported-speech claims),
`spacy_model` (the optional pipeline), `model` (the data types); `claim_match` (how alike two
claims are: the check picker's and "checked before?"'s matcher, used by the store directly).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from suggest.actors import actor_suggestions
from suggest.figures import figure_suggestions
from suggest.links import claim_suggestions, cue_positions, link_suggestions, sentence_spans
from suggest.model import KnownEntity, SuggestedLink, Suggestion, Suggestions
from suggest.scan import forget
from vocabulary.labels import DEFAULT_LABELS, DEFAULT_RELATION_DEFS, RelationDef

__all__ = [
    "KnownEntity",
    "SuggestedLink",
    "Suggestion",
    "Suggestions",
    "known_entities",
    "suggest",
]


def known_entities(pairs: Iterable[tuple[str, Iterable[str]]]) -> tuple[KnownEntity, ...]:
    """Entities from plain (name, aliases) pairs, as a store's entity list gives them."""
    return tuple(KnownEntity(name, tuple(aliases)) for name, aliases in pairs)


def suggest(
    text: str,
    *,
    entities: Sequence[KnownEntity] = (),
    labels: Sequence[str] = DEFAULT_LABELS,
    relations: Sequence[RelationDef] = DEFAULT_RELATION_DEFS,
    model: Any = None,
) -> Suggestions:
    """Every suggestion for `text`: spans of the labels in `labels` (actor, figure, claim where
    the label set has them), in text order, and links of the relation types in `relations`.

    `model` is a loaded spaCy pipeline (`suggest.spacy_model.load_model`) or None."""
    wanted = set(labels)
    forget()  # the shared word scan is made for this text, inside this call
    spans: list[Suggestion] = []
    actors = actor_suggestions(text, entities) if "actor" in wanted else []
    figures = figure_suggestions(text) if "figure" in wanted else []
    if model is not None:
        from suggest.spacy_model import model_suggestions

        extra = [s for s in model_suggestions(text, model) if s.label in wanted]
        actors = _merge(actors, [s for s in extra if s.label == "actor"])
        figures = _merge(figures, [s for s in extra if s.label == "figure"])
    spans.extend(actors)
    spans.extend(figures)
    sentences = sentence_spans(text)
    cues = cue_positions(text)
    if "claim" in wanted:
        spans.extend(claim_suggestions(text, sentences, actors, cues))
    spans.sort(key=_order)
    links = link_suggestions(text, spans, sentences, relations, cues) if relations else []
    forget()  # keep no reference to the text
    return Suggestions(tuple(spans), tuple(links))


def _order(span: Suggestion) -> tuple[int, int, str]:
    return span.start, span.end, span.label


def _merge(rules: list[Suggestion], model: list[Suggestion]) -> list[Suggestion]:
    """The rules' suggestions plus the model's that overlap none of them."""
    merged = list(rules)
    ranges = sorted((s.start, s.end) for s in rules)
    import bisect

    for candidate in sorted(model):
        index = bisect.bisect_left(ranges, (candidate.start, candidate.start))
        near = ranges[max(0, index - 1) : index + 1]
        if any(start < candidate.end and candidate.start < end for start, end in near):
            continue
        bisect.insort(ranges, (candidate.start, candidate.end))
        merged.append(candidate)
    merged.sort()
    return merged
