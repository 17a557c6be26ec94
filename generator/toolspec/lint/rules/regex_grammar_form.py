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

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.grammar_checks import definition_path, grammar_of, regex_form_problems
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS505"
NAME = "regex-grammar-form"
SEVERITY = Severity.ERROR


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    grammar = grammar_of(tool)
    if grammar is not None and grammar.syntax == "regex":
        for problem in regex_form_problems(grammar):
            yield Finding(definition_path(grammar), problem, at_key=False)
