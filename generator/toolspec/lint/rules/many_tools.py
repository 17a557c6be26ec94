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

from toolspec.diagnostics import Severity
from toolspec.lint.rule import Finding
from toolspec.spec import model

CODE = "TS304"
NAME = "many-tools"
SEVERITY = Severity.WARNING
ADVISED = 20


def check_toolset(toolset: model.Toolset) -> Iterator[Finding]:
    if ADVISED < len(toolset.tools) <= 128:
        yield Finding(("tools",), f"{len(toolset.tools)} tools; OpenAI advises offering no more than about {ADVISED} at a time")
