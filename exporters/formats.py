"""The export formats, one registry: what `factmark export --format` offers and how each writes.

Each format has a name, the kind of output it writes and its writer. Every writer has one
signature,

    write(records: Iterable[ExportRecord], out, options: ExportOptions) -> ExportReport

where `out` is what the kind of output opens: a text stream (TextIO), a byte stream (BinaryIO) or a
new, empty directory (Path). The command line takes its `--format` choices and its output handling
(standard output, a file, a directory, each appearing only once complete) from here. Writers are
named as "module:function" and imported when an export runs: the parser, built on every start,
imports no exporter (they bring in the store).

To add a format: a module in exporters/ with its writer, and one `ExportFormat(...)` line below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass
from enum import Enum
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from exporters.common import ExportReport
    from store.check_export import CheckExport
    from store.info import ExportLine, ExportRecord
    from vocabulary.checks import RatingDef


ANY_STATUS = "any"  # `--status any`: checks of every status


class Reads(Enum):
    """What a writer is given: the documents' layers, or the checks."""

    DOCUMENTS = "documents"  # ExportRecords (and ExportLines where the format takes them)
    CHECKS = "checks"  # store.check_export.CheckExport, in the claims desk's order


class Output(Enum):
    """What a writer writes into, and so what the command line opens for it."""

    TEXT = "text"  # a text stream (TextIO): standard output or a file
    BINARY = "binary"  # a byte stream (BinaryIO): standard output or a file
    DIRECTORY = "directory"  # a new directory (Path) of several files: never standard output


@dataclass(frozen=True)
class ExportOptions:
    """What a writer may need beyond the records; the defaults are an export without settings."""

    labels: tuple[str, ...] = ()  # the configured label set (formats that declare their labels)
    organisation: str | None = None  # who publishes the export (ClaimReview's author)
    by_layer: bool = False  # the records hold several layers of each document (`--source all`)
    relations: tuple[str, ...] = ()  # the configured relation types (formats that declare them)
    review_url: str | None = None  # the configured fact-check URL template ("…/{check_id}")
    ratings: tuple[RatingDef, ...] = ()  # the configured rating scale


NO_OPTIONS = ExportOptions()


class ExportWriter(Protocol):
    """The one signature of a writer; `out` is what the format's Output opens (a test checks)."""

    def __call__(
        self,
        records: Iterable[ExportRecord | ExportLine] | Iterable[CheckExport],
        out: Any,
        options: ExportOptions,
        /,
    ) -> ExportReport: ...


class FormatUnavailable(Exception):
    """A format that cannot be written here (a missing optional package); says how to fix it."""


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, the kind of output, its writer ("module:function")."""

    name: str
    output: Output
    writer: str
    _: KW_ONLY
    # False: bytes that are not text, refused when standard output is a terminal.
    terminal: bool = True
    # True: the writer reads the configured label set or organisation (the file is loaded).
    configured: bool = False
    # True: the writer also takes the JSON lines the store assembles itself (store.ExportLine).
    store_lines: bool = False
    # "module:function" run before any work; raises FormatUnavailable.
    check: str | None = None
    # What the writer is given; for CHECKS, which statuses by default ("any": every one).
    reads: Reads = Reads.DOCUMENTS
    default_status: str = ANY_STATUS
    history: bool = False  # CHECKS: the writer also needs each check's history

    def load_writer(self) -> ExportWriter:
        return cast(ExportWriter, _load(self.writer))

    def check_available(self) -> None:
        """Raise FormatUnavailable if this format cannot be written here."""
        if self.check is not None:
            _load(self.check)()


def _load(reference: str) -> Any:
    module, _, function = reference.partition(":")
    return getattr(import_module(module), function)


EXPORT_FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("jsonl", Output.BINARY, "exporters.jsonl:write_jsonl", store_lines=True),
        ExportFormat("prodigy", Output.TEXT, "exporters.prodigy:write_prodigy"),
        ExportFormat("doccano", Output.TEXT, "exporters.doccano:write_doccano"),
        ExportFormat("labelstudio", Output.TEXT, "exporters.labelstudio:write_labelstudio"),
        ExportFormat("conll", Output.TEXT, "exporters.conll:write_conll"),
        ExportFormat("brat", Output.DIRECTORY, "exporters.brat:write_brat", configured=True),
        ExportFormat(
            "spacy",
            Output.BINARY,
            "exporters.spacy_docbin:write_docbin",
            terminal=False,
            check="exporters.spacy_docbin:require_spacy",
        ),
        ExportFormat(
            "claimreview",
            Output.TEXT,
            "exporters.claimreview:write_claimreview",
            configured=True,
            reads=Reads.CHECKS,
            default_status="published",
        ),
        ExportFormat(
            "checks",
            Output.TEXT,
            "exporters.checks:write_checks",
            reads=Reads.CHECKS,
            history=True,
        ),
    )
}
