"""The worker processes beside a run: they make the models of the toolsets whose files are to
be rendered and, in a run with many specs to build, build the specs not in the cache too."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from toolspec.ground.diagnostics import Severity
from toolspec.project.load import root_relative
from toolspec.speed import model_pool
from toolspec.speed.model_pool import ModelPool
from toolspec.speed.spec_build import SpecBuild, build_spec, import_build_stages

if TYPE_CHECKING:
    from toolspec.compile.shapes import Shape
    from toolspec.compile.toolset import CompiledToolset
    from toolspec.project.config import Config
    from toolspec.speed.spec_cache import Entry, SpecCache


class Workers:
    """The worker processes beside a run (ModelPool): they make the models of the toolsets
    whose files are to be rendered, and, in a run with many specs to build, build the specs
    that are not in the cache too, so that the parent neither lints them nor keeps the
    garbage of reading them (it holds what it reads back, packed)."""

    def __init__(  # noqa: PLR0913 - the run's settings, what it builds, and whether it renders
        self,
        config: Config,
        shapes: Sequence[Shape],
        cache: SpecCache | None,
        expected: int,
        unchanged: Collection[str],
        pool: ModelPool | None = None,
        *,
        models: bool = True,
    ) -> None:
        """expected: the specs the run will build (and render); unchanged: spec paths (from the
        project root) whose files are taken from the output as they are: no models; pool: the
        run's pool if it is started already (ModelPool.models_only), else one is started here;
        models: False where nothing is rendered (lint): expected is then the most specs the run
        may build (its cache may hold them all); the first few it builds itself, and the workers,
        forked at the next, only build specs."""
        self.fresh_here = pool is not None  # its workers only make models
        self.models = models
        self._built_here = 0
        """Specs built in the parent before the workers of a run without models are forked."""
        if pool is None:
            how = SpecBuild(config, shapes, config.enabled_rules(), cache)
            if expected and models:
                import_build_stages()  # before the pool forks its workers, which may build specs
            pool = ModelPool(expected, setup=lambda: _WORKER_BUILD.append(how), make_models=models)
            self.fresh_here = expected < model_pool.BUILD_IN_WORKERS_FROM * max(pool.workers, 1)
        self.pool = pool
        self.config = config
        self.unchanged = unchanged

    def build_later(self, file: Path, raw: bytes, spec_digest: str, key: str | None) -> Future[Entry] | None:
        """The entry of a spec not in the cache, built in a worker (with its models, where the run
        needs them); None where the parent builds it."""
        if self.fresh_here:
            return None
        if not self.models:
            if self._built_here < model_pool.BUILD_IN_WORKERS_FROM - 1:
                self._built_here += 1  # a run that finds a few specs changed builds them without forking
                return None
            import_build_stages()  # before the first task forks the workers (at once after that)
        with_models = self.models and root_relative(file, self.config) not in self.unchanged
        return self.pool.run_later(_entry_in_worker, file, raw, spec_digest, key, with_models)

    def start_models(self, compiled: CompiledToolset) -> None:
        """Start making the models of a toolset, where the run will render its files."""
        if self.models and compiled.spec_path not in self.unchanged:
            self.pool.start(compiled)

    def make_models(self, entry: Entry) -> Entry:
        """Start making the models of entry's toolset, where the run will render its files: the
        entry then, with its toolset read back if it was packed."""
        if not self.models or entry.outline is None or entry.outline.spec_path in self.unchanged:
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
        from toolspec.compile.toolset import made_for_rendering  # here: a lint whose specs are cached compiles none

        try:
            made_for_rendering(context.compiled)  # kept by functools.cached_property, sent back with it
        except Exception:  # noqa: BLE001 - made again, and reported, if the run comes to read them
            pass
    return entry
