"""`factmark annotators add NAME --role ROLE` and `factmark annotators list`: who works, as what.

Also what the review commands share: a store opened for the person working, so that the store
checks their role on every write, and role refusals turned into one-line usage errors.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.common import CliError, Context, checked_annotator, json_line, open_store, safe

if TYPE_CHECKING:
    from store import AnnotatorInfo, DocumentSummary, Store

T = TypeVar("T")


@contextmanager
def user_store(context: Context) -> Iterator[Store]:
    """The database, opened for the person working: the store checks their role."""
    with open_store(context) as store:
        yield store


def refused(call: Callable[[], T]) -> T:
    """Run a store call; a refusal or bad input becomes a one-line usage error (exit 2)."""
    from store import StoreError

    try:
        return call()
    except (StoreError, ValueError) as error:
        raise CliError(str(error)) from None


def run_annotators(args: argparse.Namespace, context: Context) -> int:
    if args.action == "add":
        return _add(args, context)
    return _list(args, context)


def _add(args: argparse.Namespace, context: Context) -> int:
    name = checked_annotator(args.name)
    with user_store(context) as store:
        info = refused(lambda: store.set_role(name, args.role))
    print(f"{safe(info.name)}: {info.role}")
    return 0


def _list(args: argparse.Namespace, context: Context) -> int:
    with user_store(context) as store:
        people = store.annotators()
        documents = store.list_documents()
    rows = [_row(person, documents) for person in people]
    if getattr(args, "json", False):
        print(json_line(rows, indent=1))
        return 0
    table = Table(title=f"{len(rows)} annotators", title_justify="left")
    for heading in ("name", "role", "assigned", "done", "spans"):
        table.add_column(heading, justify="left" if heading in ("name", "role") else "right")
    for row in rows:
        table.add_row(
            Text(safe(row["name"])),
            row["role"],
            str(row["assigned"]),
            str(row["done"]),
            str(row["spans"]),
        )
    Console().print(table)
    return 0


def _row(person: AnnotatorInfo, documents: Sequence[DocumentSummary]) -> dict[str, Any]:
    """One annotator with their workload: documents assigned and done, spans marked."""
    mine = [doc.progress[person.name] for doc in documents if person.name in doc.progress]
    return {
        "name": person.name,
        "role": person.role,
        "assigned": sum(person.name in doc.assigned for doc in documents),
        "done": sum(progress.done for progress in mine),
        "spans": sum(progress.spans for progress in mine),
    }
