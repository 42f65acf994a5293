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


@dataclass(frozen=True)
class RelationDef:
    """One relation type: its name (stored on relations), the span labels its head and its child
    may have (empty: any label), a one-line meaning and a colour for the pane and the marks."""

    name: str
    heads: tuple[str, ...]
    children: tuple[str, ...]
    description: str
    color: str

    def fits(self, head_label: str, child_label: str) -> bool:
        """Whether a head span of `head_label` may link to a child span of `child_label`."""
        return (not self.heads or head_label in self.heads) and (
            not self.children or child_label in self.children
        )


DEFAULT_RELATION_DEFS: tuple[RelationDef, ...] = (
    RelationDef(SAID_BY, ("claim",), ("actor",), "Who made the claim.", "#ffd75f"),
    RelationDef("source", ("figure",), ("actor",), "Where the figure comes from.", "#87d787"),
    RelationDef(
        "part_of", ("figure", "outcome"), ("claim",), "The claim this belongs to.", "#ffafd7"
    ),
)
RELATION_LABELS: tuple[str, ...] = tuple(relation.name for relation in DEFAULT_RELATION_DEFS)


def fitting_relations(
    relations: tuple[RelationDef, ...], head_label: str, child_label: str
) -> tuple[RelationDef, ...]:
    """The relation types that may link a `head_label` span to a `child_label` span."""
    return tuple(relation for relation in relations if relation.fits(head_label, child_label))
