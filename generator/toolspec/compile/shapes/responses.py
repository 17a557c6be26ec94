"""The Responses API's tool shape: `client.responses.create(tools=...)`.

Function and custom tools are flat: `{"type": "function", "name": ..., "parameters": ...}`. A
Responses function tool without `strict` is strict: the API treats it so. The generated package
carries this shape, and export writes what the package sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.compile.shapes.common import OTHER_SCHEMA_KEYS, custom_body, function_body
from toolspec.compile.shapes.incoming import Incoming, custom_format, drop_unknown, strict_flag, text
from toolspec.compile.shapes.where import Where
from toolspec.spec import ir

NAME = "responses"
CONSTANT = "RESPONSES_TOOLS"
SDK_TYPE = ("openai.types.responses", "ToolParam")
USAGE = "client.responses.create(tools=RESPONSES_TOOLS)"
GENERATED = True


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    return {"type": "function", **function_body(tool, parameters)}


def custom_tool(tool: ir.CustomTool) -> dict[str, Any]:
    return {"type": "custom", **custom_body(tool, grammar_nested=False)}


TOLD_BY = "`type` with `name` (Responses)"


def matches(data: Mapping[str, Any]) -> bool:
    return (
        data.get("type") in ("function", "custom")
        and "function" not in data
        and "custom" not in data
        and not OTHER_SCHEMA_KEYS & data.keys()
    )


def read(data: Mapping[str, Any], where: Where) -> Incoming:
    name = text(data.get("name"), where / "name", "a tool's `name`", required=True)
    assert name is not None
    description = text(data.get("description"), where / "description", "`description`", required=False)
    if data.get("type") == "custom":
        tool = Incoming(NAME, where, name, description, kind="custom")
        tool.format = custom_format(data.get("format"), where / "format", nested=False)
        drop_unknown(data, ("type", "name", "description", "format"), where, where, tool.changes)
        return tool
    strict = strict_flag(data.get("strict"), where / "strict")
    tool = Incoming(NAME, where, name, description, parameters=data.get("parameters"))
    tool.parameters_at = where / "parameters"
    tool.strict = strict
    tool.strict_form = strict is not False  # the Responses API's default is strict
    drop_unknown(data, ("type", "name", "description", "parameters", "strict"), where, where, tool.changes)
    return tool
