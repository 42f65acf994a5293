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


def _linked(annotator: str, claim: tuple[int, int], text: str = TEXT) -> str:
    """A record with an actor ("Hamas"), a claim, and the claim said_by the actor."""
    spans = [
        {"id": "a", "start": 0, "end": 5, "label": "actor"},
        {"id": "c", "start": claim[0], "end": claim[1], "label": "claim"},
    ]
    relations = [{"head": "c", "child": "a", "label": "said_by"}]
    record = {"text": text, "_annotator_id": annotator, "spans": spans, "relations": relations}
    return json.dumps(record)


def test_agreement_reports_relation_f1_read_from_the_store(db_path, tmp_path):
    claim = (TEXT.index("34,535"), TEXT.index(", the"))
    other = "Fatah said the talks failed, Hamas denied it."
    lines = [
        _linked("alice", claim),
        _linked("bob", (claim[0] + 7, claim[1])),  # the claim's start differs: overlap only
        _linked("alice", (6, 27), text=other),
        _linked("bob", (6, 27), text=other),
        _linked("carol", (6, 27), text="Only carol did this one, and alice never did."),
    ]
    source = tmp_path / "linked.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_factmark("--db", str(db_path), "import", str(source)).returncode == 0

    result = run_factmark("--db", str(db_path), "agreement", "--json", "--annotators", "alice,bob")
    assert result.returncode == 0, result.stderr
    section = json.loads(result.stdout)["relation_f1"]
    pair = section["pairs"]["alice|bob"]
    assert pair["documents"] == 2
    strict, overlap = pair["strict"]["micro"], pair["overlap"]["micro"]
    assert (strict["n_a"], strict["n_b"], strict["matches"], strict["f1"]) == (2, 2, 1, 0.5)
    assert (overlap["matches"], overlap["f1"]) == (2, 1.0)
    assert set(pair["strict"]["per_label"]) == {"said_by", "source", "part_of"}  # configured
    assert pair["strict"]["per_label"]["source"]["f1"] is None
    assert section["mean_over_pairs"] == {"strict_micro_f1": 0.5, "overlap_micro_f1": 1.0}

    table = run_factmark("--db", str(db_path), "agreement", "--annotators", "alice,bob")
    shown = table.stdout.decode()
    assert table.returncode == 0 and "relation F1 strict, mean over pairs" in shown
    assert "said_by (mean over pairs)" in shown


SPEC_KEYS = {"annotators", "labels", "documents", "span_f1", "character", "token"}
SPEC_KEYS |= {"unitizing_alpha", "relation_f1", "per_document", "notes"}


def test_agreement_json_adds_the_matrices_and_keeps_the_old_keys(db_path, tmp_path):
    cairo = TEXT.index("Cairo")
    lines = [
        _record("alice", [(0, 5, "actor"), (cairo, cairo + 5, "actor")]),
        _record("bob", [(0, 5, "actor"), (cairo, cairo + 5, "outcome"), (10, 15, "actor")]),
    ]
    source = tmp_path / "layers.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_factmark("--db", str(db_path), "import", str(source)).returncode == 0
    report = json.loads(run_factmark("--db", str(db_path), "agreement", "--json").stdout)
    assert set(report) == SPEC_KEYS | {"label_confusion", "annotator_matrix"}
    pair = report["span_f1"]["pairs"]["alice|bob"]
    assert pair["overlap"]["micro"] == {
        "n_a": 2, "n_b": 3, "matches": 1, "precision": 1 / 3, "recall": 0.5, "f1": 0.4
    }  # fmt: skip
    confusion = report["label_confusion"]
    assert confusion["values"] == ["actor", "claim", "figure", "outcome", "—"]
    by_pair = confusion["pairs"]["alice|bob"]  # rows: alice's label, columns: bob's
    assert by_pair["actor"]["actor"] == 1 and by_pair["actor"]["outcome"] == 1
    assert by_pair["—"]["actor"] == 1 and by_pair["outcome"]["actor"] == 0
    assert confusion["pooled"]["outcome"]["actor"] == confusion["pooled"]["actor"]["outcome"] == 1
    figures = report["annotator_matrix"]["pairs"]["alice|bob"]
    assert figures["overlap_f1"] == pair["overlap"]["micro"]["f1"]
    assert report["annotator_matrix"]["annotators"] == ["alice", "bob"]
    table = run_factmark("--db", str(db_path), "agreement").stdout.decode()
    assert "Labels between annotators" in table and "overlap F1 above the diagonal" in table
