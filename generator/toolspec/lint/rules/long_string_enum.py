"""A string enum of more than 250 values whose values are too long in total.

## What it does
Flags a string `enum` with more than 250 values whose values total more than 15,000
characters, in a strict tool.

## Why
Strict mode limits such an enum to 15,000 characters in all (7,500 when it launched).

## How to fix
Shorten the values, split the enum, or replace it with a `pattern`.

## Example
```yaml
# Flagged: product: {type: string, enum: [... 300 names of 60 characters ...]}
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint import api_limits
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.lint.strict_limits import long_string_enums
from toolspec.spec import ir

CODE = "TS208"
NAME = "long-string-enum"
SEVERITY = Severity.ERROR
OPTIONS = {"max-values": api_limits.LONG_ENUM_VALUES, "max-characters": api_limits.LONG_ENUM_CHARACTERS}
OPTION_LIMITS = OPTIONS
"""The API's limits: the options may only lower them."""


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    many_values = context.option(CODE, "max-values")
    limit = context.option(CODE, "max-characters")
    tool = compiled.tool
    if isinstance(tool, ir.FunctionTool) and tool.strict:
        for node, total in long_string_enums(context.schema_stats(tool), many_values, limit):
            yield Finding(
                (*node.at, "enum"),
                f"this enum has {len(node.enum or ())} values of {total:,} characters in all; strict mode allows "
                f"{limit:,} characters for an enum of more than {many_values} values",
            )
