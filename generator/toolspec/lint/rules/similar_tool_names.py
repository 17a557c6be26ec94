"""Two tools of one toolset whose names differ only in case, `-` or `_`.

## What it does
Warns about the second and later tools of a toolset whose names are the same when case,
hyphens and underscores are ignored (`get_weather`, `get-weather`, `GetWeather`). Tools with
exactly the same name are TS302.

## Why
The API accepts them as different tools, but the model reads the names and easily calls the
wrong one. Where their generated names are the same too (`get_weather` and `get-weather` both
become `GetWeatherArguments` and `get_weather`), that is an error of its own (TS309).

## How to fix
Give each tool a name that says how it differs, or merge them into one tool.

## Example
```yaml
# Warned:
tools:
  - name: get_weather
  - name: get-weather
# Instead:
tools:
  - name: get_weather
  - name: get_weather_forecast
```
"""

import re
from collections.abc import Iterator

from toolspec.ground.diagnostics import Severity
from toolspec.lint.rule import Finding, ToolsetContext
from toolspec.spec import ir

CODE = "TS306"
NAME = "similar-tool-names"
SEVERITY = Severity.WARNING


def _key(name: str) -> str:
    return re.sub(r"[-_]", "", name).casefold()


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    first: dict[str, ir.Tool] = {}
    for tool in context.toolset.tools:
        other = first.setdefault(_key(tool.name), tool)
        if other is not tool and other.name != tool.name:
            line = context.source.position((*other.at, "name"), at_key=False).line
            yield Finding(
                (*tool.at, "name"),
                f"tool name {tool.name!r} differs from {other.name!r} (line {line}) only in case, `-` or `_`: "
                "the model can confuse them; rename one",
                at_key=False,
            )
