"""One tool name, two different definitions, in two toolsets.

## What it does
Warns when toolsets define a tool of the same name differently (another description,
other parameters, another format).

## Why
Teams offer several toolsets together; the model then sees two tools of one name, and a
handler written for one receives the other's arguments.

## How to fix
Rename one, or make the two definitions the same.

## Example
```yaml
# specs/a.yaml defines search(query); specs/b.yaml defines search(text): warned.
```
"""

from collections.abc import Iterator, Sequence

from toolspec.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS303"
NAME = "conflicting-tool-definition"
SEVERITY = Severity.WARNING


def check_project(contexts: Sequence[ToolsetContext]) -> Iterator[Finding]:
    seen: dict[str, tuple[ToolsetContext, str]] = {}
    for context in contexts:
        for compiled in context.compiled.tools:
            tool = compiled.tool
            if tool.name not in seen:
                seen[tool.name] = (context, compiled.digest)
            elif seen[tool.name][1] != compiled.digest and seen[tool.name][0] is not context:
                other = seen[tool.name][0]
                yield Finding(
                    (*tool.at, "name"),
                    f"tool {tool.name!r} is defined differently in {other.source.path} "
                    f"(toolset {other.toolset.name!r}): rename one or make them the same",
                    at_key=False,
                    toolset=context.toolset.name,
                )
