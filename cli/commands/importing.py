"""`factmark import`: files in, documents (and their annotations) committed in batches."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cli.common import (
    CliError,
    Context,
    load_settings,
    open_store,
    progress_bar,
    report_failure,
    safe,
    store_user,
)
from cli.import_mapping import MetaMapping, read_mapping
from importers.dispatch import ImportOptions, ParsedInput, input_format, parse_outcome
from importers.formats import ImportFailure
from importers.inputs import Source, count_sources, iter_sources, line_chunks
from importers.workers import CleaningPool, cleaning_pool, default_jobs
from store.errors import DatabaseBusy, StoreError
from vocabulary.document_fields import DOCUMENT_FIELDS, FOUND_KEY
from vocabulary.external_checks import ExternalCheck
from vocabulary.records import ImportItem

if TYPE_CHECKING:
    from store import ImportOutcome, Store

BATCH_ITEMS = 100
BATCH_BYTES = 32 * 1024 * 1024


@dataclass
class Tally:
    imported: int = 0
    duplicates: int = 0
    failed: int = 0
    external: int = 0  # external checks (ClaimReviews) added
    external_duplicates: int = 0  # ... and found already stored
    # ClaimReview files' reviews parsed and not yet stored: (input name, reviews).
    reviews: list[tuple[str, list[ExternalCheck]]] = field(default_factory=list)
    # Of the duplicates: those that added to what was stored, and what they added in all.
    updated: int = 0
    added: dict[str, int] = field(default_factory=dict)
    unchanged_said: int = 0  # records with nothing new said so, one line each (up to a limit)
    unchanged_unsaid: int = 0

    def line(self) -> str:
        line = f"imported {self.imported}, duplicates {self.duplicates}, failed {self.failed}"
        if self.updated:
            parts = [_count_of(n, kind) for kind, n in self.added.items() if n]
            line += f"; updated {self.updated}: {', '.join(parts)}"
        if self.external or self.external_duplicates:
            line += f", external checks {self.external}"
            if self.external_duplicates:
                line += f" (and {self.external_duplicates} already stored)"
        return line


@dataclass
class Batch:
    """Parsed items waiting for one transaction, with the input each came from."""

    items: list[ImportItem] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    # The metadata given for each item (--outlet, --url, the --meta row): a correction of a
    # document already stored.
    given: list[dict[str, str | None]] = field(default_factory=list)
    size: int = 0

    def add(self, item: ImportItem, name: str, given: dict[str, str | None]) -> None:
        self.items.append(item)
        self.names.append(name)
        self.given.append(given)
        self.size += len(item.article.text) + len(item.raw or b"")

    def full(self) -> bool:
        return len(self.items) >= BATCH_ITEMS or self.size >= BATCH_BYTES


def run_import(args: argparse.Namespace, context: Context) -> int:
    settings = load_settings(context)
    if "-" in args.paths and args.url is None and sys.stdin.isatty():
        raise CliError("import -: standard input is a terminal; pipe a file into it")
    mapping = read_mapping(getattr(args, "meta", None))  # checked whole before any write
    inputs = count_sources(args.paths)
    jobs = getattr(args, "jobs", None) or default_jobs(inputs)
    # The workers fork first: before the database is opened and the progress bar's thread runs.
    with cleaning_pool(jobs) as pool, open_store(context) as store:
        annotator = store_user(store)
        options = ImportOptions(
            labels=settings.label_names,
            relations=settings.relation_names,
            default_annotator=annotator,
            outlet=args.outlet,
            url=args.url,
            encoding=args.encoding,
        )
        store.ensure_annotator(annotator)
        tally = _import_all(store, pool, args, options, mapping, inputs)
    if (note := mapping.unused_note()) is not None:
        print(note)
    if tally.unchanged_unsaid:
        print(
            f"and {tally.unchanged_unsaid} more records with nothing new (not listed)",
            file=sys.stderr,
        )
    print(tally.line())
    return 1 if tally.failed else 0


def _import_all(
    store: Store,
    pool: CleaningPool,
    args: argparse.Namespace,
    options: ImportOptions,
    mapping: MetaMapping,
    total: int,
) -> Tally:
    tally, batch = Tally(), Batch()
    sources = iter_sources(args.paths, sys.stdin.buffer)
    calls = ((source, _whole_input_call(source, args.format, options)) for source in sources)
    with progress_bar("importing", total) as advance:
        for source, outcome in pool.map_in_order(parse_outcome, calls):
            shown = 0.0  # how much of this input the bar has shown (a large file, piece by piece)
            given = _given(options, mapping.values_for(source.name))
            for item, read in _items(source, outcome, tally, args.format, options):
                batch.add(_with_given(item, given), source.name, given)
                if batch.full():
                    _commit(store, batch, tally)
                    batch = Batch()
                if read > shown:
                    advance(read - shown)
                    shown = read
            _commit_reviews(store, tally)
            advance(1.0 - shown)
        _commit(store, batch, tally)
    return tally


def _commit_reviews(store: Store, tally: Tally) -> None:
    """A ClaimReview file's reviews, in one transaction per input."""
    for name, reviews in tally.reviews:
        try:
            added = store.add_external_checks(reviews, name)
        except DatabaseBusy as error:
            raise CliError(f"{error}; stopped after {tally.line()}", code=1) from None
        except (ValueError, StoreError) as error:
            _fail(tally, name, str(error))
            continue
        tally.external += added.added
        tally.external_duplicates += added.duplicates
    tally.reviews.clear()


