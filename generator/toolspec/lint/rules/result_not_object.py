"""A tool's `returns` that is not an object, which MCP cannot send as structured content.

## What it does
Warns about a `returns` that is not `type: object` (directly, or through the named type it
refers to): a list, a string, a number, a union, a nullable object.

## Why
MCP's `outputSchema` must be an object schema, and a result an MCP client reads without
parsing text (`structuredContent`) is a JSON object. Such a result is still checked against its
result model, and the model still reads it; but `toolspec export --shape mcp` leaves its
`outputSchema` out, and an MCP server can send it only as text.

## How to fix
Wrap the value in an object with one property, which also gives it a name and a description.

## Example
```yaml
# Warned:
returns: {type: array, items: {type: Place}}
# Instead:
returns:
  type: object
  properties:
    places: {type: array, items: {type: Place}, description: The places, nearest first.}
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir
from toolspec.spec.walk import dereferenced

CODE = "TS507"
NAME = "result-not-object"
SEVERITY = Severity.WARNING


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if not isinstance(tool, ir.FunctionTool) or tool.returns is None:
        return
    root = dereferenced(tool.returns, context.toolset)
    if not isinstance(root, ir.Object) or root.nullable:
        yield Finding(
            (*tool.at, "returns"),
            "MCP's outputSchema must be an object: this result is sent to MCP clients as text only; "
            "wrap it in an object with one property",
        )
