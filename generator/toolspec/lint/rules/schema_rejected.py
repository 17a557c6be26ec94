"""A compiled tool, or a toolset, that the API refuses.

## What it does
Checks what toolspec sends as the API does: the `parameters` schema generated for every strict
tool (keywords and formats strict mode refuses, an object that is not `additionalProperties:
false` or leaves a property out of `required`, a value without a type, nesting, properties,
enum values and text over the API's limits, then a compile with llguidance, the constrained
decoder the API uses); every tool's name; every grammar (what llguidance refuses, lookarounds
and backreferences, Lark features the API does not support); and the names and number of the
tools of a toolset. It holds to the API's own limits, whatever the options of the rules that
check them say.

Where a more precise rule (TS201, TS202, TS203, TS205 to TS209, TS211, TS301, TS302, TS305,
TS501 to TS504) reported at the same place or inside it (for a schema, inside the named types
it holds too), this rule leaves it to that rule; when that rule is turned off, this one
reports: turning a rule off never lets through what the API refuses.

## Why
This is the last line of defence: whatever the specific rules miss, or are turned off for,
the API would answer with HTTP 400.

## How to fix
Read the message; it names the part of the schema, the grammar or the toolset that fails.

## Example
```yaml
# Flagged: a schema llguidance refuses, e.g. an enum whose values do not fit its type
```
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from toolspec.ground.diagnostics import Severity
from toolspec.ground.frozen import plain_json
from toolspec.lint import api_limits
from toolspec.lint.grammar_checks import definition_path, grammar_of, llguidance_errors, unsupported_regex_features
from toolspec.lint.rule import Finding
from toolspec.lint.rules.invalid_tool_name import VALID
from toolspec.lint.rules.unsupported_format import FORMATS
from toolspec.lint.rules.unsupported_lark_feature import lark_problems
from toolspec.lint.strict_limits import SCHEMA_LIMITS, long_string_enums
from toolspec.spec import ir
from toolspec.spec.build import FORBIDDEN_KEYWORDS

if TYPE_CHECKING:
    from toolspec.compile.toolset import CompiledTool
    from toolspec.lint.rule import ToolsetContext
    from toolspec.lint.schema_stats import SchemaStats

CODE = "TS506"
NAME = "schema-rejected"
SEVERITY = Severity.ERROR
YIELDS_TO = (
    *("TS201", "TS202", "TS203", "TS205", "TS206", "TS207", "TS208", "TS209", "TS211"),
    *("TS301", "TS302", "TS305"),
    *("TS501", "TS502", "TS503", "TS504"),
)
"""Where one of these reported at the place of a finding or inside it, it has named the problem
more precisely."""

_SUBSCHEMA_MAPS = ("properties", "$defs")
"""Keys whose value maps names to schemas: a name is no keyword (a property may be called "not")."""


def check_toolset(context: ToolsetContext) -> Iterator[Finding]:
    tools = context.toolset.tools
    if len(tools) > api_limits.MAX_TOOLS:
        yield Finding(
            ("tools",),
            f"the API would refuse the request: {len(tools)} tools; it accepts at most {api_limits.MAX_TOOLS}",
        )
    seen: set[str] = set()
    for tool in tools:
        if tool.name in seen:
            yield Finding(
                (*tool.at, "name"), f"the API would refuse the request: two tools named {tool.name!r}", at_key=False
            )
        seen.add(tool.name)


def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
    tool = compiled.tool
    if not VALID.fullmatch(tool.name):
        yield Finding(
            (*tool.at, "name"),
            f"the API would refuse the tool: its name {tool.name!r} is not 1 to 64 letters, digits, "
            "underscores and hyphens",
            at_key=False,
        )
    grammar = grammar_of(tool)
    if grammar is not None:
        for message in _grammar_refusals(grammar)[:1]:
            yield Finding(definition_path(grammar), f"the API would refuse the grammar: {message}", at_key=False)
    if compiled.function is None or not isinstance(tool, ir.FunctionTool) or not tool.strict:
        return
    schema = compiled.function.parameters  # frozen: read as it is, written as JSON without a copy
    stats = context.schema_stats(tool)
    refusals = [*_strict_mode_refusals(schema), *_over_the_limits(stats)]
    text = json.dumps(schema, default=plain_json)
    refusals += [f"llguidance refuses it: {m}" for m in llguidance_errors("json_schema", text)]
    types = tuple(named.at for named in stats.types)
    for message in refusals[:1]:
        yield Finding(
            (*tool.at, "parameters"), f"the API would refuse the compiled schema: {message}", stands_for=types
        )


def _grammar_refusals(grammar: ir.GrammarFormat) -> list[str]:
    """What the API refuses in a grammar. Lazy quantifiers in a regex grammar, and the way it is
    written (TS505), are accepted, and read otherwise: they are no refusal."""
    if grammar.syntax == "regex":
        features = unsupported_regex_features(grammar.definition)
        refusals = [f"it uses a {feature}" for feature in features if not feature.startswith("lazy")]
    else:
        refusals = [f"it uses {problem}" for problem in lark_problems(grammar.definition)]
    refusals += [f"llguidance refuses it: {m}" for m in llguidance_errors(grammar.syntax, grammar.definition)]
    return refusals


def _strict_mode_refusals(root: Mapping[str, Any]) -> Iterator[str]:
    """What strict mode refuses that llguidance accepts, in every schema of root, parents first:
    keywords it does not permit, formats it does not support, objects that are not closed and
    complete, values without a type."""
    pending: list[Any] = [root]
    while pending:
        node = pending.pop()
        if not isinstance(node, Mapping):
            continue  # a `true` or `false` schema: additionalProperties says what is wrong with it
        yield from _node_refusals(node)
        inside: list[Any] = [schema for key in _SUBSCHEMA_MAPS for schema in node.get(key, {}).values()]
        inside += [node.get("items"), *node.get("anyOf", ()), node.get("additionalProperties")]
        pending.extend(reversed(inside))


def _node_refusals(node: Mapping[str, Any]) -> Iterator[str]:
    for key in node:
        if key in FORBIDDEN_KEYWORDS:
            yield f"strict mode does not permit `{key}`"
    if "format" in node and node["format"] not in FORMATS:
        yield f"strict mode does not support the format {node['format']!r}"
    if not any(key in node for key in ("type", "enum", "const", "anyOf", "$ref")):
        yield "strict mode needs a type on every value (`type: any` has none)"
    types = node.get("type")
    if types == "object" or isinstance(types, list | tuple) and "object" in types:
        if node.get("additionalProperties") is not False:
            yield "strict mode needs `additionalProperties: false` on every object (no free-form maps)"
        if set(node.get("required", ())) != set(node.get("properties", {})):
            yield "strict mode needs every property of an object in `required`"


def _over_the_limits(stats: SchemaStats) -> Iterator[str]:
    """The API's limits on a strict schema, which no option changes."""
    if stats.depth > api_limits.MAX_NESTING:
        yield f"objects nested {stats.depth} levels deep; strict mode allows {api_limits.MAX_NESTING}"
    for limit in SCHEMA_LIMITS:
        count = limit.count(stats)
        if count > limit.api_limit:
            yield f"{count:,} {limit.what}; strict mode allows {limit.api_limit:,}"
    for node, total in long_string_enums(stats, api_limits.LONG_ENUM_VALUES, api_limits.LONG_ENUM_CHARACTERS):
        yield (
            f"an enum of {len(node.enum or ())} values of {total:,} characters; strict mode allows "
            f"{api_limits.LONG_ENUM_CHARACTERS:,} for an enum of more than {api_limits.LONG_ENUM_VALUES} values"
        )
