"""Files the commands write: each appears only once complete, or not at all.

`atomic_path` is the one definition of how: write into a temporary file or directory beside the
target (same file system), then move it into place with os.replace, with the permissions a new
file would get (temporary ones are private to the user); on failure the temporary one is removed
and the target is untouched. `export_output` opens what an export format writes into.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from cli.common import CliError
from exporters.formats import Output

STDOUT = "-"


@contextmanager
def atomic_path(target: Path, *, directory: bool = False) -> Iterator[Path]:
    """A new temporary file (or directory) beside `target`, moved onto `target` when the block
    completes. An empty directory at `target` is replaced; anything else there is overwritten
    (files) or refused by the operating system (directories)."""
    prefix = f".{target.name}."
    if directory:
        temp = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    else:
        handle, name = tempfile.mkstemp(prefix=prefix, dir=target.parent)
        os.close(handle)
        temp = Path(name)
    try:
        yield temp
        if directory and target.is_dir():
            target.rmdir()
        _publish(temp, target, 0o777 if directory else 0o666)
    finally:
        if temp.is_dir():
            shutil.rmtree(temp)
        elif temp.exists():
            temp.unlink()


def _publish(temp: Path, target: Path, mode: int) -> None:
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temp, mode & ~mask)
    os.replace(temp, target)


@contextmanager
def atomic_text(target: Path) -> Iterator[TextIO]:
    """A UTF-8 text file (line ends written as given) that appears only once complete."""
    with atomic_path(target) as temp, temp.open("w", encoding="utf-8", newline="") as out:
        yield out


@contextmanager
def atomic_bytes(target: Path) -> Iterator[BinaryIO]:
    """A binary file that appears only once complete."""
    with atomic_path(target) as temp, temp.open("wb") as out:
        yield out


@contextmanager
def export_output(kind: Output, target: str) -> Iterator[TextIO | BinaryIO | Path]:
    """What an export of this kind writes into: standard output ("-") or a file, as text or bytes;
    or a new directory (never standard output). Each appears only once complete."""
    if kind is Output.DIRECTORY:
        with atomic_path(_empty_directory(target), directory=True) as directory:
            yield directory
    elif target == STDOUT:
        stream = sys.stdout if kind is Output.TEXT else sys.stdout.buffer
        yield stream
        stream.flush()
    else:
        opened = atomic_text if kind is Output.TEXT else atomic_bytes
        with opened(_writable_parent(target)) as out:
            yield out


def _writable_parent(target: str) -> Path:
    path = Path(target)
    if not path.parent.exists():
        raise CliError(f"-o {target}: directory {path.parent} does not exist")
    return path


def _empty_directory(target: str) -> Path:
    path = _writable_parent(target)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise CliError(f"-o {target}: exists and is not an empty directory")
    return path
