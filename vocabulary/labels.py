"""The default label set and relation types: the one place they are written.

A configuration file replaces the label set (`settings.config.load_config`); `default_config.toml`
documents these same defaults, and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from vocabulary.names import SAID_BY


@dataclass(frozen=True)
class LabelDef:
    """One label of the label set: its name (stored on spans), key, colour and one-line meaning."""

    name: str
    key: str
    color: str
    description: str


DEFAULT_LABEL_DEFS: tuple[LabelDef, ...] = (
    LabelDef(
        "actor", "1", "#87afff", "Who says or does something: a person, group or institution."
    ),
    LabelDef(
        "claim", "2", "#ffd75f", "A checkable statement of fact, or what someone says is one."
    ),
    LabelDef("figure", "3", "#87d787", "A number with what it counts: toll, amount, share, date."),
    LabelDef(
        "outcome", "4", "#ffafd7", "What happened or was decided as a result: deal, vote, ruling."
    ),
)
DEFAULT_LABELS: tuple[str, ...] = tuple(label.name for label in DEFAULT_LABEL_DEFS)

RELATION_LABELS: tuple[str, ...] = (SAID_BY, "source", "part_of")
