"""`factmark checked-before TEXT [--claimant NAME] [--limit N] [--json]`: other fact-checkers'
verdicts (imported ClaimReviews) on a claim like TEXT, best match first.

Text: one line per match, as the check form says it ("checked before: PolitiFact, False,
2024-05-02"), then the claim checked, why it matched and the fact-check's URL. JSON: one array
of objects (claim, rating, rating_value, best, worst, publisher, url, date, claimant,
appearance_url, likeness, reasons). Nothing found: nothing printed, exit code 0.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from cli.common import CliError, Context, json_line, open_store, safe
from vocabulary.external_checks import checked_before_line

if TYPE_CHECKING:
    from store.desk_info import ExternalCheckInfo


def add_checked_before_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "checked-before",
        parents=[common],
        help="imported fact-checks (ClaimReviews) of a claim like TEXT",
    )
    parser.add_argument("text", metavar="TEXT", help="the claim, in any wording")
    parser.add_argument("--claimant", metavar="NAME", help="who made the claim")
    parser.add_argument("--limit", type=int, default=5, metavar="N", help="at most N (default 5)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def run_checked_before(args: argparse.Namespace, context: Context) -> int:
    if not args.text.strip():
        raise CliError("checked-before: TEXT is empty")
    if args.limit < 1:
        raise CliError("checked-before: --limit must be at least 1")
    with open_store(context) as store:
        found = store.external_checks_like(args.text, args.claimant, args.limit)
    if args.json:
        print(json_line([_as_json(info) for info in found], indent=2))
        return 0
    for info in found:
        print(safe(checked_before_line(info)))
        print(f"  {safe(info.claim)}")
        why = ", ".join(info.reasons) or "alike"
        print(f"  {why} ({info.likeness or 0:.2f})" + (f"  {safe(info.url)}" if info.url else ""))
    return 0


def _as_json(info: ExternalCheckInfo) -> dict[str, Any]:
    keys = (
        *("claim", "rating", "rating_value", "best", "worst", "publisher", "url", "date"),
        *("claimant", "appearance_url", "likeness"),
    )
    return {**{key: getattr(info, key) for key in keys}, "reasons": list(info.reasons)}