def _whole_input_call(
    source: Source, fmt: str, options: ImportOptions
) -> tuple[str, bytes, str, ImportOptions] | None:
    """parse_outcome's arguments for an input read whole (cleaned by a worker); None for an
    input that could not be read or that streams a piece at a time (handled here, in order)."""
    if source.error or source.data is None:
        return None
    return source.name, source.data, fmt, options


def _items(
    source: Source,
    outcome: ParsedInput | str | None,
    tally: Tally,
    fmt: str,
    options: ImportOptions,
) -> Iterator[tuple[ImportItem, float]]:
    """The items of one input, each with the share of the input read so far (for the progress
    bar); its failures are reported (and counted) as they are found. `outcome` is what a
    worker made of a whole input."""
    if source.error:
        _fail(tally, source.name, source.error)
    elif source.lines is not None:
        for item, read in _streamed_items(source.name, source.lines, tally, fmt, options):
            yield item, (read / source.size if source.size else 0.0)
    elif isinstance(outcome, str):
        _fail(tally, source.name, outcome)
    elif outcome is not None:
        for item in _taken(source.name, outcome, tally):
            yield item, 0.0


def _streamed_items(
    name: str, lines: Callable[[], Iterator[bytes]], tally: Tally, fmt: str, options: ImportOptions
) -> Iterator[tuple[ImportItem, int]]:
    """A large JSON-lines input, a piece of whole lines at a time: committed batch by batch.
    Each item comes with how many bytes of the input are read up to the end of its piece."""
    read = 0
    try:
        for first_line, piece in line_chunks(lines()):
            read += len(piece)
            if not piece.strip():
                continue
            if fmt == "auto":
                fmt = input_format(name, piece, fmt, options)  # decided by the first piece
            items = _parsed(name, piece, tally, fmt, options, first_line, whole_input=False)
            if items is None:  # the piece as a whole cannot be read (a byte that is not UTF-8)
                items = _line_by_line(name, piece, tally, fmt, options, first_line)
            yield from ((item, read) for item in items)
    except OSError as error:
        _fail(tally, name, error.strerror or str(error))


def _line_by_line(
    name: str, piece: bytes, tally: Tally, fmt: str, options: ImportOptions, first_line: int
) -> list[ImportItem]:
    """A piece that cannot be read whole, read one line at a time: a bad line fails alone."""
    items: list[ImportItem] = []
    for offset, line in enumerate(piece.splitlines(keepends=True)):
        if line.strip():
            number = first_line + offset
            items += _parsed(name, line, tally, fmt, options, number, where=f"line {number}") or []
    return items


def _parsed(
    name: str,
    data: bytes,
    tally: Tally,
    fmt: str,
    options: ImportOptions,
    first_line: int = 1,
    *,
    where: str | None = None,
    whole_input: bool = True,
) -> list[ImportItem] | None:
    """Items parsed from `data`: a piece of a large input, or one line of it (`where`).
    A piece that cannot be read as a whole gives None, and no failure yet."""
    parsed = parse_outcome(name, data, fmt, options, first_line=first_line)
    if isinstance(parsed, str):
        if not whole_input:
            return None
        _fail(tally, name, f"{where}: {parsed}" if where else parsed)
        return []
    return _taken(name, parsed, tally)


def _taken(name: str, parsed: ParsedInput, tally: Tally) -> list[ImportItem]:
    """The items of a parsed input; its failures reported, its ClaimReviews kept for later."""
    for reason in parsed.failures:
        _fail(tally, name, reason)
    if parsed.external:
        tally.reviews.append((name, parsed.external))
    return parsed.items


def _fail(tally: Tally, name: str, reason: str) -> None:
    report_failure(name, reason)
    tally.failed += 1


