"""CoNLL-2003-style IOB2: `-DOCSTART-` per document and layer, one token a line, blank lines
between sentences.

Each line is `token -X- -X- TAG` (CoNLL-2003's four columns; no part-of-speech or chunk tags,
so those columns hold the placeholder `-X-`), TAG being `O`, `B-label` or `I-label`.
IOB2 gives a token one label, so overlapping spans cannot all be written: the longest span wins,
then the earliest, then the label name (exporters.tokens.longest_first); the others are dropped
and counted, and the count is reported. Tokens and sentences: exporters.tokens (tokens are cut at
the kept spans' boundaries; a sentence is never split inside a kept span).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

from exporters.common import ExportReport
from exporters.formats import NO_OPTIONS, ExportOptions
from exporters.tokens import Token, longest_first, sentences, tokenize
from store.info import ExportRecord

DOCSTART = "-DOCSTART- -X- -X- O"
COLUMNS = "-X- -X-"  # the part-of-speech and chunk columns, which factmark does not fill


def conll_lines(record: ExportRecord) -> tuple[list[str], int]:
    """The lines of one record (without the -DOCSTART- line), and how many spans were dropped."""
    text = record.document.text
    triples = [(s.start, s.end, s.label) for s in record.spans]
    kept_indices, dropped = longest_first(triples)
    kept = [triples[i] for i in kept_indices]
    tokens = tokenize(text, (o for start, end, _ in kept for o in (start, end)))
    tags = _iob2(tokens, kept)
    lines: list[str] = []
    tag_of = {token.start: tag for token, tag in zip(tokens, tags, strict=True)}
    for sentence in sentences(text, tokens, [(start, end) for start, end, _ in kept]):
        lines.extend(f"{t.text} {COLUMNS} {tag_of[t.start]}" for t in sentence)
        lines.append("")
    return lines, len(dropped)


def _iob2(tokens: Sequence[Token], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """One tag per token; spans do not overlap and start and end on token boundaries."""
    tags = ["O"] * len(tokens)
    index = 0
    for start, end, label in sorted(spans):
        while index < len(tokens) and tokens[index].end <= start:
            index += 1
        inside = index
        first = True
        while inside < len(tokens) and tokens[inside].start < end:
            tags[inside] = f"{'B' if first else 'I'}-{_tag_label(label)}"
            first = False
            inside += 1
    return tags


def _tag_label(label: str) -> str:
    return "_".join(label.split())  # a tag must not contain spaces


def write_conll(
    records: Iterable[ExportRecord], out: TextIO, options: ExportOptions = NO_OPTIONS
) -> ExportReport:
    """Write record by record (memory stays flat); the report says how many spans were dropped."""
    count = dropped = total = 0
    for record in records:
        lines, lost = conll_lines(record)
        out.write(DOCSTART + "\n\n")
        out.write("".join(line + "\n" for line in lines))
        count += 1
        dropped += lost
        total += len(record.spans)
    remark = (
        f"conll: dropped {dropped} of {total} span(s) that overlap a longer or earlier one "
        "(IOB2 gives a token one label)"
    )
    return ExportReport(count, (remark,))
