"""A JSON Schema keyword that strict mode does not permit.

## What it does
Flags `allOf`, `oneOf`, `not`, `if`/`then`/`else`, `dependentRequired`, `dependentSchemas`,
`patternProperties`, `unevaluatedProperties`, `propertyNames`, `minProperties`,
`maxProperties`, `unevaluatedItems`, `contains`, `minContains`, `maxContains`, `uniqueItems`
and `prefixItems` in a strict tool.

## Why
The API answers HTTP 400 for a strict schema that uses any of them. They are accepted in a
`strict: false` tool, where they are passed through as written.

## How to fix
Use `anyOf` instead of `oneOf`/`allOf`; check uniqueness or tuples in the handler; or make the
tool `strict: false`.

## Example
```yaml
# Flagged:
tags: {type: array, items: {type: string}, uniqueItems: true, description: Tags.}
# Instead (and deduplicate in the handler):
tags: {type: array, items: {type: string}, description: Tags, without repeats.}
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.spec import ir

CODE = "TS202"
NAME = "forbidden-keyword"
SEVERITY = Severity.ERROR


def check_schema(schema: ir.Schema, context: SchemaContext) -> Iterator[Finding]:
    if context.strict:
        for keyword in schema.forbidden:
            yield Finding((*schema.at, keyword), f"`{keyword}` is not permitted in strict mode")
