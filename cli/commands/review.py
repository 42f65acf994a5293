"""`factmark review [DOC_ID] [--anonymous]`: the review screen, for reviewers and admins only."""

from __future__ import annotations

import argparse

from cli.commands.annotators import refused, user_store
from cli.common import (
    CliError,
    Context,
    load_settings,
    screens_can_draw,
    store_user,
)


def run_review(args: argparse.Namespace, context: Context) -> int:
    config = load_settings(context)
    with user_store(context) as store:
        reviewer = store_user(store)
        refused(lambda: store.check_reviewer(reviewer, "review"))
        doc_id = refused(lambda: store.find_document(args.doc).id) if args.doc else None
        if not screens_can_draw():
            raise CliError("the screens need a terminal (standard output is not one)")
        from tui.app import make_app

        app = make_app(
            store, reviewer, config, start="review", doc_id=doc_id, anonymous=args.anonymous
        )
        app.run(mouse=context.mouse)
    return 0
