"""The one way through toolspec: each spec built (read, compiled, checked by its own rules) →
the project checks (duplicate toolsets, the project rules) → render → write (or compare).

Compiling comes before lint because the rules read the compiled toolset. Each step returns a
value; the command line only turns values into output and exit codes, and tests go through
the same functions. Each toolset is compiled once per run: the lint rules, the templates,
`generate` and `check` all read the same CompiledToolset. What only makes a run faster (the
spec cache, the workers, the toolset store) is in speed/; reading specs is in project/load.py.

The stages are imported by the functions that run them: a run whose output the manifest's
record shows current (compile_package's first step) imports none of them.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolspec.compile.shapes import SHAPES
from toolspec.ground.diagnostics import Severity, sorted_diagnostics
from toolspec.ground.errors import EXIT_ERROR, EXIT_FINDINGS, UsageError
from toolspec.output import record as build_record
from toolspec.output.files import Changes, prune, unexpected_files, write_files, write_scaffolds
from toolspec.output.versions import running_versions
from toolspec.project.load import display_path, root_relative

if TYPE_CHECKING:
    from toolspec.compile.shapes import Shape
    from toolspec.compile.toolset import CompiledToolset
    from toolspec.ground.diagnostics import Diagnostic
    from toolspec.output.drift import Drift
    from toolspec.output.drift_report import HandlerProblem
    from toolspec.output.render import PackageRendering
    from toolspec.output.staged import Rendered
    from toolspec.project.config import Config
    from toolspec.speed.model_pool import ModelPool
    from toolspec.speed.spec_cache import SpecCache
    from toolspec.speed.toolset_store import ToolsetStore
    from toolspec.speed.workers import Workers


@dataclass(frozen=True)
class Build:
    """The specs of a run, read, compiled and linted."""

    files: int
    """Spec files read, whether or not they parsed."""
    toolsets: ToolsetStore
    """Every toolset that could be built, compiled, with its source: in the order of the files.
    A spec with errors may have one too (built from its valid parts, for lint): render refuses.
    In a large project most are on disk, read back as they are reached (ToolsetStore)."""
    diagnostics: tuple[Diagnostic, ...]
    inputs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Toolset name -> the files it was compiled from (its spec, its grammar files), from the
    project root -> their sha256: what the manifest's record holds."""
    shapes: Sequence[Shape] = SHAPES
    """The API shapes the toolsets were compiled for."""

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def compiled(self) -> Sequence[CompiledToolset]:
        return self.toolsets.compiled()


@dataclass(frozen=True)
class Refused:
    """Why a build cannot be rendered; nothing was written."""

    message: str
    status: int = EXIT_FINDINGS
    """The exit status it stands for, as a ToolspecError's: EXIT_FINDINGS when the specs are at
    fault, EXIT_ERROR when the run's set-up is (a template, the formatter, the vocabulary)."""
    built: Build | None = None
    """The build whose errors refused it, if that was the reason."""


def build(
    paths: Sequence[Path],
    config: Config,
    *,
    shapes: Sequence[Shape] = SHAPES,
    cache: SpecCache | None = None,
    workers: Workers | None = None,
    arrived: Callable[[CompiledToolset], None] | None = None,
) -> Build:
    """Build each spec below paths (read, compile once, check by its own rules), then run the
    project checks over them all. With a cache, a spec built before with the same build is
    taken from it (speed/spec_cache.py); with workers, models are made (and many specs built)
    in worker processes meanwhile. Each toolset goes to the store as soon as it is built: the
    run holds only what it found. arrived: called with each toolset a worker built, as it
    arrives, while the run waits for the others."""
    from toolspec.project.load import spec_files

    return _build_files(spec_files(paths), config, shapes=shapes, cache=cache, workers=workers, arrived=arrived)


