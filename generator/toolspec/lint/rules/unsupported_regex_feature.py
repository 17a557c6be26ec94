r"""A lookaround, a backreference or a lazy quantifier in a pattern or a regex grammar.

## What it does
Flags `(?=`, `(?!`, `(?<=`, `(?<!`, backreferences (`\1`, `\k<name>`) and lazy quantifiers
(`*?`, `+?`, `??`, `{n,m}?`) in a `pattern` or a regex grammar.

## Why
The API's regex engine has no lookarounds or backreferences and refuses them. Lazy quantifiers
are accepted silently but behave greedily under constrained decoding, so the pattern does not
mean what it says.

## How to fix
Rewrite the pattern without them: match what may follow explicitly, and use greedy
quantifiers with a narrower character class (`[^"]*` instead of `.*?"`).

## Example
```yaml
# Flagged:
pattern: '^(?!admin).*$'
# Instead: check the forbidden value in the handler, or enumerate what is allowed.
```
"""

from collections.abc import Iterator

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.diagnostics import Severity
from toolspec.lint.grammar_checks import definition_path, grammar_of, unsupported_regex_features
from toolspec.lint.rule import Finding, SchemaContext, ToolsetContext
from toolspec.spec import ir

CODE = "TS502"
NAME = "unsupported-regex-feature"
SEVERITY = Severity.ERROR


def check_schema(schema: ir.Schema, context: SchemaContext) -> Iterator[Finding]:
    if isinstance(schema, ir.Scalar) and schema.pattern is not None:
        yield from _findings(schema.pattern, (*schema.at, "pattern"), "the pattern")


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    grammar = grammar_of(tool)
    if grammar is not None and grammar.syntax == "regex":
        yield from _findings(grammar.definition, definition_path(grammar), "the regex grammar")


def _findings(pattern: str, path: tuple[str | int, ...], what: str) -> Iterator[Finding]:
    for feature in dict.fromkeys(unsupported_regex_features(pattern)):
        yield Finding(path, f"{what} uses a {feature}, which the API does not support", at_key=False)
