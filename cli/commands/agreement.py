"""`factmark agreement`: the figures of agreement.md over the documents annotators marked done."""

from __future__ import annotations

import argparse

from rich.console import Console

from cli.common import CliError, Context, json_line, load_settings, open_store
from review import AgreementError, agreement_report
from review.render import render_report
from store.study import annotators_with_done_work, done_layers


def run_agreement(args: argparse.Namespace, context: Context) -> int:
    settings = load_settings(context)
    labels = _choice(args.labels) or settings.label_names
    with open_store(context) as store:
        known = [a.name for a in store.annotators()]
        annotators = _choice(args.annotators) or annotators_with_done_work(store.list_documents())
        unknown = sorted(set(annotators) - set(known))
        if unknown:
            raise CliError(f"--annotators: no annotator named {', '.join(unknown)}")
        documents = list(done_layers(store, annotators))
    try:
        report = agreement_report(documents, annotators, labels, settings.relation_names)
    except AgreementError as error:
        raise CliError(str(error)) from None
    if args.json:
        print(json_line(report, indent=1))
    else:
        Console().print(render_report(report))
    return 0


def _choice(value: str | None) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []
