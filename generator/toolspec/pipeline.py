"""The one way through toolspec: load → lint → compile → render → write (or compare).

Each step returns a value; the command line only turns values into output and exit codes,
and tests go through the same functions. Each toolset is compiled once per run: the lint
rules, the templates, `generate` and `check` all read the same CompiledToolset.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from toolspec import tokens
from toolspec.build_cache import BuildCache, grammar_inputs
from toolspec.build_cache import Entry as CacheEntry
from toolspec.compile.argument_models import ModelGenerationError
from toolspec.compile.model_pool import ModelPool
from toolspec.compile.shapes import SHAPES, Shape
from toolspec.compile.toolset import CompiledToolset, compile_toolset
from toolspec.config import Config
from toolspec.coverage import coverage_problems
from toolspec.diagnostics import Diagnostic, Severity, sorted_diagnostics
from toolspec.lint.checker import RawFinding, lint, toolset_findings
from toolspec.lint.rule import Rule, ToolsetContext
from toolspec.output import record as build_record
from toolspec.output.artefacts import PACKAGE_ARTEFACTS, Ownership, toolset_artefacts
from toolspec.output.drift import Drift, find_drift
from toolspec.output.files import Changes, owned_files, write_files, write_scaffolds
from toolspec.output.formatting import FormattingError
from toolspec.output.render import (
    MANIFEST,
    PathClash,
    RecordInputs,
    Rendered,
    StagedFiles,
    render_package,
    template_environment,
)
from toolspec.output.versions import running_versions
from toolspec.spec import ir
from toolspec.spec.parse import parse_toolset
from toolspec.spec.source import SpecSource
from toolspec.tokens import TokenCountError
from toolspec.toolset_store import ToolsetStore
from toolspec.yaml_source import MAX_SPEC_BYTES, YamlPath, parse_document

SPEC_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A path or argument that cannot be used; exit status 2."""


@dataclass(frozen=True)
class LoadedSpec:
    toolset: ir.Toolset
    source: SpecSource
    dropped: tuple[YamlPath, ...] = ()
    """The parts of the spec left out of the toolset because they are wrong (see parse_toolset)."""


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
    in_setup: bool = False
    """True when the run's set-up (a template) is at fault, not the specs."""
    built: Build | None = None
    """The build whose errors refused it, if that was the reason."""


def spec_files(paths: Sequence[Path]) -> list[Path]:
    """The spec files named by paths: files as given, directories searched recursively. Hidden
    files and directories below a searched directory (an editor's `.old.yaml`, `.cache/`) are
    skipped, so that they are not linted and do not collide as duplicate toolsets."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in path.rglob("*")
                if p.suffix in SPEC_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    unique = {path.resolve(): path for path in reversed(found)}  # a file named twice is read once
    return sorted(unique.values(), key=lambda p: p.as_posix())


def display_path(path: Path) -> str:
    """The path as the user knows it: relative to the working directory when below it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def root_relative(path: Path, config: Config) -> str:
    """A path as generated code names it: from the project root, the same on every machine."""
    resolved = path.resolve()
    return resolved.relative_to(config.root).as_posix() if resolved.is_relative_to(config.root) else resolved.name


def load(files: Sequence[Path]) -> tuple[list[LoadedSpec], list[Diagnostic]]:
    """Read and parse spec files: the toolsets that parsed, and what is wrong with the others."""
    loaded: list[LoadedSpec] = []
    diagnostics: list[Diagnostic] = []
    for file in files:
        spec, found = _load_file(file, _read_spec(file))
        diagnostics.extend(found)
        if spec is not None:
            loaded.append(spec)
    names = [(spec.toolset.name, spec.source.path) for spec in loaded]
    return loaded, diagnostics + _duplicate_toolsets(names, lambda index: loaded[index].source)


def _read_spec(file: Path) -> bytes:
    with file.open("rb") as stream:
        return stream.read(MAX_SPEC_BYTES + 1)  # no more: a huge file must cost nothing


def _load_file(file: Path, raw: bytes) -> tuple[LoadedSpec | None, list[Diagnostic]]:
    document = parse_document(raw, display_path(file))
    if isinstance(document, Diagnostic):
        return None, [document]
    parsed = parse_toolset(document, file.parent)
    if parsed.toolset is None:
        return None, list(parsed.diagnostics)
    return LoadedSpec(parsed.toolset, SpecSource.of(document), parsed.dropped), list(parsed.diagnostics)


def build(
    paths: Sequence[Path],
    config: Config,
    *,
    shapes: Sequence[Shape] = SHAPES,
    cache: BuildCache | None = None,
    workers: Workers | None = None,
) -> Build:
    """Load, compile (each toolset once) and lint the specs below paths. With a cache, a spec
    read, compiled and checked before with the same build is taken from it (build_cache.py);
    with workers, models are made (and many specs built) in worker processes meanwhile. Each
    toolset goes to the store as soon as it is built: the run holds only what it found."""
    files = spec_files(paths)
    rules = config.enabled_rules()
    building = _Building(config, shapes, rules, cache)
    store = ToolsetStore()
    kept: list[_Kept] = []
    building_later: deque[tuple[int, Path, Future[CacheEntry]]] = deque()
    for position, file in enumerate(files):
        entry = _spec_entry(file, building, workers)
        if isinstance(entry, CacheEntry):
            kept.append(_kept(position, entry, store, config))
        else:
            building_later.append((position, file, entry))
    while building_later:  # each future let go of once its entry is in the store
        position, file, later = building_later.popleft()
        kept.append(_kept(position, _settled(later, file, building), store, config))
    kept.sort(key=lambda spec: spec.position)
    built = [spec for spec in kept if spec.name is not None]
    diagnostics = [diagnostic for spec in kept for diagnostic in spec.diagnostics]
    names = [(spec.name or "", spec.source_path) for spec in built]
    diagnostics += _duplicate_toolsets(names, lambda index: store[index].source)
    diagnostics += lint(store, rules, [spec.findings for spec in built])
    inputs = {spec.name: spec.inputs for spec in built if spec.name is not None}
    return Build(len(files), store, tuple(sorted_diagnostics(diagnostics)), inputs)


@dataclass(frozen=True)
class _Kept:
    """What a build keeps of a spec's entry once its toolset is in the store."""

    position: int
    diagnostics: tuple[Diagnostic, ...]
    name: str | None = None
    """The toolset's name; None when no toolset could be built."""
    source_path: str = ""
    findings: tuple[RawFinding, ...] = ()
    inputs: Mapping[str, str] = field(default_factory=dict)


def _kept(position: int, entry: CacheEntry, store: ToolsetStore, config: Config) -> _Kept:
    context = entry.context
    if context is None:
        return _Kept(position, entry.diagnostics)
    store.put(position, context)
    name = context.compiled.name
    inputs = _inputs(entry, context, config)
    return _Kept(position, entry.diagnostics, name, context.source.path, entry.findings, inputs)


BUILD_IN_WORKERS_FROM = 4
"""Specs to build in a run, per worker, from which those not in the cache are built in the
workers: below it, the parent builds them while the workers import the model generator."""


class Workers:
    """The worker processes beside a run (ModelPool): they make the models of the toolsets
    whose files are to be rendered, and, in a run with many specs to build, build the specs
    that are not in the cache too, so that the parent neither lints them nor keeps the
    garbage of reading them (it holds what it reads back, packed)."""

    def __init__(
        self,
        config: Config,
        shapes: Sequence[Shape],
        cache: BuildCache | None,
        expected: int,
        unchanged: Collection[str],
    ) -> None:
        """expected: the specs the run will build and render; unchanged: spec paths (from the
        project root) whose files are taken from the output as they are: no models."""
        building = _Building(config, shapes, config.enabled_rules(), cache)
        self.pool = ModelPool(expected, setup=lambda: _WORKER_BUILD.append(building))
        self.fresh_here = expected < BUILD_IN_WORKERS_FROM * max(self.pool.workers, 1)
        self.config = config
        self.unchanged = unchanged

    def build_later(self, file: Path, raw: bytes, spec_digest: str, key: str | None) -> Future[CacheEntry] | None:
        """The entry of a spec not in the cache, built in a worker (with its models, where the run
        needs them); None where the parent builds it."""
        if self.fresh_here:
            return None
        with_models = root_relative(file, self.config) not in self.unchanged
        return self.pool.run_later(_entry_in_worker, file, raw, spec_digest, key, with_models)

    def make_models(self, entry: CacheEntry) -> None:
        """Start making the models of entry's toolset, where the run will render its files."""
        if entry.context is not None and entry.context.compiled.spec_path not in self.unchanged:
            self.pool.start(entry.context.compiled)


