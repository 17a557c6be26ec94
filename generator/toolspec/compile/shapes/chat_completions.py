"""The Chat Completions API's tool shape: `client.chat.completions.create(tools=...)`.

The body of a tool is nested under its type: `{"type": "function", "function": {...}}`, and a
grammar under `grammar`.
"""

from __future__ import annotations

from typing import Any

from toolspec.compile.shapes.common import custom_body, function_body
from toolspec.spec import ir

NAME = "chat_completions"
CONSTANT = "CHAT_COMPLETIONS_TOOLS"
SDK_TYPE = ("openai.types.chat", "ChatCompletionToolUnionParam")
USAGE = "client.chat.completions.create(tools=CHAT_COMPLETIONS_TOOLS)"


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    return {"type": "function", "function": function_body(tool, parameters)}


def custom_tool(tool: ir.CustomTool) -> dict[str, Any]:
    return {"type": "custom", "custom": custom_body(tool, grammar_nested=True)}
