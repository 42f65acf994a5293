"""CoNLL IOB2: valid tags, -DOCSTART- per record, sentences, the stated overlap rule, and the
count of dropped spans on stderr."""

from __future__ import annotations

import re

import pytest

from exporters.tokens import sentences, tokenize
from tests.formats_support import build_database, export, native_records


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("conll") / "annotated.db")


def _documents(output: str) -> list[list[list[tuple[str, str]]]]:
    """Documents, as sentences of (token, tag), checking the layout on the way."""
    assert output.startswith("-DOCSTART- -X- -X- O\n\n")
    documents = []
    for block in output.split("-DOCSTART- -X- -X- O\n\n")[1:]:
        assert block.endswith("\n\n")
        sentences_ = []
        for sentence in block[:-2].split("\n\n"):
            rows = [line.split(" ") for line in sentence.split("\n")]
            assert all(len(row) == 4 and row[1:3] == ["-X-", "-X-"] for row in rows), sentence
            sentences_.append([(row[0], row[3]) for row in rows])
        documents.append(sentences_)
    return documents


def _expected_kept(spans: list[dict]) -> list[tuple[int, int, str]]:
    """The stated rule, restated: longest first, then earliest, then label; no overlaps."""
    kept: list[tuple[int, int, str]] = []
    for s in sorted(spans, key=lambda s: (s["start"] - s["end"], s["start"], s["end"], s["label"])):
        if all(s["end"] <= a or b <= s["start"] for a, b, _ in kept):
            kept.append((s["start"], s["end"], s["label"]))
    return sorted(kept)


def test_iob2_output_holds_the_kept_spans_and_reports_the_dropped(annotated_db):
    result = export(annotated_db, "conll", "all")
    assert result.returncode == 0, result.stderr
    records = native_records(annotated_db)
    documents = _documents(result.stdout.decode("utf-8"))
    assert len(documents) == len(records)
    dropped = 0
    for record, document in zip(records, documents, strict=True):
        text = record["text"]
        expected = _expected_kept(record["spans"])
        dropped += len(record["spans"]) - len(expected)
        found, position, current = [], 0, None
        for sentence in document:
            previous = "O"
            for token, tag in sentence:
                start = text.index(token, position)
                assert not text[position:start].strip()  # only whitespace skipped
                position = start + len(token)
                assert re.fullmatch(r"O|[BI]-\S+", tag)
                if tag.startswith("I-"):
                    assert previous[2:] == tag[2:] and previous != "O"  # IOB2: I follows B/I
                    current[1] = position
                elif tag.startswith("B-"):
                    current = [start, position, tag[2:]]
                    found.append(current)
                previous = tag
        assert not text[position:].strip()  # every character is in some token
        assert sorted(tuple(f) for f in found) == expected
    stderr = result.stderr.decode()
    total = sum(len(r["spans"]) for r in records)
    assert f"conll: dropped {dropped} of {total} span(s)" in stderr
    assert dropped > 0  # the corpus has overlapping spans


def test_sentences_end_at_stops_and_line_breaks_but_never_inside_a_span():
    text = 'He said "No." Then he left!\nNext line. the end'
    tokens = tokenize(text)
    split = [" ".join(t.text for t in sentence) for sentence in sentences(text, tokens)]
    assert split == ['He said " No . "', "Then he left !", "Next line . the end"]
    kept_whole = sentences(text, tokens, [(text.index("No"), text.index("Then") + 4)])
    assert [" ".join(t.text for t in s) for s in kept_whole][0] == 'He said " No . " Then he left !'
