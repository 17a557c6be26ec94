"""A compiled strict schema that the API's constrained decoder refuses.

## What it does
Compiles the `parameters` schema generated for every strict tool with llguidance, as the API
does, and flags the tool when it is refused for a reason no other rule names.

## Why
This is the last line of defence: whatever the specific rules miss, the API would answer with
HTTP 400.

## How to fix
Read the message; it names the part of the schema that fails.

## Example
```yaml
# Flagged: a schema llguidance refuses, e.g. an enum whose values do not fit its type
```
"""

import json
import re
from collections.abc import Iterator

from toolspec.compile.json_schema import parameters_schema
from toolspec.diagnostics import Severity
from toolspec.lint.grammar_checks import llguidance_errors
from toolspec.lint.rule import Finding
from toolspec.spec import model

CODE = "TS506"
NAME = "schema-rejected"
SEVERITY = Severity.ERROR
_NAMED_ELSEWHERE = ("regex", "format", "look-around", "backreference", "uniqueItems", "not", "if", "contains", "dependent", "propertyNames")


def check_tool(tool: model.Tool, toolset: model.Toolset) -> Iterator[Finding]:
    if not isinstance(tool, model.FunctionTool) or not tool.strict:
        return
    text = json.dumps(parameters_schema(tool, toolset))
    for message in llguidance_errors("json_schema", text)[:1]:
        own_words = re.sub(r"'[^']*'", "", message)  # not the property names it quotes: 'notify_after'
        if not any(word in own_words for word in _NAMED_ELSEWHERE):
            yield Finding((*tool.at, "parameters"), f"llguidance refuses the compiled schema: {message}")
