"""`factmark claims`: every check of the desk, what needs work first (cli.md).

Filters narrow the list: `--status` and `--verdict` name a status and a rating of the configured
scale (`[checks]`; any case), `--claimant` and `--text` match words, `--assignee` names an
annotator. A status or rating the desk does not have, or nobody of that name, is a usage error
(one line, exit 2) rather than an empty list that looks like an answer.

For people, a table as wide as the terminal (claims, names and notes never read as markup);
with `--json`, one JSON object per check per line, for scripts.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import UTC
from typing import TYPE_CHECKING, Any

from cli.common import CliError, Context, load_settings, safe

if TYPE_CHECKING:
    from rich.table import Table

    from store.info import CheckFilter, CheckSummary
    from vocabulary.checks import CheckSettings

CLAIM_CELLS = 200  # a claim longer than this is cut in the table (--json carries all of it)
NONE = "—"


def add_claims_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """The `claims` command (called by cli.main's parser builder)."""
    parser = commands.add_parser(
        "claims",
        parents=[common],
        help="every check: claim, status, verdict, claimant, evidence, assignee",
        description="Every check of the desk, what needs work first. Filters combine.",
    )
    parser.add_argument("--status", metavar="S", help="only checks with this status")
    parser.add_argument("--verdict", metavar="R", help="only checks with this rating")
    parser.add_argument("--claimant", metavar="TEXT", help="only checks whose claimant matches")
    parser.add_argument("--assignee", metavar="NAME", help="only checks assigned to NAME")
    parser.add_argument("--text", metavar="TEXT", help="only checks whose claim holds TEXT")
    parser.add_argument("--json", action="store_true", help="one JSON object per check per line")


def run_claims(args: argparse.Namespace, context: Context) -> int:
    # Imported here: `factmark --help` builds this command's parser, and the store brings
    # SQLAlchemy.
    from cli.commands.annotators import refused, user_store

    wanted = _filter(args, load_settings(context).checks)
    with user_store(context) as store:
        if wanted.assignee is not None:
            _known_annotator(wanted.assignee, [person.name for person in store.annotators()])
        checks = refused(lambda: store.checks(wanted))
    if args.json:
        print("\n".join(json.dumps(check_json(c), ensure_ascii=False) for c in checks))
        return 0
    from rich.console import Console

    console = Console()
    console.print(claims_table(checks, filtered=_any_filter(wanted)))
    return 0


def _filter(args: argparse.Namespace, settings: CheckSettings) -> CheckFilter:
    """The store's filter from the flags; a status or verdict not on the desk's scale is refused."""
    from store.info import CheckFilter

    status = rating = None
    if args.status is not None:
        status = settings.status(args.status)
        if status is None:
            raise CliError(
                f"--status {safe(args.status)!r}: {_choices('status', settings.statuses)}"
            )
    if args.verdict is not None:
        found = settings.rating(args.verdict)
        if found is None:
            raise CliError(
                f"--verdict {safe(args.verdict)!r}: {_choices('rating', settings.rating_names)}"
            )
        rating = found.name
    return CheckFilter(
        text=_words(args.text),
        status=status,
        rating=rating,
        claimant=_words(args.claimant),
        assignee=_words(args.assignee),
    )


def _choices(what: str, names: Sequence[str]) -> str:
    return f"not a {what} of this desk (one of: {', '.join(safe(name) for name in names)})"


def _words(value: str | None) -> str | None:
    """A text flag with its spacing tidied; empty means no filter."""
    if value is None:
        return None
    return " ".join(safe(value).split()) or None


def _known_annotator(name: str, names: Sequence[str]) -> None:
    if name not in names:
        raise CliError(f"--assignee {name!r}: nobody of that name works on this database")


def _any_filter(wanted: CheckFilter) -> bool:
    values = (wanted.text, wanted.status, wanted.rating, wanted.claimant, wanted.assignee)
    return any(value is not None for value in values)


def check_json(check: CheckSummary) -> dict[str, Any]:
    """One check as `--json` prints it (cli.md's columns, the check's id first)."""
    return {
        "id": check.uid,
        "claim": check.claim,
        "status": check.status,
        "verdict": check.rating,
        "claimant": check.claimant,
        "appearances": check.appearances,
        "evidence": check.evidence,
        "assignee": check.assignee,
        "changed_at": _iso(check),
        "changed_by": check.changed_by,
    }


def _iso(check: CheckSummary) -> str | None:
    if check.changed_at is None:
        return None
    return check.changed_at.astimezone(UTC).isoformat(timespec="seconds")


def claims_table(checks: Sequence[CheckSummary], *, filtered: bool) -> Table:
    """The checks as a table: text columns wrap to the terminal's width, counts and ids never do.
    Every value is a rich Text (never markup): claims, names and ratings come from people."""
    from rich import box
    from rich.table import Table

    noun = "check" if len(checks) == 1 else "checks"
    title = f"{len(checks)} {noun}{' matching' if filtered else ''}, what needs work first"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("claim (id)", ratio=4, min_width=16)
    table.add_column("status", ratio=1)
    table.add_column("verdict", ratio=1)
    table.add_column("claimant", ratio=1)
    table.add_column("app.", justify="right", no_wrap=True)
    table.add_column("ev.", justify="right", no_wrap=True)
    table.add_column("assignee", ratio=1)
    table.add_column("last change (UTC)", ratio=1, min_width=10)
    for check in checks:
        table.add_row(*_cells(check))
    return table


def _cells(check: CheckSummary) -> list[Any]:
    from rich.text import Text

    claim = Text(_cut(safe(check.claim), CLAIM_CELLS))
    claim.append(f"\n{check.uid}", "dim")
    changed = Text(safe(check.changed_by or NONE))
    if check.changed_at is not None:
        changed.append("\n" + check.changed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"), "dim")
    return [
        claim,
        Text(safe(check.status)),
        Text(safe(check.rating or NONE)),
        Text(safe(check.claimant or NONE)),
        Text(str(check.appearances)),
        Text(str(check.evidence)),
        Text(safe(check.assignee or NONE)),
        changed,
    ]


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"
