"""`factmark search QUERY [--json] [--limit N] [--all]`: full-text search over every stored
document (cli.md): document id, title, outlet, date, offsets and a snippet per match.

Words are ANDed, "quoted text" is a phrase, `word*` a prefix; case and Latin accents do not
matter. A query with no word in it is a usage error (one line, exit 2); no match is not an error.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from cli.common import CliError, Context, json_line, open_store, safe

if TYPE_CHECKING:
    from store import SearchHit

DEFAULT_LIMIT = 20


def add_search_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """The `search` command (called by cli.main's parser builder)."""
    parser = commands.add_parser(
        "search",
        parents=[common],
        help="full-text search over every stored document",
        description='Words are ANDed, "quoted text" is a phrase, word* is a prefix; case and '
        "accents are ignored. Prints the best documents first, each with its match.",
    )
    parser.add_argument("query", nargs="+", metavar="QUERY", help="what to look for")
    parser.add_argument("--json", action="store_true", help="one JSON object per match per line")
    parser.add_argument(
        "--limit",
        type=_positive,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"at most N documents (default {DEFAULT_LIMIT})",
    )
    parser.add_argument(
        "--all", action="store_true", help="every match in each document, not only the best"
    )


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def run_search(args: argparse.Namespace, context: Context) -> int:
    query = " ".join(args.query)
    with open_store(context) as store:
        try:
            hits = store.search(query, args.limit, every=args.all)
        except ValueError as error:  # QueryError: nothing to search for
            raise CliError(f"search: {error}") from None
    if args.json:
        sys.stdout.writelines(json_line(hit_json(hit)) + "\n" for hit in hits)
    else:
        _print_text(hits)
    if not hits:
        print(f"no document matches {safe(query)!r}", file=sys.stderr)
    return 0


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "document_id": hit.document_id,
        "ext_id": hit.ext_id,
        "title": hit.title,
        "outlet": hit.outlet,
        "published": hit.published,
        "start": hit.start,
        "end": hit.end,
        "text": hit.text,
        "snippet": hit.snippet,
        "snippet_start": hit.snippet_start,
        "snippet_end": hit.snippet_end,
        "rank": hit.rank,
    }


def _print_text(hits: list[SearchHit]) -> None:
    """Per document a heading line (id, date, outlet, title), then a line per match: its
    offsets and its snippet, the match in bold on a terminal (as Text: never markup)."""
    from rich.console import Console
    from rich.text import Text

    from tui.titles import title_line

    console = Console(highlight=False, soft_wrap=True)
    shown = None
    for hit in hits:
        if hit.document_id != shown:
            shown = hit.document_id
            fields = [str(hit.document_id), hit.ext_id, (hit.published or "")[:10], hit.outlet]
            heading = "  ".join(safe(field) for field in fields if field)
            title = title_line(hit.title, hit.opening)  # as `list` and every screen show it
            console.print(Text(f"{heading}  {title}", style="bold"))
        line = Text(f"  {hit.start}-{hit.end}  ")
        line.append(hit.snippet[: hit.snippet_start])
        line.append(hit.snippet[hit.snippet_start : hit.snippet_end], style="bold reverse")
        line.append(hit.snippet[hit.snippet_end :])
        console.print(line)
