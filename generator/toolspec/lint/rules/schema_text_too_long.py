"""A strict tool whose names and enum values are too long in total.

## What it does
Adds up the characters of every property name, definition name, enum value and const value in
a strict tool's schema and flags more than 120,000.

## Why
Strict mode limits that total to 120,000 characters (15,000 when it launched).

## How to fix
Shorten names and values, or split the tool.

## Example
```yaml
# Flagged: enums and names adding up to 120,001 characters
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.diagnostics import Severity
from toolspec.lint import api_limits
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.lint.schema_stats import schema_stats
from toolspec.spec import ir

CODE = "TS209"
NAME = "schema-text-too-long"
SEVERITY = Severity.ERROR
OPTIONS = {"max-characters": api_limits.MAX_SCHEMA_TEXT}
OPTION_LIMITS = OPTIONS
"""The API's limit: the option may only lower it."""


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    limit = context.option(CODE, "max-characters")
    tool = compiled.tool
    toolset = context.toolset
    if isinstance(tool, ir.FunctionTool) and tool.strict:
        total = schema_stats(tool, toolset).text_characters
        if total > limit:
            yield Finding(
                (*tool.at, "parameters"),
                f"names, enum and const values total {total:,} characters; strict mode allows {limit:,}",
            )