@dataclass(frozen=True)
class _Building:
    """What specs are built with: the same in the parent and its workers."""

    config: Config
    shapes: Sequence[Shape]
    rules: Sequence[Rule]
    cache: BuildCache | None


_WORKER_BUILD: list[_Building] = []
"""In a worker process: what its specs are built with (set as it starts)."""


def _entry_in_worker(file: Path, raw: bytes, spec_digest: str, key: str | None, with_models: bool) -> CacheEntry:
    """A spec's entry, built in a worker; with_models: with its toolset's models made too, when
    its spec has no errors (render would refuse)."""
    entry = _fresh_entry(file, raw, spec_digest, key, _WORKER_BUILD[-1])
    context = entry.context
    if with_models and context is not None and not any(d.severity is Severity.ERROR for d in entry.diagnostics):
        try:
            context.compiled.models_source  # noqa: B018 - kept by functools.cached_property, sent back with it
        except Exception:  # noqa: BLE001 - made again, and reported, if the run comes to read them
            pass
    return entry


def _inputs(entry: CacheEntry, context: ToolsetContext, config: Config) -> dict[str, str]:
    grammars = {root_relative(Path(path), config): digest for path, digest in entry.inputs.items()}
    return {context.compiled.spec_path: entry.spec_digest, **grammars}


def spec_cache(config: Config, shapes: Sequence[Shape] = SHAPES, templates: Path | None = None) -> BuildCache | None:
    """The cache of read and checked specs for this build, or None when there is nowhere for one."""
    return BuildCache.default(_build_id(config, shapes, templates or config.templates))


def _spec_entry(file: Path, building: _Building, workers: Workers | None) -> CacheEntry | Future[CacheEntry]:
    cache = building.cache
    raw = _read_spec(file)
    spec_digest = build_record.digest(raw)
    key = cache.key(file, display_path(file), spec_digest) if cache is not None else None
    entry = cache.get(key) if cache is not None and key is not None else None
    if entry is None:
        later = workers.build_later(file, raw, spec_digest, key) if workers is not None else None
        if later is not None:
            return later
        entry = _fresh_entry(file, raw, spec_digest, key, building)
    if workers is not None:
        workers.make_models(entry)
    return entry


def _settled(entry: CacheEntry | Future[CacheEntry], file: Path, building: _Building) -> CacheEntry:
    """entry, once a worker has built it; where the worker died (killed, out of memory), built here."""
    if isinstance(entry, CacheEntry):
        return entry
    try:
        return entry.result()
    except BrokenProcessPool:
        settled = _spec_entry(file, building, None)
        assert isinstance(settled, CacheEntry), "without workers, a spec is built here"
        return settled


def _fresh_entry(file: Path, raw: bytes, spec_digest: str, key: str | None, building: _Building) -> CacheEntry:
    """A spec read, compiled and checked (and put in the cache)."""
    config, cache = building.config, building.cache
    spec, diagnostics = _load_file(file, raw)
    context = None
    if spec is not None:
        compiled = compile_loaded(spec, config, building.shapes)
        context = ToolsetContext(compiled, spec.source, config.options, spec.dropped)
        _refuse_uncountable(context)
    findings = tuple(toolset_findings(context, building.rules)) if context is not None else ()
    if context is not None:
        context.source.positions.pack()  # its own rules have run: few places, if any, are asked for now
    grammars = [file.parent / path for path in _grammar_files(spec.toolset)] if spec is not None else []
    entry = CacheEntry(tuple(diagnostics), context, findings, spec_digest, grammar_inputs(grammars))
    if cache is not None and key is not None:
        cache.put(key, entry)
    return entry


def _refuse_uncountable(context: ToolsetContext) -> None:
    """Stop the run, at its place, on the first tool whose definition the token counter cannot
    count (tokens.uncountable): lint, the catalogue and stats would all need its count."""
    for compiled in context.compiled.tools:
        problem = tokens.uncountable(compiled)
        if problem is not None:
            path, message = problem
            where = context.source.position(path, at_key=False)
            raise TokenCountError(f"{context.source.path}:{where.line}:{where.column}: {message}")


