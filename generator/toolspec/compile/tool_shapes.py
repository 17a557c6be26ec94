"""A toolset's tool list in each OpenAI API's shape (see shared/reference/api-shapes.md).

`strict` is always stated: Responses treats a missing `strict` as strict, Chat Completions
as non-strict, and a definition should mean the same thing to both.
"""

from __future__ import annotations

from typing import Any

from toolspec.compile.json_schema import parameters_schema
from toolspec.spec import model


def responses_tools(toolset: model.Toolset) -> list[dict[str, Any]]:
    return [_responses_tool(tool, toolset) for tool in toolset.tools]


def chat_completions_tools(toolset: model.Toolset) -> list[dict[str, Any]]:
    return [_chat_completions_tool(tool, toolset) for tool in toolset.tools]


def _responses_tool(tool: model.Tool, toolset: model.Toolset) -> dict[str, Any]:
    if isinstance(tool, model.CustomTool):
        return {"type": "custom", **_custom_body(tool, grammar_nested=False)}
    return {"type": "function", **_function_body(tool, toolset)}


def _chat_completions_tool(tool: model.Tool, toolset: model.Toolset) -> dict[str, Any]:
    if isinstance(tool, model.CustomTool):
        return {"type": "custom", "custom": _custom_body(tool, grammar_nested=True)}
    return {"type": "function", "function": _function_body(tool, toolset)}


def _function_body(tool: model.FunctionTool, toolset: model.Toolset) -> dict[str, Any]:
    body: dict[str, Any] = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    body["parameters"] = parameters_schema(tool, toolset)
    body["strict"] = tool.strict
    return body


def _custom_body(tool: model.CustomTool, *, grammar_nested: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    if isinstance(tool.format, model.TextFormat):
        body["format"] = {"type": "text"}
    else:
        grammar = {"syntax": tool.format.syntax, "definition": tool.format.definition}
        body["format"] = {"type": "grammar", **({"grammar": grammar} if grammar_nested else grammar)}
    return body
