"""`factmark adjudicate --min-agree K`: spans K annotators marked identically go into gold, and
so do the links K annotators drew between spans that are then in gold.

K = 1 is every span (identical ones once), rival versions included: those are said, and stay
open on the review screen until one is accepted. A span takes the note, attributes and entity
its annotators gave it where none gave a different one; differing values are left out and said.
"""

from __future__ import annotations

import argparse

from cli.commands.annotators import refused, user_store
from cli.commands.assign import document_ids
from cli.common import CliError, Context, progress_bar


def run_adjudicate(args: argparse.Namespace, context: Context) -> int:
    if args.min_agree < 1:
        raise CliError(f"--min-agree must be at least 1, not {args.min_agree}")
    with user_store(context) as store:
        refused(lambda: store.check_reviewer(doing="adjudicate documents"))
        chosen = document_ids(store, args.documents)
        total = len(chosen) if chosen is not None else store.document_count()
        with progress_bar("adjudicating", total) as advance:

            def advance_by(count: int) -> None:
                for _ in range(count):
                    advance()

            summary = refused(
                lambda: store.auto_adjudicate(args.min_agree, documents=chosen, on_batch=advance_by)
            )
    print(
        f"adjudicated {summary.documents} documents: added {summary.added} gold spans "
        f"(auto, in {summary.documents_changed} documents); already in gold "
        f"{summary.already_in_gold}; left for review: {summary.conflicting} disagreeing, "
        f"{summary.decided} decided by a reviewer; skipped {summary.adjudicated_skipped} "
        "adjudicated documents"
    )
    print(
        f"linked {summary.relations_added} relations in gold (auto); already in gold "
        f"{summary.relations_already_in_gold}; left out: {summary.relations_decided} rejected by "
        f"a reviewer, {summary.relations_ends_not_in_gold} with an end not in gold"
    )
    if summary.added_beside_rival:
        print(
            f"{summary.added_beside_rival} of the added rival another annotator's version: "
            "review shows them open until one is accepted"
        )
    print(
        f"carried {summary.notes_carried} notes and the attributes of {summary.attrs_carried} "
        f"spans; left out values annotators gave differently on {summary.values_left_out} spans "
        "(review shows each annotator's)"
    )
    return 0
