"""factmark's storage: SQLModel tables and the `Store` API (the only package that speaks SQL).

Everything handed out is a frozen dataclass from `store.info`; nothing here imports the UI.

`store.store.Store` is the facade: each method checks its input (`validation`), runs one short
transaction (`engine`) and returns `info` objects. Its review, gold and assignment methods are
the `review_api.ReviewMethods` mixin; its entity methods (the corpus's canonical actors that
actor spans name) the `entity_api.EntityMethods` mixin, over `entities`. Inside a transaction
the work is done by modules named for what they hold: `queries` (documents, annotators,
layers, spans), `writes` (small shared writes), `events` (the log), `row_info` (rows into
infos), `span_columns` and `snapshots` (see below), `bulk_import`, `gold`, `history`, `roles`,
`assignments`, `library` (queues), `listing`, `export_reads`, `json_export`, `chunks` and
`tally` (exports), `forked` (export worker processes), `suggestion_api` (each annotator's
accepted and rejected suggestions; a mixin like review_api), `search` (full-text search over
every document, and its index).
Reads that must start fast run without SQLAlchemy on a `store.direct` connection: `listing`,
`check_listing` (the claims desk), `json_export` and `chunks` are plain SQL through a `Rows`
callable that a session provides too, over the plain `layer`, `column_values`, `info`, `errors`,
`schema` and `paths`. `check_tally` counts the desk for the data card.

A span's columns are named once, in `tables.Span`; new rows, SpanInfo, the export's column tuple
and undo snapshots are derived from it (`span_columns`, `snapshots`). A new span column goes in:
- `tables.Span`: the column and its model default (a plain default reaches new rows by itself;
  one from a factory is set in `span_columns.new_span_row`, as a test there insists);
- `migrations`: an upgrade step adding it to existing databases (the table only makes new ones);
- `info.SpanInfo`, under the column's name, last and with a default (positional callers): the
  store reads it by name; `tests/test_store_span_columns.py` holds SpanInfo to the table;
- `info.ExportSpan` if exports carry it: the export reads it by name, but
  `span_columns.export_span` builds each ExportSpan by position (millions of them), so it is
  added there too (the unpacking fails until it is);
- where its values come from, if not the default: `vocabulary.records.SpanDraft` with
  `new_span_row`, a check in `validation`, `Store.add_span`'s parameters;
- the formats that write it: `exporters/` and, for native JSONL, both `exporters/jsonl.py` and
  the SQL of `json_export` (tests hold the two to the same lines); their importers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Names are loaded on first use (PEP 562): `store.info`, `store.paths` and `store.direct` are plain
# Python, and a command that needs only them must not pay for SQLAlchemy and SQLModel.
_HOMES = {
    "StoreError": "store.errors",
    "SCHEMA_VERSION": "store.schema",
    "default_data_dir": "store.paths",
    "default_db_path": "store.paths",
    "PermissionDenied": "store.errors",
    "CheckConflict": "store.errors",
    "Store": "store.store",
}
_INFO_NAMES = (
    "AnnotatorInfo",
    "AnnotatorProgress",
    "AssignSummary",
    "AutoSummary",
    "DocumentInfo",
    "DocumentSummary",
    "EntityInfo",
    "EntityRef",
    "EventInfo",
    "ExportRecord",
    "GoldDecisionInfo",
    "GoldProvenance",
    "ImportOutcome",
    "RelationInfo",
    "ReviewDocument",
    "ReviewStatus",
    "SpanInfo",
    "SuggestionDecisionInfo",
)
_HOMES.update(dict.fromkeys(_INFO_NAMES, "store.info"))
_DESK_NAMES = (
    "AppearanceInfo",
    "CheckChange",
    "CheckFilter",
    "CheckInfo",
    "CheckSummary",
    "CheckTally",
    "EvidenceInfo",
    "ExternalCheckInfo",
    "SearchHit",
)
_HOMES.update(dict.fromkeys(_DESK_NAMES, "store.desk_info"))

if TYPE_CHECKING:
    from store.desk_info import (
        AppearanceInfo,
        CheckChange,
        CheckFilter,
        CheckInfo,
        CheckSummary,
        CheckTally,
        EvidenceInfo,
        ExternalCheckInfo,
        SearchHit,
    )
    from store.errors import CheckConflict, PermissionDenied, StoreError
    from store.info import (
        AnnotatorInfo,
        AnnotatorProgress,
        AssignSummary,
        AutoSummary,
        DocumentInfo,
        DocumentSummary,
        EntityInfo,
        EntityRef,
        EventInfo,
        ExportRecord,
        GoldDecisionInfo,
        GoldProvenance,
        ImportOutcome,
        RelationInfo,
        ReviewDocument,
        ReviewStatus,
        SpanInfo,
        SuggestionDecisionInfo,
    )
    from store.paths import default_data_dir, default_db_path
    from store.schema import SCHEMA_VERSION
    from store.store import Store


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    return getattr(import_module(home), name)


__all__ = [
    "SCHEMA_VERSION",
    "AnnotatorInfo",
    "AnnotatorProgress",
    "AppearanceInfo",
    "CheckChange",
    "CheckConflict",
    "CheckFilter",
    "CheckInfo",
    "CheckSummary",
    "CheckTally",
    "EvidenceInfo",
    "AssignSummary",
    "AutoSummary",
    "DocumentInfo",
    "DocumentSummary",
    "EntityInfo",
    "EntityRef",
    "EventInfo",
    "ExportRecord",
    "ExternalCheckInfo",
    "GoldDecisionInfo",
    "GoldProvenance",
    "ImportOutcome",
    "PermissionDenied",
    "RelationInfo",
    "ReviewDocument",
    "ReviewStatus",
    "SearchHit",
    "SpanInfo",
    "Store",
    "SuggestionDecisionInfo",
    "StoreError",
    "default_data_dir",
    "default_db_path",
]
