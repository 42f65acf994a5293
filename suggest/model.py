"""What a suggestion is: plain, frozen data every layer may hold (no text processing here)."""

from __future__ import annotations

from dataclasses import dataclass


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of `words` (the rules' word lists are written as text)."""
    return frozenset(words.split())


# An accepted suggestion is stored with the origin `suggested:<rule>`, in a column of 20
# characters: rule names stay within 10.
MAX_RULE_LENGTH = 10


@dataclass(frozen=True, order=True)
class Suggestion:
    """A span the rules (or the optional model) propose: `text[start:end]` with a label.

    `rule` names what proposed it (stored as the origin `suggested:<rule>` once accepted)."""

    start: int
    end: int
    label: str
    text: str
    rule: str

    def as_json(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class SuggestedLink:
    """A relation between two suggestions, by their indices in `Suggestions.spans`."""

    head: int
    child: int
    label: str
    rule: str

    def as_json(self) -> dict[str, object]:
        return {"head": self.head, "child": self.child, "label": self.label, "rule": self.rule}


@dataclass(frozen=True)
class Suggestions:
    """Every suggestion for one text, in text order, and the links between them."""

    spans: tuple[Suggestion, ...] = ()
    links: tuple[SuggestedLink, ...] = ()

    def of_label(self, label: str) -> tuple[Suggestion, ...]:
        return tuple(span for span in self.spans if span.label == label)


@dataclass(frozen=True)
class KnownEntity:
    """An entity of the corpus as the rules need it: its name and aliases (plain strings)."""

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)
