"""`factmark assign --annotators a,b,c --per-document K`: documents spread for a study."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cli.commands.annotators import refused, user_store
from cli.common import CliError, Context, checked_annotator, safe

if TYPE_CHECKING:
    from store import Store


def run_assign(args: argparse.Namespace, context: Context) -> int:
    names = [checked_annotator(name) for name in _split(args.annotators)]
    if not names:
        raise CliError("--annotators: name at least one annotator (a,b,c)")
    if len(set(names)) != len(names):
        raise CliError("--annotators: a name appears twice")
    if not 1 <= args.per_document <= len(names):
        raise CliError(
            f"--per-document must be between 1 and the number of annotators ({len(names)}), "
            f"not {args.per_document}"
        )
    with user_store(context) as store:
        chosen = document_ids(store, args.documents)
        summary = refused(lambda: store.assign(names, args.per_document, documents=chosen))
    loads = ", ".join(f"{safe(name)} {summary.load[name]}" for name in names)
    added = sum(summary.added.values())
    print(
        f"assigned {added} new (document, annotator) pairs over {summary.documents} documents, "
        f"{args.per_document} annotators each; load now: {loads}"
    )
    return 0


def document_ids(store: Store, refs: str | None) -> list[int] | None:
    """The documents named by `--documents` (numbers, d- ids, a-b ranges), or None for all."""
    if refs is None:
        return None
    from store import StoreError

    chosen: list[int] = []
    for ref in _split(refs):
        try:
            chosen.extend(_range(ref) or [store.find_document(ref).id])
        except StoreError as error:
            raise CliError(f"--documents: {error}") from None
    if not chosen:
        raise CliError("--documents: name at least one document")
    known = {summary.id for summary in store.list_documents()}
    unknown = [doc_id for doc_id in chosen if doc_id not in known]
    if unknown:
        raise CliError(f"--documents: no document {unknown[0]}")
    return list(dict.fromkeys(chosen))


def _range(ref: str) -> list[int]:
    """`3-7` as [3, 4, 5, 6, 7]; [] for anything else."""
    low, dash, high = ref.partition("-")
    if not (dash and low.isdigit() and high.isdigit()):
        return []
    if int(low) > int(high):
        raise CliError(f"--documents: range {ref} runs backwards")
    return list(range(int(low), int(high) + 1))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]
