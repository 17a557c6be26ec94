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
from collections.abc import Iterator
from typing import Any

from toolspec.compile.json_schema import parameters_schema
from toolspec.diagnostics import Severity
from toolspec.lint.grammar_checks import llguidance_errors, unsupported_regex_features
from toolspec.lint.rule import Finding
from toolspec.lint.rules.unsupported_format import FORMATS
from toolspec.spec import model
from toolspec.spec.parse import FORBIDDEN_KEYWORDS

CODE = "TS506"
NAME = "schema-rejected"
SEVERITY = Severity.ERROR


def check_tool(tool: model.Tool, toolset: model.Toolset) -> Iterator[Finding]:
    if not isinstance(tool, model.FunctionTool) or not tool.strict:
        return
    # What other rules name more precisely is taken out first, so that only the rest is ours.
    text = json.dumps(_without_known_problems(parameters_schema(tool, toolset)))
    for message in llguidance_errors("json_schema", text)[:1]:
        yield Finding((*tool.at, "parameters"), f"llguidance refuses the compiled schema: {message}")


def _without_known_problems(node: Any) -> Any:
    """The schema less forbidden keywords (TS202), unsupported formats (TS203) and patterns that
    do not compile (TS501, TS502)."""
    if isinstance(node, list):
        return [_without_known_problems(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("properties", "$defs"):  # names, not keywords: a property may be called "not"
            result[key] = {name: _without_known_problems(schema) for name, schema in value.items()}
        elif key in ("enum", "const"):
            result[key] = value
        elif not _named_elsewhere(key, value):
            result[key] = _without_known_problems(value)
    return result


def _named_elsewhere(key: str, value: Any) -> bool:
    if key == "format":
        return value not in FORMATS
    if key == "pattern":
        return bool(unsupported_regex_features(value) or llguidance_errors("regex", value))
    return key in FORBIDDEN_KEYWORDS
