"""`minLength` or `maxLength` in a strict tool: support for them is contested.

## What it does
Warns about `minLength` and `maxLength` on strings in a strict tool.

## Why
OpenAI's guide lists them as unsupported for fine-tuned models and says nothing clear for the
others; users report the API accepting them (Aug 2026). A model that ignores them can still
send a string of any length, so the handler must not rely on them.

## How to fix
Keep them if your models accept them (the argument model still enforces them), and suppress
the warning with a reason; or express the bound as a `pattern` such as `^.{1,80}$`.

## Example
```yaml
# Warned:
title: {type: string, maxLength: 80, description: Title.}
# Instead:
title: {type: string, pattern: "^.{0,80}$", description: Title, at most 80 characters.}
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.spec import ir

CODE = "TS204"
NAME = "string-length-bounds"
SEVERITY = Severity.WARNING


def check_schema(schema: ir.Schema, context: SchemaContext) -> Iterator[Finding]:
    if context.strict and isinstance(schema, ir.Scalar):
        for key, value in (("minLength", schema.min_length), ("maxLength", schema.max_length)):
            if value is not None:
                yield Finding((*schema.at, key), f"`{key}` may be ignored or refused in strict mode")
