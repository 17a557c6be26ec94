"""Compare the tools of one toolset on both sides: which went, came or were renamed, and what
changed in each (its kind, description, strictness, effect, examples, parameters, result, handler
method)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolspec.breaking.definition import definition, json_key, pair_renames
from toolspec.breaking.results import compare_results
from toolspec.breaking.schemas import Where, compare_properties
from toolspec.spec import ir

if TYPE_CHECKING:
    from toolspec.breaking.changes import Recorder
    from toolspec.compile.toolset import CompiledTool

EFFECT_ORDER = (ir.Effect.READ, ir.Effect.WRITE, ir.Effect.DESTRUCTIVE)


def compare_tools(rec: Recorder) -> None:
    """Every change between the tools of rec's two sides."""
    old_by = {tool.name: tool for tool in rec.old.compiled.tools}
    new_by = {tool.name: tool for tool in rec.new.compiled.tools}
    if rec.old.compiled.toolset.description != rec.new.compiled.toolset.description:
        rec.at_new("TS741", ("description",), f"the description of toolset {rec.new.name!r} changed", None)
    removed = [tool for tool in rec.old.compiled.tools if tool.name not in new_by]
    added = [tool for tool in rec.new.compiled.tools if tool.name not in old_by]
    renamed = pair_renames(removed, added, lambda tool: definition(tool.tool, without=("name",)))
    for before, after in renamed:
        rec.at_new("TS702", (*after.tool.at, "name"), f"tool {before.name!r} was renamed to {after.name!r}", after.name)
    gone, came = {id(before) for before, _ in renamed}, {id(after) for _, after in renamed}
    for tool in removed:
        if id(tool) not in gone:
            rec.tools[tool.name] = (tool, None)
            rec.at_old("TS701", tool.tool.at, f"tool {tool.name!r} was removed", tool.name, anchor=("tools",))
    for tool in added:
        if id(tool) not in came:
            rec.tools[tool.name] = (None, tool)
            rec.at_new("TS743", tool.tool.at, f"tool {tool.name!r} was added", tool.name)
    common = [(old_by[name], tool) for name, tool in new_by.items() if name in old_by]
    for before, after in (*common, *renamed):
        rec.tools[after.name] = (before, after)
        compare_tool(rec, before, after)


def compare_tool(rec: Recorder, old: CompiledTool, new: CompiledTool) -> None:
    before, after, name = old.tool, new.tool, new.name
    if old.method != new.method:
        message = f"tool {name!r}: the handler method is now `{new.method}` (it was `{old.method}`)"
        rec.at_new("TS723", (*after.at, "name"), message, name)
    if before.description != after.description:
        what = "added" if before.description is None else "removed" if after.description is None else "changed"
        rec.at_new("TS741", (*after.at, "description"), f"tool {name!r}: the description was {what}", name)
    _compare_effect(rec, before, after)
    if before.timeout != after.timeout:
        message = f"tool {name!r}: the timeout changed ({_seconds(before.timeout)} → {_seconds(after.timeout)})"
        rec.at_new("TS748", (*after.at, "timeout"), message, name)
    if isinstance(before, ir.FunctionTool) and isinstance(after, ir.FunctionTool):
        _compare_function(rec, before, after)
    elif isinstance(before, ir.CustomTool) and isinstance(after, ir.CustomTool):
        _compare_custom(rec, before, after)
    else:
        kind = "a custom tool" if isinstance(after, ir.CustomTool) else "a function tool"
        rec.at_new("TS707", (*after.at, "kind"), f"tool {name!r} is now {kind}", name)


def _seconds(timeout: float | None) -> str:
    return "none" if timeout is None else f"{timeout:g}"


def _compare_effect(rec: Recorder, old: ir.Tool, new: ir.Tool) -> None:
    name = new.name
    was, now = EFFECT_ORDER.index(old.effect), EFFECT_ORDER.index(new.effect)
    if (old.effect, new.effect) == (ir.Effect.READ, ir.Effect.WRITE):
        # The tool is handled with more care, not given more power: ordered, never advertised
        # read-only, and (by the defaults, or as written) no longer retried as idempotent.
        idempotent = " and no longer idempotent" if old.idempotent and not new.idempotent else ""
        message = f"tool {name!r}: `effect` changed from read to write{idempotent}"
        rec.at_new("TS750", (*new.at, "effect"), message, name)
        if idempotent or old.idempotent == new.idempotent:
            return
    elif was != now:
        code = "TS711" if now > was else "TS747"
        message = f"tool {name!r}: `effect` changed from {old.effect.value} to {new.effect.value}"
        rec.at_new(code, (*new.at, "effect"), message, name)
    if old.idempotent != new.idempotent:
        code = "TS748" if new.idempotent else "TS711"
        message = f"tool {name!r} is {'now' if new.idempotent else 'no longer'} idempotent"
        rec.at_new(code, (*new.at, "idempotent"), message, name)


def _compare_function(rec: Recorder, old: ir.FunctionTool, new: ir.FunctionTool) -> None:
    name = new.name
    if old.strict != new.strict:
        rec.at_new(
            "TS710", (*new.at, "strict"), f"tool {name!r}: strict mode switched {'on' if new.strict else 'off'}", name
        )
    if [json_key(e.arguments) for e in old.examples] != [json_key(e.arguments) for e in new.examples]:
        rec.at_new("TS748", (*new.at, "examples"), f"tool {name!r}: the examples changed", name)
    compare_properties(rec, old.parameters, new.parameters, Where(name))
    compare_results(rec, old, new)


def _compare_custom(rec: Recorder, old: ir.CustomTool, new: ir.CustomTool) -> None:
    name, before, after = new.name, old.format, new.format
    at = (*new.at, "format")
    if isinstance(before, ir.GrammarFormat) and isinstance(after, ir.GrammarFormat):
        if before.syntax != after.syntax:
            message = f"tool {name!r}: the grammar's syntax changed from {before.syntax} to {after.syntax}"
            rec.at_new("TS707", at, message, name)
        elif before.definition != after.definition:
            message = f"tool {name!r}: the grammar changed (toolspec cannot tell if less text passes: review it)"
            rec.at_new("TS709", at, message, name)
    elif isinstance(before, ir.GrammarFormat):
        rec.at_new("TS744", at, f"tool {name!r} now takes any text (it took a {before.syntax} grammar)", name)
    elif isinstance(after, ir.GrammarFormat):
        rec.at_new("TS707", at, f"tool {name!r} now takes text in a {after.syntax} grammar (it took any text)", name)
