"""A key of a tool's `http.parameters` that is no parameter of the tool.

## What it does
Flags each key of `http.parameters` that the tool's `parameters` do not have.

## Why
Nothing the model sends has that name: the request would never carry it. It is usually a
parameter renamed on one side only.

## How to fix
Use the tool parameter's name as the key, and its name on the wire as `name:`.

## Example
```yaml
# Flagged: petId is no parameter of the tool
- name: get_pet
  description: Get a pet.
  parameters:
    pet_id: {type: integer, description: The pet.}
  http:
    method: GET
    path: /pets/{petId}
    parameters:
      petId: {in: path}
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir

CODE = "TS321"
NAME = "http-unknown-parameter"
SEVERITY = Severity.ERROR


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if not isinstance(tool, ir.FunctionTool) or tool.http is None:
        return
    names = {p.name for p in tool.parameters.properties}
    for parameter in tool.http.parameters:
        if parameter.parameter not in names:
            yield Finding(parameter.at, f"{parameter.parameter!r} is no parameter of tool {tool.name!r}")
