"""A tool's request body given two ways.

## What it does
Flags a second parameter with `in: body, whole: true`, and a whole-body parameter beside
parameters that are properties of the body (`in: body` without `whole`). Flags too body
parameters in a tool whose `http` has no `body` media type.

## Why
A request has one body: either one value is the whole of it, or the body is a JSON object of
the body parameters. Both at once cannot be sent.

## How to fix
Keep one whole-body parameter, or make them all properties of a JSON body; give `body:`.

## Example
```yaml
# Flagged: pets is the whole body, and name a property of it
- name: add_pets
  description: Add pets.
  parameters:
    pets: {type: array, items: {type: string}, description: The pets.}
    name: {type: string, description: A name.}
  http:
    method: POST
    path: /pets
    body: application/json
    parameters:
      pets: {in: body, whole: true}
      name: {in: body}
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir

CODE = "TS323"
NAME = "http-body-conflict"
SEVERITY = Severity.ERROR


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if not isinstance(tool, ir.FunctionTool) or tool.http is None:
        return
    body = [p for p in tool.http.parameters if p.location == "body"]
    whole = [p for p in body if p.whole]
    for parameter in whole[1:]:
        yield Finding(parameter.at, f"{whole[0].parameter!r} is already the whole body: a request has one body")
    if whole:
        for parameter in body:
            if not parameter.whole:
                yield Finding(
                    parameter.at,
                    f"{whole[0].parameter!r} is the whole body: {parameter.parameter!r} cannot be a property of it",
                )
    if body and tool.http.body is None:
        yield Finding(
            (*tool.http.at, "method"),
            "body parameters but no `body` media type: add `body: application/json` (or the body's type)",
        )
    for parameter in tool.http.parameters:
        if parameter.whole and parameter.location != "body":
            yield Finding((*parameter.at, "whole"), "`whole` applies to `in: body` only")
