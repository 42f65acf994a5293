"""`factmark suggest PATH…`: the suggestions the annotate screen would offer, no database needed.

Inputs are native JSONL records (their `text`) or `.txt` files (the whole file), taken exactly as
given — never cleaned — so offsets are into that text. One JSON object per record, in input order
(cli.md). The configuration's labels, relation types and `suggest.spacy_model` are used; with
`--db` (or FACTMARK_DB), the corpus's known entities' aliases too.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli.common import CliError, Context, json_line, load_settings, open_store, report_failure
from suggest import KnownEntity, suggest
from suggest.spacy_model import ModelError, load_model

_MAX_BYTES = 256 * 2**20  # one input file; far beyond any article, below a memory problem


@dataclass(frozen=True)
class _Record:
    id: str
    text: str


class _BadInput(Exception):
    """One input (a file, or a line of a JSONL file) that cannot be read; message: the reason."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(reason)
        self.where = where


def run_suggest(args: argparse.Namespace, context: Context) -> int:
    config = load_settings(context)
    model = None
    if config.spacy_model is not None:
        try:
            model = load_model(str(config.spacy_model))
        except ModelError as error:
            raise CliError(str(error)) from None
    entities = _known_entities(context) if context.db else ()
    failed = 0
    for path in args.paths:
        try:
            for record in _records(Path(path)):
                if isinstance(record, _BadInput):
                    failed += 1
                    report_failure(record.where, str(record))
                    continue
                found = suggest(
                    record.text,
                    entities=entities,
                    labels=config.label_names,
                    relations=config.relations,
                    model=model,
                )
                line = {
                    "id": record.id,
                    "suggestions": [span.as_json() for span in found.spans],
                    "links": [link.as_json() for link in found.links],
                }
                print(json_line(line), flush=False)
        except _BadInput as bad:
            failed += 1
            report_failure(bad.where, str(bad))
    return 1 if failed else 0


def _records(path: Path) -> Iterator[_Record | _BadInput]:
    """The records of one input: a .txt file is one record; a .jsonl file one per line."""
    name = str(path)
    if not path.is_file():
        raise _BadInput(name, "no such file" if not path.exists() else "not a file")
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".jsonl", ".json", ".ndjson"):
        raise _BadInput(name, "not a .txt or .jsonl file")
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise _BadInput(name, f"over {_MAX_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as error:
        raise _BadInput(name, f"cannot read ({error.strerror})") from None
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _BadInput(name, f"not UTF-8 text (byte {error.start})") from None
    if suffix == ".txt":
        yield _Record(path.stem, content)
        return
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record: Any = json.loads(line)
        except json.JSONDecodeError as error:
            yield _BadInput(where, f"not JSON ({error.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield _BadInput(where, 'not a record with a "text" string')
            continue
        record_id = record.get("id")
        yield _Record(
            str(record_id) if isinstance(record_id, (str, int)) else f"{path.stem}:{number}",
            record["text"],
        )


def _known_entities(context: Context) -> tuple[KnownEntity, ...]:
    """The corpus's entities (name and aliases) from the database, for the alias rule."""
    with open_store(context) as store:
        return tuple(KnownEntity(e.name, tuple(e.aliases)) for e in store.entities())
