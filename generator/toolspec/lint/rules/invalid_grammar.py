"""A custom tool's Lark or regex grammar that does not compile.

## What it does
Compiles every grammar of a custom tool with llguidance, the engine the API constrains
decoding with, and flags those it refuses.

## Why
The API refuses a tool whose grammar does not compile; finding out at request time means an
HTTP 400 in production.

## How to fix
Fix the grammar as the message says (unknown rule names, syntax errors, unsupported regexes).

## Example
```yaml
# Flagged:
format: {syntax: lark, definition: "start: expr"}   # expr is never defined
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.grammar_checks import definition_path, grammar_of, llguidance_errors
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS503"
NAME = "invalid-grammar"
SEVERITY = Severity.ERROR
YIELDS_TO = ("TS502", "TS505")
"""A lookaround in a regex grammar, or one written across lines or in slashes: they say more
precisely what is wrong."""


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    grammar = grammar_of(tool)
    if grammar is None:
        return
    for message in llguidance_errors(grammar.syntax, grammar.definition)[:1]:
        yield Finding(
            definition_path(grammar), f"the {grammar.syntax} grammar does not compile: {message}", at_key=False
        )
