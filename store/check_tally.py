"""The fact-check desk counted by the database, for the data card: checks per status and per
rating, evidence per check, and who signed off the published ones.

Every check of the database: checks are the corpus's, not one layer's, so the same whichever
layer an export takes.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.desk_info import CheckTally
from store.tables import Annotator, Check, Evidence


def check_tally(session: Session) -> CheckTally:
    """The desk's counts, read in one transaction."""
    statuses = select(Check.status, func.count()).group_by(col(Check.status))
    ratings = select(Check.rating, func.count()).group_by(col(Check.rating))
    evidence = (
        select(func.count(col(Evidence.id)))
        .select_from(Check)
        .outerjoin(Evidence, col(Evidence.check_id) == col(Check.id))
        .group_by(col(Check.id))
        .order_by(col(Check.id))
    )
    signed_off = (
        select(Annotator.name, func.count())
        .join(Check, col(Check.reviewed_by_id) == col(Annotator.id))
        .group_by(col(Annotator.name))
    )
    return CheckTally(
        statuses=dict(session.exec(statuses).all()),
        ratings=dict(session.exec(ratings).all()),
        evidence=tuple(session.exec(evidence).all()),
        signed_off=dict(session.exec(signed_off).all()),
    )
