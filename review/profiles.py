"""Per-document profile tables at character and token level, built from span boundaries.

Between two consecutive span boundaries (of any annotator) every character has the same value
for every annotator, so a document is cut at those boundaries into a few dozen *segments* and
each segment adds its length to its profile. Nothing loops over characters in Python.

Values are label indexes `0..K-1`, with `K` for `O` (outside every span). At character level a
value carries the annotator's per-label coverage too: `code = value << K | mask`, where bit `L` of
`mask` is set when any `L` span of the annotator covers the character (agreement.md's binary
per-label units). `None` in a profile marks an annotator who did not do the document.
"""

from __future__ import annotations

from collections.abc import Sequence

from review.coefficients import ProfileTable
from review.model import IndexedSpan

Layers = Sequence[list[IndexedSpan] | None]  # per chosen annotator; None = not done
# A span seen at token level: (first token, token after the last, span start, span end, label).
TokenRange = tuple[int, int, int, int, int]


def painting_order(spans: list[IndexedSpan]) -> list[IndexedSpan]:
    """The spans from lowest to highest precedence, so the last one painted on a unit wins.

    agreement.md: the shortest span wins, then the smaller start, then the label listed first.
    """
    return sorted(spans, key=lambda span: (span[1] - span[0], span[0], span[2]), reverse=True)


def has_overlap(spans: list[IndexedSpan]) -> bool:
    """Whether any two of one annotator's spans share a character."""
    reach = -1
    for start, end, _label in sorted(spans):
        if start < reach:
            return True
        reach = max(reach, end)
    return False


def character_code(value: int, label_count: int) -> int:
    """The code of a character whose only covering label is `value` (or `O`)."""
    mask = 0 if value == label_count else 1 << value
    return value << label_count | mask


def code_value(code: int, label_count: int) -> int:
    """The precedence winner (or `O`) held by a character code."""
    return code >> label_count


def code_covers(code: int, label: int) -> int:
    """1 when a character code says the annotator has a `label` span over it, else 0."""
    return code >> label & 1


def character_table(length: int, layers: Layers, label_count: int) -> ProfileTable[int]:
    """How many characters of one document have each profile of character codes."""
    if length == 0:
        return {}
    cuts = sorted({0, length}.union(*(_boundaries(spans) for spans in layers if spans)))
    position = {cut: index for index, cut in enumerate(cuts)}
    segments = len(cuts) - 1
    columns = [
        None if spans is None else _paint_characters(spans, position, segments, label_count)
        for spans in layers
    ]
    widths = [right - left for left, right in zip(cuts, cuts[1:], strict=False)]
    return _tally(columns, widths)


def token_table(text: str, layers: Layers, label_count: int) -> ProfileTable[int]:
    """How many tokens (`\\S+` runs) of one document have each profile of values."""
    points = sorted({0, len(text)}.union(*(_boundaries(spans) for spans in layers if spans)))
    starts_before, ends_by = token_counters(text, points)
    token_count = starts_before[len(text)]
    if token_count == 0:
        return {}
    token_layers: list[list[TokenRange] | None] = []
    for spans in layers:
        if spans is None:
            token_layers.append(None)
            continue
        # A span touches the tokens ending after its start and starting before its end.
        ranges = [
            (ends_by[start], starts_before[end], start, end, label) for start, end, label in spans
        ]
        token_layers.append([r for r in ranges if r[0] < r[1]])
    cuts = sorted(
        {0, token_count}.union(*((r[0], r[1]) for spans in token_layers if spans for r in spans))
    )
    position = {cut: index for index, cut in enumerate(cuts)}
    segments = len(cuts) - 1
    columns = [
        None if spans is None else _paint_tokens(spans, position, segments, label_count)
        for spans in token_layers
    ]
    widths = [right - left for left, right in zip(cuts, cuts[1:], strict=False)]
    return _tally(columns, widths)


def token_counters(text: str, points: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """For each sorted offset `p`: how many tokens start before `p`, and how many end by `p`.

    `str.split()` and the regex `\\S+` agree on what whitespace is (both use Unicode's
    definition), so counting the tokens of the text between consecutive offsets is enough.
    """
    length = len(text)
    starts_before: dict[int, int] = {}
    ends_by: dict[int, int] = {}
    total = previous = 0
    previous_inside_token = False
    for point in points:
        # A token runs across `point` when the characters on both sides of it are not space.
        inside_token = 0 < point < length and not (
            text[point - 1].isspace() or text[point].isspace()
        )
        if point > previous:
            total += len(text[previous:point].split())
            if previous_inside_token:
                total -= 1  # the piece opened with the tail of a token counted already
            previous = point
        starts_before[point] = total
        ends_by[point] = total - inside_token
        previous_inside_token = inside_token
    return starts_before, ends_by


def _boundaries(spans: list[IndexedSpan]) -> set[int]:
    return {offset for start, end, _label in spans for offset in (start, end)}


def _paint_characters(
    spans: list[IndexedSpan], position: dict[int, int], segments: int, label_count: int
) -> list[int]:
    codes = [character_code(label_count, label_count)] * segments
    for start, end, label in painting_order(spans):
        low, high = position[start], position[end]
        codes[low:high] = [character_code(label, label_count)] * (high - low)
    if has_overlap(spans):
        # A character under several spans is covered by each of their labels, not just the winner.
        for start, end, label in spans:
            bit = 1 << label
            for index in range(position[start], position[end]):
                codes[index] |= bit
    return codes


def _paint_tokens(
    ranges: list[TokenRange], position: dict[int, int], segments: int, label_count: int
) -> list[int]:
    values = [label_count] * segments
    # Precedence compares the spans' characters, not their token ranges.
    for low_token, high_token, _start, _end, label in sorted(
        ranges, key=lambda r: (r[3] - r[2], r[2], r[4]), reverse=True
    ):
        low, high = position[low_token], position[high_token]
        values[low:high] = [label] * (high - low)
    return values


def _tally(columns: list[list[int] | None], widths: list[int]) -> ProfileTable[int]:
    table: ProfileTable[int] = {}
    get = table.get
    filled = [column if column is not None else [None] * len(widths) for column in columns]
    for profile, width in zip(zip(*filled, strict=True), widths, strict=True):
        table[profile] = get(profile, 0) + width
    return table
