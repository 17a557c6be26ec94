"""MCP's tool shape: the tools of a `tools/list` result, for `toolspec export`.

`{"name", "description", "inputSchema", "annotations"}`, the schema in plain JSON Schema as for
Anthropic. The annotations say what `effect` and `idempotent` say, all three hints always
stated: an MCP client takes a tool without them to be destructive. Not in SHAPES: the
generated package does not carry this shape; export writes it on demand.
"""

from __future__ import annotations

from typing import Any

from toolspec.spec import ir

NAME = "mcp"
CONSTANT = "MCP_TOOLS"
USAGE = '{"tools": MCP_TOOLS}, the result of tools/list'


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    body["inputSchema"] = parameters
    body["annotations"] = {
        "readOnlyHint": tool.effect is ir.Effect.READ,
        "destructiveHint": tool.effect is ir.Effect.DESTRUCTIVE,
        "idempotentHint": tool.idempotent,
    }
    return body
