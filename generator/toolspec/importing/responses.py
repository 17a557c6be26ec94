"""Responses API tools: `{"type": "function", "name", "description", "parameters", "strict"}`, and
custom tools `{"type": "custom", "name", "description", "format"}`.

A Responses function tool without `strict` is strict: the API treats it so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.importing.incoming import Incoming, custom_format, drop_unknown, strict_flag, text
from toolspec.importing.where import Where

NAME = "responses"


def matches(data: Mapping[str, Any]) -> bool:
    return data.get("type") in ("function", "custom") and "function" not in data and "custom" not in data


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
