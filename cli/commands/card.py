"""`factmark export … --card CARD.md [--splits 80,10,10 --seed N] [--pseudonymise]`: the data
card written beside an export.

The store counts what the export holds (`Store.export_tally`, right after the export: a layer an
annotator changes in between is counted as it is then); the card adds the configured label
definitions, licence, citation and languages, the guidelines' version, the annotators (or their
pseudonyms), the agreement figures and matrices, the splits, the adjudicated count and the
fact-check desk (`Store.check_tally`), and appears only once complete (written to a temporary
file, then moved into place). Its options are checked before the export starts.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cli.common import CliError, Context, load_settings, package_version
from cli.output import STDOUT, atomic_text
from exporters.splits import SplitError, parse_splits
from settings.config import Config

if TYPE_CHECKING:
    from exporters.data_card import CardFacts, CardTally, GuidelinesVersion, PersonEntry
    from store import AnnotatorInfo, DocumentSummary, Store

# The card's modules (the agreement figures, the store's SQLAlchemy side) are imported when a
# card is written: an export without `--card` reads its file with the standard library only.


class ExportCard:
    """The data card of one export; does nothing when `--card` was not given."""

    def __init__(
        self,
        path: Path | None,
        args: argparse.Namespace,
        context: Context,
        shares: tuple[int, int, int] | None = None,
        guidelines: GuidelinesVersion | None = None,
    ) -> None:
        self.path = path
        self.args = args
        self.context = context
        self.shares = shares  # --splits; None: no splits
        self.guidelines = guidelines

    @classmethod
    def for_args(cls, args: argparse.Namespace, context: Context) -> ExportCard:
        """Checks `--card` before any work: its directory must exist, and it is not stdout."""
        target = getattr(args, "card", None)
        shares = _shares(args)
        if target is None:
            refuse_card_options(args)
            return cls(None, args, context)
        if target == STDOUT:
            raise CliError("--card needs a file path (standard output is for the export)")
        path = Path(target)
        if not path.parent.is_dir():
            raise CliError(f"--card {target}: directory {path.parent} does not exist")
        if getattr(args, "output", None) not in (None, STDOUT) and Path(args.output) == path:
            raise CliError(f"--card {target}: the same path as the export")
        # Read now: a card that cannot be finished must fail before the export is written.
        guidelines = _guidelines_version(load_settings(context))
        return cls(path, args, context, shares, guidelines)

    def write(self, store: Store) -> None:
        """Gather the facts from `store` and write the card (after the export succeeded)."""
        if self.path is None:
            return
        from exporters.data_card import CardTally, render_card

        tally = CardTally.of(store.export_tally(self.args.source))
        text = render_card(tally, self._facts(store, tally))
        with atomic_text(self.path, option="--card") as out:
            out.write(text)

    def _facts(self, store: Store, tally: CardTally) -> CardFacts:
        from exporters.data_card import CardFacts, DeskFacts, LabelEntry, SplitPlan
        from exporters.pseudonyms import Pseudonyms, as_typed
        from exporters.splits import assign_splits
        from store.study import study_agreement

        settings = load_settings(self.context)
        documents = store.list_documents()
        report, note = study_agreement(
            store, settings.label_names, documents, settings.relation_names
        )
        annotators = store.annotators()
        pseudonymise = bool(getattr(self.args, "pseudonymise", False))
        splits = None
        if self.shares is not None:
            ids = [doc.ext_id for doc in tally.documents_listed]
            seed = self.args.seed or 0
            splits = SplitPlan(self.shares, seed, assign_splits(ids, self.shares, seed))
        return CardFacts(
            title=settings.organisation or "factmark export",
            source=self.args.source,
            export_format=self.args.format,
            generated_at=datetime.now(UTC),
            tool_version=package_version(),
            labels=[LabelEntry(label.name, label.description) for label in settings.labels],
            people=_people(annotators, documents),
            adjudicated=sum(doc.adjudicated for doc in documents),
            agreement=report,
            agreement_note=note,
            desk=DeskFacts(
                store.check_tally(), settings.checks.statuses, settings.checks.rating_names
            ),
            guidelines=self.guidelines,
            license=settings.card.license,
            citation=settings.card.citation,
            languages=settings.card.language,
            splits=splits,
            name_of=Pseudonyms(a.name for a in annotators) if pseudonymise else as_typed,
            pseudonymised=pseudonymise,
        )


def _people(
    annotators: Sequence[AnnotatorInfo], documents: Sequence[DocumentSummary]
) -> list[PersonEntry]:
    from exporters.data_card import PersonEntry

    people = []
    for person in annotators:
        mine = [doc.progress[person.name] for doc in documents if person.name in doc.progress]
        done = sum(progress.done for progress in mine)
        spans = sum(progress.spans for progress in mine)
        people.append(PersonEntry(person.name, person.role, done, spans))
    return people


def _shares(args: argparse.Namespace) -> tuple[int, int, int] | None:
    splits = getattr(args, "splits", None)
    if splits is None:
        if getattr(args, "seed", None) is not None:
            raise CliError("--seed goes with --splits")
        return None
    try:
        return parse_splits(splits)
    except SplitError as error:
        raise CliError(str(error)) from None


def refuse_card_options(args: argparse.Namespace) -> None:
    """--splits and --seed shape the card: without --card they would do nothing."""
    for option, given in (
        ("--splits", getattr(args, "splits", None) is not None),
        ("--seed", getattr(args, "seed", None) is not None),
    ):
        if given:
            raise CliError(f"{option} goes with --card (it shapes the data card)")


def _guidelines_version(settings: Config) -> GuidelinesVersion | None:
    from exporters.data_card import GuidelinesVersion

    path = settings.guidelines_path
    try:
        return GuidelinesVersion.of(path.read_bytes(), path.name)
    except OSError as error:
        raise CliError(f"guidelines {path}: cannot read ({error.strerror})") from None
