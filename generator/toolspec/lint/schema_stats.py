"""Totals over a tool's whole schema, for the rules that check strict mode's limits."""

from __future__ import annotations

from dataclasses import dataclass

from toolspec.frozen import thaw
from toolspec.spec import ir
from toolspec.spec.walk import referenced_types, walk


@dataclass(frozen=True)
class SchemaStats:
    properties: int
    enum_values: int
    text_characters: int
    """Property names, definition names, enum and const values, as the API counts them."""
    string_enums: tuple[ir.Scalar, ...]


def schema_stats(tool: ir.FunctionTool, toolset: ir.Toolset) -> SchemaStats:
    definitions = referenced_types(tool.parameters, toolset)
    nodes = [
        node
        for root in (tool.parameters, *(d.schema for d in definitions))
        for node in (visit.schema for visit in walk(root))
    ]
    objects = [node for node in nodes if isinstance(node, ir.Object)]
    scalars = [node for node in nodes if isinstance(node, ir.Scalar)]
    text = sum(len(prop.name) for obj in objects for prop in obj.properties)
    text += sum(len(d.name) for d in definitions)
    text += sum(len(str(thaw(value))) for node in scalars for value in (node.enum or ()))
    text += sum(len(str(thaw(node.const))) for node in scalars if node.has_const)
    return SchemaStats(
        properties=sum(len(obj.properties) for obj in objects),
        enum_values=sum(len(node.enum or ()) for node in scalars),
        text_characters=text,
        string_enums=tuple(node for node in scalars if node.kind == "string" and node.enum),
    )
