"""A strict tool whose enums have more values between them than strict mode allows.

## What it does
Adds up the values of every `enum` in a strict tool's schema, named types included, and flags
more than 1,000.

## Why
Strict mode allows at most 1,000 enum values across all enum properties (500 when it
launched).

## How to fix
Replace a large enum with a `pattern`, or with a string that the handler checks.

## Example
```yaml
# Flagged: country: {type: string, enum: [... 1,200 codes ...]}
# Instead:
country: {type: string, pattern: "^[A-Z]{2}$", description: ISO 3166 country code.}
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.diagnostics import Severity
from toolspec.lint import api_limits
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.lint.schema_stats import schema_stats
from toolspec.spec import ir

CODE = "TS207"
NAME = "too-many-enum-values"
SEVERITY = Severity.ERROR
OPTIONS = {"max": api_limits.MAX_ENUM_VALUES}
OPTION_LIMITS = OPTIONS
"""The API's limit: the option may only lower it."""


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    limit = context.option(CODE, "max")
    tool = compiled.tool
    toolset = context.toolset
    if isinstance(tool, ir.FunctionTool) and tool.strict:
        count = schema_stats(tool, toolset).enum_values
        if count > limit:
            yield Finding(
                (*tool.at, "parameters"), f"the schema has {count:,} enum values; strict mode allows {limit:,}"
            )
