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

from toolspec.compile.json_schema import parameters_schema
from toolspec.diagnostics import Severity
from toolspec.json_validation import validation_errors
from toolspec.lint.rule import Finding
from toolspec.spec import model

CODE = "TS601"
NAME = "invalid-example"
SEVERITY = Severity.ERROR


def check_tool(tool: model.Tool, toolset: model.Toolset) -> Iterator[Finding]:
    if not isinstance(tool, model.FunctionTool) or not tool.examples:
        return
    schema = parameters_schema(tool, toolset)
    for example in tool.examples:
        for message in validation_errors(example.arguments, schema)[:3]:
            yield Finding(example.at, f"this example does not match the schema: {message}", at_key=False)
