"""ModelPool: toolsets' argument models made in worker processes while the parent goes on.

datamodel-code-generator is pure Python, most of a cold generate, and ~0.5 s to import. A run
that knows it will need models starts the pool before it reads the specs: the workers, forked
then, import the generator while the parent reads, compiles and lints, and each toolset goes
to them as soon as it is compiled (start), so that making models overlaps linting instead of
following it. The workers make its JSON lists too (compile.toolset.MADE_FOR_RENDERING), which
the parent would otherwise write after the build, alone. give hands a toolset what was made as
the run reaches it (collect, all of a list at once), in the cached properties that keep them;
the bytes are those made one by one in the parent.
Workers (workers.py) also give them whole specs to build (run_later), when there are many.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported by the workers, as they start: see ModelPool.models_only
    from toolspec.compile.toolset import CompiledToolset

T = TypeVar("T")

PARALLEL_FROM = 1
"""Toolsets whose models are made in worker processes once a run expects this many to make."""
BUILD_IN_WORKERS_FROM = 4
"""Specs to build in a run, per worker, from which those not in the cache are built in the
workers (workers.py): below it, the parent builds them while the workers import the model
generator."""


class ModelPool:
    """Worker processes making models, or none (then models_source makes them when read); or,
    for a run that renders nothing (make_models=False), only building specs (workers.py)."""

    def __init__(self, expected: int, setup: Callable[[], None] | None = None, *, make_models: bool = True) -> None:
        """expected: how many toolsets the run will need models for (none: no workers); setup:
        run in each worker as it starts (with fork, a closure needs no pickling); make_models:
        False for a pool that only builds specs (lint): its workers do not import the model
        generator, and are forked at the first task, as the run may find every spec cached."""
        cores = os.cpu_count() or 1
        self._submitted: dict[str, concurrent.futures.Future[dict[str, object]]] = {}
        """Spec path -> what is made for its toolset (a toolset read back from disk is
        another object each time: it is known by its spec)."""
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self.workers = 0
        """How many worker processes there are: none where the pool could not fork."""
        if expected >= PARALLEL_FROM and expected > 0 and cores >= 2 and _can_fork():
            self.workers = min(expected, cores)
            self._executor = concurrent.futures.ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("fork"),  # the workers inherit toolspec's imports
                initializer=_start_worker,
                initargs=(setup, make_models),
            )
            if make_models:  # ProcessPoolExecutor forks its workers at the first submit: this one starts them now
                self._executor.submit(int)
        self._forked = self._executor is not None and make_models

    @classmethod
    def models_only(cls, expected: int) -> ModelPool | None:
        """The pool of a run with so few specs to build that the parent builds them all, started
        at once: its workers only make models, and import what they need for that themselves
        while the parent imports what building takes. None for a run that builds more."""
        return cls(expected) if 0 < expected < BUILD_IN_WORKERS_FROM else None

    def run_later(self, function: Callable[..., T], *args: Any) -> concurrent.futures.Future[T] | None:
        """function(*args) in a worker, or None when the pool has none (or has lost one: a worker
        killed, out of memory, breaks the pool; the parent then does the work)."""
        if self._executor is None:
            return None
        if not self._forked and not _can_fork():  # a thread started since: its locks would be copied held
            self.close()
            return None
        try:
            future = self._executor.submit(function, *args)
            self._forked = True
            return future
        except concurrent.futures.process.BrokenProcessPool:
            self.close()
            return None

    def start(self, toolset: CompiledToolset) -> None:
        """Start making toolset's models, unless they are made or being made."""
        if self._executor is None or toolset.spec_path in self._submitted or "models_source" in vars(toolset):
            return  # without workers, the models are made when read (give leaves them to that)
        # Pickled here, not by the pool when a worker is free: the pool would hold the toolset
        # itself until then, and a run may start hundreds (ToolsetStore lets them go).
        future = self.run_later(_made_for_rendering, pickle.dumps(toolset, protocol=pickle.HIGHEST_PROTOCOL))
        if future is not None:
            self._submitted[toolset.spec_path] = future

    def give(self, toolset: CompiledToolset) -> None:
        """Give toolset its models and JSON lists (MADE_FOR_RENDERING), once made in a worker;
        where they were not started, or a worker died (killed, out of memory), they are made
        here when read. A generator error is raised here."""
        future = self._submitted.pop(toolset.spec_path, None)
        if future is None:
            return
        try:
            made = future.result()
        except concurrent.futures.process.BrokenProcessPool:
            return
        vars(toolset).update(made)  # where functools.cached_property keeps what it made

    def collect(self, toolsets: Sequence[CompiledToolset]) -> None:
        """Give every toolset of toolsets its models, made in the workers where the pool has any.
        A generator error is raised for the first failing toolset in toolsets' order."""
        for toolset in toolsets:
            self.start(toolset)
        for toolset in toolsets:
            self.give(toolset)

    def close(self) -> None:
        """Stop the workers; models not collected are not made."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
            self.workers = 0
        self._submitted.clear()

    def __enter__(self) -> ModelPool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def make_models(toolsets: Iterable[CompiledToolset]) -> None:
    """Make the models of toolsets at once, in a process per core."""
    pending = [toolset for toolset in toolsets if "models_source" not in vars(toolset)]
    with ModelPool(len(pending)) as pool:
        pool.collect(pending)


def _start_worker(setup: Callable[[], None] | None, make_models: bool) -> None:
    if make_models:
        from toolspec.compile.argument_models import load_model_generator

        load_model_generator()
    if setup is not None:
        setup()


def _can_fork() -> bool:
    """Fork only a process with no other threads: a thread's locks would be copied held."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _made_for_rendering(pickled: bytes) -> dict[str, object]:
    from toolspec.compile.toolset import CompiledToolset, made_for_rendering

    toolset = pickle.loads(pickled)
    assert isinstance(toolset, CompiledToolset), "start sends a compiled toolset"
    return made_for_rendering(toolset)
