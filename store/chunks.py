"""How exports are cut into short read transactions: EXPORT_CHUNK documents at a time.

Plain SQL through a `Rows` (see `store.direct`): the line readers of `store.json_export` run on
the full store and on a direct connection alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.direct import Rows

EXPORT_CHUNK = 500  # documents per read transaction while exporting

_ID_RANGE = "SELECT min(id), max(id) FROM documents"


def id_chunks(rows: Rows) -> list[tuple[int, int]]:
    """The documents' id range cut into EXPORT_CHUNK-wide (low, high) pieces."""
    low, high = rows(_ID_RANGE, {})[0]
    if low is None or high is None:
        return []
    return [
        (start, min(start + EXPORT_CHUNK, high + 1) - 1)
        for start in range(low, high + 1, EXPORT_CHUNK)
    ]
