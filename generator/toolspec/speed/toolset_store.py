"""ToolsetStore: a run's toolsets, held in memory up to a number of them, on disk beyond it.

A toolset's compiled form, with its source, takes some 350 KB of memory for 11 tools. A run
that held every one from the moment it is read until its files are written would grow with
the project (240 MiB at 3,000 tools). The store keeps the first IN_MEMORY toolsets put in it
as they are, so that a small project costs nothing more, and pickles the others to an unnamed
temporary file, read back one at a time when asked for: the steps after the build (lint,
render, the package's own files) go through the toolsets one by one and keep only what they
found, so that a spilled toolset is in memory only while a step looks at it.

A toolset read back is a new object each time: whatever is set on it (its models, given by
the ModelPool) lasts as long as the step that set it holds it.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from collections.abc import Callable, Collection, Sequence
from typing import IO, TYPE_CHECKING

from toolspec.ground.lazy_sequence import LazySequence, View
from toolspec.lint.rule import ToolsetContext
from toolspec.speed.spec_cache import PackedContext, unpickle

if TYPE_CHECKING:
    from toolspec.compile.outline import ToolsetOutline
    from toolspec.compile.toolset import CompiledToolset

IN_MEMORY = 128
"""Toolsets held as they are (some 1,400 tools of the bench corpus, 45 MB); those added after
them go to disk."""


class ToolsetStore(LazySequence[ToolsetContext]):
    """The toolsets of a build, in the order of their positions (their spec files' order)."""

    def __init__(self, in_memory: int | None = None) -> None:
        """in_memory: how many toolsets to hold as they are (IN_MEMORY unless given)."""
        self._in_memory = IN_MEMORY if in_memory is None else in_memory
        self._held: dict[int, ToolsetContext | PackedContext | tuple[int, int]] = {}
        """Position -> the toolset, as it is or packed (as the spec cache keeps it), or where its
        pickle is in the spool (offset, length)."""
        self._outlines: dict[int, ToolsetOutline] = {}
        """Position -> the toolset's outline, known without reading it back."""
        self._order: list[int] | None = None
        self._spool: IO[bytes] | None = None

    def put(self, position: int, context: ToolsetContext | PackedContext, outline: ToolsetOutline) -> None:
        """Hold context, with its outline, at position (a spec file's index): toolsets may arrive
        in any order. A packed context stays packed until a step reads it back."""
        self._order = None
        self._outlines[position] = outline
        if len(self._held) < self._in_memory:
            self._held[position] = context
            return
        if self._spool is None:
            self._spool = tempfile.TemporaryFile(prefix="toolspec-toolsets-")
            weakref.finalize(self, self._spool.close)
        packed = context if isinstance(context, PackedContext) else None
        data = packed.data if packed is not None else pickle.dumps(context, protocol=pickle.HIGHEST_PROTOCOL)
        offset = self._spool.seek(0, 2)
        self._spool.write(data)
        self._held[position] = (offset, len(data))

    @property
    def spilled(self) -> int:
        """How many toolsets are on disk."""
        return sum(1 for held in self._held.values() if isinstance(held, tuple))

    def name(self, index: int) -> str:
        """The name of the toolset at index, without reading it back."""
        return self.outline(index).name

    def spec_path(self, index: int) -> str:
        """The spec path (from the project root) of the toolset at index, without reading it back."""
        return self.outline(index).spec_path

    def outline(self, index: int) -> ToolsetOutline:
        """The outline of the toolset at index, without reading it back."""
        return self._outlines[self._positions()[index]]

    def outlines(self) -> Sequence[ToolsetOutline]:
        """Every toolset's outline, in the same order."""
        return View(len(self), self.outline)

    def compiled_in_name_order(
        self, leaving_out: Collection[str] = (), prepare: Callable[[CompiledToolset], None] | None = None
    ) -> Sequence[CompiledToolset]:
        """The compiled toolsets sorted by name, less those named in leaving_out, read back as
        they are reached; prepare, if given, is called with each as it is reached."""

        order = [index for index in self._in_name_order() if self.name(index) not in leaving_out]
        return View(len(order), lambda index: self._compiled(order[index], prepare))

    def members_in_name_order(
        self, outlined: Collection[str], prepare: Callable[[CompiledToolset], None] | None = None
    ) -> Sequence[CompiledToolset | ToolsetOutline]:
        """Every toolset sorted by name: the outline of those named in outlined, which are not read
        back, and the others compiled, read back as they are reached (and given to prepare)."""

        def item(index: int) -> CompiledToolset | ToolsetOutline:
            at = order[index]
            return self.outline(at) if self.name(at) in outlined else self._compiled(at, prepare)

        order = self._in_name_order()
        return View(len(order), item)

    def _in_name_order(self) -> list[int]:
        return sorted(range(len(self)), key=self.name)

    def _compiled(self, index: int, prepare: Callable[[CompiledToolset], None] | None) -> CompiledToolset:
        compiled = self[index].compiled
        if prepare is not None:
            prepare(compiled)
        return compiled

    def compiled(self) -> Sequence[CompiledToolset]:
        """The compiled toolsets, in the same order, read back as they are reached."""
        return View(len(self), lambda index: self[index].compiled)

    def __len__(self) -> int:
        return len(self._held)

    def _item(self, index: int) -> ToolsetContext:
        held = self._held[self._positions()[index]]
        if isinstance(held, ToolsetContext):
            return held
        return held.unpacked() if isinstance(held, PackedContext) else self._read(*held)

    def _positions(self) -> list[int]:
        if self._order is None:
            self._order = sorted(self._held)
        return self._order

    def _read(self, offset: int, length: int) -> ToolsetContext:
        assert self._spool is not None, "a spilled toolset is in the spool"
        self._spool.seek(offset)
        context = unpickle(self._spool.read(length))
        assert isinstance(context, ToolsetContext), "the spool holds what put wrote"
        return context
