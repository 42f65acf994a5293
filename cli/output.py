"""Files the commands write: each appears only once complete, or not at all.

What an output path names decides how it is written (`output_file`, used by every command that
writes a file: exports, `--card`):
- a regular file, or nothing yet: written into a temporary file beside it (same file system),
  then moved into place with os.replace. A file that was there keeps its permissions (a 0600
  export stays 0600) and, where the user may, its owner and group; a new file gets the
  permissions a new file would get. On failure the target is untouched.
- a symbolic link to a regular file: the file it points to is replaced (the link stays a link).
- anything else that is not a directory (a terminal, a pipe, a device, `/dev/stdout`, a link to
  `/proc/self/fd/1`): written to directly, as a stream; nothing can be renamed over it.
- a directory, an unwritable directory, a full disk: one line naming the path, exit code 1.

Temporary files are named `.NAME.factmark-partial-PID-XXXXXXXX` (NAME cut to a short hash when
long). They are removed on an error, on Ctrl-C (SIGINT), on SIGTERM and on SIGHUP (handlers that
turn the signal into an exception while a temporary file exists). SIGKILL cannot be caught: the
next output to the same place removes any such partial file whose process is no longer alive.

`atomic_path` is the one definition of the temporary-then-rename step (also for directories: the
brat export's); `export_output` opens what an export format writes into.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import BinaryIO, TextIO, cast

from cli.common import CliError
from exporters.formats import Output
from vocabulary.text import escape_controls

STDOUT = "-"
EXIT_OUTPUT_FAILED = 1  # the command ran, but its output could not be written (spec/cli.md)
PARTIAL_MARK = ".factmark-partial-"
_PARTIAL_PID = re.compile(re.escape(PARTIAL_MARK) + r"(\d+)-[0-9a-f]+$")
_NAME_ROOM = 100  # bytes of the target's name kept in a temporary name (NAME_MAX is 255)
_CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
# Writes that fail because of the output, not the data: reported as one line, exit code 1.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO})


class Terminated(SystemExit):
    """SIGTERM or SIGHUP arrived while a temporary file existed: unwinds (removing it) and exits
    with 128 + the signal's number, as the shell reports a process the signal ended."""


@contextmanager
def _signals_unwind() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise `Terminated` (so `finally` blocks run)
    instead of ending the process on the spot; the previous handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; Python delivers signals there anyway
        return

    def unwind(number: int, frame: FrameType | None) -> None:
        raise Terminated(128 + number)

    previous = {number: signal.signal(number, unwind) for number in _CLEANUP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _stdout_aliases() -> frozenset[str]:
    """Spellings of this process's standard output: written through sys.stdout, never reopened
    (a reopened `>> log` would lose its append mode; a renamed-over /dev/stdout stops being one)."""
    return frozenset({"/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", f"/proc/{os.getpid()}/fd/1"})


def partial_prefix(target: Path) -> str:
    """The start of the temporary names beside `target`: `.NAME.factmark-partial-`, with NAME cut
    to a hash when long, so that the whole name fits in NAME_MAX bytes."""
    name = target.name
    if len(os.fsencode(name)) > _NAME_ROOM:
        name = hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    return f".{name}{PARTIAL_MARK}"


def remove_stale_partials(target: Path) -> list[Path]:
    """Remove the partial copies of `target` left by processes that are gone (SIGKILL, a power
    cut); return them. A live process's partial copy (another export running now) is left."""
    prefix = partial_prefix(target)
    removed = []
    try:
        names = [name for name in os.listdir(target.parent) if name.startswith(prefix)]
    except OSError:
        return []
    for name in names:
        found = _PARTIAL_PID.search(name[len(prefix) - len(PARTIAL_MARK) :])
        if found is None or _alive(int(found.group(1))):
            continue
        leftover = target.parent / name
        try:
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        except OSError:
            continue  # someone else's file, or gone already: not ours to insist on
        removed.append(leftover)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process (alive), or a number no process has: leave it
    return True


@contextmanager
def atomic_path(target: Path, *, directory: bool = False) -> Iterator[Path]:
    """A new temporary file (or directory) beside `target`, moved onto `target` when the block
    completes. An empty directory at `target` is replaced; a regular file is replaced keeping
    its permissions (and owner, where allowed)."""
    remove_stale_partials(target)
    name = f"{partial_prefix(target)}{os.getpid()}-{secrets.token_hex(4)}"
    temp = target.parent / name
    with _signals_unwind():
        try:
            if directory:
                temp.mkdir(mode=0o700)
            else:
                os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            yield temp
            _publish(temp, target, directory)
        finally:
            if temp.is_dir() and not temp.is_symlink():
                shutil.rmtree(temp, ignore_errors=True)
            elif temp.exists():
                temp.unlink()


def _publish(temp: Path, target: Path, directory: bool) -> None:
    """Move `temp` onto `target` with the permissions (and owner) of what it replaces."""
    try:
        before = target.stat()
    except FileNotFoundError:
        before = None
    if before is None or (directory and not stat.S_ISDIR(before.st_mode)):
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, (0o777 if directory else 0o666) & ~mask)
    else:
        _keep_owner(temp, before)
        os.chmod(temp, stat.S_IMODE(before.st_mode))
    if directory and before is not None and stat.S_ISDIR(before.st_mode):
        target.rmdir()
    os.replace(temp, target)


