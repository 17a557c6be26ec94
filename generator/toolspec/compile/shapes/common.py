"""What the OpenAI API shapes have in common: the body of a function tool and of a custom tool."""

from __future__ import annotations

from typing import Any, assert_never

from toolspec.spec import ir

Definition = dict[str, Any]

OTHER_SCHEMA_KEYS = frozenset({"input_schema", "inputSchema"})
"""Where Anthropic and MCP keep a tool's schema: a tool with one is of their shape, whatever its `type`."""


def function_body(tool: ir.FunctionTool, parameters: Any) -> Definition:
    """name, description, parameters and strict: what both OpenAI APIs call a function.

    `strict` is always stated: Responses treats a missing `strict` as strict, Chat Completions
    as non-strict, and a definition should mean the same thing to both.
    """
    body: Definition = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    body["parameters"] = parameters
    body["strict"] = tool.strict
    return body


def custom_body(tool: ir.CustomTool, *, grammar_nested: bool) -> Definition:
    """name, description and format of a custom tool, the grammar nested under `grammar` or not."""
    body: Definition = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    match tool.format:
        case ir.TextFormat():
            body["format"] = {"type": "text"}
        case ir.GrammarFormat():
            grammar = {"syntax": tool.format.syntax, "definition": tool.format.definition}
            body["format"] = {"type": "grammar", **({"grammar": grammar} if grammar_nested else grammar)}
        case _:
            assert_never(tool.format)
    return body
