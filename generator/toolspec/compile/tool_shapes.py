"""A toolset's tool list in each OpenAI API's shape (see shared/reference/api-shapes.md).

`strict` is always stated: Responses treats a missing `strict` as strict, Chat Completions
as non-strict, and a definition should mean the same thing to both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from toolspec.compile.json_schema import parameters_schema
from toolspec.spec import model

Parameters = Callable[[model.FunctionTool], Any]
"""What stands as a function tool's `parameters`: its schema, or the name of a constant holding it."""


def responses_tools(toolset: model.Toolset, parameters: Parameters | None = None) -> list[dict[str, Any]]:
    parameters = parameters or (lambda tool: parameters_schema(tool, toolset))
    return [_responses_tool(tool, parameters) for tool in toolset.tools]


def chat_completions_tools(toolset: model.Toolset, parameters: Parameters | None = None) -> list[dict[str, Any]]:
    parameters = parameters or (lambda tool: parameters_schema(tool, toolset))
    return [_chat_completions_tool(tool, parameters) for tool in toolset.tools]


def _responses_tool(tool: model.Tool, parameters: Parameters) -> dict[str, Any]:
    if isinstance(tool, model.CustomTool):
        return {"type": "custom", **_custom_body(tool, grammar_nested=False)}
    return {"type": "function", **_function_body(tool, parameters)}


def _chat_completions_tool(tool: model.Tool, parameters: Parameters) -> dict[str, Any]:
    if isinstance(tool, model.CustomTool):
        return {"type": "custom", "custom": _custom_body(tool, grammar_nested=True)}
    return {"type": "function", "function": _function_body(tool, parameters)}


def _function_body(tool: model.FunctionTool, parameters: Parameters) -> dict[str, Any]:
    body: dict[str, Any] = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    body["parameters"] = parameters(tool)
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
