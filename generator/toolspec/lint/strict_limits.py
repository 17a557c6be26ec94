"""Strict mode's limits on a whole schema, and the one check the rules that enforce them share.

TS206, TS207 and TS209 are one check counting different things in a strict tool's statistics
(each with its option, which may only lower the API's figure); TS208 and TS506 find long string
enums the same way. TS506 reads the same table, with the API's own figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from toolspec.compile.toolset import CompiledTool
from toolspec.ground.frozen import thaw
from toolspec.lint import api_limits
from toolspec.lint.rule import Finding, ToolCheck, ToolsetContext
from toolspec.lint.schema_stats import SchemaStats
from toolspec.spec import ir


@dataclass(frozen=True)
class SchemaLimit:
    """A total over a strict schema that the API caps."""

    what: str
    """What is counted, as TS506 names it."""
    count: Callable[[SchemaStats], int]
    api_limit: int


PROPERTIES = SchemaLimit("properties", lambda stats: stats.properties, api_limits.MAX_PROPERTIES)
ENUM_VALUES = SchemaLimit("enum values", lambda stats: stats.enum_values, api_limits.MAX_ENUM_VALUES)
SCHEMA_TEXT = SchemaLimit(
    "characters of names, enum and const values", lambda stats: stats.text_characters, api_limits.MAX_SCHEMA_TEXT
)
SCHEMA_LIMITS = (PROPERTIES, ENUM_VALUES, SCHEMA_TEXT)


def limit_check(code: str, option: str, limit: SchemaLimit, message: Callable[[int, int], str]) -> ToolCheck:
    """The check_tool of a rule that flags a strict tool whose count of limit is over the rule's
    option; message(count, allowed) says so, at the tool's parameters."""

    def check_tool(compiled: CompiledTool, context: ToolsetContext) -> Iterator[Finding]:
        allowed = context.option(code, option)
        tool = compiled.tool
        if isinstance(tool, ir.FunctionTool) and tool.strict:
            count = limit.count(context.schema_stats(tool))
            if count > allowed:
                yield Finding((*tool.at, "parameters"), message(count, allowed))

    return check_tool


def long_string_enums(stats: SchemaStats, max_values: int, max_characters: int) -> Iterator[tuple[ir.Scalar, int]]:
    """The string enums of more than max_values values whose values total more than
    max_characters characters, with that total."""
    for node in stats.string_enums:
        values = node.enum or ()
        total = sum(len(str(thaw(value))) for value in values)
        if len(values) > max_values and total > max_characters:
            yield node, total
