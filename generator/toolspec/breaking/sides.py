"""The two sides of a comparison: the specs at a git ref and the specs of the working tree,
each read through the same loader as every other command and compiled with compile_toolset.

The old specs are taken from the configured specs directory, at the same place from the root
of the repository; a grammar file a spec names is read from the same commit.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from toolspec.breaking import git
from toolspec.compile.toolset import CompiledToolset
from toolspec.ground.diagnostics import Diagnostic, Severity, format_text
from toolspec.ground.errors import UsageError
from toolspec.lint.duplicate_toolsets import duplicate_toolsets
from toolspec.project.config import Config
from toolspec.project.load import (
    SPEC_SUFFIXES,
    LoadedSpec,
    compile_loaded,
    configured_spec_files,
    display_path,
    load,
)
from toolspec.spec.parse import parse_toolset
from toolspec.spec.source import SpecSource
from toolspec.spec.yaml_source import parse_document


@dataclass(frozen=True)
class Side:
    """One toolset on one side: compiled, with the source that places its parts."""

    compiled: CompiledToolset
    source: SpecSource

    @property
    def name(self) -> str:
        return self.compiled.name


class SpecErrors(Exception):
    """The working tree's specs cannot be read: they are to be fixed before comparing."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__("the specs have errors")
        self.diagnostics = tuple(diagnostics)


def new_side(config: Config) -> dict[str, Side]:
    """The toolsets of the working tree; an error in reading a spec raises SpecErrors."""
    loaded, diagnostics = load(configured_spec_files(config, "compare"))
    names = [(spec.toolset.name, spec.source.path) for spec in loaded]
    diagnostics += duplicate_toolsets(names, lambda index: loaded[index].source)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise SpecErrors(errors)
    return {spec.toolset.name: _side(spec, config) for spec in loaded}


def old_side(config: Config, root: Path, commit: str) -> tuple[dict[str, Side], list[str]]:
    """The toolsets of the specs directory at commit, and notes on the specs that could not be read."""
    specs = config.specs.resolve()
    if not specs.is_relative_to(root):
        raise UsageError(f"the specs directory {display_path(config.specs)} is outside the git repository {root}")
    directory = PurePosixPath(specs.relative_to(root).as_posix())
    blobs = git.files_under(root, commit, directory)
    spec_blobs = [blob for blob in blobs if _is_spec(blob.path, directory)]
    contents = git.read_blobs(root, [blob.oid for blob in spec_blobs])
    sides: dict[str, Side] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="toolspec-breaking-") as scratch:
        by_path = {blob.path: blob for blob in blobs}
        for blob in spec_blobs:
            spec, problems = _old_spec(root, Path(scratch), blob.path, contents[blob.oid], by_path)
            notes += [format_text(problem) for problem in problems]
            if spec is not None and spec.toolset.name not in sides:
                sides[spec.toolset.name] = _side(spec, config)
    return sides, notes


def _is_spec(path: PurePosixPath, directory: PurePosixPath) -> bool:
    below = path.relative_to(directory).parts if str(directory) != "." else path.parts
    return path.suffix in SPEC_SUFFIXES and not any(part.startswith(".") for part in below)


def _old_spec(
    root: Path, scratch: Path, path: PurePosixPath, raw: bytes, by_path: dict[PurePosixPath, git.Blob]
) -> tuple[LoadedSpec | None, list[Diagnostic]]:
    """Parse one spec of the old side, its grammar files copied from the commit into scratch
    (the parser reads them beside the spec); the display path is the spec's path in the tree."""
    document = parse_document(raw, display_path(root / path))
    if isinstance(document, Diagnostic):
        return None, [document]
    place = scratch / path.parent
    place.mkdir(parents=True, exist_ok=True)
    wanted = [by_path[path.parent / name] for name in _grammar_names(document.data) if path.parent / name in by_path]
    for blob, content in git.read_blobs(root, [blob.oid for blob in wanted]).items():
        for grammar in (b for b in wanted if b.oid == blob):
            target = scratch / grammar.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    parsed = parse_toolset(document, place)
    errors = [d for d in parsed.diagnostics if d.severity is Severity.ERROR]
    if parsed.toolset is None:
        return None, errors
    return LoadedSpec(parsed.toolset, SpecSource.of(document), parsed.dropped), errors


def _grammar_names(data: Any) -> list[str]:
    """The grammar files the tools of a spec's data name, as written (relative to the spec)."""
    tools = data.get("tools") if isinstance(data, dict) else None
    names: list[str] = []
    for tool in tools if isinstance(tools, list) else []:
        grammar = tool.get("format") if isinstance(tool, dict) else None
        name = grammar.get("file") if isinstance(grammar, dict) else None
        if isinstance(name, str) and not os.path.isabs(name) and ".." not in PurePosixPath(name).parts:
            names.append(name)
    return names


def _side(spec: LoadedSpec, config: Config) -> Side:
    return Side(compile_loaded(spec, config), spec.source)
