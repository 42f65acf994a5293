"""`factmark agreement` over imported annotations: only documents both annotators marked done."""

import json

from tests.conftest import run_factmark

TEXT = (
    "Hamas and Fatah met in Cairo on Tuesday. 34,535 Palestinians were killed, the ministry said."
)


def _record(annotator: str, spans: list[tuple[int, int, str]], text: str = TEXT) -> str:
    return json.dumps(
        {
            "text": text,
            "_annotator_id": annotator,
            "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
        }
    )


def test_agreement_json_over_imported_layers(db_path, tmp_path):
    figure = (TEXT.index("34,535"), TEXT.index(" were"), "figure")
    lines = [
        _record("alice", [(0, 5, "actor"), figure]),
        _record("bob", [(0, 5, "actor"), (figure[0], figure[1] - 13, "figure")]),
        _record("alice", [], text="Another article that only alice did."),
    ]
    source = tmp_path / "layers.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_factmark("--db", str(db_path), "import", str(source)).returncode == 0

    result = run_factmark("--db", str(db_path), "agreement", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["annotators"] == ["alice", "bob"] and report["documents"] == 1
    pair = report["span_f1"]["pairs"]["alice|bob"]
    assert pair["strict"]["micro"]["matches"] == 1 and pair["overlap"]["micro"]["matches"] == 2
    assert pair["strict"]["per_label"]["claim"]["f1"] is None  # nobody used it: undefined
    assert 0 < report["character"]["cohen_kappa_pairwise"]["alice|bob"] < 1

    table = run_factmark("--db", str(db_path), "agreement", "--labels", "actor")
    assert table.returncode == 0 and "Krippendorff" in table.stdout.decode()


def test_agreement_with_an_unknown_annotator_is_a_usage_error(db_path):
    result = run_factmark("--db", str(db_path), "agreement", "--annotators", "alice,zed")
    assert result.returncode == 2 and "zed" in result.stderr.decode()
