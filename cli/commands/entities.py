"""`factmark entities list|show ID|merge ID INTO_ID|rename ID NAME [--json]`: the corpus's
entities, the canonical actors that actor spans name (cli.md).

An entity is named by its number or its public id ("e-3f9a…", or a unique start of one). A
bad id or name is a usage error (one line, exit 2); merging and renaming are for reviewers and
admins, and are in the event log.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from cli.common import Context, json_line, safe

if TYPE_CHECKING:
    from store import SpanInfo
    from store.info import EntityInfo

SHOWN_SPANS = 50  # spans `show` lists (its count says how many there are in all)


def add_entities_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """The `entities` command and its four actions (called by cli.main's parser builder)."""
    parser = commands.add_parser(
        "entities", parents=[common], help="the corpus's entities: list, show, merge, rename"
    )
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    listing = actions.add_parser("list", parents=[common], help="every entity, most-named first")
    listing.add_argument("--search", metavar="TEXT", help="only those matching TEXT, best first")
    show = actions.add_parser("show", parents=[common], help="one entity and the spans naming it")
    show.add_argument("id", metavar="ID")
    merge = actions.add_parser(
        "merge", parents=[common], help="merge ID into INTO_ID (every span's link kept)"
    )
    merge.add_argument("id", metavar="ID")
    merge.add_argument("into", metavar="INTO_ID")
    rename = actions.add_parser("rename", parents=[common], help="give an entity a new name")
    rename.add_argument("id", metavar="ID")
    rename.add_argument("name", metavar="NAME")
    for action in (listing, show, merge, rename):
        action.add_argument("--json", action="store_true", help="print JSON instead of text")


def run_entities(args: argparse.Namespace, context: Context) -> int:
    # Imported here, not above: `factmark --help` builds this command's parser too, and these
    # bring Rich and the store.
    from cli.commands.annotators import refused, user_store

    with user_store(context) as store:
        if args.action == "list":
            found = store.entities(args.search)
            _print_list(found, args.json)
            return 0
        if args.action == "show":
            entity = refused(lambda: store.entity(args.id))
            spans = store.entity_spans(entity.id, limit=SHOWN_SPANS)
            _print_one(entity, spans, args.json)
            return 0
        if args.action == "merge":
            gone = refused(lambda: store.entity(args.id))
            kept = refused(lambda: store.merge_entities(args.id, args.into))
            _print_change(f"merged {_label(gone)} into", kept, args.json)
            return 0
        renamed = refused(lambda: store.rename_entity(args.id, args.name))
        _print_change("renamed", renamed, args.json)
        return 0


def entity_json(entity: EntityInfo) -> dict[str, Any]:
    return {
        "id": entity.id,
        "ext_id": entity.uid,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "external_id": entity.external_id,
        "spans": entity.span_count,
    }


def _span_json(span: SpanInfo) -> dict[str, Any]:
    return {
        "span": span.id,
        "document": span.document_id,
        "layer": span.layer,
        "start": span.start,
        "end": span.end,
        "text": span.text,
    }


def _label(entity: EntityInfo) -> str:
    return f"{entity.id} ({entity.uid}) {safe(entity.name)}"


def _print_list(found: list[EntityInfo], as_json: bool) -> None:
    if as_json:
        print(json_line([entity_json(e) for e in found], indent=1))
        return
    # Rich only when a table is drawn: `factmark --help` builds this command's parser too.
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(found)} entities", title_justify="left")
    for heading in ("id", "public id", "name", "type", "spans", "aliases"):
        table.add_column(heading, justify="right" if heading in ("id", "spans") else "left")
    for entity in found:
        table.add_row(
            str(entity.id),
            entity.uid,
            Text(safe(entity.name)),
            entity.type,
            str(entity.span_count),
            Text(safe("; ".join(entity.aliases))),
        )
    Console().print(table)


def _print_one(entity: EntityInfo, spans: list[SpanInfo], as_json: bool) -> None:
    if as_json:
        shown = {**entity_json(entity), "named_by": [_span_json(s) for s in spans]}
        print(json_line(shown, indent=1))
        return
    print(_label(entity))
    print(f"type: {entity.type}")
    print(f"aliases: {safe('; '.join(entity.aliases)) or '(none)'}")
    print(f"external id: {safe(entity.external_id or '(none)')}")
    plural = "" if entity.span_count == 1 else "s"
    print(f"named by {entity.span_count} span{plural}" + (":" if spans else ""))
    for span in spans:
        where = f"document {span.document_id} {safe(span.layer)} {span.start}-{span.end}"
        print(f"  {where} “{safe(span.text)}”")
    if entity.span_count > len(spans):
        print(f"  … and {entity.span_count - len(spans)} more")


def _print_change(what: str, entity: EntityInfo, as_json: bool) -> None:
    if as_json:
        print(json_line(entity_json(entity), indent=1))
        return
    aliases = safe("; ".join(entity.aliases)) or "(none)"
    print(f"{what} {_label(entity)}: {entity.span_count} spans, aliases {aliases}")
