"""Inputs cleaned on every core: each call run in a worker process, the results handed back in
the order the inputs came.

Cleaning a page is pure and bound by one core (trafilatura's extraction is most of it), and a
batch import is often a crawl of thousands of pages, so `factmark import` and `extract` hand
each whole input to a pool of worker processes while the parent reads the next files and (for
an import) writes to the database, which stays the one writer. concurrent.futures keeps the
queue: inputs are taken by whichever worker is free, so one slow page does not hold the others
(unlike a fixed share per worker). At most a few inputs per worker are in flight, so memory
stays flat whatever the number of files.

On POSIX the workers are forked when the pool opens, before the caller opens its database or
starts a thread, and share the modules already imported (no start-up cost). A worker ignores
Ctrl+C (the parent stops it) and exits when the parent goes away; if one dies (killed for its
memory, say), the inputs it left are cleaned in the parent, in order, as with one process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

Key = TypeVar("Key")
Result = TypeVar("Result")

MAX_DEFAULT_JOBS = 8
# Below this many inputs per worker a pool costs more than it saves (forking, pickling).
INPUTS_PER_WORKER = 4
IN_FLIGHT_PER_WORKER = 4
_PARENT_POLL_SECONDS = 1.0


def available_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit included)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def default_jobs(inputs: int) -> int:
    """How many workers clean `inputs` inputs unless told: one per core (up to
    MAX_DEFAULT_JOBS), and none (1: this process) for a handful of inputs."""
    return max(1, min(available_cores(), MAX_DEFAULT_JOBS, inputs // INPUTS_PER_WORKER))


class CleaningPool:
    """Worker processes that run one function on inputs; `map_in_order` hands results back."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._executor: ProcessPoolExecutor | None = None
        self._workers: list[multiprocessing.process.BaseProcess] = []
        if jobs > 1:
            self._start(jobs)

    def _start(self, jobs: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        before = set(multiprocessing.active_children())
        self._executor = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_worker_started, initargs=(os.getpid(),)
        )
        # With fork, the first call starts every worker: now, before the caller's threads.
        self._executor.submit(os.getpid).result()
        self._workers = [p for p in multiprocessing.active_children() if p not in before]

    def map_in_order(
        self,
        function: Callable[..., Result],
        calls: Iterable[tuple[Key, tuple[Any, ...] | None]],
    ) -> Iterator[tuple[Key, Result | None]]:
        """For each (key, arguments) of `calls`, in order: the key and `function(*arguments)`,
        or None where the arguments are None (an input the caller handles itself)."""
        if self._executor is None:
            for key, arguments in calls:
                yield key, None if arguments is None else function(*arguments)
            return
        window = self.jobs * IN_FLIGHT_PER_WORKER
        pending: deque[tuple[Key, tuple[Any, ...] | None, Future[Any] | None]] = deque()
        for key, arguments in calls:
            pending.append((key, arguments, self._submit(function, arguments)))
            if len(pending) >= window:
                yield self._taken(function, pending.popleft())
        while pending:
            yield self._taken(function, pending.popleft())

    def _submit(
        self, function: Callable[..., Result], arguments: tuple[Any, ...] | None
    ) -> Future[Any] | None:
        if arguments is None or self._executor is None:
            return None
        try:
            return self._executor.submit(function, *arguments)
        except BrokenProcessPool:
            self._executor = None  # a worker died: what is left runs here
            return None

    def _taken(
        self,
        function: Callable[..., Result],
        call: tuple[Key, tuple[Any, ...] | None, Future[Any] | None],
    ) -> tuple[Key, Result | None]:
        key, arguments, future = call
        if arguments is None:
            return key, None
        if future is not None:
            try:
                return key, future.result()
            except BrokenProcessPool:
                self._executor = None
        return key, function(*arguments)

    def close(self, *, interrupted: bool = False) -> None:
        if self._executor is None and not self._workers:
            return
        if interrupted:
            for worker in self._workers:  # mid-page: not worth waiting for
                if worker.is_alive():
                    worker.terminate()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        for worker in self._workers:
            worker.join()
        self._executor, self._workers = None, []


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


def _worker_started(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed would wait for work forever: it leaves instead."""
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(0)
