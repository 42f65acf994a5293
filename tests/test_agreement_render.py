"""The terminal view of the report: worst documents first, "—" for undefined, no markup."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from bench.bench_agreement import run
from review import AnnotatedSpan, DocumentAnnotations, agreement_report, render_report
from review.render import worst_documents

LABELS = ["actor", "claim"]


def rendered(report: dict) -> str:
    console = Console(file=StringIO(), width=160, color_system=None)
    console.print(render_report(report))
    return console.file.getvalue()


def corpus() -> list[DocumentAnnotations]:
    text = "0123456789"
    return [
        DocumentAnnotations(
            "good", text, {"a": [AnnotatedSpan(0, 4, "actor")], "b": [AnnotatedSpan(0, 4, "actor")]}
        ),
        DocumentAnnotations(
            "bad", text, {"a": [AnnotatedSpan(0, 4, "actor")], "b": [AnnotatedSpan(5, 9, "claim")]}
        ),
        DocumentAnnotations(
            "fair", text, {"a": [AnnotatedSpan(0, 4, "actor")], "b": [AnnotatedSpan(1, 4, "actor")]}
        ),
        DocumentAnnotations("blank", text, {"a": [], "b": []}),
    ]


def test_worst_documents_come_first_and_undefined_last():
    report = agreement_report(corpus(), ["a", "b"], LABELS)
    assert [doc_id for doc_id, _entry in worst_documents(report)] == [
        "bad",
        "fair",
        "good",
        "blank",
    ]
    assert [doc_id for doc_id, _entry in worst_documents(report, 2)] == ["bad", "fair"]
    output = rendered(report)
    assert output.index("bad") < output.index("fair") < output.index("good")


def test_undefined_figures_show_a_dash_and_a_note():
    report = agreement_report(corpus(), ["a", "b"], LABELS)
    output = rendered(report)
    assert "—" in output  # the blank document's figures
    assert "— = undefined (0/0)" in output
    assert "unitizing alpha skips documents where no annotator marked a span" in output


def test_names_and_ids_are_never_markup():
    text = "some text"
    hostile = "[bold red]x[/bold red][/foo]"
    document = DocumentAnnotations(hostile, text, {hostile: [AnnotatedSpan(0, 4, "[/x]")], "b": []})
    report = agreement_report([document], [hostile, "b"], ["[/x]"])
    output = rendered(report)
    assert hostile in output
    assert "[/x]" in output


def test_the_benchmark_runs_on_a_small_workload():
    rows = run(documents=30)
    assert rows[0]["report"]["documents"] == 30
    assert rows[0]["report"]["character"]["units"] == 30 * 2000
    assert all(row["seconds"] >= 0 for row in rows)
