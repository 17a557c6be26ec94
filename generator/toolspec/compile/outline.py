"""ToolsetOutline: what the project's steps read of a toolset besides its own files.

A run in which one spec of many changed takes the others' files as they are (the record), but
the project's steps still look at every toolset: the project rules (one tool defined two ways),
the package's `__init__.py` (each toolset's line) and the catalogue's index (its tools and their
cost). Reading every whole toolset back for that (compiled, with its source: thousands of small
objects each) was most of such a run. The outline is all they read: it is made when the toolset
is built and kept beside it in the spec cache, and the whole toolset is read back only where it
is needed (a finding of a project rule is placed in its source).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolspec.compile import tokens

if TYPE_CHECKING:
    from toolspec.compile.toolset import CompiledToolset
    from toolspec.ground.diagnostics import Diagnostic
    from toolspec.spec.yaml_source import YamlPath


@dataclass(frozen=True)
class OutlinedTool:
    name: str
    digest: str
    """CompiledTool.digest: equal digests, equal definitions."""
    at: YamlPath
    """Where the tool is in its spec."""


@dataclass(frozen=True)
class ToolsetOutline:
    name: str
    spec_path: str
    """The spec file, from the project root."""
    source_path: str
    """The spec file as diagnostics name it."""
    description: str | None
    tools: tuple[OutlinedTool, ...]
    tokens: int
    """What the toolset's definitions, all offered together, add to a request (toolset_tokens)."""
    diagnostics: tuple[Diagnostic, ...] | None = None
    """What lint reports of the toolset when no project rule finds anything in it; None where
    that is not known (lint works it out from the whole toolset)."""


def outline(
    compiled: CompiledToolset, source_path: str, diagnostics: tuple[Diagnostic, ...] | None = None
) -> ToolsetOutline:
    """The outline of a compiled toolset (its token count from the counter's cache, or counted)."""
    return ToolsetOutline(
        name=compiled.name,
        spec_path=compiled.spec_path,
        source_path=source_path,
        description=compiled.toolset.description,
        tools=tuple(OutlinedTool(tool.name, tool.digest, tool.tool.at) for tool in compiled.tools),
        tokens=tokens.toolset_tokens(compiled).total,
        diagnostics=diagnostics,
    )
