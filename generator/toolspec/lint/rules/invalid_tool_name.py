"""A tool name the API refuses.

## What it does
Flags a tool name that does not match `^[a-zA-Z0-9_-]{1,64}$`.

## Why
The API accepts only letters, digits, underscores and hyphens, 64 at most. Names imported from
MCP (dots, up to 128 characters) or Gemini (dots and colons) must be changed.

## How to fix
Replace the other characters with underscores and shorten the name.

## Example
```yaml
# Flagged:
- name: files.read
# Instead:
- name: files_read
```
"""

import re
from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS301"
NAME = "invalid-tool-name"
SEVERITY = Severity.ERROR
VALID = re.compile(r"[a-zA-Z0-9_-]{1,64}")


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if not VALID.fullmatch(tool.name):
        bad = sorted({char for char in tool.name if not re.fullmatch(r"[a-zA-Z0-9_-]", char)})
        reasons = []
        if bad:
            reasons.append(f"it holds {', '.join(repr(c) for c in bad)}")
        if len(tool.name) > 64:
            reasons.append(f"it is {len(tool.name)} characters long")
        if not tool.name:
            reasons.append("it is empty")
        yield Finding(
            (*tool.at, "name"),
            f"invalid tool name {tool.name!r}: {' and '.join(reasons)}; "
            "use 1 to 64 letters, digits, underscores and hyphens",
            at_key=False,
        )
