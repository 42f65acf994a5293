"""Inputs cleaned on every core: each call run in a forked worker process, the results handed
back in the order the inputs came.

Cleaning a page is pure and bound by one core (trafilatura's extraction is most of it), and a
batch import is often a crawl of thousands of pages, so `factmark import` and `extract` hand
each whole input to a worker process while the parent reads the next files and (for an import)
writes to the database, which stays the one writer.

Each worker has its own pipe and one input at a time: the next input goes to whichever worker is
free, so one slow page holds up only its own worker, and neither side can block the other on a
full pipe (the parent sends only to an idle worker, and reads while it waits). Results that come
early wait in the parent, at most a few per worker, so memory stays flat for a crawl of any size.
A private pipe per worker is also why concurrent.futures is not used: its queues are shared, so
stopping a worker mid-page (Ctrl+C) could leave half a message in them and hang the parent.

The workers are forked when the pool opens, before the caller opens its database or starts a
thread, and share the modules already imported. A worker ignores Ctrl+C (the parent stops it),
and ends when the parent goes away (its pipe reads end of file). If one dies (the kernel's
out-of-memory killer, say), its input and those it would have taken are cleaned in the parent.
Where fork is not available, everything runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

Key = TypeVar("Key")
Result = TypeVar("Result")
Arguments = tuple[Any, ...]

MAX_DEFAULT_JOBS = 8
# Below this many inputs per worker a pool costs more than it saves (forking, pickling).
INPUTS_PER_WORKER = 4
# How many inputs per worker may be read ahead of the one handed back next.
AHEAD_PER_WORKER = 4
_STOP_SECONDS = 5.0


def available_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit included)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def default_jobs(inputs: int) -> int:
    """How many workers clean `inputs` inputs unless told: one per core (up to
    MAX_DEFAULT_JOBS), and none (1: this process) for a handful of inputs."""
    return max(1, min(available_cores(), MAX_DEFAULT_JOBS, inputs // INPUTS_PER_WORKER))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@dataclass
class _Worker:
    process: Any  # multiprocessing's Process
    pipe: Connection
    task: tuple[int, Arguments] | None = None  # the input it is cleaning: (number, arguments)


class CleaningPool:
    """Worker processes that run one function on inputs; `map_in_order` hands results back."""

    def __init__(self, jobs: int) -> None:
        self._workers: list[_Worker] = []
        if jobs > 1 and can_fork():
            self._start(jobs)

    def _start(self, jobs: int) -> None:
        context = multiprocessing.get_context("fork")
        try:
            for number in range(jobs):
                mine, theirs = context.Pipe(duplex=True)
                inherited = [worker.pipe for worker in self._workers] + [mine]
                process = context.Process(
                    target=_serve,
                    args=(theirs, inherited),
                    name=f"factmark-cleaner-{number}",
                    daemon=True,
                )
                process.start()
                theirs.close()  # the worker holds the only other end: its exit means EOF here
                self._workers.append(_Worker(process, mine))
        except BaseException:
            self.close(interrupted=True)
            raise

    def map_in_order(
        self, function: Callable[..., Result], calls: Iterable[tuple[Key, Arguments | None]]
    ) -> Iterator[tuple[Key, Result | None]]:
        """For each (key, arguments) of `calls`, in order: the key and `function(*arguments)`
        (a top-level function: workers receive it by name), or None where the arguments are
        None (an input the caller handles itself). An exception of `function` is raised here."""
        if not self._workers:
            for key, arguments in calls:
                yield key, None if arguments is None else function(*arguments)
            return
        run = _Run(function, self._workers)
        pending = iter(calls)
        order: deque[tuple[Key, int | None]] = deque()  # read, not yet handed back
        window = len(self._workers) * AHEAD_PER_WORKER
        while True:
            while len(order) < window and (call := next(pending, None)) is not None:
                key, arguments = call
                order.append((key, None if arguments is None else run.queue(arguments)))
            run.dispatch()
            if not order:
                return
            key, number = order[0]
            if number is None or number in run.done:
                order.popleft()
                yield key, None if number is None else run.taken(number)
            else:
                run.collect()

    def close(self, *, interrupted: bool = False) -> None:
        """Stop the workers: let them finish and leave, or (`interrupted`) stop them now."""
        for worker in self._workers:
            if interrupted:
                worker.process.terminate()
            else:
                _send(worker.pipe, None)
        for worker in self._workers:
            worker.process.join(_STOP_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.pipe.close()
        self._workers = []


class _Run(Generic[Result]):
    """One map_in_order: inputs queued, being cleaned, and cleaned, by number."""

    def __init__(self, function: Callable[..., Result], workers: list[_Worker]) -> None:
        self.function = function
        self.workers = workers
        self.unsent: deque[tuple[int, Arguments]] = deque()
        self.done: dict[int, tuple[bool, Any]] = {}  # number -> (failed, result or exception)
        self.numbers = 0

    def queue(self, arguments: Arguments) -> int:
        self.numbers += 1
        self.unsent.append((self.numbers, arguments))
        return self.numbers

    def dispatch(self) -> None:
        """Give every idle worker its next input; with no worker left, clean them here."""
        for worker in list(self.workers):
            if worker.task is None and self.unsent:
                task = self.unsent.popleft()
                if _send(worker.pipe, (self.function, task[1])):
                    worker.task = task
                else:
                    self.unsent.appendleft(task)
                    self._lost(worker)
        if not self.workers:
            while self.unsent:
                number, arguments = self.unsent.popleft()
                self.done[number] = _called(self.function, arguments)

    def collect(self) -> None:
        """Wait for at least one worker to hand back its result (or to die)."""
        busy = {worker.pipe: worker for worker in self.workers if worker.task is not None}
        if not busy:
            return
        for ready in wait(list(busy)):
            worker = next(worker for pipe, worker in busy.items() if pipe is ready)
            assert worker.task is not None
            try:
                self.done[worker.task[0]] = worker.pipe.recv()
            except (EOFError, OSError):
                self._lost(worker)
                continue
            worker.task = None

    def taken(self, number: int) -> Result:
        failed, result = self.done.pop(number)
        if failed:
            raise result
        return result

    def _lost(self, worker: _Worker) -> None:
        """A worker that died: its input is cleaned here, the rest by the others."""
        self.workers.remove(worker)
        worker.pipe.close()
        worker.process.join()
        if worker.task is not None:
            number, arguments = worker.task
            self.done[number] = _called(self.function, arguments)
            worker.task = None


def _called(function: Callable[..., Any], arguments: Arguments) -> tuple[bool, Any]:
    try:
        return False, function(*arguments)
    except Exception as exc:  # noqa: BLE001 - handed to the caller, who raises it
        return True, exc


def _send(pipe: Connection, message: Any) -> bool:
    try:
        pipe.send(message)
    except (BrokenPipeError, ConnectionResetError, OSError):
        return False
    return True


@contextmanager
def cleaning_pool(jobs: int) -> Iterator[CleaningPool]:
    """A pool of `jobs` workers (1: none, calls run in this process), stopped on the way out."""
    pool = CleaningPool(jobs)
    try:
        yield pool
    except BaseException:
        pool.close(interrupted=True)
        raise
    pool.close()


def _serve(pipe: Connection, parent_ends: list[Connection]) -> None:
    """A worker's life: clean each input it is sent and send back the result, until told to
    stop or the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    for end in parent_ends:  # the parent's ends, inherited: closed, the parent's exit means EOF
        end.close()
    while True:
        try:
            message = pipe.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        function, arguments = message
        failed, result = _called(function, arguments)
        if failed:
            result = _picklable(result)
        if not _send(pipe, (failed, result)):
            return


def _picklable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling, else a RuntimeError saying what it was."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any failure to round-trip
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
