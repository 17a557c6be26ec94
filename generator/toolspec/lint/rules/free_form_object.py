"""An object with no fixed properties (a free-form map) in a strict tool.

## What it does
Flags `type: object` without `properties`, or with `additionalProperties`, in a tool with
`strict: true` (the default).

## Why
Strict mode forces `additionalProperties: false` on every object, so a free-form object can
only ever be `{}`: the model cannot put anything in it. The API refuses such a schema.

## How to fix
Either make the tool `strict: false` (and lose constrained decoding), or model the map as a
list of key/value objects, which strict mode supports.

## Example
```yaml
# Flagged:
labels: {type: object, additionalProperties: {type: string}, description: Labels.}
# Instead:
labels:
  type: array
  description: Labels.
  items:
    type: object
    properties:
      key: {type: string, description: Label name.}
      value: {type: string, description: Label value.}
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.spec import ir

CODE = "TS201"
NAME = "free-form-object"
SEVERITY = Severity.ERROR


def check_schema(schema: ir.Schema, context: SchemaContext) -> Iterator[Finding]:
    if schema is context.tool.parameters:
        return  # a tool without parameters: strict mode accepts the empty object it compiles to
    if context.strict and isinstance(schema, ir.Object) and schema.is_free_form:
        key = "additionalProperties" if schema.additional is not None else "type"
        yield Finding(
            (*schema.at, key),
            "a free-form object can only be {} in strict mode: make the tool `strict: false`, "
            "or model it as a list of key/value objects",
        )
