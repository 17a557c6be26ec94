"""Chat Completions tools: `{"type": "function", "function": {"name", "description", "parameters",
"strict"}}`, and custom tools `{"type": "custom", "custom": {"name", "description", "format"}}`.

A Chat Completions function without `strict: true` is not strict: the API treats it so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.importing.incoming import Incoming, custom_format, drop_unknown, mapping, strict_flag, text
from toolspec.importing.report import Change
from toolspec.importing.where import Where

NAME = "chat"


def matches(data: Mapping[str, Any]) -> bool:
    return (data.get("type") == "function" and "function" in data) or (
        data.get("type") == "custom" and "custom" in data
    )


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
