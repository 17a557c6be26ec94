"""More than 20 tools in one toolset.

## What it does
Warns when a toolset has more than 20 tools.

## Why
OpenAI advises offering fewer than 20 tools at a time: with more, models choose the wrong tool
more often, and every definition costs input tokens on every request.

## How to fix
Split the toolset by task, and offer each one where it is needed.

## Example
```yaml
# Warned: a toolset with 21 tools
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS304"
NAME = "many-tools"
SEVERITY = Severity.WARNING
OPTIONS = {"max": 20}
YIELDS_TO = ("TS305",)
"""Over the API's limit, TS305 says more than advice."""


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    advised = context.option(CODE, "max")
    toolset = context.toolset
    if len(toolset.tools) > advised:
        yield Finding(
            ("tools",), f"{len(toolset.tools)} tools; OpenAI advises offering no more than about {advised} at a time"
        )
