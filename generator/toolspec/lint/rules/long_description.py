"""A tool description longer than 1,024 characters.

## What it does
Warns about a tool description of more than 1,024 characters.

## Why
The API used to refuse longer descriptions; the limit is reported lifted since mid-2025, but
every character still costs input tokens on every request that offers the tool.

## How to fix
Keep the description to what the model needs to choose and call the tool; move the rest
to parameter descriptions or documentation.

## Example
```yaml
# Warned: description: a 2,000-character manual
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS403"
NAME = "long-description"
SEVERITY = Severity.WARNING
OPTIONS = {"max-length": 1024}


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    limit = context.option(CODE, "max-length")
    tool = compiled.tool
    if tool.description is not None and len(tool.description) > limit:
        yield Finding(
            (*tool.at, "description"),
            f"the description is {len(tool.description):,} characters; keep it to {limit:,} or fewer",
        )
