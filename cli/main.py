"""The `factmark` command line (cli.md): a thin layer over the store, importers and app."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any, NoReturn

from cli.common import CliError, Context, default_annotator, package_version, safe
from exporters.formats import EXPORT_FORMATS
from importers.formats import IMPORT_FORMATS
from vocabulary.names import ROLES

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug of ours, not the user's input
# Each command's module is loaded only when it runs: the screens bring in Textual, the importers
# trafilatura and lxml, and a command starts faster without what it does not use.
_RUNNERS = {
    "import": ("cli.commands.importing", "run_import"),
    "extract": ("cli.commands.extracting", "run_extract"),
    "suggest": ("cli.commands.suggesting", "run_suggest"),
    "list": ("cli.commands.listing", "run_list"),
    "export": ("cli.commands.exporting", "run_export"),
    "agreement": ("cli.commands.agreement", "run_agreement"),
    "review": ("cli.commands.review", "run_review"),
    "adjudicate": ("cli.commands.adjudicate", "run_adjudicate"),
    "annotators": ("cli.commands.annotators", "run_annotators"),
    "assign": ("cli.commands.assign", "run_assign"),
    "entities": ("cli.commands.entities", "run_entities"),
    "docs": ("cli.commands.docs", "run_docs"),
    "claims": ("cli.commands.claims", "run_claims"),
    "search": ("cli.commands.searching", "run_search"),
    "checked-before": ("cli.commands.checked_before", "run_checked_before"),
    "interactive": ("cli.commands.interactive", "run_interactive"),  # annotate, config, demo
    "serve": ("cli.commands.serving", "run_serve"),
    "backup": ("cli.commands.database", "run_backup"),
    "db": ("cli.commands.database", "run_db"),  # check, upgrade: DB_ACTIONS there
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line and exits with code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {safe(message)} (see --help)\n")  # it echoes input


class _ShowVersion(argparse.Action):
    """`--version`, looking the installed version up only when asked (a lookup costs every start
    some 20 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="show the version and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> NoReturn:
        print(f"factmark {package_version()}")
        parser.exit()


def _global_options() -> _Parser:
    # default=SUPPRESS lets the options go before or after the command without one hiding the other.
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="TARGET",
        default=argparse.SUPPRESS,
        help="SQLite file or SQLAlchemy URL (env FACTMARK_DB)",
    )
    common.add_argument(
        "--annotator",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="who is working (env FACTMARK_ANNOTATOR; default: your login name)",
    )
    common.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="configuration file (env FACTMARK_CONFIG)",
    )
    common.add_argument(
        "--shared-group",
        metavar="GROUP",
        default=argparse.SUPPRESS,
        help="a new SQLite file is shared with this Unix group (0660; its new directory 2770) "
        "instead of private (0600, 0700); config: shared_group",
    )
    common.add_argument(
        "--no-mouse",
        action="store_true",
        default=argparse.SUPPRESS,
        help="do not capture the mouse (keyboard only)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _global_options()
    parser = _Parser(
        prog="factmark",
        parents=[common],
        description="Clean, annotate and adjudicate news articles for fact-checking.",
    )
    parser.add_argument("--version", action=_ShowVersion)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_import(commands, common)
    _add_extract(commands, common)
    _add_suggest(commands, common)
    commands.add_parser(
        "list", parents=[common], help="documents and progress per annotator"
    ).add_argument("--json", action="store_true", help="print JSON instead of a table")
    annotate = commands.add_parser("annotate", parents=[common], help="open the annotation screen")
    annotate.add_argument("doc", nargs="?", metavar="DOC_ID")
    _add_export(commands, common)
    _add_agreement(commands, common)
    _add_review_commands(commands, common)
    from cli.commands.entities import add_entities_parser  # with its command, as _RUNNERS are

    add_entities_parser(commands, common)
    from cli.commands.docs import add_docs_parser

    add_docs_parser(commands, common)
    from cli.commands.claims import add_claims_parser

    add_claims_parser(commands, common)
    from cli.commands.searching import add_search_parser

    add_search_parser(commands, common)
    from cli.commands.checked_before import add_checked_before_parser

    add_checked_before_parser(commands, common)
    from cli.commands.serving import add_serve_parser

    add_serve_parser(commands, common)
    from cli.commands.database import add_database_parsers  # backup, db check|upgrade

    add_database_parsers(commands, common)
    commands.add_parser("config", parents=[common], help="show the configuration in force")
    demo = commands.add_parser(
        "demo", parents=[common], help="build a demo database from the sample corpus and open it"
    )
    demo.add_argument("--fresh", action="store_true", help="rebuild the demo database")
    demo.add_argument("--no-open", action="store_true", help="build it, do not open the TUI")
    return parser


def _add_import(commands: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
    parser = commands.add_parser("import", parents=[common], help="import files into the database")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - (stdin)")
    parser.add_argument("--format", default="auto", choices=IMPORT_FORMATS)
    parser.add_argument("--outlet", help="outlet name for every imported page")
    parser.add_argument("--url", help="URL for the imported page")
    parser.add_argument(
        "--meta",
        metavar="MAPPING",
        help="CSV or JSONL of path -> title, outlet, byline, published, url, per file",
    )
    parser.add_argument("--encoding", help="encoding of text/JSONL files that are not UTF-8")
    _add_jobs(parser)


def _add_jobs(parser: _Parser) -> None:
    parser.add_argument(
        "--jobs",
        type=_job_count,
        metavar="N",
        help="clean pages in N worker processes (default: one per core for many files; "
        "1: this process only)",
    )


def _job_count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def _add_extract(commands: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
    parser = commands.add_parser(
        "extract", parents=[common], help="print the cleaned text of pages (no database)"
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--format", default="auto", choices=["auto", "html", "text"])
    parser.add_argument("--jsonl", action="store_true", help="one JSON object per input")
    parser.add_argument("--encoding", help="encoding of text files that are not UTF-8")
    _add_jobs(parser)


def _add_suggest(commands: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
    parser = commands.add_parser(
        "suggest",
        parents=[common],
        help="print the span suggestions for texts (no database needed)",
        description="Suggestions for native JSONL records (their text) or .txt files, taken "
        "exactly as given: one JSON object per record (id, suggestions, links).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".txt or .jsonl files")
    parser.add_argument(
        "--json", action="store_true", help="one JSON object per record (the only output form)"
    )


def _add_export(commands: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
    parser = commands.add_parser("export", parents=[common], help="write a dataset")
    parser.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    parser.add_argument("--source", default="gold", help="gold (default), an annotator, or all")
    parser.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="PATH",
        help="output file; - or none for standard output",
    )
    parser.add_argument(
        "--status",
        metavar="STATUS",
        help="claimreview and checks: the checks of this status, or any "
        "(default: published for claimreview, any for checks)",
    )
    parser.add_argument(
        "--card",
        metavar="CARD.md",
        help="also write a data card (Markdown): provenance, labels, annotators, agreement",
    )
    parser.add_argument(
        "--splits",
        metavar="TRAIN,DEV,TEST",
        help="with --card: whole-document splits in these percentages, e.g. 80,10,10",
    )
    parser.add_argument(
        "--seed", type=int, metavar="N", help="with --splits: the seed of the splits (default 0)"
    )
    parser.add_argument(
        "--pseudonymise",
        action="store_true",
        help="annotators as pseudonyms (annotator 1, 2, …) in the export and its card: no login",
    )


def _add_agreement(commands: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
    parser = commands.add_parser(
        "agreement", parents=[common], help="agreement figures between annotators"
    )
    parser.add_argument("--annotators", metavar="A,B,…", help="only these annotators")
    parser.add_argument("--labels", metavar="L,…", help="only these labels")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


def _add_review_commands(commands: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
    review = commands.add_parser(
        "review", parents=[common], help="open the review and adjudication screen"
    )
    review.add_argument("doc", nargs="?", metavar="DOC_ID")
    review.add_argument(
        "--anonymous", action="store_true", help="hide annotator names (anonymised review)"
    )
    adjudicate = commands.add_parser(
        "adjudicate",
        parents=[common],
        help="put spans (and links between them) enough annotators agree on into gold",
    )
    adjudicate.add_argument(
        "--min-agree",
        type=int,
        required=True,
        metavar="K",
        help="a span goes into gold when at least K annotators marked it identically",
    )
    adjudicate.add_argument("--documents", metavar="IDS", help="only these (1,4,d-3f9a,7-12)")
    annotators = commands.add_parser(
        "annotators", parents=[common], help="list annotators, or add one with a role"
    )
    actions = annotators.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    add = actions.add_parser("add", parents=[common], help="add an annotator or change a role")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", default="annotator", choices=ROLES)
    actions.add_parser("list", parents=[common], help="annotators, roles and work").add_argument(
        "--json", action="store_true", help="print JSON instead of a table"
    )
    assign = commands.add_parser(
        "assign", parents=[common], help="spread documents over annotators (K per document)"
    )
    assign.add_argument("--annotators", required=True, metavar="A,B,…")
    assign.add_argument("--per-document", type=int, required=True, metavar="K")
    assign.add_argument("--documents", metavar="IDS", help="only these (1,4,d-3f9a,7-12)")


def _context(args: argparse.Namespace) -> Context:
    named = getattr(args, "annotator", None) or os.environ.get("FACTMARK_ANNOTATOR")
    return Context(
        # An empty --db or FACTMARK_DB is kept (and refused where a database is opened).
        db=getattr(args, "db", os.environ.get("FACTMARK_DB")),
        annotator=named or default_annotator(),
        config_path=getattr(args, "config", None),  # FACTMARK_CONFIG moves the default path
        mouse=not getattr(args, "no_mouse", False),
        annotator_given=bool(named),
        shared_group=getattr(args, "shared_group", None),
    )


def _runner(command: str | None) -> Callable[[argparse.Namespace, Context], int]:
    if command in {None, "annotate", "config", "demo"}:
        command = "interactive"
    module, function = _RUNNERS[command]
    return getattr(import_module(module), function)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        context = _context(args)
        return _runner(args.command)(args, context)
    except CliError as error:
        print(f"factmark: {safe(error)}", file=sys.stderr)  # messages echo what was typed
        return error.code
    except KeyboardInterrupt:
        print("factmark: interrupted; everything reported as committed is kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: not an error of ours; silence the final flush.
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("FACTMARK_DEBUG"):
            raise
        print(
            f"factmark: internal error: {type(error).__name__}: {safe(error)} "
            "(a bug: run again with FACTMARK_DEBUG=1 for the details, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def run() -> None:
    sys.exit(main())
