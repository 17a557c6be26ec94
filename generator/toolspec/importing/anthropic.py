"""Anthropic Messages tools: `{"name", "description", "input_schema", "strict"?}`.

Their schemas are plain JSON Schema: an optional argument is one left out of `required`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.importing.incoming import Incoming, drop_unknown, strict_flag, text
from toolspec.importing.where import Where

NAME = "anthropic"


def matches(data: Mapping[str, Any]) -> bool:
    return "input_schema" in data


def read(data: Mapping[str, Any], where: Where) -> Incoming:
    name = text(data.get("name"), where / "name", "a tool's `name`", required=True)
    assert name is not None
    description = text(data.get("description"), where / "description", "`description`", required=False)
    tool = Incoming(NAME, where, name, description, parameters=data.get("input_schema"))
    tool.parameters_at = where / "input_schema"
    tool.strict = strict_flag(data.get("strict"), where / "strict")
    known = ["name", "description", "input_schema", "strict"]
    if data.get("type") == "custom":  # a client tool may say so; it is what every importable tool is
        known.append("type")
    drop_unknown(data, known, where, where, tool.changes)
    return tool
