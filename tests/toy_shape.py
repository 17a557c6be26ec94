"""A third API shape, for the test that adding one is one module and one registry entry."""

from __future__ import annotations

from typing import Any

from toolspec.spec import ir

NAME = "toy"
CONSTANT = "TOY_TOOLS"
USAGE = "toy.create(tools=TOY_TOOLS)"


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    return {"toy_name": tool.name, "input_schema": parameters}