def _build_files(
    files: Sequence[Path],
    config: Config,
    *,
    shapes: Sequence[Shape],
    cache: SpecCache | None,
    workers: Workers | None,
    arrived: Callable[[CompiledToolset], None] | None = None,
) -> Build:
    """build(), of the spec files spec_files found."""
    from toolspec.lint.checker import lint
    from toolspec.lint.duplicate_toolsets import duplicate_toolsets
    from toolspec.speed.entries import kept_entries
    from toolspec.speed.spec_build import SpecBuild
    from toolspec.speed.toolset_store import ToolsetStore

    rules = config.enabled_rules()
    store = ToolsetStore()
    kept = kept_entries(files, SpecBuild(config, shapes, rules, cache), workers, store, arrived)
    built = [spec for spec in kept if spec.name is not None]
    diagnostics = [diagnostic for spec in kept for diagnostic in spec.diagnostics]
    names = [(spec.name or "", spec.source_path) for spec in built]
    diagnostics += duplicate_toolsets(names, lambda index: store[index].source)
    diagnostics += lint(store, rules, store.outlines(), [spec.findings for spec in built])
    inputs = {spec.name: spec.inputs for spec in built if spec.name is not None}
    return Build(len(files), store, tuple(sorted_diagnostics(diagnostics)), inputs, shapes)


def build_in_workers(paths: Sequence[Path], config: Config, *, cache: SpecCache | None = None) -> Build:
    """build(), for a command that renders nothing (lint, stats): the specs that the cache does
    not hold are built in worker processes, once there are enough of them to pay for forking
    (Workers, with models=False)."""
    from toolspec.project.load import spec_files
    from toolspec.speed.workers import Workers

    files = spec_files(paths)
    workers = Workers(config, SHAPES, cache, len(files), (), models=False)
    with workers.pool:
        return _build_files(files, config, shapes=SHAPES, cache=cache, workers=workers)


def spec_cache(config: Config, shapes: Sequence[Shape] = SHAPES, templates: Path | None = None) -> SpecCache | None:
    """The cache of read and checked specs for this build, or None when there is nowhere for one."""
    from toolspec.speed.spec_cache import SpecCache

    return SpecCache.default(_build_id(config, shapes, templates or config.templates))


class Reuse(enum.Enum):
    """What a run trusts to take what was built before instead of building it again."""

    NOTHING = "nothing"
    """Every toolset compiled and rendered (`--no-cache`)."""
    HASHES = "hashes"
    """The manifest's record (record.py), each file's bytes hashed now, and the spec cache."""
    FILE_STATUS = "file status"
    """As HASHES, but a file's hash is taken from the user's cache where its status is as when it
    was hashed (speed/file_hashes.py): generate's; check, the proof, reads every byte."""


@dataclass(frozen=True)
class Package:
    """The generated package a run arrives at, and what it took to get there."""

    rendered: Rendered
    built: Build | None
    """None when nothing had changed since the last generate: nothing was loaded or compiled."""
    reused: int = 0
    """Toolsets whose files were taken from the output as they are, known by the record to be current."""


