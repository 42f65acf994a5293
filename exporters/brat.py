"""brat standoff: a directory of `<id>.txt` + `<id>.ann` pairs, and an `annotation.conf`.

brat reads the `.txt` file as UTF-8 in Python and counts offsets in characters, i.e. code
points, like the store; the text is written byte for byte (no newline translation).
- one pair per document and layer: `<document id>.txt/.ann`; with several layers (`--source
  all`) each layer gets a subdirectory named after it (`layer_directory`): the name itself when
  it is letters, digits, `_`, `-` and `.` only, has no capital letter, does not start with `.`,
  does not end in `.conf` (brat's configuration files: `annotation.conf`, `visual.conf`, …)
  and fits in 64 bytes; otherwise that name made safe (other characters `_`, cut to 64 bytes)
  plus `-` and 12 hex digits of the SHA-256 of the name. Distinct names get distinct
  directories, also on a file system that ignores case; a name is always mapped the same way.
- `T` lines: `T1<TAB>label START END<TAB>text`. brat's annotation text cannot hold a line break,
  so a span across lines is written as brat writes it: fragments `START END;START END` around
  the line breaks, their texts joined by a space. Labels with spaces get `_` instead.
- notes: `#1<TAB>AnnotatorNotes T1<TAB>note` (line breaks and tabs become spaces).
- relations: `R1<TAB>label Arg1:T<head> Arg2:T<child>`.
- attrs (verdicts, entities, values) have no brat form and are not exported.
- `annotation.conf` lists every label (configured or seen) and relation, and allows overlaps.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from exporters.common import ExportReport
from exporters.formats import NO_OPTIONS, ExportOptions
from store.info import ExportRecord, ExportSpan
from vocabulary.labels import RELATION_LABELS

_UNSAFE_NAME = re.compile(r"[^\w.-]")
_HASHED = re.compile(r"-[0-9a-f]{12}$")  # what layer_directory adds; a plain name never ends so
_NAME_BYTES = 64  # far below NAME_MAX (255 bytes), leaving room for the hash and temporary names
_SPACES = re.compile(r"\s+")


def brat_type(label: str) -> str:
    """A label as a brat type name (brat splits its lines on spaces)."""
    return _SPACES.sub("_", label.strip()) or "_"


def layer_directory(layer: str) -> str:
    """A file-system-safe directory name for a layer, distinct for distinct names (see the
    module docstring for the rule)."""
    safe = _UNSAFE_NAME.sub("_", layer).lstrip(".")
    if (
        safe == layer
        and safe
        and safe == safe.lower()
        and not safe.lower().endswith(".conf")
        and not _HASHED.search(safe)
        and len(safe.encode("utf-8")) <= _NAME_BYTES
    ):
        return safe
    suffix = hashlib.sha256(layer.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    cut = safe.encode("utf-8")[:_NAME_BYTES].decode("utf-8", "ignore")
    return f"{cut or 'layer'}-{suffix}"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of start..end between line breaks (empty pieces left out)."""
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for position in range(start, end + 1):
        if position == end or text[position] in "\r\n":
            if position > piece_start:
                pieces.append((piece_start, position))
            piece_start = position + 1
    return pieces


def ann_lines(record: ExportRecord) -> tuple[list[str], int]:
    """The .ann lines of one record, and how many spans (line breaks only) had to be left out."""
    text = record.document.text
    lines: list[str] = []
    notes: list[str] = []
    ids: dict[int, str] = {}
    skipped = 0
    for span in record.spans:
        pieces = fragments(text, span.start, span.end)
        if not pieces:
            skipped += 1
            continue
        ids[span.id] = f"T{len(ids) + 1}"
        lines.append(_entity_line(ids[span.id], span, pieces, text))
        if span.note:
            note = _one_line(span.note)
            notes.append(f"#{len(notes) + 1}\tAnnotatorNotes {ids[span.id]}\t{note}")
    relations = [r for r in record.relations if r.head_id in ids and r.child_id in ids]
    for number, relation in enumerate(relations, start=1):
        head, child = ids[relation.head_id], ids[relation.child_id]
        lines.append(f"R{number}\t{brat_type(relation.label)} Arg1:{head} Arg2:{child}")
    return lines + notes, skipped


def _entity_line(tid: str, span: ExportSpan, pieces: list[tuple[int, int]], text: str) -> str:
    offsets = ";".join(f"{start} {end}" for start, end in pieces)
    covered = " ".join(text[start:end] for start, end in pieces)
    return f"{tid}\t{brat_type(span.label)} {offsets}\t{covered}"


def _one_line(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


def annotation_conf(labels: Iterable[str], relations: Iterable[str]) -> str:
    entity_lines = "\n".join(sorted({brat_type(label) for label in labels}))
    relation_lines = "\n".join(
        f"{brat_type(r)}\tArg1:<ENTITY>, Arg2:<ENTITY>" for r in sorted(set(relations))
    )
    return (
        "# Written by factmark export --format brat.\n"
        f"[entities]\n{entity_lines}\n\n"
        f"[relations]\n{relation_lines}\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
        "[events]\n\n[attributes]\n"
    )


def write_brat(
    records: Iterable[ExportRecord], directory: Path, options: ExportOptions = NO_OPTIONS
) -> ExportReport:
    """Write each record's pair of files into `directory` (which exists), then the config.

    `options.labels` all go into annotation.conf; `options.by_layer` puts each layer in its own
    subdirectory."""
    seen_labels, seen_relations = set(options.labels), set(options.relations or RELATION_LABELS)
    count = skipped = 0
    for record in records:
        folder = directory / layer_directory(record.layer) if options.by_layer else directory
        folder.mkdir(exist_ok=True)
        stem = folder / record.document.ext_id
        lines, left_out = ann_lines(record)
        _write_text(stem.with_suffix(".txt"), record.document.text)
        _write_text(stem.with_suffix(".ann"), "".join(line + "\n" for line in lines))
        seen_labels.update(span.label for span in record.spans)
        seen_relations.update(relation.label for relation in record.relations)
        count += 1
        skipped += left_out
    _write_text(directory / "annotation.conf", annotation_conf(seen_labels, seen_relations))
    remarks = (f"brat: left out {skipped} span(s) of line breaks only",) if skipped else ()
    return ExportReport(count, remarks)


def _write_text(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(text)
