"""A tool's `http` path and its path parameters do not match.

## What it does
Flags a `{variable}` of a tool's `http.path` that no parameter with `in: path` fills (by its
name on the wire), a path parameter that the path does not have, and a path parameter that is
optional.

## Why
The request is built from the path: a variable left unfilled is sent as `{variable}` to the
API, a path parameter that is not in the path is lost, and an optional one can leave a hole in
the URL.

## How to fix
Make the path's variables and the `in: path` parameters the same set (give `name:` where the
wire name differs from the parameter's), and make path parameters required.

## Example
```yaml
# Flagged: {petId} is filled by nothing (the parameter's name on the wire is pet_id)
- name: get_pet
  description: Get a pet.
  parameters:
    pet_id: {type: integer, description: The pet.}
  http:
    method: GET
    path: /pets/{petId}
    parameters:
      pet_id: {in: path}
```
"""

import re
from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir

CODE = "TS320"
NAME = "http-path-mismatch"
SEVERITY = Severity.ERROR

VARIABLE = re.compile(r"\{([^{}]*)\}")


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if not isinstance(tool, ir.FunctionTool) or tool.http is None:
        return
    http = tool.http
    variables = VARIABLE.findall(http.path)
    filled = {p.name: p for p in http.parameters if p.location == "path"}
    for variable in dict.fromkeys(variables):
        if variable not in filled:
            yield Finding(
                (*http.at, "path"),
                f"the path's {{{variable}}} is filled by no parameter with `in: path` and `name: {variable}`",
                at_key=False,
            )
    optional = {p.name for p in tool.parameters.properties if p.optional}
    for name, parameter in filled.items():
        if name not in variables:
            yield Finding(parameter.at, f"path parameter {parameter.parameter!r} is not in the path {http.path!r}")
        elif parameter.parameter in optional:
            yield Finding(parameter.at, f"path parameter {parameter.parameter!r} is optional: a path needs its value")
