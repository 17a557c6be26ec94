"""A local cache of what reading, compiling and linting one spec file gave, keyed by content.

When one spec of many changes, the others need not be read, validated, compiled and checked
again: their entry is found by the digest of the build (the generator, its settings and
rules), the spec's path and its bytes, and is used only when the grammar files it read still
hash the same. Project-wide checks (duplicate toolsets, one tool defined two ways) and
suppressions are always worked out afresh from all the toolsets, so a cached toolset gives
the same findings as a fresh one.

The cache lives in the user's cache directory (TOOLSPEC_CACHE_DIR, else XDG_CACHE_HOME or
~/.cache, under toolspec/), made private to the user: entries are pickles, which only the
user who wrote them may read. A cache that cannot be read or written costs time, never a
failure.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from toolspec.ground.user_cache import cache_directory
from toolspec.lint.rule import ToolsetContext

if TYPE_CHECKING:
    from toolspec.compile.outline import ToolsetOutline
    from toolspec.ground.diagnostics import Diagnostic
    from toolspec.lint.checker import RawFinding

FORMAT = 3
"""Bumped when the layout of an entry changes."""


@dataclass(frozen=True)
class PackedContext:
    """A toolset's context as the cache keeps it: pickled, read only where a step needs the
    whole toolset (ToolsetStore reads it back then)."""

    data: bytes

    def unpacked(self) -> ToolsetContext:
        context = unpickle(self.data)
        assert isinstance(context, ToolsetContext), "the cache packs a toolset's context"
        return context


@dataclass(frozen=True)
class Entry:
    """One spec file, read, compiled and checked."""

    diagnostics: tuple[Diagnostic, ...]
    """What reading and parsing it reported."""
    context: ToolsetContext | PackedContext | None
    """The toolset, compiled, with its source (packed as the cache keeps it); None when none
    could be built."""
    findings: tuple[RawFinding, ...]
    """Its toolset, tool and schema rules' findings (lint.checker.toolset_findings)."""
    spec_digest: str
    """The sha256 of the spec's bytes."""
    inputs: Mapping[str, str]
    """The files besides the spec that it read (grammar files), absolute -> sha256."""
    outline: ToolsetOutline | None = None
    """What the project's steps read of the toolset (compile/outline.py); None with no toolset."""

    def unpacked(self) -> ToolsetContext | None:
        """The whole toolset, read back if it is packed."""
        return self.context.unpacked() if isinstance(self.context, PackedContext) else self.context


class SpecCache:
    """The entries of one build, by spec (key): see the module's docstring."""

    def __init__(self, directory: Path, build_id: str) -> None:
        self.directory = directory
        self.build_id = build_id

    @classmethod
    def default(cls, build_id: str) -> SpecCache | None:
        directory = cache_directory()
        return cls(directory / "specs", build_id) if directory is not None else None

    def key(self, path: Path, shown_as: str, spec_digest: str) -> str:
        text = f"{FORMAT}\0{self.build_id}\0{path.resolve()}\0{shown_as}\0{spec_digest}"
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> Entry | None:
        """The entry kept under key, its toolset's context packed; None where there is none
        that can be used."""
        try:
            entry = unpickle((self.directory / key[:2] / key).read_bytes())
        except Exception:  # noqa: BLE001 - a missing, damaged or stale entry is a miss
            return None
        if not isinstance(entry, Entry) or not _inputs_unchanged(entry.inputs):
            return None
        if entry.context is not None and not isinstance(entry.context, PackedContext):
            return None
        return entry

    def put(self, key: str, entry: Entry) -> None:
        target = self.directory / key[:2] / key
        try:
            context = entry.context
            if isinstance(context, ToolsetContext):
                context = PackedContext(pickle.dumps(context, protocol=pickle.HIGHEST_PROTOCOL))
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = target.with_name(f".{key}.{os.getpid()}.tmp")
            with temporary.open("wb") as stream:
                pickle.dump(replace(entry, context=context), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # a cache that cannot be written only costs time


def unpickle(data: bytes) -> object:
    """pickle.loads with the cyclic collector paused: a toolset is many small objects, none of
    them garbage, and collecting while they are made is waste."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if collecting:
            gc.enable()


def grammar_inputs(paths: Sequence[Path]) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in paths:
        try:
            found[str(path.resolve())] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            found[str(path.resolve())] = ""
    return found


def _inputs_unchanged(inputs: Mapping[str, str]) -> bool:
    return grammar_inputs([Path(path) for path in inputs]) == dict(inputs)
