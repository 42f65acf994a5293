"""Document-level train/dev/test splits that come out the same on every run and machine.

Each document's place is decided by a hash of the seed and its content-derived id (never by
Python's `random` or the order documents were imported in): the documents are ranked by
`sha256(seed, id)` and cut into exactly the asked shares (largest remainders round).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

SPLIT_NAMES = ("train", "dev", "test")


class SplitError(ValueError):
    """A `--splits` value that cannot be used; the message is one line."""


def parse_splits(value: str) -> tuple[int, int, int]:
    """`80,10,10` as whole percentages of train, dev and test that add up to 100."""
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise SplitError(
            f"--splits {value}: give three whole percentages for train, dev and test, "
            "such as 80,10,10"
        )
    shares = (int(parts[0]), int(parts[1]), int(parts[2]))
    if sum(shares) != 100:
        raise SplitError(f"--splits {value}: the percentages add up to {sum(shares)}, not 100")
    return shares


def split_sizes(count: int, shares: tuple[int, int, int]) -> tuple[int, int, int]:
    """How many of `count` documents each split gets: the shares, rounded by largest
    remainder (ties to the earlier split) so they add up to `count`."""
    exact = [count * share for share in shares]  # in hundredths of a document
    sizes = [part // 100 for part in exact]
    by_remainder = sorted(range(3), key=lambda index: (-(exact[index] % 100), index))
    for index in by_remainder[: count - sum(sizes)]:
        sizes[index] += 1
    return sizes[0], sizes[1], sizes[2]


def assign_splits(
    document_ids: Iterable[str], shares: tuple[int, int, int], seed: int
) -> dict[str, str]:
    """Each document id's split name; the same ids, shares and seed give the same answer."""
    ranked = sorted(set(document_ids), key=lambda doc_id: (_rank(seed, doc_id), doc_id))
    assigned: dict[str, str] = {}
    start = 0
    for name, size in zip(SPLIT_NAMES, split_sizes(len(ranked), shares), strict=True):
        assigned.update(dict.fromkeys(ranked[start : start + size], name))
        start += size
    return assigned


def _rank(seed: int, doc_id: str) -> bytes:
    return hashlib.sha256(f"{seed}\x00{doc_id}".encode()).digest()
