"""`toolspec export`: a toolset's tools as raw JSON in one API's shape, for reviewers and other clients.

Responses and Chat Completions get what the generated package sends (the strict schemas).
Anthropic and MCP get the tool's schema in plain JSON Schema, as a `strict: false` tool's: their
APIs have no OpenAI strict mode, and there an optional argument is one that may be left out,
with its default stated. Custom tools exist only in the OpenAI APIs: the other shapes leave
them out, and say which.

`toolspec import` reads every one of these shapes back, and gives back the spec (tests/
test_import_round_trip.py), up to what a shape cannot carry: the examples and timeouts of any
tool; the effects of all but MCP; the defaults of a strict tool's optional arguments in the
OpenAI shapes, where strict mode sends none.
"""

from __future__ import annotations

import dataclasses
from types import ModuleType
from typing import Any

from toolspec.compile.json_schema import parameters_schema
from toolspec.compile.shapes import SHAPES, anthropic, mcp, shape_from_module
from toolspec.compile.toolset import CompiledToolset
from toolspec.frozen import thaw
from toolspec.spec import ir

EXPORT_SHAPES = ("responses", "chat", "anthropic", "mcp")
_PLAIN: dict[str, ModuleType] = {"anthropic": anthropic, "mcp": mcp}
_OPENAI = {"responses": "responses", "chat": "chat_completions"}


@dataclasses.dataclass(frozen=True)
class Exported:
    tools: list[dict[str, Any]]
    left_out: list[str]
    """The custom tools the shape cannot carry."""


def export_tools(compiled: CompiledToolset, shape: str) -> Exported:
    """compiled's tools in shape (one of EXPORT_SHAPES), as JSON values."""
    if shape in _OPENAI:
        chosen = next(s for s in SHAPES if s.name == _OPENAI[shape])
        return Exported(compiled.shape_list(chosen), [])
    plain = shape_from_module(_PLAIN[shape])
    tools: list[dict[str, Any]] = []
    left_out: list[str] = []
    for tool in compiled.toolset.tools:
        if isinstance(tool, ir.FunctionTool):
            schema = thaw(parameters_schema(dataclasses.replace(tool, strict=False), compiled.toolset))
            tools.append(plain.function_tool(tool, schema))
        else:
            left_out.append(tool.name)
    return Exported(tools, left_out)
