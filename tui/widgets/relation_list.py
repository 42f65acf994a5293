"""The review screen's links: each relation candidate's versions (who drew them) and gold links.

One row per version of a relation candidate, then one per gold relation that is no version; the
first row of a candidate carries its number ("L1"), state and type. Rows are plain `Text`: span
text and names come from imported files and users.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from review.alignment import SpanKey
from review.relation_review import GoldRelationRef, RelationItem, RelationVersion
from tui.widgets.annotation_pane import span_snippet
from tui.widgets.candidate_list import STATE_MARKS, STATE_STYLES


@dataclass(frozen=True)
class RelationRow:
    """One row: a version of relation candidate `relation`, or one of its gold links."""

    relation: int
    version: RelationVersion | None
    gold: GoldRelationRef | None
    first: bool

    @property
    def ends(self) -> tuple[SpanKey, SpanKey]:
        """The row's head and child span keys."""
        if self.version is not None:
            return self.version.head, self.version.child
        assert self.gold is not None
        return self.gold.head.key, self.gold.child.key


def relation_rows(relations: Sequence[RelationItem]) -> list[RelationRow]:
    """The list's rows, in candidate order: versions first, then gold links that are no version."""
    rows: list[RelationRow] = []
    for index, relation in enumerate(relations):
        keys = set(relation.keys)
        entries: list[tuple[RelationVersion | None, GoldRelationRef | None]] = [
            (version, None) for version in relation.versions
        ]
        entries += [(None, gold) for gold in relation.gold if gold.key not in keys]
        rows += [
            RelationRow(index, version, gold, position == 0)
            for position, (version, gold) in enumerate(entries)
        ]
    return rows


class RelationList(OptionList):
    """The relation rows of one document under review; `rows` matches the options one to one."""

    DEFAULT_CSS = """
    RelationList {
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False, compact=True)
        self._rows: list[RelationRow] = []

    @property
    def rows(self) -> list[RelationRow]:
        return self._rows

    @property
    def highlighted_row(self) -> RelationRow | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index]

    def show(
        self,
        text: str,
        relations: Sequence[RelationItem],
        names: Mapping[str, str],
        label_styles: Mapping[str, Style],
        highlight: int | None = None,
    ) -> None:
        """List the rows of `relations` over `text`; `names` maps annotators to what is shown."""
        self._rows = relation_rows(relations)
        self.clear_options()
        self.add_options(
            [
                Option(relation_prompt(row, relations[row.relation], text, names, label_styles))
                for row in self._rows
            ]
        )
        self.display = bool(self._rows)
        if self._rows:
            self.highlighted = max(0, min(highlight or 0, len(self._rows) - 1))


def relation_prompt(
    row: RelationRow,
    relation: RelationItem,
    text: str,
    names: Mapping[str, str],
    label_styles: Mapping[str, Style],
) -> Text:
    """`L1 • said_by  claim “…” → actor “…”  ana, ben  ✓ gold`."""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    number = f"L{row.relation + 1}"
    if row.first:
        prompt.append(f"{number} ")
        prompt.append(STATE_MARKS[relation.state], STATE_STYLES[relation.state])
        prompt.append(f" {relation.label} ", "bold")
    else:
        prompt.append(" " * (len(number) + 4 + len(relation.label)))
    head, child = row.ends
    for key, arrow in ((head, " → "), (child, " ")):
        start, end, label = key
        prompt.append(label, label_styles.get(label, Style(reverse=True)))
        prompt.append(" " + span_snippet(text[start:end], 10) + arrow)
    if row.version is not None:
        prompt.append(", ".join(names.get(n, n) for n in row.version.annotators), "italic")
        if any(gold.key == row.version.key for gold in relation.gold):
            prompt.append("  ✓ gold", "bold green")
    else:
        prompt.append("gold", "bold magenta")
    return prompt
