"""Markdown pieces every part of the data card uses: escaping untrusted text, tables, figures."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from vocabulary.text import strip_controls

UNDEFINED = "—"
# Inline Markdown and HTML: values only ever sit mid-line or in table cells.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md(value: object) -> str:
    """Untrusted text as literal Markdown: one line, no control characters, specials escaped."""
    flat = " ".join(strip_controls(str(value)).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def table(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headings) + " |", "|" + "|".join("---" for _ in headings) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def figure(value: float | None) -> str:
    return UNDEFINED if value is None else f"{value:.3f}"


def count_of(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
