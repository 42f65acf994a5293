"""`factmark suggest` as scripts run it (cli.md): JSON per record, exact offsets, no database."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_factmark

SEED = (
    "According to Gaza’s Ministry of Health, 34,535 Palestinians have been killed.\r\n"
    "China’s Foreign Ministry spokesman Lin Jian said the two groups held talks in Beijing."
)


def test_txt_and_jsonl_records_in_input_order_with_exact_offsets(tmp_path):
    txt = tmp_path / "seed.txt"
    txt.write_bytes(SEED.encode())  # \r\n kept: the text is taken exactly as given
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text(
        json.dumps({"id": "d-1", "text": "Hamas rejected it, Reuters said."})
        + "\n\n"
        + json.dumps({"text": "   At least 5 people died."})
        + "\n",
        encoding="utf-8",
    )
    result = run_factmark("suggest", str(txt), str(jsonl), "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["id"] for r in records] == ["seed", "d-1", "records:3"]
    texts = [SEED, "Hamas rejected it, Reuters said.", "   At least 5 people died."]
    for record, text in zip(records, texts, strict=True):
        for s in record["suggestions"]:
            assert text[s["start"] : s["end"]] == s["text"]
            assert set(s) == {"start", "end", "label", "text", "rule"}
        for link in record["links"]:
            assert set(link) == {"head", "child", "label", "rule"}
    seed = records[0]
    spans = seed["suggestions"]
    by_text = {s["text"]: i for i, s in enumerate(spans)}
    assert spans[by_text["34,535 Palestinians"]]["label"] == "figure"
    assert {
        "head": by_text["34,535 Palestinians"],
        "child": by_text["Gaza’s Ministry of Health"],
        "label": "source",
        "rule": "cue",
    } in seed["links"]
    lin = by_text["China’s Foreign Ministry spokesman Lin Jian"]
    assert any(link["child"] == lin and link["label"] == "said_by" for link in seed["links"])
    assert records[2]["suggestions"][0]["text"] == "At least 5 people"


def test_bad_inputs_are_one_line_each_and_exit_1_after_the_good_ones(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Israel says that 1,200 soldiers were killed.", encoding="utf-8")
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_text('{"text": 3}\nnot json\n', encoding="utf-8")
    html = tmp_path / "page.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    result = run_factmark(
        "suggest", str(good), str(jsonl), str(html), str(latin), str(tmp_path / "missing.txt")
    )
    assert result.returncode == 1
    assert len(result.stdout.decode().splitlines()) == 1  # the good file only
    errors = result.stderr.decode().splitlines()
    assert errors == [
        f'{jsonl}:1: not a record with a "text" string',
        f"{jsonl}:2: not JSON (Expecting value)",
        f"{html}: not a .txt or .jsonl file",
        f"{latin}: not UTF-8 text (byte 3)",
        f"{tmp_path / 'missing.txt'}: no such file",
    ]
    assert "Traceback" not in result.stderr.decode()


def test_labels_and_relations_come_from_the_configuration(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        '[[labels]]\nname = "figure"\nkey = "1"\ncolor = "#87d787"\ndescription = "Numbers."\n',
        encoding="utf-8",
    )
    text = tmp_path / "a.txt"
    text.write_text("According to Reuters, 5 people died.", encoding="utf-8")
    result = run_factmark("--config", str(config), "suggest", str(text))
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert {s["label"] for s in record["suggestions"]} == {"figure"}
    assert record["links"] == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('spacy_model = "nowhere"', "is not a directory"),
        ("spacy_model = 3", "must be the path of a spaCy pipeline directory"),
        ('model = "x"', "unknown suggest setting 'model'"),
    ],
)
def test_a_bad_suggest_setting_is_one_line_naming_the_file(tmp_path, setting, message):
    config = tmp_path / "config.toml"
    config.write_text(f"[suggest]\n{setting}\n", encoding="utf-8")
    text = tmp_path / "a.txt"
    text.write_text("Hamas said so.", encoding="utf-8")
    result = run_factmark("--config", str(config), "suggest", str(text))
    assert result.returncode == 2
    (line,) = result.stderr.decode().splitlines()
    assert str(config) in line and "line 2" in line and message in line
