"""Anthropic Messages' tool shape: `client.messages.create(tools=...)`, for `toolspec export`.

`{"name", "description", "input_schema"}`. The schema is the tool's in plain JSON Schema, as
for a `strict: false` tool: optional arguments left out of `required`, with their defaults.
OpenAI's strict mode means nothing to this API, so `strict` is not sent. Not in SHAPES: the
generated package does not carry this shape; export writes it on demand.
"""

from __future__ import annotations

from typing import Any

from toolspec.spec import ir

NAME = "anthropic"
CONSTANT = "ANTHROPIC_TOOLS"
USAGE = "anthropic.Anthropic().messages.create(tools=ANTHROPIC_TOOLS)"


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    body["input_schema"] = parameters
    return body
