"""The Store's external check methods (mixed into `Store`): "checked before?".

Other fact-checkers' ClaimReviews, imported from fact-check pages and ClaimReview files, and
the ones whose claim looks like a given claim (`suggest.claim_match`). Matching reads the
stored claims once into a `ClaimIndex` (word rarity from the stored claims themselves) and keeps
it until an import adds some: rows are only ever added, so their count and highest id tell
whether the kept index is current, at the price of one small query per call.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

from sqlmodel import Session

from store.external_checks import ExternalAdded, add_external, external_state, read_external
from store.info import ExternalCheckInfo
from store.review_api import StoreHost
from suggest.claim_match import (
    CHECKED_BEFORE_MIN_SCORE,
    ClaimIndex,
    ClaimText,
    WordWeights,
)
from vocabulary.external_checks import ExternalCheck

_Index = tuple[tuple[int, int], ClaimIndex[int], dict[int, ExternalCheckInfo]]


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
        min_score: float = CHECKED_BEFORE_MIN_SCORE,
    ) -> list[ExternalCheckInfo]:
        """The external checks whose claim (and claimant) look like `claim`, best first, each
        with its `likeness` and `reasons`; at most `limit`, none under `min_score`."""
        if not claim.strip():
            return []
        _, index, infos = self._current_external_index()
        found = index.search(ClaimText(claim, claimant), limit, min_score)
        return [
            replace(infos[key], likeness=like.score, reasons=like.reasons) for key, like in found
        ]

    def _current_external_index(self) -> _Index:
        state = self._db.read(external_state)
        kept = self._external_index
        if kept is not None and kept[0] == state:
            return kept
        with self._external_lock:  # one thread builds it; the others wait and reuse it
            kept = self._external_index
            if kept is not None and kept[0] == state:
                return kept
            built = self._db.read(_build_index)
            self._external_index = built
            return built


def _build_index(session: Session) -> _Index:
    infos = read_external(session)
    state = external_state(session)
    texts = [(info.id, [ClaimText(info.claim, info.claimant)]) for info in infos]
    weights = WordWeights.from_texts(info.claim for info in infos)
    return state, ClaimIndex(texts, weights), {info.id: info for info in infos}
