"""brat standoff: read back with a parser written from brat's format description
(https://brat.nlplab.org/standoff.html), every span checked against the `.txt` file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exporters.brat import ann_lines, layer_directory
from store import Store
from store.info import DocumentInfo, ExportRecord, SpanInfo
from tests.formats_support import build_database, export, native_records
from vocabulary.labels import DEFAULT_LABELS, RELATION_LABELS
from vocabulary.records import Article, ImportItem, LayerDraft, SpanDraft

_ID = re.compile(r"^[TRE#AMN*]\d*$")


@dataclass
class Standoff:
    """One .ann file as brat reads it."""

    entities: dict[str, tuple[str, list[tuple[int, int]], str]] = field(default_factory=dict)
    relations: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def parse_ann(text: str) -> Standoff:
    """brat standoff: one annotation a line, ID TAB annotation [TAB text]; offsets are
    `start end` pairs joined by ';' for discontinuous spans; IDs are unique in the file."""
    parsed = Standoff()
    seen: set[str] = set()
    for line in text.split("\n")[:-1]:  # every line ends with a newline
        fields = line.split("\t")
        ident = fields[0]
        assert _ID.match(ident) and ident not in seen, line
        seen.add(ident)
        if ident.startswith("T"):
            kind, _, offsets = fields[1].partition(" ")
            pieces = [tuple(map(int, pair.split(" "))) for pair in offsets.split(";")]
            parsed.entities[ident] = (kind, pieces, fields[2])
        elif ident.startswith("R"):
            kind, arg1, arg2 = fields[1].split(" ")
            assert arg1.startswith("Arg1:") and arg2.startswith("Arg2:"), line
            parsed.relations[ident] = (kind, arg1[5:], arg2[5:])
        elif ident.startswith("#"):
            kind, target = fields[1].split(" ")
            assert kind == "AnnotatorNotes", line
            parsed.notes[target] = fields[2]
    for _, arg1, arg2 in parsed.relations.values():
        assert arg1 in parsed.entities and arg2 in parsed.entities
    assert set(parsed.notes) <= set(parsed.entities)
    return parsed


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory):
    return build_database(tmp_path_factory.mktemp("brat") / "annotated.db")


def test_every_span_reads_back_from_the_ann_files(annotated_db, tmp_path):
    target = tmp_path / "brat"
    result = export(annotated_db, "brat", "all", "-o", str(target))
    assert result.returncode == 0, result.stderr
    for record in native_records(annotated_db):
        folder = target / layer_directory(record["_annotator_id"])
        stem = folder / record["id"]
        text = stem.with_suffix(".txt").read_bytes().decode("utf-8")
        assert text == record["text"]  # byte for byte: offsets count characters of this file
        ann = parse_ann(stem.with_suffix(".ann").read_text(encoding="utf-8"))
        by_offsets = {}
        for kind, pieces, covered in ann.entities.values():
            assert covered == " ".join(text[a:b] for a, b in pieces)
            assert all("\n" not in text[a:b] for a, b in pieces)
            by_offsets[(pieces[0][0], pieces[-1][1], kind)] = covered
        assert sorted(by_offsets) == sorted(
            (s["start"], s["end"], s["label"]) for s in record["spans"]
        )
        ids = {s["id"]: (s["start"], s["end"], s["label"]) for s in record["spans"]}
        entity_keys = {
            ident: (pieces[0][0], pieces[-1][1], kind)
            for ident, (kind, pieces, _) in ann.entities.items()
        }
        assert sorted(
            (kind, entity_keys[a], entity_keys[b]) for kind, a, b in ann.relations.values()
        ) == sorted((r["label"], ids[r["head"]], ids[r["child"]]) for r in record["relations"])
        notes = {entity_keys[t]: note for t, note in ann.notes.items()}
        assert notes == {
            (s["start"], s["end"], s["label"]): " ".join(s["note"].split())
            for s in record["spans"]
            if s["note"]
        }


def test_a_span_across_a_paragraph_break_becomes_brat_fragments():
    text = "Gaza’s ministry said 👨‍👩‍👧 died.\n\nIt was\nchecked."
    end = text.index("checked") + len("checked")
    record = _record(text, [(7, end, "claim", "a note\nover\tlines"), (0, 6, "actor", None)])
    lines, left_out = ann_lines(record)
    ann = parse_ann("".join(line + "\n" for line in lines))
    assert left_out == 0
    kind, pieces, covered = ann.entities["T1"]
    assert pieces == [(7, text.index("\n")), (text.index("It"), text.index("\nc")), (end - 7, end)]
    assert covered == "ministry said 👨‍👩‍👧 died. It was checked"
    assert ann.notes == {"T1": "a note over lines"}


def _record(text: str, spans: list[tuple[int, int, str, str | None]]) -> ExportRecord:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    document = DocumentInfo(1, "d-1", text, "x", None, None, None, None, None, now, "", "", None)
    infos = [
        SpanInfo(i + 1, 1, "gold", a, b, label, text[a:b], note, {}, "manual", now, now)
        for i, (a, b, label, note) in enumerate(spans)
    ]
    return ExportRecord(document, "gold", infos, [], False)


def test_annotation_conf_declares_labels_relations_and_overlaps(annotated_db, tmp_path):
    target = tmp_path / "brat"
    assert export(annotated_db, "brat", "gold", "-o", str(target)).returncode == 0
    conf = (target / "annotation.conf").read_text(encoding="utf-8")
    sections = dict(re.findall(r"\[(\w+)\]\n(.*?)(?=\n\[|\Z)", conf, re.S))
    assert set(sections) == {"entities", "relations", "events", "attributes"}
    assert sections["entities"].split() == sorted(DEFAULT_LABELS)
    relation_types = [line.split("\t")[0] for line in sections["relations"].strip().splitlines()]
    assert relation_types == [*sorted(RELATION_LABELS), "<OVERLAP>"]


def test_brat_needs_a_new_or_empty_directory(annotated_db, tmp_path):
    to_stdout = export(annotated_db, "brat", "gold")
    assert to_stdout.returncode == 2 and b"-o DIR" in to_stdout.stderr
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    refused = export(annotated_db, "brat", "gold", "-o", str(busy))
    assert refused.returncode == 2 and b"not an empty directory" in refused.stderr
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export(annotated_db, "brat", "gold", "-o", str(empty)).returncode == 0
    assert (empty / "annotation.conf").exists()
    assert not [p for p in Path(tmp_path).iterdir() if p.name.startswith(".")]  # no temp left


def test_layer_directories_are_safe_and_distinct():
    assert layer_directory("alice") == "alice"
    odd = [layer_directory(name) for name in ("a/b", "a_b", "..", "a b", "a:b")]
    assert len(set(odd)) == len(odd) and all("/" not in name and name[0] != "." for name in odd)
    names = [
        "annotation.conf",
        "visual.conf",
        "Annotation.CONF",
        "ж" * 200,
        "ж" * 199 + "з",
        "Alice",
        "alice",
        "ALICE",
        "a_b",
        f"a_b-{layer_directory('a/b')[-12:]}",  # looks like a hashed name: hashed itself
        "x" * 300,
    ]
    made = [layer_directory(name) for name in names]
    # Distinct even where case is ignored (macOS, Windows); never a brat configuration file.
    assert len({name.lower() for name in made}) == len(names)
    for name in made:
        assert len(name.encode("utf-8")) <= 80 and not name.lower().endswith(".conf")
        assert name[0] != "." and "/" not in name
    assert made == [layer_directory(name) for name in names]  # the same every time
    assert layer_directory("ж" * 10) == "ж" * 10


def test_all_layers_export_whatever_the_annotators_are_called(tmp_path):
    names = ("annotation.conf", "visual.conf", "Ж" * 200, "bob", "Bob")
    text = "Hamas and Fatah met in Cairo on Monday."
    layers = tuple(
        LayerDraft(name, (SpanDraft(0, 5, "actor"), SpanDraft(10 + n, 15, "actor")))
        for n, name in enumerate(names)
    )
    db = tmp_path / "names.db"
    with Store.open(db) as store:
        store.import_items([ImportItem(article=Article(text=text), layers=layers)])
    out = tmp_path / "brat"
    result = export(db, "brat", "all", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "annotation.conf").is_file()
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == len(names)
    read_back = set()
    for folder in folders:
        (ann,) = folder.glob("*.ann")
        entities = parse_ann(ann.read_text(encoding="utf-8")).entities
        read_back.add(sorted(pieces[0][0] for _, pieces, _ in entities.values())[1])
    assert read_back == {10 + n for n in range(len(names))}  # every layer its own directory
