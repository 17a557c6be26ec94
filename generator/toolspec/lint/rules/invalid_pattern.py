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

from toolspec.diagnostics import Severity
from toolspec.lint.grammar_checks import llguidance_errors, unsupported_regex_features
from toolspec.lint.rule import Finding, SchemaContext
from toolspec.spec import model

CODE = "TS501"
NAME = "invalid-pattern"
SEVERITY = Severity.ERROR


def check_schema(schema: model.Schema, context: SchemaContext) -> Iterator[Finding]:
    if isinstance(schema, model.Scalar) and schema.pattern is not None:
        if unsupported_regex_features(schema.pattern):
            return  # TS502 says what is wrong, more precisely
        for message in llguidance_errors("regex", schema.pattern)[:1]:
            yield Finding((*schema.at, "pattern"), f"the pattern does not compile: {message}", at_key=False)
