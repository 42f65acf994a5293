"""Chunks read by forked worker processes, handed back in order.

Assembling a large export's lines is SQLite work (JSON built in C), and one process does it at
the speed of one core. Threads do not help: SQLite's JSON functions allocate so often that its
global memory mutex serialises them (two threads measured slower than one). So on a POSIX
system `ForkedReaders` forks worker processes, each with its own connection; worker k reads
chunks k, k+n, k+2n… and sends each through its own pipe, and the parent takes them round-robin:
the order is kept, and a worker blocks on its pipe until the parent has taken the previous
chunk, so memory stays flat however many chunks there are. A worker ignores Ctrl+C (the parent
stops it) and exits when the parent goes away (its pipe breaks).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

Chunk = TypeVar("Chunk")
Item = TypeVar("Item")
Reader = Callable[[Chunk], list[Item]]


class WorkerFailed(Exception):
    """A worker could not read its chunk: the message says why, in one line."""


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class ForkedReaders(Generic[Chunk, Item]):
    """Started at construction (fork before any thread of the caller's starts, if possible);
    iterate once for every item of every chunk in order; close() stops the workers."""

    def __init__(
        self, open_reader: Callable[[], Reader], chunks: Sequence[Chunk], processes: int
    ) -> None:
        self._chunks = chunks
        self._pipes: list[Connection] = []
        self._workers: list[Any] = []
        context = multiprocessing.get_context("fork")
        try:
            for number in range(processes):
                receiver, sender = context.Pipe(duplex=False)
                mine = chunks[number::processes]
                worker = context.Process(
                    target=_serve,
                    args=(open_reader, mine, sender, [receiver, *self._pipes]),
                    name=f"factmark-reader-{number}",
                    daemon=True,
                )
                worker.start()
                sender.close()  # the worker holds the only sending end: its exit means EOF here
                self._pipes.append(receiver)
                self._workers.append(worker)
        except BaseException:
            self.close()
            raise

    def __iter__(self) -> Iterator[Item]:
        try:
            for number in range(len(self._chunks)):
                pipe = self._pipes[number % len(self._pipes)]
                try:
                    failed, payload = pipe.recv()
                except EOFError:
                    raise WorkerFailed("an export worker stopped unexpectedly") from None
                if failed:
                    raise WorkerFailed(payload)
                yield from payload
        finally:
            self.close()

    def close(self) -> None:
        for worker in self._workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self._workers:
            worker.join()
        for pipe in self._pipes:
            pipe.close()
        self._workers, self._pipes = [], []


def _serve(
    open_reader: Callable[[], Reader],
    chunks: Sequence[Any],
    sender: Connection,
    parent_ends: list[Connection],
) -> None:
    """A worker's life: read its chunks in order and send each (or the first failure)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for end in parent_ends:  # the parent's ends, inherited: closed, the parent's exit breaks pipes
        end.close()
    try:
        read = open_reader()
        for chunk in chunks:
            try:
                message = (False, read(chunk))
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
                sender.send((True, _one_line(exc)))
                return
            sender.send(message)
    except (BrokenPipeError, ConnectionResetError):
        os._exit(0)  # the parent is gone or has stopped reading: nothing left to do
    finally:
        sender.close()


def _one_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
