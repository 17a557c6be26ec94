"""`toolspec stats`: per tool of the project, its parameters and the tokens its definition costs.

JSON is a list of `{"toolset", "tool", "parameters", "tokens"}`, one object per tool, toolsets
by name and tools in the order of their spec; tools outside this repository read exactly that.
`parameters` counts a function tool's top-level parameters (a custom tool has none); `tokens`
is tokens.tool_tokens, the tool offered alone. The text table adds each toolset's total, its
tools offered together (tokens.toolset_tokens), which is less than the sum of its tools.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from toolspec.compile import tokens
from toolspec.compile.toolset import CompiledTool, CompiledToolset
from toolspec.spec import ir

FORMATS = ("text", "json")


@dataclass(frozen=True)
class ToolStats:
    toolset: str
    tool: str
    parameters: int
    tokens: int


def parameter_count(tool: CompiledTool) -> int:
    return len(tool.tool.parameters.properties) if isinstance(tool.tool, ir.FunctionTool) else 0


def tool_stats(toolsets: Sequence[CompiledToolset]) -> list[ToolStats]:
    """One entry per tool: toolsets by name, tools in the order of their spec."""
    return [
        ToolStats(compiled.name, tool.name, parameter_count(tool), tokens.toolset_tokens(compiled).tools[tool.name])
        for compiled in sorted(toolsets, key=lambda t: t.name)
        for tool in compiled.tools
    ]


def stats_json(toolsets: Sequence[CompiledToolset]) -> str:
    return json.dumps([asdict(entry) for entry in tool_stats(toolsets)], indent=2, ensure_ascii=False)


HEADER = ("toolset", "tool", "parameters", "tokens")
NOTE = (
    "Tokens: what a definition adds to every request that offers it, as OpenAI's harmony renderer shows it "
    "(o200k_base).\nA toolset's total is its tools offered together: less than their sum, as the namespace "
    "around them is counted once."
)


def stats_table(toolsets: Sequence[CompiledToolset]) -> str:
    """An aligned table: a line per tool, then a line with the toolset's totals."""
    rows: list[tuple[str, str, str, str]] = []
    for compiled in sorted(toolsets, key=lambda t: t.name):
        cost = tokens.toolset_tokens(compiled)
        parameters = 0
        for tool in compiled.tools:
            parameters += parameter_count(tool)
            rows.append((compiled.name, tool.name, f"{parameter_count(tool):,}", f"{cost.tools[tool.name]:,}"))
        count = len(compiled.tools)
        rows.append((compiled.name, f"total ({count} tool{'s' * (count != 1)})", f"{parameters:,}", f"{cost.total:,}"))
    widths = [max(len(row[column]) for row in (HEADER, *rows)) for column in range(len(HEADER))]
    lines = [
        "  ".join(
            (cell.ljust(width) if column < 2 else cell.rjust(width))
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in (HEADER, *rows)
    ]
    return "\n".join([*lines, "", NOTE])
