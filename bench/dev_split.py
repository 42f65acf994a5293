"""Which extraction dev pages are held out of every fit and every rule tuned by looking at failures.

Rules and weights are written while looking at the pages they fail on; figures on those pages
flatter. One page in five (by its number, so the split is stable as the set grows) is kept out:
nobody reads its failures, and the benches report it apart as the figure to trust.
"""

from __future__ import annotations

HELD_OUT_EVERY = 5


def is_held_out(page_id: str) -> bool:
    """True for the held-out pages: ids whose trailing number is a multiple of HELD_OUT_EVERY."""
    digits = "".join(ch for ch in page_id.rsplit("-", 1)[-1] if ch.isdigit())
    return bool(digits) and int(digits) % HELD_OUT_EVERY == 0


def split_ids(page_ids: list[str]) -> tuple[list[str], list[str]]:
    """(tuning pages, held-out pages), each in the given order."""
    tuning = [pid for pid in page_ids if not is_held_out(pid)]
    held = [pid for pid in page_ids if is_held_out(pid)]
    return tuning, held
