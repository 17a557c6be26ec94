"""More tools in one toolset than the API accepts in a request.

## What it does
Flags a toolset with more than 128 tools.

## Why
The API refuses a request with more than 128 tools ("array too long. Expected an array with
maximum length 128").

## How to fix
Split the toolset.

## Example
```yaml
# Flagged: a toolset with 129 tools
```
"""

from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint import api_limits
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS305"
NAME = "too-many-tools"
SEVERITY = Severity.ERROR
OPTIONS = {"max": api_limits.MAX_TOOLS}
OPTION_LIMITS = OPTIONS
"""The API's limit: the option may only lower it."""


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    limit = context.option(CODE, "max")
    toolset = context.toolset
    if len(toolset.tools) > limit:
        yield Finding(("tools",), f"{len(toolset.tools)} tools; the API accepts at most {limit} in a request")
