"""A tool without a description, or with an empty one.

## What it does
Warns about a tool whose `description` is missing or blank.

## Why
The description is what the model reads to decide when to call the tool and how; without it
the model guesses from the name.

## How to fix
Say what the tool does, when to use it, and what it returns.

## Example
```yaml
# Warned:
- name: get_weather
# Instead:
- name: get_weather
  description: Get the current temperature for a city.
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS401"
NAME = "missing-tool-description"
SEVERITY = Severity.WARNING


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if tool.description is None:
        yield Finding((*tool.at, "name"), f"tool {tool.name!r} has no description")
    elif not tool.description.strip():
        yield Finding((*tool.at, "description"), f"tool {tool.name!r} has an empty description")
