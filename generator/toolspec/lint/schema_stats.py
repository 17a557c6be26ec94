"""Totals over a tool's whole schema, computed once per strict tool and read by every rule that
checks strict mode's limits (the checker hands them over in ToolsetContext.stats)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from toolspec.ground.frozen import thaw
from toolspec.spec import ir
from toolspec.spec.walk import referenced_types, walk
from toolspec.spec.yaml_source import YamlPath


@dataclass(frozen=True)
class SchemaStats:
    depth: int
    """The deepest object nesting, named types counted where they are used, the parameters being 1."""
    properties: int
    enum_values: int
    text_characters: int
    """Property names, definition names, enum and const values, as the API counts them."""
    string_enums: tuple[ir.Scalar, ...]
    types: tuple[ir.NamedType, ...]
    """The named types the schema uses, directly or through other named types, in `types` order."""


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
        depth=max(visit.depth for visit in walk(tool.parameters, toolset) if isinstance(visit.schema, ir.Object)),
        properties=sum(len(obj.properties) for obj in objects),
        enum_values=sum(len(node.enum or ()) for node in scalars),
        text_characters=text,
        string_enums=tuple(node for node in scalars if node.kind == "string" and node.enum),
        types=tuple(definitions),
    )


def strict_tool_stats(toolset: ir.Toolset) -> Mapping[YamlPath, SchemaStats]:
    """The statistics of every strict function tool of toolset, by the tool's YAML path."""
    return {
        tool.at: schema_stats(tool, toolset)
        for tool in toolset.tools
        if isinstance(tool, ir.FunctionTool) and tool.strict
    }