def _grammar_files(toolset: ir.Toolset) -> list[str]:
    """The grammar files the toolset's custom tools read, relative to its spec."""
    return [
        tool.format.file
        for tool in toolset.tools
        if isinstance(tool, ir.CustomTool) and isinstance(tool.format, ir.GrammarFormat) and tool.format.file
    ]


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
    incremental: bool = True,
    progress: Callable[[int, int], None] | None = None,
    shapes: Sequence[Shape] = SHAPES,
) -> Package | Refused:
    """The generated package of the spec files (configured_spec_files): what generate writes and
    check compares.

    incremental: trust the manifest's record (record.py) to skip the toolsets whose inputs and
    files are as recorded; without it, every toolset is compiled and rendered.
    """
    template_dir = templates or config.templates
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"the templates directory {template_dir} does not exist")
    build_id = _build_id(config, shapes, template_dir)
    specs = [root_relative(file, config) for file in files]
    record = _record(config.output) if incremental else None
    unchanged = {}
    if record is not None and record.build == build_id:
        unchanged = build_record.unchanged_toolsets(record, specs, config.root, config.output)
        current = _all_current(record, specs, unchanged, config.output)
        if current is not None:
            return Package(current, None, reused=len(unchanged))
    cache = BuildCache.default(build_id) if incremental else None
    workers = Workers(config, shapes, cache, len(set(specs) - set(unchanged)), set(unchanged))
    with workers.pool as models:
        built = build(files, config, shapes=shapes, cache=cache, workers=workers)
        if built.has_errors:
            models.close()  # no models will be read: none are made
        rendered = render(built, config, templates=template_dir, progress=progress, unchanged=unchanged, models=models)
    if isinstance(rendered, Refused):
        return rendered
    store = built.toolsets
    reused = sum(1 for index in range(len(store)) if store.spec_path(index) in unchanged)
    return Package(rendered, built, reused)


def write(package: Package, config: Config) -> Changes:
    """Bring the output in line with the package: owned files written, changed or removed, and
    the scaffolds that do not exist yet written."""
    changes = write_files(package.rendered.files, config.output)
    changes.added.extend(write_scaffolds(package.rendered.scaffolds, config.output))
    return changes


@dataclass(frozen=True)
class Comparison:
    """What check finds: the output against the package, and the handlers against the specs."""

    drift: Drift
    uncovered: tuple[str, ...]
    """One message per problem with a configured handler class."""

    @property
    def clean(self) -> bool:
        return self.drift.clean and not self.uncovered


def compare(package: Package, config: Config, files: Sequence[Path]) -> Comparison:
    """The output and the configured handlers, held to the package the spec files compile to."""
    rendered = package.rendered
    drift = find_drift(rendered.files, config.output, display_path(config.output), scaffolds=set(rendered.scaffolds))
    uncovered = coverage_problems(_implemented(package, config, files), dict(config.handlers), config.root)
    return Comparison(drift, tuple(uncovered))


def _implemented(package: Package, config: Config, files: Sequence[Path]) -> tuple[CompiledToolset, ...]:
    """The compiled toolsets that configured handlers implement: when nothing had changed and
    nothing was compiled, those few are compiled now (lint, passed already, is not repeated)."""
    if package.built is not None:
        store = package.built.toolsets
        return tuple(store[i].compiled for i in range(len(store)) if store.name(i) in config.handlers)
    if not config.handlers:
        return ()
    loaded, _ = load(files)
    return tuple(compile_loaded(spec, config) for spec in loaded if spec.toolset.name in config.handlers)


def configured_spec_files(config: Config, what: str) -> list[Path]:
    """The spec files of the configured specs directory; none at all is a usage error (more
    likely a wrong `specs` setting than a project without tools)."""
    if not config.specs.is_dir():
        where = display_path(config.specs)
        raise UsageError(f"the specs directory {where} does not exist ({config.how_to_set('specs')})")
    files = spec_files([config.specs])
    if not files:
        raise UsageError(f"no spec files (*.yaml, *.yml) in {display_path(config.specs)}: nothing to {what}")
    return files


def compile_loaded(spec: LoadedSpec, config: Config, shapes: Sequence[Shape] = SHAPES) -> CompiledToolset:
    return compile_toolset(
        spec.toolset,
        package=config.package,
        spec_path=root_relative(Path(spec.source.path), config),
        shapes=shapes,
        default_timeout=config.timeout,
    )


