r"""A regex grammar written the way the API does not read it.

## What it does
Flags a regex grammar that spans several lines, or that is wrapped in slashes (`/.../`).

## Why
The API reads a regex grammar as one line of Rust regex: a literal newline ends it, and
slashes are taken as characters to match.

## How to fix
Write the grammar on one line, `\n` where a newline must be matched, without enclosing
slashes.

## Example
```yaml
# Flagged:
definition: "/^\\d{4}-\\d{2}-\\d{2}$/"
# Instead:
definition: '^\d{4}-\d{2}-\d{2}$'
```
"""

from collections.abc import Iterator

from toolspec.diagnostics import Severity
from toolspec.lint.rule import Finding
from toolspec.spec import model

CODE = "TS505"
NAME = "regex-grammar-form"
SEVERITY = Severity.ERROR


def check_tool(tool: model.Tool, toolset: model.Toolset) -> Iterator[Finding]:
    if not isinstance(tool, model.CustomTool) or not isinstance(tool.format, model.GrammarFormat):
        return
    grammar = tool.format
    if grammar.syntax != "regex":
        return
    path = (*grammar.at, "file" if grammar.file else "definition")
    text = grammar.definition.removesuffix("\n") if grammar.file else grammar.definition
    if "\n" in text:
        yield Finding(path, "a regex grammar is one line: write `\\n` for a newline", at_key=False)
    if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
        yield Finding(path, "remove the enclosing slashes: the API would match them as characters", at_key=False)
