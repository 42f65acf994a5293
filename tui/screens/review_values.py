"""What a version carries beyond its extent (each annotator's note, attributes and entity), as the
review screen shows it, offers it for choosing, and says what gold took.

Notes and attribute values are untrusted text: put on one line, cut, and never read as markup.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from rich.text import Text

from review.adjudication import Carried, Marking, distinct_markings
from review.alignment import SpanKey
from store import ReviewDocument, SpanInfo
from store.info import GoldProvenance
from tui.screens.link_picker import PickerRow
from tui.widgets.annotation_pane import span_snippet

NONE_ROW = "none: no note, no attributes"
CHOICE_HINT = "↑↓ choose · enter takes it into gold · esc cancels (nothing is written)"


def spans_marked(review: ReviewDocument, key: SpanKey) -> dict[str, SpanInfo]:
    """Each annotator's span with exactly this key (their first, should they have two)."""
    found: dict[str, SpanInfo] = {}
    for name, spans in review.layers.items():
        for span in spans:
            if (span.start, span.end, span.label) == key:
                found[name] = span
                break
    return found


def version_marks(review: ReviewDocument) -> dict[SpanKey, str]:
    """A sign per version for the candidate list: "≠" when its annotators gave different notes
    or attributes (accepting asks whose), "✎" when they gave some and agree."""
    by_key: dict[SpanKey, dict[str, SpanInfo]] = {}
    for name, spans in review.layers.items():
        for span in spans:
            by_key.setdefault((span.start, span.end, span.label), {}).setdefault(name, span)
    marks: dict[SpanKey, str] = {}
    for key, marked in by_key.items():
        markings = markings_of(marked)
        if len(distinct_markings(markings)) > 1:
            marks[key] = "≠"
        elif not all(marking.empty for marking in markings):
            marks[key] = "✎"
    return marks


def markings_of(spans: Mapping[str, SpanInfo]) -> list[Marking]:
    return [
        Marking(name, span.note, dict(span.attrs), span.entity_id) for name, span in spans.items()
    ]


def values_said(span: SpanInfo) -> str:
    """A span's note, attributes and entity on one line ("" when it has none)."""
    parts = []
    if span.note:
        parts.append(f"note “{span_snippet(span.note, 40)}”")
    for name, value in sorted(span.attrs.items()):
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{span_snippet(name, 20)}={span_snippet(shown, 24)}")
    if span.entity is not None:
        parts.append(f"entity {span_snippet(span.entity.name, 24)}")
    return " · ".join(parts)


def version_values(spans: Mapping[str, SpanInfo], names: Mapping[str, str]) -> Text:
    """Lines under a version: its values once when its annotators agree, else each one's."""
    markings = markings_of(spans)
    groups = [(spans[first.annotator], who) for first, who in distinct_markings(markings)]
    lines = Text()
    if len(groups) == 1:
        said = values_said(groups[0][0])
        if said:
            lines.append(f"\n    {said}", "dim")
        return lines
    for span, who in groups:
        shown = ", ".join(names.get(n, n) for n in who)
        lines.append(f"\n    {shown}: {values_said(span) or 'no note, no attributes'}", "yellow")
    return lines


def choice_rows(
    spans: Mapping[str, SpanInfo], names: Mapping[str, str]
) -> tuple[list[Marking], list[PickerRow]]:
    """The different value sets annotators gave, as picker rows, and the markings they stand for
    (the last row, "none", takes nothing)."""
    choices: list[Marking] = []
    rows: list[PickerRow] = []
    for first, who in distinct_markings(markings_of(spans)):
        shown = ", ".join(names.get(n, n) for n in who)
        said = values_said(spans[first.annotator]) or "no note, no attributes"
        choices.append(first)
        rows.append(PickerRow(Text(f"{shown}: {said}", no_wrap=True), f"{shown} {said}"))
    rows.append(PickerRow(Text(NONE_ROW, "dim"), NONE_ROW))
    return choices, rows


def carried_said(carried: Carried, names: Mapping[str, str]) -> str:
    """What a gold span took, for the status line ("" when nothing)."""
    parts = []
    if carried.note_from:
        parts.append("note of " + _who(carried.note_from, names))
    if carried.attrs_from:
        parts.append("attributes of " + _who(carried.attrs_from, names))
    said = " with the " + " and the ".join(parts) if parts else ""
    if carried.left_out:
        said += "; left out (annotators differ): " + ", ".join(
            span_snippet(name, 20) for name in carried.left_out
        )
    return said


def provenance_values(found: GoldProvenance, names: Mapping[str, str]) -> str:
    """Whose note and attributes a gold span took, and what it left out ("" when nothing)."""
    parts = []
    if found.note_from:
        parts.append("note from " + _who(found.note_from, names))
    if found.attrs_from:
        parts.append("attributes from " + _who(found.attrs_from, names))
    if found.left_out:
        parts.append("left out: " + ", ".join(span_snippet(n, 20) for n in found.left_out))
    return " · ".join(parts)


def _who(annotators: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(name, name) for name in annotators)
