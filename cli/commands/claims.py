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
from collections.abc import Sequence
from datetime import UTC
from typing import TYPE_CHECKING, Any

from cli.common import CliError, Context, direct_read, json_line, load_settings, open_store, safe

if TYPE_CHECKING:
    from rich.table import Table

    from store.desk_info import CheckFilter, CheckSummary
    from vocabulary.checks import CheckSettings

CLAIM_CELLS = 200  # a claim longer than this is cut in the table (--json carries all of it)
NONE = "—"
_NO_CHECKS = "no checks yet: a check is opened on a claim span, in the annotate screen"


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
    settings = load_settings(context).checks
    wanted = _filter(args, settings)
    checks, people = _desk(context, wanted, settings)
    if wanted.assignee is not None:
        _known_annotator(wanted.assignee, people)
    if args.json:
        for check in checks:
            print(json_line(check_json(check)))
        return 0
    if not checks:
        print("no checks match" if _any_filter(wanted) else _NO_CHECKS)
        return 0
    # Rich only when a table is drawn: `factmark --help` builds this command's parser too.
    from rich.console import Console

    console = Console()
    console.print(claims_table(checks, filtered=_any_filter(wanted), width=console.width))
    return 0


def _desk(
    context: Context, wanted: CheckFilter, settings: CheckSettings
) -> tuple[list[CheckSummary], set[str]]:
    """The desk and who works on it, read straight from a current SQLite file where that serves
    (no SQLAlchemy to load: `store.direct`), else through the full store; the same either way."""
    from store.check_listing import desk_summaries
    from store.direct import snapshot
    from store.errors import StoreError
    from store.listing import annotator_names

    try:
        with direct_read(context) as direct:
            if direct is not None:
                with snapshot(direct.connection, direct.name) as rows:
                    return desk_summaries(rows, wanted, settings), annotator_names(rows)
        with open_store(context) as store:
            return store.checks(wanted, settings), {p.name for p in store.annotators()}
    except StoreError as error:
        raise CliError(str(error)) from None


def _filter(args: argparse.Namespace, settings: CheckSettings) -> CheckFilter:
    """The store's filter from the flags; a status or verdict not on the desk's scale is refused."""
    from store.desk_info import CheckFilter

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


def _known_annotator(name: str, names: set[str]) -> None:
    """The store matches the assignee by name, ignoring case: a name matching nobody is a typo."""
    if name.casefold() not in {known.casefold() for known in names}:
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


def _iso(check: CheckSummary) -> str:
    return check.changed_at.astimezone(UTC).isoformat(timespec="seconds")


def claims_table(checks: Sequence[CheckSummary], *, filtered: bool, width: int) -> Table:
    """The checks as a table `width` cells wide at most: counts never wrap, the claim gives way
    first, then the names and the date (wrapping onto more lines). Every value is a rich Text,
    never markup: claims, names and ratings come from people."""
    from rich import box
    from rich.table import Table

    noun = "check" if len(checks) == 1 else "checks"
    title = f"{len(checks)} {noun}{' matching' if filtered else ''}, what needs work first"
    rows = [_cells(check) for check in checks]
    widths = _fitted_widths(rows, width)
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 0),
        header_style="bold",
    )
    for (heading, right), column_width in zip(_COLUMNS, widths, strict=True):
        table.add_column(
            heading,
            justify="right" if right else "left",
            width=column_width,
            overflow="fold",
        )
    for row in rows:
        table.add_row(*row)
    return table


# Heading, right-aligned; the claim cell carries the check's id on a line of its own.
_COLUMNS = (
    ("claim (id)", False),
    ("status", False),
    ("verdict", False),
    ("claimant", False),
    ("app.", True),
    ("ev.", True),
    ("assignee", False),
    ("changed (UTC)", False),
)
_CLAIM, _STATUS, _VERDICT, _CLAIMANT, _APP, _EV, _ASSIGNEE, _CHANGED = range(len(_COLUMNS))
_WIDEST_CLAIM = 60
# Columns give way in this order, each down to this width (a check id is 14 cells; status and
# verdict go down to their longest word, wrapping the rest onto another line).
_GIVE_WAY = (
    (_CLAIM, 24),
    (_CHANGED, 10),
    (_STATUS, 0),
    (_VERDICT, 0),
    (_CLAIMANT, 8),
    (_ASSIGNEE, 8),
    (_CLAIM, 14),
)


def _fitted_widths(rows: Sequence[list[Any]], width: int) -> list[int]:
    from rich.cells import cell_len

    widths = [cell_len(heading) for heading, _right in _COLUMNS]
    for row in rows:
        for index, cell in enumerate(row):
            longest = max((cell_len(line) for line in cell.plain.split("\n")), default=0)
            widths[index] = max(widths[index], longest)
    widths[_CLAIM] = min(widths[_CLAIM], _WIDEST_CLAIM)
    words = [_longest_word(rows, index) for index in range(len(_COLUMNS))]
    room = width - (len(widths) - 1)  # one space between columns
    for index, least in _GIVE_WAY:
        least = least or max(words[index], cell_len(_COLUMNS[index][0]))
        excess = sum(widths) - room
        if excess <= 0:
            break
        widths[index] = max(min(least, widths[index]), widths[index] - excess)
    return widths


def _longest_word(rows: Sequence[list[Any]], index: int) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for row in rows for word in row[index].plain.split()), default=1)


def _cells(check: CheckSummary) -> list[Any]:
    from rich.text import Text

    claim = Text(_cut(safe(check.claim), CLAIM_CELLS))
    claim.append(f"\n{check.uid}", "dim")
    changed = Text(safe(check.changed_by or NONE))
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
