"""A named type that no tool uses.

## What it does
Warns about a type under `types` that no tool's parameters refer to, directly or through
other named types.

## Why
An unused type is dead weight in review, and the schema rules check types where tools use
them: mistakes in an unused type go unnoticed until someone uses it.

## How to fix
Use it, or delete it.

## Example
```yaml
# Warned: Address is defined, but no tool has a parameter of type Address
types:
  Address: {type: object, description: A postal address., properties: {...}}
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir
from toolspec.spec.walk import referenced_types

CODE = "TS404"
NAME = "unused-type"
SEVERITY = Severity.WARNING


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    toolset = context.toolset
    used = {
        named.name
        for tool in toolset.tools
        if isinstance(tool, ir.FunctionTool)
        for named in referenced_types(tool.parameters, toolset)
    }
    for named in toolset.types:
        if named.name not in used:
            yield Finding(named.at, f"type {named.name} is not used by any tool: use it or remove it")
