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

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding

if TYPE_CHECKING:
    from toolspec.compile.outline import ToolsetOutline

CODE = "TS303"
NAME = "conflicting-tool-definition"
SEVERITY = Severity.WARNING


def check_project(outlines: Sequence[ToolsetOutline]) -> Iterator[Finding]:
    first: dict[str, tuple[str, str, str]] = {}
    """Tool name -> the digest of its first definition, and that toolset's spec path and name."""
    for outline in outlines:
        here = (outline.source_path, outline.name)
        for tool in outline.tools:
            if tool.name not in first:
                first[tool.name] = (tool.digest, *here)
            elif first[tool.name][0] != tool.digest and first[tool.name][1:] != here:
                _, path, toolset = first[tool.name]
                yield Finding(
                    (*tool.at, "name"),
                    f"tool {tool.name!r} is defined differently in {path} "
                    f"(toolset {toolset!r}): rename one or make them the same",
                    at_key=False,
                    toolset=outline.name,
                )
