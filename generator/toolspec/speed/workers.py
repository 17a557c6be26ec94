"""The worker processes beside a run: they make the models of the toolsets whose files are to
be rendered and, in a run with many specs to build, build the specs not in the cache too."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from toolspec.compile.toolset import CompiledToolset, made_for_rendering
from toolspec.ground.diagnostics import Severity
from toolspec.project.load import root_relative
from toolspec.speed import model_pool
from toolspec.speed.model_pool import ModelPool
from toolspec.speed.spec_build import SpecBuild, build_spec, import_build_stages

if TYPE_CHECKING:
    from toolspec.compile.shapes import Shape
    from toolspec.project.config import Config
    from toolspec.speed.spec_cache import Entry, SpecCache


class Workers:
    """The worker processes beside a run (ModelPool): they make the models of the toolsets
    whose files are to be rendered, and, in a run with many specs to build, build the specs
    that are not in the cache too, so that the parent neither lints them nor keeps the
    garbage of reading them (it holds what it reads back, packed)."""

    def __init__(
        self,
        config: Config,
        shapes: Sequence[Shape],
        cache: SpecCache | None,
        expected: int,
        unchanged: Collection[str],
        pool: ModelPool | None = None,
    ) -> None:
        """expected: the specs the run will build and render; unchanged: spec paths (from the
        project root) whose files are taken from the output as they are: no models; pool: the
        run's pool if it is started already (ModelPool.models_only), else one is started here."""
        self.fresh_here = pool is not None  # its workers only make models
        if pool is None:
            how = SpecBuild(config, shapes, config.enabled_rules(), cache)
            if expected:
                import_build_stages()  # before the pool forks its workers, which may build specs
            pool = ModelPool(expected, setup=lambda: _WORKER_BUILD.append(how))
            self.fresh_here = expected < model_pool.BUILD_IN_WORKERS_FROM * max(pool.workers, 1)
        self.pool = pool
        self.config = config
        self.unchanged = unchanged

    def build_later(self, file: Path, raw: bytes, spec_digest: str, key: str | None) -> Future[Entry] | None:
        """The entry of a spec not in the cache, built in a worker (with its models, where the run
        needs them); None where the parent builds it."""
        if self.fresh_here:
            return None
        with_models = root_relative(file, self.config) not in self.unchanged
        return self.pool.run_later(_entry_in_worker, file, raw, spec_digest, key, with_models)

    def start_models(self, compiled: CompiledToolset) -> None:
        """Start making the models of a toolset, where the run will render its files."""
        if compiled.spec_path not in self.unchanged:
            self.pool.start(compiled)

    def make_models(self, entry: Entry) -> Entry:
        """Start making the models of entry's toolset, where the run will render its files: the
        entry then, with its toolset read back if it was packed."""
        if entry.outline is None or entry.outline.spec_path in self.unchanged:
            return entry
        context = entry.unpacked()
        if context is None:
            return entry
        self.start_models(context.compiled)  # unless started as it was compiled
        return replace(entry, context=context)


_WORKER_BUILD: list[SpecBuild] = []
"""In a worker process: what its specs are built with (set as it starts)."""


def _entry_in_worker(file: Path, raw: bytes, spec_digest: str, key: str | None, with_models: bool) -> Entry:
    """A spec's entry, built in a worker; with_models: with its toolset's models made too, when
    its spec has no errors (render would refuse)."""
    entry = build_spec(file, raw, spec_digest, key, _WORKER_BUILD[-1])
    context = entry.unpacked()
    if with_models and context is not None and not any(d.severity is Severity.ERROR for d in entry.diagnostics):
        try:
            made_for_rendering(context.compiled)  # kept by functools.cached_property, sent back with it
        except Exception:  # noqa: BLE001 - made again, and reported, if the run comes to read them
            pass
    return entry
