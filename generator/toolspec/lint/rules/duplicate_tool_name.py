"""Two tools of one toolset with the same name.

## What it does
Flags the second and later tools of a toolset that reuse a name.

## Why
The model calls tools by name: with two of the same name, a call cannot be routed, and the
API refuses the request.

## How to fix
Rename one of them, or merge them into one tool.

## Example
```yaml
# Flagged:
tools:
  - name: search
  - name: search
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir

CODE = "TS302"
NAME = "duplicate-tool-name"
SEVERITY = Severity.ERROR


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    toolset = context.toolset
    first: dict[str, ir.Tool] = {}
    for tool in toolset.tools:
        if tool.name in first:
            line = context.source.position((*first[tool.name].at, "name"), at_key=False).line
            yield Finding(
                (*tool.at, "name"),
                f"a tool named {tool.name!r} is already defined (line {line}): rename one",
                at_key=False,
            )
        else:
            first[tool.name] = tool
