"""An optional parameter's default that its own schema rejects.

## What it does
Validates every `default` against the schema of its property.

## Why
When the model sends null for an optional parameter, the handler receives the default: a
default the schema rejects makes the argument model fail on a call the model made correctly.

## How to fix
Change the default to a value of the property's type and constraints.

## Example
```yaml
# Flagged:
units: {type: string, enum: [celsius, fahrenheit], optional: true, default: kelvin}
```
"""

from collections.abc import Iterator, Mapping
from typing import Any

from toolspec.compile.toolset import CompiledTool
from toolspec.diagnostics import Severity
from toolspec.json_validation import validation_errors
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir
from toolspec.spec.walk import referenced_types

CODE = "TS602"
NAME = "invalid-default"
SEVERITY = Severity.ERROR


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if compiled.function is None or not isinstance(tool, ir.FunctionTool):
        return
    schema, definitions = compiled.function.parameters, compiled.function.defs
    yield from _defaults(tool.parameters, schema, definitions)
    for named in referenced_types(tool.parameters, context.toolset):
        yield from _inside(named.schema, definitions[named.name], definitions)


def _defaults(obj: ir.Object, schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> Iterator[Finding]:
    for prop in obj.properties:
        prop_schema = {**schema["properties"][prop.name], "$defs": definitions}
        if prop.has_default:
            for message in validation_errors(prop.default, prop_schema)[:1]:
                yield Finding((*prop.at, "default"), f"the default does not match the schema: {message}", at_key=False)
        yield from _inside(prop.schema, prop_schema, definitions)


def _inside(node: ir.Schema, schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> Iterator[Finding]:
    """The defaults of the objects in node (array items and anyOf branches too), schema being its compiled form."""
    if isinstance(node, ir.Object) and "properties" in schema:
        yield from _defaults(node, schema, definitions)
    elif isinstance(node, ir.Array) and "items" in schema:
        yield from _inside(node.items, schema["items"], definitions)
    elif isinstance(node, ir.Union) and "anyOf" in schema:
        for branch, compiled in zip(node.any_of, schema["anyOf"], strict=False):  # null may be added
            yield from _inside(branch, compiled, definitions)