def _commit(store: Store, batch: Batch, tally: Tally) -> None:
    """One transaction per batch; if it fails, retry item by item so one bad input fails alone."""
    if not batch.items:
        return
    try:
        outcomes = store.import_items(batch.items)
    except DatabaseBusy as error:
        raise CliError(f"{error}; stopped after {tally.line()}", code=1) from None
    except (ValueError, ImportFailure, StoreError):
        # A refusal (another's layer, gold) or a store error (a full disk): item by item, so
        # each input that cannot be stored fails alone and the rest is imported.
        for item, name, given in zip(batch.items, batch.names, batch.given, strict=True):
            _commit_one(store, item, name, given, tally)
        return
    for outcome, item, name, given in zip(
        outcomes, batch.items, batch.names, batch.given, strict=True
    ):
        _count(outcome, tally, item, name)
        _correct_stored(store, outcome, name, given)


def _commit_one(
    store: Store, item: ImportItem, name: str, given: dict[str, str | None], tally: Tally
) -> None:
    try:
        (outcome,) = store.import_items([item])
    except DatabaseBusy as error:
        raise CliError(f"{error}; stopped after {tally.line()}", code=1) from None
    except (ValueError, ImportFailure, StoreError) as error:
        # The store names the item by its file too: say the path once.
        report_failure(name, str(error).removeprefix(f"{item.source_file}: "))
        tally.failed += 1
        return
    _count(outcome, tally, item, name)
    _correct_stored(store, outcome, name, given)


UNCHANGED_LINES = 10  # records with nothing new named one by one; the rest only counted


def _count(outcome: ImportOutcome, tally: Tally, item: ImportItem, name: str) -> None:
    if outcome.created:
        tally.imported += 1
    else:
        tally.duplicates += 1
        _count_additions(outcome, tally, item, name)
    tally.external += outcome.external_added
    tally.external_duplicates += outcome.external_duplicates


def _given(options: ImportOptions, row: dict[str, str | None]) -> dict[str, str | None]:
    """The metadata given for one input: --outlet and --url, then its row of the --meta file."""
    given: dict[str, str | None] = {"outlet": options.outlet, "url": options.url}
    return {k: v for k, v in given.items() if v is not None} | row


def _with_given(item: ImportItem, given: dict[str, str | None]) -> ImportItem:
    """A new document takes the given metadata over what its page says; what the page said is
    kept as the value found (`docs show` and exports show both), as a correction would keep it."""
    article = item.article
    if not given or all(getattr(article, field) == value for field, value in given.items()):
        return item
    found = {field: getattr(article, field) for field in DOCUMENT_FIELDS}
    meta = (
        article.meta
        if isinstance(article.meta.get(FOUND_KEY), dict)
        else {
            **article.meta,
            FOUND_KEY: found,
        }
    )
    values: dict[str, Any] = dict(given)
    return dataclasses.replace(item, article=dataclasses.replace(article, **values, meta=meta))


def _correct_stored(
    store: Store, outcome: ImportOutcome, name: str, given: dict[str, str | None]
) -> None:
    """A document already stored takes the given metadata as a correction (logged, the value
    found kept), and the input says so in one line; or says in one line why it could not."""
    if outcome.created or not given:
        return
    from cli.commands.docs import correction_line

    stored = f"{safe(name)}: already stored as document {outcome.document_id}"
    try:
        made = store.correct_document(outcome.document_id, given)
    except DatabaseBusy as error:
        raise CliError(f"{error}; {stored}, its metadata not corrected", code=1) from None
    except (ValueError, StoreError) as error:
        fields = " and ".join(given)
        print(f"{stored}; {fields} not corrected: {safe(error)}")
        return
    if not made:
        print(f"{stored}; its {' and '.join(given)} already as given")
    for correction in made:
        print(f"{stored}; corrected {correction_line(correction)}")


def _count_additions(outcome: ImportOutcome, tally: Tally, item: ImportItem, name: str) -> None:
    """What a record added to its document already stored; otherwise why it added nothing."""
    where = f"{name}: line {item.line}" if item.line is not None else name
    for conflict in outcome.conflicts:
        report_failure(where, conflict)
    added = {
        "span": outcome.spans_added,
        "relation": outcome.relations_added,
        "attribute": outcome.attributes_added,
        "note": outcome.notes_added,
        "done mark": outcome.done_marked,
    }
    if any(added.values()):
        tally.updated += 1
        for kind, count in added.items():
            tally.added[kind] = tally.added.get(kind, 0) + count
        return
    if not item.layers or outcome.conflicts:
        return  # a plain duplicate page, or its conflicts said what was left out
    if tally.unchanged_said < UNCHANGED_LINES:
        tally.unchanged_said += 1
        report_failure(
            where,
            f"nothing new: document {outcome.document_id} already holds every span, relation, "
            "attribute, note and done mark of this record",
        )
    else:
        tally.unchanged_unsaid += 1


def _count_of(count: int, kind: str) -> str:
    return f"{count} {kind}" + ("" if count == 1 else "s")
