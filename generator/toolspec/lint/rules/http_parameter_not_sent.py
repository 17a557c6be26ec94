"""A required parameter of a tool with `http` that the request does not carry.

## What it does
Flags each required parameter of a tool that has `http` but no entry in `http.parameters`.

## Why
The model must send it, and the API never gets it: the argument is lost on the way.

## How to fix
Say where it goes in `http.parameters` (path, query, header, cookie or body), or remove it.

## Example
```yaml
# Flagged: limit is required and never sent
- name: list_pets
  description: List the pets.
  parameters:
    limit: {type: integer, description: At most this many.}
  http:
    method: GET
    path: /pets
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir

CODE = "TS322"
NAME = "http-parameter-not-sent"
SEVERITY = Severity.ERROR


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if not isinstance(tool, ir.FunctionTool) or tool.http is None:
        return
    for parameter in tool.parameters.properties:
        if not parameter.optional and tool.http.parameter(parameter.name) is None:
            yield Finding(
                parameter.at,
                f"required parameter {parameter.name!r} is not sent: say where it goes under `http.parameters`",
            )
