"""An example that the tool's own schema rejects.

## What it does
Validates every entry of a tool's `examples` against the `parameters` schema compiled for the
API (patterns with the API's regex syntax, formats as the argument models parse them).

## Why
Examples document how a tool is called, and tests and evaluations reuse them; one the model
could never send is a wrong document, and usually a sign that the schema is not what was meant.

## How to fix
Fix the example, or the schema. Remember that in a strict tool every parameter is sent:
an optional one is sent as null.

## Example
```yaml
# Flagged (units must be celsius or fahrenheit):
examples:
  - {location: Paris, units: kelvin}
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.json_validation import validation_errors
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir

CODE = "TS601"
NAME = "invalid-example"
SEVERITY = Severity.ERROR


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if compiled.function is None or not isinstance(tool, ir.FunctionTool):
        return
    schema = compiled.function.parameters
    for example in tool.examples:
        for message in validation_errors(example.arguments, schema)[:3]:
            yield Finding(example.at, f"this example does not match the schema: {message}", at_key=False)
