"""A strict tool whose schema has more object properties than strict mode allows.

## What it does
Counts the properties of every object in a strict tool's schema, named types included, and
flags more than 5,000.

## Why
Strict mode allows at most 5,000 object properties in all (100 when it launched).

## How to fix
Split the tool into several smaller ones.

## Example
```yaml
# Flagged: a tool whose objects have 5,001 properties between them
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.diagnostics import Severity
from toolspec.lint import api_limits
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.lint.schema_stats import schema_stats
from toolspec.spec import ir

CODE = "TS206"
NAME = "too-many-properties"
SEVERITY = Severity.ERROR
OPTIONS = {"max": api_limits.MAX_PROPERTIES}
OPTION_LIMITS = OPTIONS
"""The API's limit: the option may only lower it."""


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    limit = context.option(CODE, "max")
    tool = compiled.tool
    toolset = context.toolset
    if isinstance(tool, ir.FunctionTool) and tool.strict:
        count = schema_stats(tool, toolset).properties
        if count > limit:
            yield Finding(
                (*tool.at, "parameters"), f"the schema has {count:,} properties; strict mode allows {limit:,}"
            )
