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

from collections.abc import Iterator
from typing import Any

from toolspec.compile.json_schema import parameters_schema
from toolspec.diagnostics import Severity
from toolspec.json_validation import validation_errors
from toolspec.lint.rule import Finding
from toolspec.spec import model

CODE = "TS602"
NAME = "invalid-default"
SEVERITY = Severity.ERROR


def check_tool(tool: model.Tool, toolset: model.Toolset) -> Iterator[Finding]:
    if not isinstance(tool, model.FunctionTool):
        return
    schema = parameters_schema(tool, toolset)
    definitions = schema.get("$defs", {})
    yield from _defaults(tool.parameters, schema, definitions)


def _defaults(obj: model.Object, schema: dict[str, Any], definitions: dict[str, Any]) -> Iterator[Finding]:
    for prop in obj.properties:
        prop_schema = {**schema["properties"][prop.name], "$defs": definitions}
        if prop.has_default:
            for message in validation_errors(prop.default, prop_schema)[:1]:
                yield Finding((*prop.at, "default"), f"the default does not match the schema: {message}", at_key=False)
        if isinstance(prop.schema, model.Object) and "properties" in prop_schema:
            yield from _defaults(prop.schema, prop_schema, definitions)