def render(
    built: Build,
    config: Config,
    *,
    templates: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    unchanged: Mapping[str, Mapping[str, build_record.CurrentFile]] | None = None,
    models: ModelPool | None = None,
) -> Rendered | Refused:
    """The files of the generated package, or why there can be none. unchanged: spec path -> the
    files of its toolset on disk, known (by their recorded hashes) to be current: taken as they
    are; models: the pool already making the toolsets' models (without one, they are made here,
    all at once)."""
    if built.has_errors:
        return Refused("the specs have errors", built=built)
    if not built.toolsets:
        return Refused(f"no specs found in {display_path(config.specs)}: nothing to generate or compare")
    template_dir = templates or config.templates
    build_id = _build_id(config, built.toolsets[0].compiled.shapes, template_dir)
    unchanged = unchanged or {}
    store = built.toolsets
    reuse = {store.name(i): unchanged[store.spec_path(i)] for i in range(len(store)) if store.spec_path(i) in unchanged}
    try:
        with contextlib.ExitStack() as stack:
            if models is None:  # the models of the toolsets to render, made beforehand, together
                needing = store.compiled_in_name_order(leaving_out=reuse)
                models = stack.enter_context(ModelPool(len(needing)))
                for compiled in needing:
                    models.start(compiled)
            return render_package(
                store.compiled_in_name_order(prepare=models.give),  # each with its models, as it is reached
                specs_dir=root_relative(config.specs, config),
                templates=template_environment(template_dir),
                record=RecordInputs(build_id, built.inputs),
                reuse=reuse,
                progress=progress,
            )
    except jinja2.TemplateError as error:
        where = f" ({error.filename}:{error.lineno})" if isinstance(error, jinja2.TemplateSyntaxError) else ""
        return Refused(f"a template failed{where}: {error.message or error}", in_setup=True)
    except (ModelGenerationError, FormattingError, PathClash) as error:
        return Refused(str(error), in_setup=isinstance(error, FormattingError))
    except TokenCountError as error:
        return Refused(str(error), in_setup=True)


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


def _record(output: Path) -> build_record.Record | None:
    """The record of the manifest in output, once the manifest's entries are known to be safe."""
    if not output.is_dir():
        return None  # none yet; or a file in its place, which writing reports
    owned = owned_files(output)  # raises ManifestError for an entry outside the output
    if not owned - {PurePosixPath(MANIFEST)}:
        return None
    try:
        manifest = json.loads((output / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return build_record.parse_record(manifest, owned)


def _all_current(
    record: build_record.Record,
    specs: Sequence[str],
    unchanged: Mapping[str, Mapping[str, build_record.CurrentFile]],
    output: Path,
) -> Rendered | None:
    """The whole package as on disk, when every spec, and only those, is unchanged and every
    other file is as recorded: then nothing needs compiling. Scaffolds would need rendering."""
    if set(specs) != set(record.toolsets) or set(unchanged) != set(specs) or _has_scaffolds():
        return None
    toolset_files = {path for entry in record.toolsets.values() for path in entry.files}
    rest = [path for path in record.files if path not in toolset_files]
    if not build_record.files_as_recorded(rest, record, output) or not (output / MANIFEST).is_file():
        return None
    files = StagedFiles()
    for path in rest:
        files.refer(PurePosixPath(path), output / path, record.files[path])
    files.refer(PurePosixPath(MANIFEST), output / MANIFEST)
    for found in unchanged.values():
        for path, current in found.items():
            files.refer(PurePosixPath(path), current.path, current.sha256)
    return Rendered(files=files, scaffolds={})


def _has_scaffolds() -> bool:
    return any(a.ownership is Ownership.SCAFFOLD for a in (*PACKAGE_ARTEFACTS, *toolset_artefacts(SHAPES)))


def _duplicate_toolsets(names: Sequence[tuple[str, str]], source: Callable[[int], SpecSource]) -> list[Diagnostic]:
    """TS107 for each toolset whose name an earlier one has. names: each toolset's name and the
    path of its spec; source: the source of the toolset at an index (only a duplicate's is read)."""
    first: dict[str, str] = {}
    found: list[Diagnostic] = []
    for index, (name, path) in enumerate(names):
        if name in first:
            found.append(
                Diagnostic(
                    path,
                    source(index).position(("toolset",), at_key=False),
                    "TS107",
                    Severity.ERROR,
                    f"toolset {name!r} is already defined in {first[name]}: give each toolset a name",
                )
            )
        else:
            first[name] = path
    return found
