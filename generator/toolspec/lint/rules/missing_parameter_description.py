"""A parameter or property without a description, or with an empty one.

## What it does
Warns about a property (a tool's parameter, or a property of a nested object) whose
`description` is missing or blank. A property whose type is a named type may leave its
description to that type.

## Why
The model fills in arguments from their names and descriptions: units, formats and
examples belong there.

## How to fix
Add a `description` that says what the value means and how it is written.

## Example
```yaml
# Warned:
location: {type: string}
# Instead:
location: {type: string, description: "City and country, e.g. Bogotá, Colombia."}
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.spec import ir

CODE = "TS402"
NAME = "missing-parameter-description"
SEVERITY = Severity.WARNING


def check_schema(schema: ir.Schema, context: SchemaContext) -> Iterator[Finding]:
    if not isinstance(schema, ir.Object):
        return
    for prop in schema.properties:
        description = prop.schema.description
        if description is None and not isinstance(prop.schema, ir.Reference):
            yield Finding(prop.at, f"`{prop.name}` has no description")
        elif description is not None and not description.strip():
            yield Finding((*prop.at, "description"), f"`{prop.name}` has an empty description")
