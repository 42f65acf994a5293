"""Finding input files and decoding their bytes: the edge between the disk and the importers."""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from importers.formats import ImportFailure

# Files a directory walk picks up; a file named explicitly is taken whatever its name.
IMPORTABLE_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".txt", ".text", ".jsonl", ".ndjson", ".json"}
)
MAX_INPUT_BYTES = 64 * 1024 * 1024  # read whole; larger JSON-lines files are read in pieces
STREAM_CHUNK_BYTES = 8 * 1024 * 1024  # about how much of a large JSON-lines file is parsed at once
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Source:
    """One input: its name as given (or '-'), and its bytes or why they can't be read.

    A JSON-lines input over MAX_INPUT_BYTES (a file, or standard input) comes with `lines`
    instead of its bytes: a function giving its lines, read a piece at a time (line_chunks),
    so a dataset of any size imports in flat memory.
    """

    name: str
    data: bytes | None = None
    error: str | None = None
    lines: Callable[[], Iterator[bytes]] | None = None
    size: int | None = None  # of a streamed input, in bytes, where known (a file)


def iter_sources(paths: Sequence[str], stdin: BinaryIO | None = None) -> Iterator[Source]:
    """Every file named or found (recursively, sorted) under the given paths, in order."""
    for raw in paths:
        if raw == "-":
            yield _read_stdin(stdin)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield _read_file(path)


def count_sources(paths: Sequence[str]) -> int:
    """How many inputs iter_sources will yield (for a progress bar), without reading them."""
    total = 0
    for raw in paths:
        path = Path(raw)
        total += sum(1 for _ in _walk_paths(path)) if path.is_dir() else 1
    return total


def _walk(directory: Path) -> Iterator[Source]:
    for path in _walk_paths(directory):
        yield _read_file(path)


def _walk_paths(directory: Path) -> Iterator[Path]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(directory, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and is_importable_name(name):
                yield Path(root) / name
    for error in errors:
        yield Path(error.filename or str(directory))


def is_importable_name(name: str) -> bool:
    """A file a directory walk imports: by its suffix, also under gzip (`page.html.gz`)."""
    return Path(without_gzip_suffix(name)).suffix.lower() in IMPORTABLE_SUFFIXES


def without_gzip_suffix(name: str) -> str:
    """`page.html` of `page.html.gz`: the name the compressed file's content goes by."""
    return name[:-3] if name.lower().endswith(".gz") else name


def _read_file(path: Path) -> Source:
    name = str(path)
    try:
        if path.is_dir():
            return Source(name, error="is a directory that cannot be read")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            if _is_json_lines(_head(path)):
                return Source(name, lines=partial(_file_lines, path), size=size)
            return Source(
                name,
                error=f"file too large ({size // 2**20} MB; the limit is "
                f"{MAX_INPUT_BYTES // 2**20} MB, except for JSON-lines files)",
            )
        return Source(name, data=path.read_bytes())
    except FileNotFoundError:
        return Source(name, error="no such file or directory")
    except PermissionError:
        return Source(name, error="permission denied")
    except OSError as error:
        return Source(name, error=error.strerror or str(error))


def _head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(4096)


def _is_json_lines(head: bytes) -> bool:
    """Input whose first line is a JSON object, in UTF-8 (a piece of it decodes on its own)."""
    if any(head.startswith(bom) for bom, codec in _BOMS if codec != "utf-8-sig"):
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _file_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        yield from stream


def _stdin_lines(read: bytes, stdin: BinaryIO) -> Iterator[bytes]:
    """What was read of standard input (its last line completed), then the rest of it."""
    yield from io.BytesIO(read + stdin.readline())
    yield from stdin


def line_chunks(
    lines: Iterable[bytes], chunk_bytes: int | None = None
) -> Iterator[tuple[int, bytes]]:
    """Lines gathered into pieces of about `chunk_bytes` (else STREAM_CHUNK_BYTES), each with
    the number of its first line (from 1)."""
    limit = chunk_bytes or STREAM_CHUNK_BYTES
    first, piece, size = 1, [], 0
    for line in lines:
        piece.append(line)
        size += len(line)
        if size >= limit:
            yield first, b"".join(piece)
            first, piece, size = first + len(piece), [], 0
    if piece:
        yield first, b"".join(piece)


def _read_stdin(stdin: BinaryIO | None) -> Source:
    if stdin is None:
        return Source("-", error="standard input is not available")
    data = stdin.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        if _is_json_lines(data[:4096]):
            return Source("-", lines=partial(_stdin_lines, data, stdin))
        limit = MAX_INPUT_BYTES // 2**20
        return Source("-", error=f"input too large (over {limit} MB, except for JSON lines)")
    return Source("-", data=data)


def looks_binary(data: bytes) -> bool:
    """NUL bytes without a UTF-16/32 byte-order mark: not a text file."""
    return b"\x00" in data[:8192] and not any(data.startswith(bom) for bom, _ in _BOMS)


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Bytes of a text or JSONL file as str: the given encoding, a BOM, else strict UTF-8."""
    check_not_empty_or_binary(data)
    text = _decoded(data, encoding)
    if not text.replace("\ufeff", "").strip():
        raise ImportFailure("empty file")  # only a byte-order mark, or blanks in UTF-16
    return text


def _decoded(data: bytes, encoding: str | None) -> str:
    if encoding:
        return _decode_with(data, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with(data, codec)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start]
        raise ImportFailure(
            f"not valid UTF-8 (byte 0x{bad:02x} at offset {error.start}); "
            "give its encoding with --encoding, e.g. --encoding cp1252"
        ) from None


def check_not_empty_or_binary(data: bytes) -> None:
    if not data.strip():
        raise ImportFailure("empty file")
    if looks_binary(data):
        raise ImportFailure("binary file, not text, HTML or JSON")


def _decode_with(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise ImportFailure(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as error:
        raise ImportFailure(f"not valid {encoding} (offset {error.start})") from None


def detect_format(name: str, data: bytes) -> str:
    """'html', 'text' or 'jsonl', by the file's extension, then by its first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        return "html"
    return "text"
