"""`factmark assign --annotators a,b,c --per-document K`: documents spread for a study."""

from __future__ import annotations

import argparse
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from cli.commands.annotators import refused, user_store
from cli.common import CliError, Context, checked_annotator, safe

if TYPE_CHECKING:
    from store import Store

MAX_DOCUMENT_ID = 2**63 - 1  # the largest integer key SQLite and PostgreSQL's bigint hold
_MAX_DIGITS = len(str(MAX_DOCUMENT_ID))


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
    """The documents named by `--documents` (numbers, d- ids, a-b ranges), or None for all.

    A range is kept as its two ends and matched against the stored ids (sorted), so
    `1-100000000000` costs what the library costs, not a list of a hundred billion numbers."""
    if refs is None:
        return None
    from store import StoreError

    known = sorted(summary.id for summary in store.list_documents())
    chosen: list[int] = []
    for ref in _split(refs):
        ends = _interval(ref)
        if ends is None:
            try:
                chosen.append(store.find_document(ref).id)
            except StoreError as error:
                raise CliError(f"--documents: {error}") from None
        else:
            chosen.extend(_stored_between(known, *ends))
    if not chosen:
        raise CliError("--documents: name at least one document")
    return list(dict.fromkeys(chosen))


def _interval(ref: str) -> tuple[int, int] | None:
    """`3-7` as (3, 7), `5` as (5, 5); None for anything else (a d- id)."""
    low, dash, high = ref.partition("-")
    if not dash:
        high = low
    if not (_number(low) and _number(high)):
        return None
    if len(low) > _MAX_DIGITS or len(high) > _MAX_DIGITS or int(high) > MAX_DOCUMENT_ID:
        raise CliError(f"--documents: {ref[:40]}: no document has a number that large")
    if int(low) > int(high):
        raise CliError(f"--documents: range {ref} runs backwards")
    return int(low), int(high)


def _number(text: str) -> bool:
    return text.isascii() and text.isdigit()  # not "²" or "٣", which isdigit() also accepts


def _stored_between(known: list[int], low: int, high: int) -> list[int]:
    """The stored ids low..high (`known` sorted); every one must be stored."""
    inside = known[bisect_left(known, low) : bisect_right(known, high)]
    if len(inside) != high - low + 1:
        # Sorted and distinct: the first gap is where the ids stop counting up from `low`.
        missing = next(
            (low + n for n, doc_id in enumerate(inside) if doc_id != low + n), low + len(inside)
        )
        raise CliError(f"--documents: no document {missing}")
    return inside


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]
