"""The optional spaCy model: a pipeline the test builds and saves, loaded from the configured
path (never downloaded), its entities mapped to our labels and merged under the rules."""

from __future__ import annotations

import json

import pytest

from suggest import suggest
from suggest.spacy_model import ModelError, load_model
from tests.conftest import run_factmark

spacy = pytest.importorskip("spacy", reason="spaCy is the optional `spacy` extra")

TEXT = "The plan of Wang Yi drew praise. Hamas rejected it, and 40 delegates left."


@pytest.fixture
def model_dir(tmp_path):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Wang Yi"},
            {"label": "ORG", "pattern": "Hamas"},
            {"label": "CARDINAL", "pattern": "40"},
            {"label": "NORP", "pattern": "Chinese"},
        ]
    )
    path = tmp_path / "tiny-pipeline"
    nlp.to_disk(path)
    return path


def test_model_entities_join_the_rules_without_duplicates(model_dir):
    nlp = load_model(str(model_dir))
    with_model = suggest(TEXT, model=nlp)
    rules_only = suggest(TEXT)
    found = {(s.text, s.label, s.rule) for s in with_model.spans}
    # The rules do not propose "Wang Yi" (only talked about); the model does, marked as its own.
    assert "Wang Yi" not in {s.text for s in rules_only.spans}
    assert ("Wang Yi", "actor", "spacy") in found
    # Where a rule already proposes the span, the rule's suggestion stays and is not repeated.
    assert [s.rule for s in with_model.spans if s.text == "Hamas"] == ["org"]
    assert ("40 delegates", "figure", "number") in found
    assert len({(s.start, s.end, s.label) for s in with_model.spans}) == len(with_model.spans)


def test_the_configured_model_is_used_by_the_command(tmp_path, model_dir):
    config = tmp_path / "config.toml"
    config.write_text(f'[suggest]\nspacy_model = "{model_dir}"\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    result = run_factmark("--config", str(config), "suggest", str(article))
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert {
        "start": 12,
        "end": 19,
        "label": "actor",
        "text": "Wang Yi",
        "rule": "spacy",
    } in (record["suggestions"])


def test_a_directory_that_is_not_a_pipeline_is_one_line(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelError) as raised:
        load_model(str(empty))
    assert str(empty) in str(raised.value) and "\n" not in str(raised.value)
    config = tmp_path / "config.toml"
    config.write_text(f'[suggest]\nspacy_model = "{empty}"\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    result = run_factmark("--config", str(config), "suggest", str(article))
    assert result.returncode == 2
    (line,) = result.stderr.decode().splitlines()
    assert "cannot load the spaCy pipeline" in line and str(empty) in line
