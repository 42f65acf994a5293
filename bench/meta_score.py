"""Score found metadata (date, author, title) against the dev set's gold, as issue #14 defines it.

- date: the same calendar day as the gold (any time of day, any format we can read as ISO);
- author: one name contains the other, case and punctuation aside;
- title: equal after the same normalisation.

Only pages whose gold has the field count; a page with no value found counts as wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_name(text: str) -> str:
    """Lower case, accents and punctuation folded away, single spaces."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", folded.casefold()).strip()


def calendar_day(value: str | None) -> str | None:
    """The YYYY-MM-DD a date string starts with, or None."""
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    return "-".join(match.groups()) if match else None


def date_right(found: str | None, gold: str) -> bool:
    day = calendar_day(found)
    return day is not None and day == calendar_day(gold)


def author_right(found: str | None, gold: str) -> bool:
    if not found:
        return False
    a, b = normalise_name(found), normalise_name(gold)
    return bool(a) and bool(b) and (a in b or b in a)


def title_right(found: str | None, gold: str) -> bool:
    return bool(found) and normalise_name(found or "") == normalise_name(gold)


FIELDS = {"published": date_right, "author": author_right, "title": title_right}


@dataclass
class FieldScore:
    right: int = 0
    scored: int = 0

    @property
    def share(self) -> float | None:
        return self.right / self.scored if self.scored else None


def score_fields(
    pairs: Iterable[tuple[dict[str, str | None], dict[str, str | None]]],
) -> dict[str, FieldScore]:
    """Per field: pages right among those whose gold has it, from pairs of (found, gold)."""
    scores = {name: FieldScore() for name in FIELDS}
    for found, gold in pairs:
        for name, right in FIELDS.items():
            expected = gold.get(name)
            if not expected:
                continue
            scores[name].scored += 1
            scores[name].right += int(right(found.get(name), expected))
    return scores