def _keep_owner(temp: Path, before: os.stat_result) -> None:
    """The replaced file's owner and group where this user may give them (root; a group the user
    is in); otherwise the file is the user's, as any file they write is."""
    if (before.st_uid, before.st_gid) == (os.geteuid(), os.getegid()):
        return
    for uid in (before.st_uid, -1):
        try:
            os.chown(temp, uid, before.st_gid)
            return
        except OSError:
            continue


@contextmanager
def atomic_text(target: Path, option: str = "-o") -> Iterator[TextIO]:
    """A UTF-8 text file (line ends written as given) that appears only once complete (or the
    stream `target` names: see `output_file`)."""
    with output_file(str(target), binary=False, option=option) as out:
        yield cast(TextIO, out)


@contextmanager
def atomic_bytes(target: Path, option: str = "-o") -> Iterator[BinaryIO]:
    """A binary file that appears only once complete (or the stream `target` names)."""
    with output_file(str(target), binary=True, option=option) as out:
        yield cast(BinaryIO, out)


@contextmanager
def output_file(target: str, *, binary: bool, option: str = "-o") -> Iterator[TextIO | BinaryIO]:
    """What a command writes a file into, as the module docstring says; `option` names the flag
    in messages."""
    kind, path = classify_output(target, option)
    try:
        if kind == "stdout":
            with standard_output(binary) as out:
                yield out
        elif kind == "stream":
            with _open(path, binary) as out:
                yield _for_terminal(out, binary)
        else:
            with atomic_path(path) as temp, _open(temp, binary) as out:
                yield out
    except OSError as error:
        raise _output_error(error, target, option) from None


@contextmanager
def standard_output(binary: bool) -> Iterator[TextIO | BinaryIO]:
    """Standard output, as text or bytes; escaped for a terminal (see `_for_terminal`)."""
    stream: TextIO | BinaryIO = sys.stdout.buffer if binary else sys.stdout
    yield _for_terminal(stream, binary)
    stream.flush()


def _for_terminal(stream: TextIO | BinaryIO, binary: bool) -> TextIO | BinaryIO:
    """`stream`, or where it is a terminal, a stream that writes every control character a
    terminal would act on (ESC, C1, bidi overrides: `escape_controls`) as a visible \\uXXXX
    (in JSON, the same JSON). Exports to files and pipes are written byte for byte."""
    if not stream.isatty():
        return stream
    if binary:
        return cast(BinaryIO, _TerminalBytes(cast(BinaryIO, stream)))
    return cast(TextIO, _TerminalText(cast(TextIO, stream)))


