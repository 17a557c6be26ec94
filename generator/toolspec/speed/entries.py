"""Where a run takes each spec's entry from (the cache, a worker, or built here), and what it
keeps of the entry once its toolset is in the store."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolspec.lint.rule import ToolsetContext
from toolspec.output.staged import digest
from toolspec.project.load import display_path, read_spec, root_relative
from toolspec.speed.spec_build import build_spec
from toolspec.speed.spec_cache import Entry

if TYPE_CHECKING:
    from toolspec.compile.toolset import CompiledToolset
    from toolspec.ground.diagnostics import Diagnostic
    from toolspec.lint.checker import RawFinding
    from toolspec.project.config import Config
    from toolspec.speed.spec_build import SpecBuild
    from toolspec.speed.toolset_store import ToolsetStore
    from toolspec.speed.workers import Workers


def kept_entries(
    files: Sequence[Path],
    how: SpecBuild,
    workers: Workers | None,
    store: ToolsetStore,
    arrived: Callable[[CompiledToolset], None] | None = None,
) -> list[Kept]:
    """What the run keeps of each file's entry, in the order of files, each toolset put in the
    store at its file's position: an entry at hand (cached, or built here) as it is reached,
    one a worker builds once every file has been started; arrived is called with each toolset
    a worker built, as it is put in the store."""
    kept: list[Kept] = []
    building_later: deque[tuple[int, Path, Future[Entry]]] = deque()
    for position, file in enumerate(files):
        entry = _spec_entry(file, how, workers)
        if isinstance(entry, Entry):
            kept.append(_keep(position, entry, store, how.config))
        else:
            building_later.append((position, file, entry))
    while building_later:  # each future let go of once its entry is in the store
        position, file, later = building_later.popleft()
        entry = _settled(later, file, how)
        kept.append(_keep(position, entry, store, how.config))
        if arrived is not None and isinstance(entry.context, ToolsetContext):
            arrived(entry.context.compiled)
    return sorted(kept, key=lambda spec: spec.position)


def _spec_entry(file: Path, how: SpecBuild, workers: Workers | None) -> Entry | Future[Entry]:
    """The entry of a spec file: from the cache, else to come from a worker, else built here."""
    cache = how.cache
    raw = read_spec(file)
    spec_digest = digest(raw)
    key = cache.key(file, display_path(file), spec_digest) if cache is not None else None
    entry = cache.get(key) if cache is not None and key is not None else None
    if entry is None:
        later = workers.build_later(file, raw, spec_digest, key) if workers is not None else None
        if later is not None:
            return later
        entry = build_spec(file, raw, spec_digest, key, how, workers.start_models if workers is not None else None)
    return workers.make_models(entry) if workers is not None else entry


def _settled(entry: Entry | Future[Entry], file: Path, how: SpecBuild) -> Entry:
    """entry, once a worker has built it; where the worker died (killed, out of memory), built here."""
    if isinstance(entry, Entry):
        return entry
    try:
        return entry.result()
    except BrokenProcessPool:
        built_here = _spec_entry(file, how, None)
        assert isinstance(built_here, Entry), "without workers, a spec is built here"
        return built_here


@dataclass(frozen=True)
class Kept:
    """What a build keeps of a spec's entry once its toolset is in the store."""

    position: int
    diagnostics: tuple[Diagnostic, ...]
    name: str | None = None
    """The toolset's name; None when no toolset could be built."""
    source_path: str = ""
    findings: tuple[RawFinding, ...] = ()
    inputs: Mapping[str, str] = field(default_factory=dict)
    """The files the toolset was compiled from (its spec, its grammar files), from the project
    root -> their sha256."""


def _keep(position: int, entry: Entry, store: ToolsetStore, config: Config) -> Kept:
    """Put the entry's toolset, if any, in the store at position; what the build needs besides."""
    context, outline = entry.context, entry.outline
    if context is None or outline is None:
        return Kept(position, entry.diagnostics)
    store.put(position, context, outline)
    grammars = {root_relative(Path(path), config): sha for path, sha in entry.inputs.items()}
    inputs = {outline.spec_path: entry.spec_digest, **grammars}
    return Kept(position, entry.diagnostics, outline.name, outline.source_path, entry.findings, inputs)
