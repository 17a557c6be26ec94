"""Objects nested more deeply than strict mode allows.

## What it does
Flags an object nested more than 10 levels deep, counting the parameters themselves as
level 1 (named types count where they are used).

## Why
Strict mode allows at most 10 levels of nesting (5 when structured outputs launched); the API
refuses deeper schemas.

## How to fix
Flatten the structure, or split the tool into several.

## Example
```yaml
# Flagged: a.b.c.d.e.f.g.h.i.j.k, each an object
# Instead: pass the innermost values as top-level parameters
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint import api_limits
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.spec import ir

CODE = "TS205"
NAME = "nesting-too-deep"
SEVERITY = Severity.ERROR
OPTIONS = {"max-depth": api_limits.MAX_NESTING}
OPTION_LIMITS = OPTIONS
"""The API's limit: the option may only lower it."""


def check_schema(schema: ir.Schema, context: SchemaContext) -> Iterator[Finding]:
    max_depth = context.context.option(CODE, "max-depth")
    if context.strict and isinstance(schema, ir.Object) and context.depth == max_depth + 1:
        yield Finding(schema.at, f"this object is at nesting level {context.depth}; strict mode allows {max_depth}")
