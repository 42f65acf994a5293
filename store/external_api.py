"""The Store's external check methods (mixed into `Store`): "checked before?".

Other fact-checkers' ClaimReviews, imported from fact-check pages and ClaimReview files, and
the ones whose claim looks like a given claim (`suggest.claim_match`). Matching reads the
stored claims once into a `ClaimIndex` (word rarity from the stored claims themselves) and keeps
it: rows are only ever added, so their count and highest id tell whether the kept index is
current (one small query per call), and after an import only the new rows are read and added.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

from sqlmodel import Session

from store.desk_info import ExternalCheckInfo
from store.external_checks import (
    ExternalAdded,
    add_external,
    external_by_ids,
    external_claims,
    external_state,
    read_external,
)
from store.review_api import StoreHost
from suggest.claim_match import (
    CHECKED_BEFORE_MIN_SCORE,
    ClaimIndex,
    ClaimText,
    WordWeights,
)
from vocabulary.external_checks import ExternalCheck

_Index = tuple[tuple[int, int], ClaimIndex[int]]  # (count, highest id) indexed, the index


class ExternalCheckMethods(StoreHost):
    """External checks: adding, listing, and those like a claim."""

    _external_index: _Index | None = None
    _external_lock = threading.Lock()

    def add_external_checks(
        self, items: Sequence[ExternalCheck], source: str | None, *, user: str | None = None
    ) -> ExternalAdded:
        """Store the checks not stored yet (same URL and claim), in one transaction; logged
        under `user` (default: the store's user) with `source` (the file they came from)."""
        who = user or self.user
        return self._db.write(lambda session: add_external(session, items, source, who))

    def external_checks(self, limit: int | None = None) -> list[ExternalCheckInfo]:
        """Stored external checks, newest first; at most `limit`."""
        return self._db.read(lambda session: read_external(session, limit))

    def external_checks_like(
        self,
        claim: str,
        claimant: str | None = None,
        limit: int = 5,
        *,
        aliases: Sequence[str] = (),
        min_score: float = CHECKED_BEFORE_MIN_SCORE,
    ) -> list[ExternalCheckInfo]:
        """The external checks whose claim (and claimant) look like `claim`, best first, each
        with its `likeness` and `reasons`; at most `limit`, none under `min_score`.
        `claimant` is who made the claim (a check's entity: its name, with `aliases`)."""
        if not claim.strip():
            return []
        _, index = self._current_external_index()
        query = ClaimText(claim, claimant, tuple(aliases))
        found = index.search(query, limit, min_score)
        if not found:
            return []
        infos = self._db.read(lambda session: external_by_ids(session, [key for key, _ in found]))
        return [
            replace(infos[key], likeness=like.score, reasons=like.reasons)
            for key, like in found
            if key in infos
        ]

    def _current_external_index(self) -> _Index:
        state = self._db.read(external_state)
        kept = self._external_index
        if kept is not None and kept[0] == state:
            return kept
        with self._external_lock:  # one thread builds it; the others wait and reuse it
            kept = self._external_index
            if kept is None or kept[0] != state:
                kept = self._db.read(lambda session: _brought_up_to_date(session, kept))
                self._external_index = kept
            return kept


def _brought_up_to_date(session: Session, kept: _Index | None) -> _Index:
    """The kept index with the rows added since it was built; a new one if rows went (never
    through the store, but a database may be edited by hand). Readers of the kept index may
    see the new rows early: `ClaimIndex.extend` only appends."""
    state = external_state(session)
    if kept is not None:
        (count, highest), index = kept
        rows = external_claims(session, after=highest)
        if count + len(rows) == state[0]:
            weights = (index.weights or WordWeights({}, 0)).adding(c for _, c, _ in rows)
            index.extend(_candidates(rows), weights)
            return state, index
    rows = external_claims(session)
    return state, ClaimIndex(_candidates(rows), WordWeights.from_texts(c for _, c, _ in rows))


def _candidates(rows: list[tuple[int, str, str | None]]) -> list[tuple[int, list[ClaimText]]]:
    return [(id_, [ClaimText(claim, claimant)]) for id_, claim, claimant in rows]
