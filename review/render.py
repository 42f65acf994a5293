"""The agreement report as rich tables for the terminal, worst documents first.

Names, labels and document ids come from users and imported files: they enter the tables as
`Text`, never as markup.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from review.coefficients import mean_of_defined
from review.matrix_render import matrices_renderable

UNDEFINED = "—"
DOCUMENT_FIGURES = (
    ("span_f1_strict_micro", "strict F1"),
    ("span_f1_overlap_micro", "overlap F1"),
    ("character_krippendorff_alpha", "char α"),
    ("unitizing_alpha", "α_U"),
    ("relation_f1_strict_micro", "link F1"),
)


def figure(value: float | None) -> Text:
    """A figure to three decimals, or the undefined mark."""
    return Text(UNDEFINED if value is None else f"{value:.3f}", justify="right")


def worst_documents(report: dict[str, Any], limit: int | None = None) -> list[tuple[str, dict]]:
    """Per-document entries, lowest figure first; documents with no defined figure come last.

    A document's standing is its lowest defined figure (span F1, character alpha, α_U), so a
    document where any view of agreement is poor is shown before ones that are fine throughout.
    """

    def standing(item: tuple[str, dict[str, Any]]) -> tuple[bool, float, str]:
        doc_id, entry = item
        figures: list[float | None] = [entry.get(key) for key, _title in DOCUMENT_FIGURES]
        defined = [value for value in figures if value is not None]
        return (not defined, min(defined, default=0.0), doc_id)

    ranked = sorted(report["per_document"].items(), key=standing)
    return ranked if limit is None else ranked[:limit]


def render_report(
    report: dict[str, Any], worst: int = 10, *, matrices: bool = True
) -> RenderableType:
    """Summary, the matrices (unless `matrices` is False: the caller shows them), pairs, labels
    and the `worst` lowest-agreement documents, then the notes."""
    parts: list[RenderableType] = [summary_table(report)]
    if matrices:
        parts.append(matrices_renderable(report))
    if report["span_f1"]["pairs"]:
        parts.append(pairs_table(report))
    if report["labels"]:
        parts.append(labels_table(report))
    relations = report.get("relation_f1")
    if relations and relations["relation_labels"] and relations["pairs"]:
        parts.append(relations_table(relations))
    if report["per_document"] and worst > 0:
        parts.append(documents_table(report, worst))
    parts.append(notes_text(report))
    return Group(*parts)


def summary_table(report: dict[str, Any]) -> Table:
    names = ", ".join(report["annotators"])
    table = Table(title=Text(f"Agreement over {report['documents']} documents ({names})"))
    table.add_column("figure")
    table.add_column("characters", justify="right")
    table.add_column("tokens", justify="right")
    character, token = report["character"], report["token"]
    for key, title in (
        ("krippendorff_alpha", "Krippendorff's α (nominal)"),
        ("fleiss_kappa", "Fleiss' κ"),
        ("cohen_kappa_mean_over_pairs", "Cohen's κ, mean over pairs"),
    ):
        table.add_row(title, figure(character[key]), figure(token[key]))
    unitizing = report["unitizing_alpha"]
    table.add_row(
        f"unitizing α_U, mean over {unitizing['documents_averaged']} documents",
        figure(unitizing["mean_over_documents"]),
        "",
    )
    means = report["span_f1"]["mean_over_pairs"]
    table.add_row("span F1 strict, mean over pairs", figure(means["strict_micro_f1"]), "")
    table.add_row("span F1 overlap, mean over pairs", figure(means["overlap_micro_f1"]), "")
    if "relation_f1" in report:
        means = report["relation_f1"]["mean_over_pairs"]
        table.add_row("relation F1 strict, mean over pairs", figure(means["strict_micro_f1"]), "")
        table.add_row("relation F1 overlap, mean over pairs", figure(means["overlap_micro_f1"]), "")
    return table


def pairs_table(report: dict[str, Any]) -> Table:
    table = Table(title="Pairs (first name = reference)")
    table.add_column("pair")
    for title in ("documents", "strict F1", "overlap F1", "char κ", "token κ"):
        table.add_column(title, justify="right")
    for key, pair in report["span_f1"]["pairs"].items():
        table.add_row(
            Text(key),
            Text(str(pair["documents"]), justify="right"),
            figure(pair["strict"]["micro"]["f1"]),
            figure(pair["overlap"]["micro"]["f1"]),
            figure(report["character"]["cohen_kappa_pairwise"][key]),
            figure(report["token"]["cohen_kappa_pairwise"][key]),
        )
    return table


def labels_table(report: dict[str, Any]) -> Table:
    table = Table(title="Labels (characters in or out of the label)")
    table.add_column("label")
    for title in ("α", "κ, pair mean", "strict F1, pair mean", "overlap F1, pair mean"):
        table.add_column(title, justify="right")
    pairs = report["span_f1"]["pairs"].values()
    for label, figures in report["character"]["per_label"].items():
        table.add_row(
            Text(label),
            figure(figures["krippendorff_alpha"]),
            figure(figures["cohen_kappa_mean_over_pairs"]),
            figure(mean_of_defined(p["strict"]["per_label"][label]["f1"] for p in pairs)),
            figure(mean_of_defined(p["overlap"]["per_label"][label]["f1"] for p in pairs)),
        )
    return table


def relations_table(section: dict[str, Any]) -> Table:
    """Relation F1 per pair (micro) and per relation label (mean over pairs)."""
    table = Table(title="Relations (head, child and type; first name = reference)")
    table.add_column("pair, or relation type")
    for title in ("relations (a / b)", "strict F1", "overlap F1"):
        table.add_column(title, justify="right")
    pairs = section["pairs"]
    for key, pair in pairs.items():
        micro = pair["strict"]["micro"]
        table.add_row(
            Text(key),
            Text(f"{micro['n_a']} / {micro['n_b']}", justify="right"),
            figure(micro["f1"]),
            figure(pair["overlap"]["micro"]["f1"]),
        )
    for label in section["relation_labels"]:
        table.add_row(
            Text(f"{label} (mean over pairs)", style="italic"),
            "",
            figure(mean_of_defined(p["strict"]["per_label"][label]["f1"] for p in pairs.values())),
            figure(mean_of_defined(p["overlap"]["per_label"][label]["f1"] for p in pairs.values())),
        )
    return table


def documents_table(report: dict[str, Any], worst: int) -> Table:
    shown = worst_documents(report, worst)
    table = Table(title=f"Worst documents first ({len(shown)} of {len(report['per_document'])})")
    table.add_column("document")
    table.add_column("annotators")
    for _key, title in DOCUMENT_FIGURES:
        table.add_column(title, justify="right")
    for doc_id, entry in shown:
        table.add_row(
            Text(doc_id),
            Text(", ".join(entry["annotators"])),
            *(figure(entry.get(key)) for key, _title in DOCUMENT_FIGURES),
        )
    return table


def notes_text(report: dict[str, Any]) -> Text:
    text = Text(f"{UNDEFINED} = undefined (0/0), never shown as 0 or 1.", style="dim")
    for note in report.get("notes", []):
        text.append(f"\n{UNDEFINED} {note}.", style="dim")
    return text