class _TerminalText:
    """What a text export writes to a terminal (writers call only write and flush)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(escape_controls(text))

    def flush(self) -> None:
        self._stream.flush()


class _TerminalBytes:
    """What a byte export of UTF-8 text (JSONL) writes to a terminal; bytes that are not UTF-8
    show as \\udcXX escapes."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        text = escape_controls(bytes(data).decode("utf-8", "surrogateescape"))
        return self._stream.write(text.encode("utf-8"))

    def flush(self) -> None:
        self._stream.flush()


def _open(path: Path, binary: bool) -> TextIO | BinaryIO:
    if binary:
        return path.open("wb")
    return path.open("w", encoding="utf-8", newline="")


def classify_output(target: str, option: str = "-o") -> tuple[str, Path]:
    """("stdout" | "stream" | "file", the path to write): what `target` names, followed through
    symbolic links. Refuses (one line) a directory, a missing or unwritable directory."""
    path, via_fd = _follow(target)
    if str(path) in _stdout_aliases() or target in _stdout_aliases():
        return "stdout", path
    try:
        found = path.stat()
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise _output_error(error, target, option) from None
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise CliError(f"{option} {target}: is a directory (give a file name)", EXIT_OUTPUT_FAILED)
    if found is not None and (via_fd or not stat.S_ISREG(found.st_mode)):
        return "stream", path  # a device, pipe or socket; or a descriptor's file, reopened
    if not path.parent.is_dir():
        raise CliError(f"{option} {target}: directory {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise CliError(
            f"{option} {target}: cannot write in directory {path.parent} (permission denied)",
            EXIT_OUTPUT_FAILED,
        )
    return "file", path


def _follow(target: str) -> tuple[Path, bool]:
    """The path `target` ends at after its symbolic links (directories resolved too), and whether
    it went through /proc or /dev/fd (a file descriptor's alias: reopened, never replaced)."""
    current = os.path.abspath(target)
    aliases = _stdout_aliases()
    via_fd = False
    for _ in range(40):  # the kernel's own limit on links followed
        if current.startswith(("/proc/", "/dev/fd/")) or current in aliases:
            via_fd = True
        folder, name = os.path.split(current)
        folder = os.path.realpath(folder)
        current = os.path.join(folder, name)
        try:
            link = os.readlink(current)
        except OSError:
            break
        if current in aliases:
            break  # the alias itself (its link reads like "pipe:[1234]"), not what it names
        current = os.path.normpath(os.path.join(folder, link))
    return Path(current), via_fd


def _output_error(error: OSError, target: str, option: str) -> Exception:
    if isinstance(error, (PermissionError, IsADirectoryError, NotADirectoryError)) or (
        error.errno in _OUTPUT_ERRNOS or error.errno == errno.ENAMETOOLONG
    ):
        return CliError(
            f"{option} {target}: cannot write ({error.strerror or error})", EXIT_OUTPUT_FAILED
        )
    return error


@contextmanager
def export_output(kind: Output, target: str) -> Iterator[TextIO | BinaryIO | Path]:
    """What an export of this kind writes into: standard output ("-") or a file, as text or bytes;
    or a new directory (never standard output). Each appears only once complete."""
    if kind is Output.DIRECTORY:
        path = _empty_directory(target)
        try:
            with atomic_path(path, directory=True) as directory:
                yield directory
        except OSError as error:
            raise _output_error(error, target, "-o") from None
    elif target == STDOUT:
        with standard_output(kind is Output.BINARY) as out:
            yield out
    else:
        with output_file(target, binary=kind is Output.BINARY) as out:
            yield out


def _empty_directory(target: str) -> Path:
    path = Path(os.path.realpath(target))
    if not path.parent.is_dir():
        raise CliError(f"-o {target}: directory {path.parent} does not exist")
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise CliError(f"-o {target}: exists and is not an empty directory")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise CliError(
            f"-o {target}: cannot write in directory {path.parent} (permission denied)",
            EXIT_OUTPUT_FAILED,
        )
    return path
