"""A `pattern` that the API's regex engine cannot compile.

## What it does
Compiles every `pattern` with llguidance, which uses the Rust `regex` crate's syntax as the
API does, and flags those it refuses.

## Why
Patterns are not Python regexes: the API refuses one it cannot compile, and a pattern that
Python accepts may mean something else there.

## How to fix
Write the pattern in Rust regex syntax (see the message for what is wrong).

## Example
```yaml
# Flagged:
code: {type: string, pattern: "[a-z", description: Code.}
# Instead:
code: {type: string, pattern: "^[a-z]+$", description: Code.}
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.grammar_checks import llguidance_errors
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.spec import ir

CODE = "TS501"
NAME = "invalid-pattern"
SEVERITY = Severity.ERROR
YIELDS_TO = ("TS502",)
"""A lookaround or backreference does not compile either: TS502 names it more precisely."""


def check_schema(schema: ir.Schema, context: SchemaContext) -> Iterator[Finding]:
    if isinstance(schema, ir.Scalar) and schema.pattern is not None:
        for message in llguidance_errors("regex", schema.pattern)[:1]:
            yield Finding((*schema.at, "pattern"), f"the pattern does not compile: {message}", at_key=False)
