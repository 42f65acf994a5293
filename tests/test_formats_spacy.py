"""spaCy DocBin, read by spaCy itself: every gold span aligns strictly or is reported."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import run_factmark
from tests.formats_support import build_database, export, native_records


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("spacy") / "annotated.db")


def test_docbin_reads_back_with_every_span_aligned_or_reported(annotated_db, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    target = tmp_path / "gold.spacy"
    result = export(annotated_db, "spacy", "gold", "-o", str(target))
    assert result.returncode == 0, result.stderr
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(target).get_docs(nlp.vocab))
    records = native_records(annotated_db, "gold")
    assert [doc.text for doc in docs] == [record["text"] for record in records]
    misaligned = 0
    for doc, record in zip(docs, records, strict=True):
        assert doc.user_data["id"] == record["id"] and doc.user_data["layer"] == "gold"
        for span in record["spans"]:
            if doc.char_span(span["start"], span["end"], alignment_mode="strict") is None:
                misaligned += 1
        group = doc.spans["sc"]
        assert len(group) == len(record["spans"])
        assert sorted(s.label_ for s in group) == sorted(s["label"] for s in record["spans"])
        for stored in record["spans"]:  # each span, or its expansion to whole tokens
            widened = doc.char_span(stored["start"], stored["end"], alignment_mode="expand")
            assert (widened.start_char, widened.end_char, stored["label"]) in {
                (s.start_char, s.end_char, s.label_) for s in group
            }
        ents = sorted(doc.ents, key=lambda e: e.start)
        assert all(a.end <= b.start for a, b in zip(ents, ents[1:], strict=False))
        assert {(e.start, e.end, e.label_) for e in ents} <= {
            (s.start, s.end, s.label_) for s in group
        }
    reported = re.search(rb"spacy: (\d+) of (\d+) span\(s\) did not align", result.stderr)
    assert reported, result.stderr
    assert int(reported.group(1)) == misaligned
    assert int(reported.group(2)) == sum(len(r["spans"]) for r in records)
    assert misaligned > 0  # the Arabic spans end before a vowel mark: spaCy keeps those whole


def test_docbin_goes_to_standard_output_as_bytes(annotated_db):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    result = export(annotated_db, "spacy", "alice")
    assert result.returncode == 0, result.stderr
    docs = list(DocBin().from_bytes(result.stdout).get_docs(spacy.blank("en").vocab))
    assert len(docs) == len(native_records(annotated_db, "alice"))


def test_without_spacy_the_export_says_how_to_install_it(annotated_db, tmp_path):
    blocker = tmp_path / "nospacy" / "spacy"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('spaCy is not installed here')\n")
    target = tmp_path / "out.spacy"
    result = run_factmark(
        "--db",
        str(annotated_db),
        "export",
        "--format",
        "spacy",
        "-o",
        str(target),
        env={"PYTHONPATH": str(blocker.parent)},
    )
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "factmark: the spacy format needs spaCy: pip install 'factmark[spacy]'"
    )
    assert not target.exists()
    # The other formats do not need it.
    jsonl = run_factmark(
        "--db",
        str(annotated_db),
        "export",
        "--format",
        "jsonl",
        env={"PYTHONPATH": str(blocker.parent)},
    )
    assert jsonl.returncode == 0 and json.loads(jsonl.stdout.splitlines()[0])["spans"]
