"""The Store's check methods (mixed into `Store`): the fact-check desk's work items.

Anyone working may open a check, attach appearances, research it and write its verdict
(annotators research and propose); publishing needs a reviewer, and by default one who did not
write the verdict (`vocabulary.checks.CheckSettings.require_second_reviewer`). Each write is one
transaction whose changes are logged field by field (`store.check_writes`); `user` defaults to
the store's user, and None (the store opened without one) is the system itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from store.check_writes import (
    add_evidence,
    attach_span_id,
    create_check,
    detach_span,
    remove_evidence,
    set_evidence_field,
    set_field,
)
from store.checks import (
    check_history,
    check_info,
    check_of_span_row,
    check_summaries,
    checks_of_spans,
    claimant_candidates,
    find_check_row,
)
from store.desk_info import CheckChange, CheckFilter, CheckInfo, CheckSummary
from store.errors import StoreError
from store.info import EntityInfo
from store.queries import document_text, resolve_layer
from store.review_api import StoreHost
from store.roles import person
from store.row_info import row_id
from store.tables import Annotator, Check
from store.validation import check_offsets
from store.writes import add_span_row
from vocabulary.checks import CheckSettings
from vocabulary.names import CLAIM_LABEL, GOLD_LAYER
from vocabulary.records import SpanDraft


class CheckMethods(StoreHost):
    """Checks: creating, appearances, fields and verdict, evidence, the desk, history."""

    def _check_write(
        self,
        ref: str | int,
        user: str | None,
        change: Callable[[Session, Check, Annotator | None], Any],
    ) -> CheckInfo:
        """Run `change` on the locked check `ref` as `user` in one transaction; the check after."""
        who_name = user or self.user

        def work(session: Session) -> CheckInfo:
            who = person(session, who_name) if who_name is not None else None
            row = find_check_row(session, ref, for_update=True)
            change(session, row, who)
            return check_info(session, row)

        return self._db.write(work)

    # -- reading -------------------------------------------------------------------------------

    def check(self, ref: str | int) -> CheckInfo:
        """A check by id ("c-…", or a unique start of one) or number; StoreError if none."""
        return self._db.read(lambda session: check_info(session, find_check_row(session, ref)))

    def check_of_span(self, span_id: int) -> CheckInfo | None:
        """The check the span is an appearance of, if any."""

        def work(session: Session) -> CheckInfo | None:
            row = check_of_span_row(session, span_id)
            return check_info(session, row) if row is not None else None

        return self._db.read(work)

    def checks(
        self, wanted: CheckFilter | None = None, settings: CheckSettings | None = None
    ) -> list[CheckSummary]:
        """The claims desk: every check matching `wanted`, what needs work first."""
        return self._db.read(
            lambda session: check_summaries(session, wanted, settings or CheckSettings())
        )

    def check_history(self, ref: str | int) -> list[CheckChange]:
        """Every change to a check (who, when, field, old, new), oldest first."""
        return self._db.read(
            lambda session: check_history(session, row_id(find_check_row(session, ref).id))
        )

    def proposed_claimants(self, ref: str | int) -> list[EntityInfo]:
        """The entities the check's appearances are `said_by`, most often first."""
        return self._db.read(
            lambda session: claimant_candidates(session, row_id(find_check_row(session, ref).id))
        )

    def similar_checks(
        self, span_id: int, limit: int = 10, settings: CheckSettings | None = None
    ) -> list[tuple[CheckSummary, float, str]]:
        """The checks the claim span may be another appearance of, best first: each with its
        likeness (0..1) and why ("same figures, shared words, same claimant")."""
        from store.check_likeness import similar_checks  # the matcher loads only when asked

        rules = settings or CheckSettings()
        return self._db.read(lambda session: similar_checks(session, span_id, limit, rules))

    def checks_of_spans(self, span_ids: list[int]) -> dict[int, str]:
        """span id -> the id of the check it is an appearance of (for those that are one)."""
        return self._db.read(lambda session: checks_of_spans(session, span_ids))

    # -- writing -------------------------------------------------------------------------------

    def create_check(
        self,
        span_id: int | None,
        *,
        claim: str | None = None,
        user: str | None = None,
        settings: CheckSettings | None = None,
    ) -> CheckInfo:
        """A new check with the claim span `span_id` as its first appearance (its claim: the
        span's text unless `claim` is given); status: the workflow's first."""
        who_name = user or self.user

        def work(session: Session) -> CheckInfo:
            who = person(session, who_name) if who_name is not None else None
            row = create_check(session, span_id, claim, who, settings or CheckSettings())
            return check_info(session, row)

        return self._db.write(work)

    def attach_appearance(
        self, ref: str | int, span_id: int, *, user: str | None = None
    ) -> CheckInfo:
        """Make the claim span an appearance of the check (StoreError if it is one of another)."""
        return self._check_write(
            ref, user, lambda session, row, who: attach_span_id(session, row, span_id, who)
        )

    def detach_appearance(
        self, ref: str | int, span_id: int, *, user: str | None = None
    ) -> CheckInfo:
        return self._check_write(
            ref, user, lambda session, row, who: detach_span(session, row, span_id, who)
        )

    def add_appearance_at(
        self, ref: str | int, document_id: int, start: int, end: int, *, user: str | None = None
    ) -> CheckInfo:
        """Attach the text at start-end of a document (a search match, say) to the check: a
        claim span there in the user's layer (the identical one if it exists, else a new one,
        undoable like any span) becomes an appearance, in one transaction."""
        layer = user or self.user or GOLD_LAYER

        def change(session: Session, row: Check, who: Annotator | None) -> None:
            try:
                check_offsets(start, end, len(document_text(session, document_id)))
            except ValueError as error:
                raise StoreError(f"document {document_id}: {error}") from None
            resolved = resolve_layer(session, layer)
            draft = SpanDraft(start, end, CLAIM_LABEL, None, {}, "manual")
            span = add_span_row(session, document_id, resolved, draft, layer)
            attach_span_id(session, row, row_id(span.id), who)

        return self._check_write(ref, user, change)

    def set_check_field(
        self,
        ref: str | int,
        field: str,
        value: str | None,
        *,
        expected: str | None,
        user: str | None = None,
        settings: CheckSettings | None = None,
    ) -> CheckInfo:
        """Set one field (`vocabulary.checks.CHECK_FIELDS`) as the user who saw `expected`
        there: CheckConflict if it changed since, PermissionDenied for a publication the
        workflow does not allow, StoreError for a value that is not one (a URL, a date…)."""
        rules = settings or CheckSettings()
        return self._check_write(
            ref,
            user,
            lambda session, row, who: set_field(session, row, field, value, expected, who, rules),
        )

    def add_evidence(
        self, ref: str | int, draft: dict[str, Any], *, user: str | None = None
    ) -> CheckInfo:
        """Add an evidence item: a URL with what is known of it, or a stretch of another
        stored document (`document_id` with `start`/`end`, or `span_id`), with its stance."""
        return self._check_write(
            ref, user, lambda session, row, who: add_evidence(session, row, draft, who)
        )

    def set_evidence_field(
        self,
        ref: str | int,
        evidence_uid: str,
        field: str,
        value: str | None,
        *,
        expected: str | None,
        user: str | None = None,
    ) -> CheckInfo:
        return self._check_write(
            ref,
            user,
            lambda session, row, who: set_evidence_field(
                session, row, evidence_uid, field, value, expected, who
            ),
        )

    def remove_evidence(
        self, ref: str | int, evidence_uid: str, *, user: str | None = None
    ) -> CheckInfo:
        return self._check_write(
            ref, user, lambda session, row, who: remove_evidence(session, row, evidence_uid, who)
        )
