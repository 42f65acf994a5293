"""The Store's methods for correcting documents' metadata (mixed into `Store`)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session

from store.correction_info import Correction, DocumentMeta
from store.document_corrections import correct_document, document_meta
from store.review_api import StoreHost
from vocabulary.document_fields import corrected_values


class CorrectionMethods(StoreHost):
    """Correcting a document's title, outlet, byline, date and URL, and reading both values."""

    def correct_document(
        self, doc_id: int, changes: Mapping[str, str | None], *, actor: str | None = None
    ) -> list[Correction]:
        """Set the fields in `changes` (field -> raw value: "" or None clears, "none" clears the
        date) on document `doc_id`, each a logged correction; the changes that were made (a value
        already in force is no change). ValueError for a bad value (nothing written), StoreError
        for an unknown document, PermissionDenied for an annotator (reviewers and admins may)."""
        checked = corrected_values(dict(changes))
        who = actor or self.user

        def work(session: Session) -> list[Correction]:
            return correct_document(session, doc_id, checked, who)

        return self._db.write(work)

    def document_meta(self, doc_id: int) -> DocumentMeta:
        """Document `doc_id`'s metadata as found and as in force, and its corrections."""
        return self._db.read(lambda session: document_meta(session, doc_id))
