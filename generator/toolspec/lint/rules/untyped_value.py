"""`type: any` (any JSON value) in a strict tool.

## What it does
Flags `type: any` in a tool with `strict: true` (the default), and in the named types such a
tool uses.

## Why
Strict mode needs a type on every value ("schema must have a 'type' key"): it cannot say "any
JSON value", so the API refuses the schema. A `strict: false` tool can: `type: any` compiles to
a schema without `type`, and to `Any` in the argument model.

## How to fix
Give the value a type (a union with `anyOf` if it may be of several), or make the tool
`strict: false` (and lose constrained decoding).

## Example
```yaml
# Flagged, in a strict tool:
value: {type: any, description: The new value of the setting.}
# Instead:
value:
  anyOf:
    - {type: string}
    - {type: number}
    - {type: boolean}
  description: The new value of the setting.
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.spec import ir

CODE = "TS211"
NAME = "untyped-value"
SEVERITY = Severity.ERROR


def check_schema(schema: ir.Schema, context: SchemaContext) -> Iterator[Finding]:
    if context.strict and isinstance(schema, ir.AnyValue):
        yield Finding(
            (*schema.at, "type"),
            "`type: any` is not possible in strict mode, which needs a type on every value: "
            "give it a type (or an `anyOf`), or make the tool `strict: false`",
            at_key=False,
        )
