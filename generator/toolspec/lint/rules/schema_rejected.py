"""A compiled strict schema that the API refuses.

## What it does
Checks the `parameters` schema generated for every strict tool as the API does: the keywords
and formats strict mode refuses, then a compile with llguidance, the constrained decoder the
API uses. Where a more precise rule (TS202, TS203, TS501, TS502) reported inside the same
parameters, this rule leaves the tool to it; when that rule is turned off, this one reports.

## Why
This is the last line of defence: whatever the specific rules miss, the API would answer with
HTTP 400.

## How to fix
Read the message; it names the part of the schema that fails.

## Example
```yaml
# Flagged: a schema llguidance refuses, e.g. an enum whose values do not fit its type
```
"""

import json
from collections.abc import Iterator
from typing import Any

from toolspec.compile.toolset import CompiledTool
from toolspec.diagnostics import Severity
from toolspec.frozen import thaw
from toolspec.lint.grammar_checks import llguidance_errors
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.lint.rules.unsupported_format import FORMATS
from toolspec.spec import ir
from toolspec.spec.parse import FORBIDDEN_KEYWORDS

CODE = "TS506"
NAME = "schema-rejected"
SEVERITY = Severity.ERROR
YIELDS_TO = ("TS202", "TS203", "TS501", "TS502")
"""Where one of these reported inside the parameters, it has named the problem more precisely."""


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool, function = compiled.tool, compiled.function
    if function is None or not isinstance(tool, ir.FunctionTool) or not tool.strict:
        return
    schema = thaw(function.parameters)
    refusals = [*_strict_mode_refusals(schema)]
    refusals += [f"llguidance refuses it: {m}" for m in llguidance_errors("json_schema", json.dumps(schema))]
    for message in refusals[:1]:
        yield Finding((*tool.at, "parameters"), f"the API would refuse the compiled schema: {message}")


def _strict_mode_refusals(node: Any) -> Iterator[str]:
    """What strict mode refuses that llguidance accepts: keywords it does not permit, and formats
    it does not support."""
    if isinstance(node, list):
        for item in node:
            yield from _strict_mode_refusals(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs"):  # names, not keywords: a property may be called "not"
                for schema in value.values():
                    yield from _strict_mode_refusals(schema)
            elif key in FORBIDDEN_KEYWORDS:
                yield f"strict mode does not permit `{key}`"
            elif key == "format" and value not in FORMATS:
                yield f"strict mode does not support the format {value!r}"
            elif key not in ("enum", "const"):
                yield from _strict_mode_refusals(value)
