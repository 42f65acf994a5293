"""`factmark import DIR --meta map.csv|map.jsonl`: metadata per file, for a batch import.

Each row names a file (`path`, relative to the mapping file's directory, or absolute) and any of
`title`, `outlet`, `byline`, `published` (YYYY-MM-DD) and `url`; an empty value says nothing.
The whole mapping is read and checked before anything is imported: a row naming a file that is
not there, a bad date, an unknown column or a file named twice is one line (the mapping file,
its line, the reason) and exit code 2.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cli.common import CliError, safe
from vocabulary.document_fields import DOCUMENT_FIELDS, corrected_value

PATH_COLUMN = "path"


@dataclass
class MetaMapping:
    """The mapping's rows by resolved file path: field -> checked value (None: cleared)."""

    rows: dict[Path, dict[str, str | None]] = field(default_factory=dict)
    name: str = ""  # the mapping file, as given
    used: set[Path] = field(default_factory=set)  # the files an import asked about

    def values_for(self, name: str) -> dict[str, str | None]:
        """The metadata the mapping gives the input called `name` (none: an empty dict)."""
        if not self.rows or name == "-":
            return {}
        path = Path(name).resolve()
        self.used.add(path)
        return self.rows.get(path, {})

    def unused_note(self) -> str | None:
        """One line when some rows name files the import did not read (a path typed wrong, or
        a file outside the imported folders), else None."""
        unused = len(set(self.rows) - self.used)
        if not unused:
            return None
        rows = "row names a file" if unused == 1 else "rows name files"
        return f"{safe(self.name)}: {unused} {rows} this import did not read"


def read_mapping(path: str | None) -> MetaMapping:
    """The mapping file at `path` (None: no mapping), checked whole; CliError otherwise."""
    if path is None:
        return MetaMapping()
    mapping_file = Path(path)
    try:
        data = mapping_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CliError(f"{safe(path)}: cannot be read ({safe(reason)})") from None
    records = _jsonl_rows(path, data) if path.endswith(".jsonl") else _csv_rows(path, data)
    rows: dict[Path, dict[str, str | None]] = {}
    for line, record in records:
        where = f"{safe(path)} line {line}"
        target, values = _row(mapping_file.parent, record, where)
        if target in rows:
            raise CliError(f"{where}: {safe(record[PATH_COLUMN])} is named twice")
        rows[target] = values
    return MetaMapping(rows, path)


def _csv_rows(path: str, data: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(data))
    columns = reader.fieldnames or []
    if PATH_COLUMN not in columns:
        raise CliError(f"{safe(path)}: the first line must name the columns, one of them 'path'")
    try:
        return [(reader.line_num, dict(record)) for record in reader]
    except csv.Error as error:
        raise CliError(f"{safe(path)} line {reader.line_num}: {safe(error)}") from None


def _jsonl_rows(path: str, data: str) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for number, text in enumerate(data.splitlines(), start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            raise CliError(f"{safe(path)} line {number}: not JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise CliError(f"{safe(path)} line {number}: each line must be a JSON object")
        rows.append((number, record))
    return rows


def _row(base: Path, record: dict[str, Any], where: str) -> tuple[Path, dict[str, str | None]]:
    """One row: the file it names (which must exist) and its checked values."""
    if None in record:  # csv.DictReader's key for cells past the header's columns
        raise CliError(f"{where}: more cells than the first line names columns")
    unknown = sorted(str(key) for key in record if key not in (PATH_COLUMN, *DOCUMENT_FIELDS))
    if unknown:
        known = ", ".join((PATH_COLUMN, *DOCUMENT_FIELDS))
        raise CliError(f"{where}: unknown column {safe(unknown[0])!r} (known: {known})")
    named = record.get(PATH_COLUMN)
    if not isinstance(named, str) or not named.strip():
        raise CliError(f"{where}: no path")
    target = (base / named.strip()).resolve()
    if not target.is_file():
        raise CliError(f"{where}: {safe(named)}: no such file")
    return target, _values(record, where)


def _values(record: dict[str, Any], where: str) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for name in DOCUMENT_FIELDS:
        raw = record.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue  # an empty cell says nothing about the field
        if not isinstance(raw, str):
            raise CliError(f"{where}: {name} must be text")
        try:
            values[name] = corrected_value(name, raw)
        except ValueError as error:
            raise CliError(f"{where}: {safe(error)}") from None
    return values
