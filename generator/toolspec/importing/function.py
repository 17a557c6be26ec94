"""Bare function objects, `{"name", "description", "parameters"}`: the body of a Chat Completions
tool, and what the legacy `functions=[...]` parameter took.

Not strict unless they say `strict: true`, as in Chat Completions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.compile.shapes.incoming import Incoming, drop_unknown, strict_flag, text
from toolspec.compile.shapes.where import Where

NAME = "function"
TOLD_BY = "`name` and `parameters` (a bare function)"


def matches(data: Mapping[str, Any]) -> bool:
    return "name" in data and "type" not in data


def read(data: Mapping[str, Any], where: Where) -> Incoming:
    name = text(data.get("name"), where / "name", "a function's `name`", required=True)
    assert name is not None
    description = text(data.get("description"), where / "description", "`description`", required=False)
    strict = strict_flag(data.get("strict"), where / "strict")
    tool = Incoming(NAME, where, name, description, parameters=data.get("parameters"))
    tool.parameters_at = where / "parameters"
    tool.strict = strict
    tool.strict_form = strict is True
    drop_unknown(data, ("name", "description", "parameters", "strict"), where, where, tool.changes)
    return tool
