"""Lines that are page furniture, not story: "Related: …", "Read more: …", "See also: …".

News pages keep links to other stories between paragraphs; their headlines carry numbers and
names ("Related: Cybersecurity M&A Roundup: 40 Deals Announced") that are not figures or actors
of this story. Both rule sets leave these lines alone.
"""

from __future__ import annotations

import bisect
import re

_ASIDE = re.compile(
    r"^[ \t]*(?:Related|Read\s+more|Read\s+also|Also\s+read|See\s+also)"
    r"(?:\s+(?:stories|coverage|articles?))?[ \t]*:[^\n]*",
    re.MULTILINE | re.IGNORECASE,
)


def aside_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of every aside line of `text`, in order."""
    if ":" not in text:
        return []
    return [match.span() for match in _ASIDE.finditer(text)]


def outside(ranges: list[tuple[int, int]], start: int) -> bool:
    """Whether `start` lies outside every range of `ranges` (sorted, not overlapping)."""
    if not ranges:
        return True
    index = bisect.bisect_right(ranges, (start, len(ranges) and 1 << 62)) - 1
    return index < 0 or not ranges[index][0] <= start < ranges[index][1]
