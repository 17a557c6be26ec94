"""A string `format` that strict mode does not support.

## What it does
Flags a `format` other than `date-time`, `time`, `date`, `duration`, `email`, `hostname`,
`ipv4`, `ipv6` and `uuid` in a strict tool.

## Why
Strict mode supports only these nine formats; the API refuses any other.

## How to fix
Use one of the nine, or a `pattern` that says the same thing.

## Example
```yaml
# Flagged:
site: {type: string, format: uri, description: The site.}
# Instead:
site: {type: string, pattern: "^https?://", description: The site.}
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.spec import ir

CODE = "TS203"
NAME = "unsupported-format"
SEVERITY = Severity.ERROR
FORMATS = ("date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid")


def check_schema(schema: ir.Schema, context: SchemaContext) -> Iterator[Finding]:
    if context.strict and isinstance(schema, ir.Scalar) and schema.format not in (None, *FORMATS):
        yield Finding(
            (*schema.at, "format"),
            f"format {schema.format!r} is not supported in strict mode: use one of {', '.join(FORMATS)}",
            at_key=False,
        )
