"""A Lark feature that the API's grammar engine does not support.

## What it does
Flags, in a Lark grammar: lookarounds and lazy quantifiers inside terminal regexes, terminal
priorities (`NAME.2:`), templates (`_sep{x, sep}`), `%import` from anything but `common`, and
`%declare`.

## Why
The API constrains decoding with LLGuidance, which supports a subset of Lark. Some of these
make the API refuse the tool; lazy quantifiers are silently treated as greedy.

## How to fix
Rewrite the grammar without them: write templates out, drop priorities, import only from
`common`, and use greedy quantifiers with narrower character classes.

## Example
```yaml
# Flagged:
definition: |
  start: WORD
  WORD.2: /[a-z]+?/
# Instead:
definition: |
  start: WORD
  WORD: /[a-z]+/
```
"""

import re
from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.grammar_checks import definition_path, grammar_of, unsupported_regex_features
from toolspec.lint.rule import Finding, ToolsetContext

CODE = "TS504"
NAME = "unsupported-lark-feature"
SEVERITY = Severity.ERROR

_TERMINAL_REGEX = re.compile(r"/((?:[^/\\\n]|\\.)+)/[imsulx]*")
_PRIORITY = re.compile(r"^\s*[?!]?\w+\.-?\d+\s*:", re.MULTILINE)
_TEMPLATE = re.compile(r"^\s*[?!]?\w+\{[^}]*\}\s*:", re.MULTILINE)
_IMPORT = re.compile(r"^\s*%import\s+([\w.]+)", re.MULTILINE)
_DECLARE = re.compile(r"^\s*%declare\b", re.MULTILINE)


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    grammar = grammar_of(tool)
    if grammar is None or grammar.syntax != "lark":
        return
    for problem in lark_problems(grammar.definition):
        yield Finding(
            definition_path(grammar), f"the Lark grammar uses {problem}, which the API does not support", at_key=False
        )


def lark_problems(text: str) -> list[str]:
    """What in a Lark grammar the API does not support, each named once."""
    problems: list[str] = []
    for match in _TERMINAL_REGEX.finditer(_without_comments(text)):
        problems.extend(f"a {feature} in /{match.group(1)}/" for feature in unsupported_regex_features(match.group(1)))
    if _PRIORITY.search(text):
        problems.append("a terminal priority (NAME.n:)")
    if _TEMPLATE.search(text):
        problems.append("a template (name{...}:)")
    for match in _IMPORT.finditer(text):
        if match.group(1) != "common" and not match.group(1).startswith("common."):  # `%import common (A, B)` too
            problems.append(f"`%import {match.group(1)}` (only `common` may be imported)")
    if _DECLARE.search(text):
        problems.append("`%declare`")
    return list(dict.fromkeys(problems))


def _without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
