"""Find, read and parse the spec files of a run; lint them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolspec.config import Config
from toolspec.diagnostics import Diagnostic, Severity, sorted_diagnostics
from toolspec.lint.checker import lint
from toolspec.spec import model
from toolspec.spec.parse import parse_toolset
from toolspec.yaml_source import load_document

SPEC_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A path or argument that cannot be used; exit status 2."""


@dataclass(frozen=True)
class LoadedProject:
    toolsets: tuple[model.Toolset, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: int

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


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


def load_project(paths: Sequence[Path], config: Config) -> LoadedProject:
    """Read, parse and lint the spec files below paths."""
    files = spec_files(paths)
    toolsets: list[model.Toolset] = []
    diagnostics: list[Diagnostic] = []
    for file in files:
        document = load_document(file, display_path(file))
        if isinstance(document, Diagnostic):
            diagnostics.append(document)
            continue
        parsed = parse_toolset(document, file.parent)
        if isinstance(parsed, list):
            diagnostics.extend(parsed)
        else:
            toolsets.append(parsed)
    diagnostics.extend(_duplicate_toolsets(toolsets))
    diagnostics.extend(lint(toolsets, config.enabled_rules()))
    return LoadedProject(tuple(toolsets), tuple(sorted_diagnostics(diagnostics)), len(files))


def _duplicate_toolsets(toolsets: Sequence[model.Toolset]) -> list[Diagnostic]:
    first: dict[str, model.Toolset] = {}
    found: list[Diagnostic] = []
    for toolset in toolsets:
        if toolset.name in first:
            found.append(
                Diagnostic(
                    toolset.path,
                    toolset.source.value(("toolset",)),
                    "TS107",
                    Severity.ERROR,
                    f"toolset {toolset.name!r} is already defined in {first[toolset.name].path}: "
                    "each toolset needs its own name",
                )
            )
        else:
            first[toolset.name] = toolset
    return found
