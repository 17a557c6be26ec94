"""`toolspec export`: a toolset's tools as raw JSON in one API's shape, for reviewers and other clients.

A shape the generated package carries (Responses, Chat Completions) gets what the package sends
(the strict schemas). The others (Anthropic, MCP) get the tool's schema in plain JSON Schema, as
a `strict: false` tool's: their APIs have no OpenAI strict mode, and there an optional argument
is one that may be left out, with its default stated. A shape without custom tools leaves them
out, and says which.

`toolspec import` reads every one of these shapes back, and gives back the spec (tests/
test_import_round_trip.py), up to what a shape cannot carry: the examples and timeouts of any
tool; the effects of all but MCP; the defaults of a strict tool's optional arguments in the
OpenAI shapes, where strict mode sends none.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from toolspec.compile import shapes
from toolspec.compile.json_schema import parameters_schema
from toolspec.compile.toolset import CompiledToolset
from toolspec.ground.frozen import thaw
from toolspec.spec import ir


@dataclasses.dataclass(frozen=True)
class Exported:
    tools: list[dict[str, Any]]
    left_out: list[str]
    """The custom tools the shape cannot carry."""


def export_shapes() -> list[str]:
    """What `--shape` takes: every known shape."""
    return [shape.name for shape in shapes.KNOWN_SHAPES]


def export_tools(compiled: CompiledToolset, name: str) -> Exported:
    """compiled's tools in the shape of this name, as JSON values."""
    shape = shapes.shape_named(name)
    tools = compiled.toolset.tools
    left_out = [tool.name for tool in tools if isinstance(tool, ir.CustomTool) and shape.custom_tool is None]
    if shape.generated:
        return Exported(compiled.shape_list(shape), left_out)
    plain = [
        shape.function_tool(tool, thaw(parameters_schema(dataclasses.replace(tool, strict=False), compiled.toolset)))
        for tool in tools
        if isinstance(tool, ir.FunctionTool)
    ]
    return Exported(plain, left_out)
