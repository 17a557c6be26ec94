"""The Chat Completions API's tool shape: `client.chat.completions.create(tools=...)`.

The body of a tool is nested under its type: `{"type": "function", "function": {...}}`, and a
grammar under `grammar`. A Chat Completions function without `strict: true` is not strict: the
API treats it so. The generated package carries this shape, and export writes what it sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.compile.shapes.common import OTHER_SCHEMA_KEYS, custom_body, function_body
from toolspec.compile.shapes.incoming import Change, Incoming, custom_format, drop_unknown, mapping, strict_flag, text
from toolspec.compile.shapes.where import Where
from toolspec.spec import ir

NAME = "chat_completions"
CONSTANT = "CHAT_COMPLETIONS_TOOLS"
SDK_TYPE = ("openai.types.chat", "ChatCompletionToolUnionParam")
USAGE = "client.chat.completions.create(tools=CHAT_COMPLETIONS_TOOLS)"
GENERATED = True


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    return {"type": "function", "function": function_body(tool, parameters)}


def custom_tool(tool: ir.CustomTool) -> dict[str, Any]:
    return {"type": "custom", "custom": custom_body(tool, grammar_nested=True)}


TOLD_BY = "`type` with `function` or `custom` (Chat Completions)"


def matches(data: Mapping[str, Any]) -> bool:
    typed = (data.get("type") == "function" and "function" in data) or (
        data.get("type") == "custom" and "custom" in data
    )
    return typed and not OTHER_SCHEMA_KEYS & data.keys()


def read(data: Mapping[str, Any], where: Where) -> Incoming:
    key = "custom" if data.get("type") == "custom" else "function"
    at = where / key
    body = mapping(data.get(key), at, f"`{key}`")
    changes: list[Change] = []
    drop_unknown(data, ("type", key), where, where, changes)
    name = text(body.get("name"), at / "name", "a tool's `name`", required=True)
    assert name is not None
    description = text(body.get("description"), at / "description", "`description`", required=False)
    if key == "custom":
        tool = Incoming(NAME, where, name, description, kind="custom", changes=changes)
        tool.format = custom_format(body.get("format"), at / "format", nested=True)
        drop_unknown(body, ("name", "description", "format"), where, at, tool.changes)
        return tool
    strict = strict_flag(body.get("strict"), at / "strict")
    tool = Incoming(NAME, where, name, description, parameters=body.get("parameters"), changes=changes)
    tool.parameters_at = at / "parameters"
    tool.strict = strict
    tool.strict_form = strict is True
    drop_unknown(body, ("name", "description", "parameters", "strict"), where, at, tool.changes)
    return tool
