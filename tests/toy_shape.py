"""A fifth API shape, for the tests that adding one is one module and one registry entry: the
generated package carries it when compiled with it (test_pipeline.py), and export writes it and
import reads it back once it is in KNOWN_SHAPES (test_import_cli.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.compile.shapes.incoming import Incoming, text
from toolspec.compile.shapes.where import Where
from toolspec.spec import ir

NAME = "toy"
CONSTANT = "TOY_TOOLS"
USAGE = "toy.create(tools=TOY_TOOLS)"


def function_tool(tool: ir.FunctionTool, parameters: Any) -> dict[str, Any]:
    return {"toy_name": tool.name, "toy_schema": parameters}


TOLD_BY = "`toy_name` (Toy)"


def matches(data: Mapping[str, Any]) -> bool:
    return "toy_name" in data


def read(data: Mapping[str, Any], where: Where) -> Incoming:
    name = text(data.get("toy_name"), where / "toy_name", "a toy tool's `toy_name`", required=True)
    assert name is not None
    tool = Incoming(NAME, where, name, None, parameters=data.get("toy_schema"))
    tool.parameters_at = where / "toy_schema"
    return tool
