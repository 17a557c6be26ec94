"""What a lint rule is: a code, a severity, its documentation, its options and its checks.

A rule never walks a spec itself: the checker visits every schema, tool, toolset and the
whole project once, and calls the hooks of the rules that are enabled. Rules read the
compiled toolset from their context; none compiles anything again.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # annotations only: the configuration reads the rules without the compiler
    from types import ModuleType

    from toolspec.compile.outline import ToolsetOutline
    from toolspec.compile.toolset import CompiledTool, CompiledToolset
    from toolspec.ground.diagnostics import Severity
    from toolspec.lint.schema_stats import SchemaStats
    from toolspec.spec import ir
    from toolspec.spec.source import SpecSource
    from toolspec.spec.yaml_source import YamlPath

Options = Mapping[str, Mapping[str, int]]
"""Rule code -> option name -> value, the rules' defaults overlaid with the configuration."""


@dataclass(frozen=True)
class Finding:
    """A problem a rule found, at a YAML path of a toolset (at its key, or at its value)."""

    path: YamlPath
    message: str
    at_key: bool = True
    toolset: str | None = None
    """Only project rules set it: the name of the toolset the finding belongs to."""
    stands_for: tuple[YamlPath, ...] = ()
    """Other places the finding is about (the named types a compiled schema holds): it yields
    where a rule it yields to reported at path, or at one of these, or inside them."""


@dataclass(frozen=True)
class ToolsetContext:
    """A toolset as the rules see it: compiled, with its source and the rules' options."""

    compiled: CompiledToolset
    source: SpecSource
    options: Options = field(default_factory=dict)
    dropped: tuple[YamlPath, ...] = ()
    """Parts of the spec left out of the toolset because they are wrong (they were reported)."""
    stats: Mapping[YamlPath, SchemaStats] = field(default_factory=dict)
    """The statistics of each strict function tool, by its path: the checker computes them once
    before it asks the rules (see schema_stats.strict_tool_stats)."""

    @property
    def toolset(self) -> ir.Toolset:
        return self.compiled.toolset

    def schema_stats(self, tool: ir.FunctionTool) -> SchemaStats:
        return self.stats[tool.at]

    def option(self, code: str, name: str) -> int:
        return self.options[code][name]


@dataclass(frozen=True)
class SchemaContext:
    """Where a schema stands: in which tool, how deep."""

    context: ToolsetContext
    tool: ir.FunctionTool
    depth: int
    """Objects from the root of the parameters (or of the result) down to this schema, the root being 1."""
    in_result: bool = False
    """The schema is in the tool's `returns`, which the API never sees: no strict-mode limit applies."""

    @property
    def strict(self) -> bool:
        return self.tool.strict and not self.in_result


SchemaCheck: TypeAlias = "Callable[[ir.Schema, SchemaContext], Iterable[Finding]]"
ToolCheck: TypeAlias = "Callable[[CompiledTool, ToolsetContext], Iterable[Finding]]"
ToolsetCheck: TypeAlias = Callable[[ToolsetContext], Iterable[Finding]]
ProjectCheck: TypeAlias = "Callable[[Sequence[ToolsetOutline]], Iterable[Finding]]"

DOC_SECTIONS = ("## What it does", "## Why", "## How to fix", "## Example")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    doc: str
    """Markdown with the sections of DOC_SECTIONS; `toolspec rule CODE` prints it."""
    options: Mapping[str, int] = field(default_factory=dict)
    """Option name -> default; set in `[tool.toolspec.options.<rule name>]`."""
    option_limits: Mapping[str, int] = field(default_factory=dict)
    """Option name -> the API's limit that the option stands for: the configuration may lower
    it, never raise it (TS506 holds to the limit itself whatever the option)."""
    yields_to: tuple[str, ...] = ()
    """Codes that say the same more precisely: a finding of this rule is dropped where one of
    theirs was reported at its place or inside it, and only there."""
    check_schema: SchemaCheck | None = None
    check_tool: ToolCheck | None = None
    check_toolset: ToolsetCheck | None = None
    check_project: ProjectCheck | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def rule_from_module(module: ModuleType) -> Rule:
    """Build a Rule from a rule module: CODE, NAME, SEVERITY, OPTIONS, OPTION_LIMITS and
    YIELDS_TO (optional), its docstring and its check_* functions."""
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
        options=dict(getattr(module, "OPTIONS", {})),
        option_limits=dict(getattr(module, "OPTION_LIMITS", {})),
        yields_to=tuple(getattr(module, "YIELDS_TO", ())),
        **hooks,
    )
