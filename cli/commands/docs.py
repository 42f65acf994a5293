"""`factmark docs set ID [--title …] [--outlet …] [--byline …] [--published YYYY-MM-DD|none]
[--url …]` and `factmark docs show ID`: a document's metadata, found and in force.

A document is named as `annotate` names it: by number or by its public id ("d-3f9a…", or a
unique start of one). Each change is a correction in the event log (who, when, old, new); the
value the importer found is kept. A bad value, an unknown document or an empty title is one line
and exit code 2, with nothing written.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from cli.common import Context, json_line, safe
from vocabulary.document_fields import DOCUMENT_FIELDS

if TYPE_CHECKING:
    from store.correction_info import Correction, DocumentMeta

_HELP = {
    "title": "the headline",
    "outlet": "who published it (e.g. Reuters)",
    "byline": "the author(s)",
    "published": "publication date, YYYY-MM-DD (or an ISO 8601 timestamp), or 'none' for no date",
    "url": "where it was published (http or https)",
}


def add_docs_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """The `docs` command and its actions (called by cli.main's parser builder)."""
    parser = commands.add_parser(
        "docs", parents=[common], help="a document's metadata: show it, correct it"
    )
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    show = actions.add_parser(
        "show", parents=[common], help="metadata found and in force, and its corrections"
    )
    show.add_argument("id", metavar="ID")
    correct = actions.add_parser("set", parents=[common], help="correct a document's metadata")
    correct.add_argument("id", metavar="ID")
    for field in DOCUMENT_FIELDS:
        correct.add_argument(f"--{field}", metavar="VALUE", help=_HELP[field])
    for action in (show, correct):
        action.add_argument("--json", action="store_true", help="print JSON instead of text")


def run_docs(args: argparse.Namespace, context: Context) -> int:
    # Imported here: `factmark --help` builds this command's parser too.
    from cli.commands.annotators import refused, user_store
    from vocabulary.document_fields import corrected_values

    given = {f: getattr(args, f, None) for f in DOCUMENT_FIELDS}
    changes = {f: value for f, value in given.items() if value is not None}
    if args.action == "set":
        refused(lambda: corrected_values(changes))  # bad input refused before the database opens
    with user_store(context) as store:
        document = refused(lambda: store.find_document(args.id))
        if args.action == "set":
            made = refused(lambda: store.correct_document(document.id, changes))
            _print_changes(document.id, made, args.json)
            return 0
        _print_meta(store.document_meta(document.id), args.json)
    return 0


def correction_json(correction: Correction) -> dict[str, Any]:
    return {
        "document": correction.document_id,
        "field": correction.field,
        "old": correction.old,
        "new": correction.new,
        "by": correction.actor,
        "at": correction.at.isoformat(),
    }


def correction_line(correction: Correction) -> str:
    """One change as the commands say it: `outlet: 'U.S.' -> 'Reuters'`."""
    return f"{correction.field}: {_quoted(correction.old)} -> {_quoted(correction.new)}"


def _quoted(value: str | None) -> str:
    return "(none)" if value is None else repr(safe(value))


def _print_changes(doc_id: int, made: list[Correction], as_json: bool) -> None:
    if as_json:
        print(json_line([correction_json(c) for c in made], indent=1))
        return
    if not made:
        print(f"document {doc_id}: nothing changed (those values are already in force)")
    for correction in made:
        print(f"document {doc_id}: {correction_line(correction)}")


def _print_meta(meta: DocumentMeta, as_json: bool) -> None:
    if as_json:
        shown = {
            "id": meta.document_id,
            "ext_id": meta.ext_id,
            "found": meta.found,
            "in_force": meta.in_force,
            "corrections": [correction_json(c) for c in meta.corrections],
        }
        print(json_line(shown, indent=1))
        return
    print(f"document {meta.document_id} ({meta.ext_id})")
    width = max(len(field) for field in DOCUMENT_FIELDS)
    for field in DOCUMENT_FIELDS:
        line = f"  {field:<{width}}  {_quoted(meta.in_force[field])}"
        if meta.corrected(field):
            line += f"  (found: {_quoted(meta.found[field])})"
        print(line)
    for correction in meta.corrections:
        who = safe(correction.actor or "(system)")
        when = correction.at.strftime("%Y-%m-%d %H:%M UTC")
        print(f"  {when} {who}: {correction_line(correction)}")
