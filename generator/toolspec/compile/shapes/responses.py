"""The Responses API's tool shape: `client.responses.create(tools=...)`.

Function and custom tools are flat: `{"type": "function", "name": ..., "parameters": ...}`.
"""

from __future__ import annotations

from typing import Any

from toolspec.compile.shapes.common import custom_body, function_body
from toolspec.spec import ir

NAME = "responses"
CONSTANT = "RESPONSES_TOOLS"
SDK_TYPE = ("openai.types.responses", "ToolParam")
USAGE = "client.responses.create(tools=RESPONSES_TOOLS)"


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    return {"type": "function", **function_body(tool, parameters)}


def custom_tool(tool: ir.CustomTool) -> dict[str, Any]:
    return {"type": "custom", **custom_body(tool, grammar_nested=False)}
