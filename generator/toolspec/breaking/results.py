"""Compare what a tool returns, before and after: what its callers (the model, an MCP client
reading `structuredContent`, code using the result model) may count on.

The direction is the parameters' turned round: a result that gives less (a field gone, a field
that may now be absent or null, another type) breaks its readers; one that gives more (a field
added) does not. A reference to a named type is followed on both sides.
"""

from __future__ import annotations

from toolspec.breaking.changes import Recorder
from toolspec.breaking.schemas import kind_of, resolved
from toolspec.spec import ir

REMOVED, CHANGED, ADDED = "TS713", "TS714", "TS751"


def compare_results(rec: Recorder, old: ir.FunctionTool, new: ir.FunctionTool) -> None:
    name = new.name
    if old.returns is None and new.returns is not None:
        rec.at_new(ADDED, (*new.at, "returns"), f"tool {name!r} now says what it returns", name)
    elif old.returns is not None and new.returns is None:
        message = f"tool {name!r} no longer says what it returns: its readers lose what they count on"
        rec.at_old(REMOVED, (*old.at, "returns"), message, name, anchor=new.at)
    elif old.returns is not None and new.returns is not None:
        _compare(rec, old.returns, new.returns, name, "", set())


def _compare(rec: Recorder, old: ir.Schema, new: ir.Schema, tool: str, path: str, seen: set[tuple[str, str]]) -> None:
    if isinstance(old, ir.Reference) and isinstance(new, ir.Reference):
        if (old.name, new.name) in seen:
            return  # a recursive type, compared already further up
        seen = seen | {(old.name, new.name)}
    before, after = resolved(old, rec.old.compiled.toolset), resolved(new, rec.new.compiled.toolset)
    where = f"tool {tool!r}: the result" + (f"'s {path!r}" if path else "")
    if kind_of(before) != kind_of(after):
        message = f"{where}: the type changed from {kind_of(before)} to {kind_of(after)}"
        rec.at_new(CHANGED, new.at, message, tool)
        return
    if not (old.nullable or before.nullable) and (new.nullable or after.nullable):
        rec.at_new(CHANGED, new.at, f"{where} may now be null", tool)
    if isinstance(before, ir.Array) and isinstance(after, ir.Array):
        _compare(rec, before.items, after.items, tool, f"{path}[]", seen)
    elif isinstance(before, ir.Object) and isinstance(after, ir.Object):
        _compare_fields(rec, before, after, tool, path, seen)


def _compare_fields(
    rec: Recorder, old: ir.Object, new: ir.Object, tool: str, path: str, seen: set[tuple[str, str]]
) -> None:
    new_by = {prop.name: prop for prop in new.properties}
    old_names = {prop.name for prop in old.properties}
    for prop in old.properties:
        field = f"{path}.{prop.name}" if path else prop.name
        after = new_by.get(prop.name)
        if after is None:
            message = f"tool {tool!r}: the result's {field!r} was removed: its readers lose it"
            rec.at_old(REMOVED, prop.at, message, tool, anchor=new.at)
            continue
        if after.optional and not prop.optional:
            rec.at_new(CHANGED, after.at, f"tool {tool!r}: the result's {field!r} may now be left out", tool)
        _compare(rec, prop.schema, after.schema, tool, field, seen)
    for prop in new.properties:
        if prop.name not in old_names:
            field = f"{path}.{prop.name}" if path else prop.name
            rec.at_new(ADDED, prop.at, f"tool {tool!r}: the result's {field!r} was added", tool)
