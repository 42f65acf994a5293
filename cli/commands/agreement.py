"""`factmark agreement`: the figures of agreement.md over the documents annotators marked done."""

from __future__ import annotations

import argparse

from rich.console import Console

from cli.common import CliError, Context, json_line, load_settings, open_store
from review import AgreementError
from review.render import render_report
from store.study import annotators_with_done_work, kept_report


def run_agreement(args: argparse.Namespace, context: Context) -> int:
    settings = load_settings(context)
    labels = _choice(args.labels) or settings.label_names
    with open_store(context) as store:
        known = [a.name for a in store.annotators()]
        annotators = _choice(args.annotators) or annotators_with_done_work(store.list_documents())
        unknown = sorted(set(annotators) - set(known))
        if unknown:
            raise CliError(f"--annotators: no annotator named {', '.join(unknown)}")
        try:
            # Summed from the counts kept per document; only documents whose layers changed
            # since the last run are read and counted again.
            report = kept_report(store, annotators, labels, settings.relation_names)
        except AgreementError as error:
            raise CliError(str(error)) from None
    if args.json:
        print(json_line(report, indent=1))
    else:
        Console().print(render_report(report))
    return 0


def _choice(value: str | None) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []
