"""Reading spec files: which files a run reads, each read and parsed into a toolset, and the
paths the user and the generated code know them by.

Every command reads specs through here (the pipeline, breaking, import), so that a spec reads
the same whichever command reads it. The parser and the compiler are imported where a spec is
read or compiled: a run that finds its output current needs only the paths.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolspec.ground.diagnostics import Diagnostic
from toolspec.ground.errors import UsageError

if TYPE_CHECKING:
    from toolspec.compile.shapes import Shape
    from toolspec.compile.toolset import CompiledToolset
    from toolspec.project.config import Config
    from toolspec.spec import ir
    from toolspec.spec.source import SpecSource
    from toolspec.spec.yaml_source import YamlPath

SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadedSpec:
    toolset: ir.Toolset
    source: SpecSource
    dropped: tuple[YamlPath, ...] = ()
    """The parts of the spec left out of the toolset because they are wrong (see parse_toolset)."""


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
        elif path.is_file() and path.suffix in SPEC_SUFFIXES:
            found.append(path)
        elif path.is_file():
            raise UsageError(f"{display_path(path)} is not a spec file: spec files are YAML, named *.yaml or *.yml")
        else:
            raise UsageError(f"{path}: no such file or directory")
    unique = {path.resolve(): path for path in reversed(found)}  # a file named twice is read once
    return sorted(unique.values(), key=lambda p: p.as_posix())


def configured_spec_files(config: Config, what: str) -> list[Path]:
    """The spec files of the configured specs directory; none at all is a usage error (more
    likely a wrong `specs` setting than a project without tools)."""
    where = display_path(config.specs)
    if config.specs.is_file():
        raise UsageError(
            f"`specs` names the file {where}: it is the directory that holds the spec files "
            f"({config.how_to_set('specs')} to that directory; `toolspec lint {where}` lints one file)"
        )
    if not config.specs.is_dir():
        raise UsageError(f"the specs directory {where} does not exist ({config.how_to_set('specs')})")
    files = spec_files([config.specs])
    if not files:
        raise UsageError(f"no spec files (*.yaml, *.yml) in {display_path(config.specs)}: nothing to {what}")
    return files


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
    """Read and parse spec files: the toolsets that parsed, and what is wrong with the others.
    Two toolsets of one name (TS107) are lint's to find (lint/duplicate_toolsets.py)."""
    loaded: list[LoadedSpec] = []
    diagnostics: list[Diagnostic] = []
    for file in files:
        spec, found = load_file(file, read_spec(file))
        diagnostics.extend(found)
        if spec is not None:
            loaded.append(spec)
    return loaded, diagnostics


def read_spec(file: Path) -> bytes:
    """A spec file's bytes, no more than a spec may hold and one: a huge file must cost nothing."""
    from toolspec.spec.yaml_source import MAX_SPEC_BYTES

    with file.open("rb") as stream:
        return stream.read(MAX_SPEC_BYTES + 1)


def load_file(file: Path, raw: bytes) -> tuple[LoadedSpec | None, list[Diagnostic]]:
    """The toolset of a spec file's bytes, if any can be built, and what is wrong with them."""
    from toolspec.spec.parse import parse_toolset
    from toolspec.spec.source import SpecSource
    from toolspec.spec.yaml_source import parse_document

    document = parse_document(raw, display_path(file))
    if isinstance(document, Diagnostic):
        return None, [document]
    parsed = parse_toolset(document, file.parent)
    if parsed.toolset is None:
        return None, list(parsed.diagnostics)
    return LoadedSpec(parsed.toolset, SpecSource.of(document), parsed.dropped), list(parsed.diagnostics)


def compile_loaded(spec: LoadedSpec, config: Config, shapes: Sequence[Shape] | None = None) -> CompiledToolset:
    """A loaded spec compiled as the project is configured: its package, paths and timeout, in
    shapes (by default the generated ones, SHAPES)."""
    from toolspec.compile.shapes import SHAPES
    from toolspec.compile.toolset import compile_toolset

    return compile_toolset(
        spec.toolset,
        package=config.package,
        spec_path=root_relative(Path(spec.source.path), config),
        shapes=SHAPES if shapes is None else shapes,
        default_timeout=config.timeout,
    )
