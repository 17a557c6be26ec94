"""What a lint rule is: a code, a severity, its documentation and the checks it makes.

A rule never walks a spec itself: the checker visits every schema, tool, toolset and the
whole project once, and calls the hooks of the rules that are enabled.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType

from toolspec.diagnostics import Severity
from toolspec.spec import model
from toolspec.yaml_source import YamlPath


@dataclass(frozen=True)
class Finding:
    """A problem a rule found, at a YAML path of a toolset (at its key, or at its value)."""

    path: YamlPath
    message: str
    at_key: bool = True
    toolset: model.Toolset | None = None
    """Only project rules set it: the toolset the finding belongs to."""


@dataclass(frozen=True)
class SchemaContext:
    """Where a schema stands: in which tool, how deep."""

    toolset: model.Toolset
    tool: model.FunctionTool
    depth: int
    """Objects from the root of the parameters down to this schema, the root being 1."""

    @property
    def strict(self) -> bool:
        return self.tool.strict


SchemaCheck = Callable[[model.Schema, SchemaContext], Iterable[Finding]]
ToolCheck = Callable[[model.Tool, model.Toolset], Iterable[Finding]]
ToolsetCheck = Callable[[model.Toolset], Iterable[Finding]]
ProjectCheck = Callable[[Sequence[model.Toolset]], Iterable[Finding]]

DOC_SECTIONS = ("## What it does", "## Why", "## How to fix", "## Example")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    doc: str
    """Markdown with the sections of DOC_SECTIONS; `toolspec rule CODE` prints it."""
    check_schema: SchemaCheck | None = None
    check_tool: ToolCheck | None = None
    check_toolset: ToolsetCheck | None = None
    check_project: ProjectCheck | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def rule_from_module(module: ModuleType) -> Rule:
    """Build a Rule from a rule module: CODE, NAME, SEVERITY, its docstring and its check_* functions."""
    hooks = {
        name: getattr(module, name)
        for name in ("check_schema", "check_tool", "check_toolset", "check_project")
        if hasattr(module, name)
    }
    return Rule(
        code=module.CODE,
        name=module.NAME,
        severity=module.SEVERITY,
        doc=inspect.cleandoc(module.__doc__ or ""),
        **hooks,
    )
