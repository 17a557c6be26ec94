"""The one way through toolspec: load → lint → compile → render → write (or compare).

Each step returns a value; the command line only turns values into output and exit codes,
and tests go through the same functions. Each toolset is compiled once per run: the lint
rules, the templates, `generate` and `check` all read the same CompiledToolset.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from toolspec.compile.argument_models import ModelGenerationError
from toolspec.compile.shapes import SHAPES, Shape
from toolspec.compile.toolset import CompiledToolset, compile_toolset
from toolspec.config import Config
from toolspec.diagnostics import Diagnostic, Severity, sorted_diagnostics
from toolspec.lint.checker import lint
from toolspec.lint.rule import ToolsetContext
from toolspec.output.render import Rendered, render_package, template_environment
from toolspec.spec import ir
from toolspec.spec.parse import parse_toolset
from toolspec.spec.source import SpecSource
from toolspec.yaml_source import YamlPath, load_document

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
    toolsets: tuple[ToolsetContext, ...]
    """Every toolset that could be built, compiled, with its source: in the order of the files.
    A spec with errors may have one too (built from its valid parts, for lint): render refuses."""
    diagnostics: tuple[Diagnostic, ...]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def compiled(self) -> tuple[CompiledToolset, ...]:
        return tuple(context.compiled for context in self.toolsets)


@dataclass(frozen=True)
class Refused:
    """Why a build cannot be rendered; nothing was written."""

    message: str
    in_setup: bool = False
    """True when the run's set-up (a template) is at fault, not the specs."""


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
        document = load_document(file, display_path(file))
        if isinstance(document, Diagnostic):
            diagnostics.append(document)
            continue
        parsed = parse_toolset(document, file.parent)
        diagnostics.extend(parsed.diagnostics)
        if parsed.toolset is not None:
            loaded.append(LoadedSpec(parsed.toolset, SpecSource.of(document), parsed.dropped))
    return loaded, diagnostics + _duplicate_toolsets(loaded)


def build(paths: Sequence[Path], config: Config, *, shapes: Sequence[Shape] = SHAPES) -> Build:
    """Load, compile (each toolset once) and lint the specs below paths."""
    files = spec_files(paths)
    loaded, diagnostics = load(files)
    contexts = tuple(
        ToolsetContext(
            compile_toolset(
                spec.toolset,
                package=config.package,
                spec_path=root_relative(Path(spec.source.path), config),
                shapes=shapes,
                default_timeout=config.timeout,
            ),
            spec.source,
            config.options,
            dropped=spec.dropped,
        )
        for spec in loaded
    )
    diagnostics += lint(contexts, config.enabled_rules())
    return Build(len(files), contexts, tuple(sorted_diagnostics(diagnostics)))


def render(
    built: Build,
    config: Config,
    *,
    templates: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Rendered | Refused:
    """The files of the generated package, or why there can be none."""
    if built.has_errors:
        return Refused("the specs have errors")
    if not built.toolsets:
        return Refused(f"no specs found in {display_path(config.specs)}: nothing to generate or compare")
    template_dir = templates or config.templates
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"the templates directory {template_dir} does not exist")
    try:
        return render_package(
            built.compiled,
            specs_dir=root_relative(config.specs, config),
            templates=template_environment(template_dir),
            progress=progress,
        )
    except jinja2.TemplateError as error:
        where = f" ({error.filename}:{error.lineno})" if isinstance(error, jinja2.TemplateSyntaxError) else ""
        return Refused(f"a template failed{where}: {error.message or error}", in_setup=True)
    except ModelGenerationError as error:
        return Refused(str(error))


def _duplicate_toolsets(loaded: Sequence[LoadedSpec]) -> list[Diagnostic]:
    first: dict[str, LoadedSpec] = {}
    found: list[Diagnostic] = []
    for spec in loaded:
        name = spec.toolset.name
        if name in first:
            found.append(
                Diagnostic(
                    spec.source.path,
                    spec.source.position(("toolset",), at_key=False),
                    "TS107",
                    Severity.ERROR,
                    f"toolset {name!r} is already defined in {first[name].source.path}: give each toolset a name",
                )
            )
        else:
            first[name] = spec
    return found
