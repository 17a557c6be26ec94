"""Anthropic Messages' tool shape: `client.messages.create(tools=...)`.

`{"name", "description", "input_schema", "strict"?}`. The schema is the tool's in plain JSON
Schema, as for a `strict: false` tool: optional arguments left out of `required`, with their
defaults. OpenAI's strict mode means nothing to this API, so `strict` is not sent. Not
generated: the package does not carry this shape; export writes it on demand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.compile.shapes.incoming import Incoming, drop_unknown, flat_function, strict_flag
from toolspec.compile.shapes.where import Where
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


TOLD_BY = "`input_schema` (Anthropic)"


def matches(data: Mapping[str, Any]) -> bool:
    return "input_schema" in data


def read(data: Mapping[str, Any], where: Where) -> Incoming:
    tool = flat_function(NAME, data, where, "input_schema")
    tool.strict = strict_flag(data.get("strict"), where / "strict")
    known = ["name", "description", "input_schema", "strict"]
    if data.get("type") == "custom":  # a client tool may say so; it is what every importable tool is
        known.append("type")
    drop_unknown(data, known, where, where, tool.changes)
    return tool