def compile_package(
    config: Config,
    files: Sequence[Path],
    *,
    templates: Path | None = None,
    reuse: Reuse = Reuse.HASHES,
    progress: Callable[[int, int], None] | None = None,
    shapes: Sequence[Shape] = SHAPES,
) -> Package | Refused:
    """The generated package of the spec files (configured_spec_files): what generate writes and
    check compares.

    reuse: what the run trusts to take what was built before (Reuse).
    """
    template_dir = templates or config.templates
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"the templates directory {template_dir} does not exist")
    build_id = _build_id(config, shapes, template_dir)
    specs = [root_relative(file, config) for file in files]
    unchanged, current = _as_recorded(config, specs, build_id, reuse)
    if current is not None:
        return Package(current, None, reused=len(unchanged))
    from toolspec.speed.model_pool import ModelPool

    expected = len(set(specs) - set(unchanged))
    pool = ModelPool.models_only(expected)  # forked before the imports below, which its workers do not need

    from toolspec.output.render import PackageRendering
    from toolspec.speed.spec_cache import SpecCache
    from toolspec.speed.workers import Workers

    cache = SpecCache.default(build_id) if reuse is not Reuse.NOTHING else None
    workers = Workers(config, shapes, cache, expected, set(unchanged), pool)
    with workers.pool as models:
        rendering = PackageRendering(template_dir)  # here: the workers are forked, and start building
        built = build(files, config, shapes=shapes, cache=cache, workers=workers, arrived=rendering.ahead)
        if built.has_errors:
            models.close()  # no models will be read: none are made
        rendered = render(built, config, progress=progress, unchanged=unchanged, models=models, rendering=rendering)
    if isinstance(rendered, Refused):
        return rendered
    store = built.toolsets
    reused = sum(1 for index in range(len(store)) if store.spec_path(index) in unchanged)
    return Package(rendered, built, reused)


def _as_recorded(
    config: Config, specs: Sequence[str], build_id: str, reuse: Reuse
) -> tuple[dict[str, dict[str, build_record.CurrentFile]], Rendered | None]:
    """What the manifest's record shows current: the toolsets whose files are (by spec path),
    and the whole package when every file is (compile_package's first step)."""
    record = build_record.read_record(config.output) if reuse is not Reuse.NOTHING else None
    if record is None or record.build != build_id:
        return {}, None
    from toolspec.speed.file_hashes import FileHashes

    hashes = FileHashes.for_output(config.output) if reuse is Reuse.FILE_STATUS else None
    hash_of = hashes.sha256 if hashes is not None else None
    unchanged = build_record.unchanged_toolsets(record, specs, config.root, config.output, hash_of)
    current = build_record.all_current(record, specs, unchanged, config.output, hash_of)
    if hashes is not None:
        hashes.keep()
    return unchanged, current


def write(package: Package, config: Config, *, prune_strays: bool = False) -> Changes:
    """Bring the output in line with the package: owned files written, changed or removed, the
    scaffolds that do not exist yet written, and the files it never wrote found (or pruned)."""
    rendered = package.rendered
    changes = Changes()
    if package.built is not None:  # None: every file was found as recorded (compile_package)
        changes = write_files(rendered.files, config.output)
        changes.added.extend(write_scaffolds(rendered.scaffolds, config.output))
    strays = unexpected_files(config.output, set(rendered.files) | set(rendered.scaffolds))
    if prune_strays:
        prune(config.output, strays)
    (changes.pruned if prune_strays else changes.stray).extend(strays)
    return changes


@dataclass(frozen=True)
class Comparison:
    """What check finds: the output against the package, and the handlers against the specs."""

    drift: Drift
    uncovered: tuple[HandlerProblem, ...]
    """Each problem with a configured handler class."""

    @property
    def clean(self) -> bool:
        return self.drift.clean and not self.uncovered


def compare(package: Package, config: Config, files: Sequence[Path]) -> Comparison:
    """The output and the configured handlers, held to the package the spec files compile to."""
    from toolspec.output.drift import find_drift
    from toolspec.project.coverage import coverage_problems

    rendered = package.rendered
    drift = find_drift(rendered.files, config.output, display_path(config.output), scaffolds=set(rendered.scaffolds))
    pyproject = Path(config.source) if config.source != "defaults" else None
    uncovered = coverage_problems(_implemented(package, config, files), dict(config.handlers), config.root, pyproject)
    return Comparison(drift, tuple(uncovered))


def _implemented(package: Package, config: Config, files: Sequence[Path]) -> tuple[CompiledToolset, ...]:
    """The compiled toolsets that configured handlers implement: when nothing had changed and
    nothing was compiled, those few are compiled now (lint, passed already, is not repeated)."""
    if package.built is not None:
        store = package.built.toolsets
        return tuple(store[i].compiled for i in range(len(store)) if store.name(i) in config.handlers)
    if not config.handlers:
        return ()
    from toolspec.project.load import compile_loaded, load

    loaded, _ = load(files)
    return tuple(compile_loaded(spec, config) for spec in loaded if spec.toolset.name in config.handlers)


def render(
    built: Build,
    config: Config,
    *,
    progress: Callable[[int, int], None] | None = None,
    unchanged: Mapping[str, Mapping[str, build_record.CurrentFile]] | None = None,
    models: ModelPool | None = None,
    rendering: PackageRendering | None = None,
) -> Rendered | Refused:
    """The files of the generated package, or why there can be none. unchanged: spec path -> the
    files of its toolset on disk, known (by their recorded hashes) to be current: taken as they
    are; models: the pool already making the toolsets' models (without one, they are made here,
    all at once); rendering: where some toolsets' files were rendered ahead, as the build went
    on, and with which templates (without one: none ahead, with the configured templates)."""
    import jinja2

    from toolspec.compile.argument_models import ModelGenerationError
    from toolspec.compile.tokens import TokenCountError
    from toolspec.output.formatting import FormattingError
    from toolspec.output.render import PackageRendering, PathClash, RecordInputs

    if built.has_errors:
        return Refused("the specs have errors", built=built)
    if not built.toolsets:
        return Refused(f"no specs found in {display_path(config.specs)}: nothing to generate or compare")
    rendering = rendering or PackageRendering(config.templates)
    build_id = _build_id(config, built.shapes, rendering.template_dir)
    unchanged = unchanged or {}
    store = built.toolsets
    reuse = {store.name(i): unchanged[store.spec_path(i)] for i in range(len(store)) if store.spec_path(i) in unchanged}
    outlined = reuse.keys() | rendering.rendered_ahead  # not read back from the store: not rendered now
    try:
        with contextlib.ExitStack() as stack:
            if models is None:  # the models of the toolsets to render, made beforehand, together
                models = _models_started(store.compiled_in_name_order(leaving_out=outlined), stack)
            return rendering.finish(
                store.members_in_name_order(outlined=outlined, prepare=models.give),  # given its models as reached
                specs_dir=root_relative(config.specs, config),
                record=RecordInputs(build_id, built.inputs),
                reuse=reuse,
                progress=progress,
            )
    except jinja2.TemplateError as error:
        where = f" ({error.filename}:{error.lineno})" if isinstance(error, jinja2.TemplateSyntaxError) else ""
        return Refused(f"a template failed{where}: {error.message or error}", EXIT_ERROR)
    except (ModelGenerationError, FormattingError, PathClash) as error:
        return Refused(str(error), EXIT_ERROR if isinstance(error, FormattingError) else EXIT_FINDINGS)
    except TokenCountError as error:
        return Refused(str(error), error.status)


def _models_started(toolsets: Sequence[CompiledToolset], stack: contextlib.ExitStack[bool | None]) -> ModelPool:
    """A pool, closed with stack, making the models of toolsets."""
    from toolspec.speed.model_pool import ModelPool

    models = stack.enter_context(ModelPool(len(toolsets)))
    for compiled in toolsets:
        models.start(compiled)
    return models


def _build_id(config: Config, shapes: Sequence[Shape], templates: Path | None) -> str:
    return build_record.build_digest(running_versions(), _settings(config, shapes), templates)


def _settings(config: Config, shapes: Sequence[Shape]) -> dict[str, object]:
    """What of the configuration the output (or whether there may be one) depends on."""
    return {
        "package": config.package,
        "specs": root_relative(config.specs, config),
        "timeout": config.timeout,
        "rules": [rule.code for rule in config.enabled_rules()],
        "options": {code: dict(options) for code, options in sorted(config.options.items())},
        "shapes": [f"{type(shape).__module__}:{shape.name}" for shape in shapes],
    }
