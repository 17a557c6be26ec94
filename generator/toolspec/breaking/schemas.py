"""Compare the schemas of a tool's parameters: what the model may send, before and after.

A reference to a named type is followed on both sides, so that a change inside a type shows at
every tool that uses it, and a type renamed with its definition kept changes nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolspec.breaking.changes import ObjectPair
from toolspec.breaking.definition import definition, json_key, pair_renames
from toolspec.spec import ir

if TYPE_CHECKING:
    from toolspec.breaking.changes import Recorder
    from toolspec.spec.yaml_source import YamlPath

TIGHTENED, LOOSENED, TYPE_CHANGED = "TS709", "TS744", "TS707"
WIDENED = ("integer", "number")
"""The one change of type after which every value the old type took is still taken."""


@dataclass(frozen=True)
class Where:
    """The part being compared: a tool, and the parameter path inside it (`place.city`)."""

    tool: str
    name: str = ""

    def child(self, name: str) -> Where:
        return Where(self.tool, f"{self.name}.{name}" if self.name else name)

    def part(self, suffix: str) -> Where:
        return Where(self.tool, f"{self.name}{suffix}")

    def text(self) -> str:
        return f"tool {self.tool!r}: parameter {self.name!r}" if self.name else f"tool {self.tool!r}"


def compare_properties(rec: Recorder, old: ir.Object, new: ir.Object, where: Where) -> None:
    """The properties of two objects (a tool's parameters, or an object parameter's)."""
    old_by = {prop.name: prop for prop in old.properties}
    new_by = {prop.name: prop for prop in new.properties}
    removed = [prop for prop in old.properties if prop.name not in new_by]
    added = [prop for prop in new.properties if prop.name not in old_by]
    renamed = pair_renames(removed, added, lambda prop: definition(prop, without=("name",)))
    for before, after in renamed:
        rec.at_new("TS704", after.at, f"{where.child(before.name).text()} was renamed to {after.name!r}", where.tool)
    gone, came = {id(before) for before, _ in renamed}, {id(after) for _, after in renamed}
    for prop in removed:
        if id(prop) not in gone:
            rec.at_old("TS703", prop.at, f"{where.child(prop.name).text()} was removed", where.tool, anchor=new.at)
    for prop in added:
        if id(prop) not in came:
            code, kind = ("TS742", "optional") if prop.optional else ("TS705", "required")
            rec.at_new(code, prop.at, f"{where.child(prop.name).text()} was added, {kind}", where.tool)
    common = [(old_by[name], prop) for name, prop in new_by.items() if name in old_by]
    if [before.name for before in old.properties if before.name in new_by] != [after.name for _, after in common]:
        rec.at_new("TS748", new.at, f"{where.text()}: the order of the parameters changed", where.tool)
    for before, after in common:
        _compare_property(rec, before, after, where.child(after.name))
    rec.objects.append(ObjectPair(where.tool, old, new, (*common, *renamed)))


def _compare_property(rec: Recorder, old: ir.Property, new: ir.Property, where: Where) -> None:
    if old.optional and not new.optional:
        rec.at_new("TS706", new.at, f"{where.text()} is now required (it was optional)", where.tool)
    elif new.optional and not old.optional:
        rec.at_new("TS746", new.at, f"{where.text()} is now optional (it was required)", where.tool)
    before = json_key(old.default) if old.has_default else None
    after = json_key(new.default) if new.has_default else None
    if before != after:
        what = (
            f"{before} was removed" if after is None else f"is now {after}" + (f" (it was {before})" if before else "")
        )
        rec.at_new("TS748", (*new.at, "default"), f"{where.text()}: the default {what}", where.tool)
    compare_schema(rec, old.schema, new.schema, where)


def compare_schema(rec: Recorder, old: ir.Schema, new: ir.Schema, where: Where) -> None:
    _compare_description(rec, old, new, where)
    if isinstance(old, ir.Reference) and isinstance(new, ir.Reference):
        key = (where.tool, old.name, new.name)
        if key in rec.seen:
            return  # a recursive type, compared already further up
        rec.seen.add(key)
    before, after = resolved(old, rec.old.compiled.toolset), resolved(new, rec.new.compiled.toolset)
    if (kind_of(before), kind_of(after)) == WIDENED:  # every integer is a number: no call is refused
        rec.at_new(LOOSENED, new.at, f"{where.text()}: the type widened from integer to number", where.tool)
    elif kind_of(before) != kind_of(after):
        message = f"{where.text()}: the type changed from {kind_of(before)} to {kind_of(after)}"
        rec.at_new(TYPE_CHANGED, new.at, message, where.tool)
        return
    _compare_nullable(rec, old.nullable or before.nullable, new.nullable or after.nullable, new.at, where)
    _compare_forbidden(rec, before.forbidden, after.forbidden, after.at, where)
    if isinstance(before, ir.Scalar) and isinstance(after, ir.Scalar):
        _compare_scalar(rec, before, after, where)
    elif isinstance(before, ir.Array) and isinstance(after, ir.Array):
        _compare_bounds(rec, before, after, _ITEMS_BOUNDS, where)
        compare_schema(rec, before.items, after.items, where.part("[]"))
    elif isinstance(before, ir.Object) and isinstance(after, ir.Object):
        compare_properties(rec, before, after, where)
        _compare_additional(rec, before, after, where)
    elif isinstance(before, ir.Union) and isinstance(after, ir.Union):
        _compare_union(rec, before, after, where)


def resolved(schema: ir.Schema, toolset: ir.Toolset) -> ir.Schema:
    """schema, or the named type it refers to (through references to references)."""
    seen: set[str] = set()
    while isinstance(schema, ir.Reference) and schema.name not in seen:
        seen.add(schema.name)
        named = toolset.named_type(schema.name)
        if named is None:
            break
        schema = named.schema
    return schema


def kind_of(schema: ir.Schema) -> str:
    match schema:
        case ir.Scalar():
            return schema.kind
        case ir.Array():
            return "array"
        case ir.Object():
            return "object"
        case ir.Union():
            return "anyOf"
        case ir.AnyValue():
            return "any"
        case ir.Reference():
            return f"the unknown type {schema.name}"


def _description(schema: ir.Schema, toolset: ir.Toolset) -> tuple[str | None, YamlPath]:
    """The description the model reads for schema, and where it is written."""
    if schema.description is not None or not isinstance(schema, ir.Reference):
        return schema.description, (*schema.at, "description")
    named = resolved(schema, toolset)
    return named.description, (*named.at, "description")


def _compare_description(rec: Recorder, old: ir.Schema, new: ir.Schema, where: Where) -> None:
    before, _ = _description(old, rec.old.compiled.toolset)
    after, at = _description(new, rec.new.compiled.toolset)
    if before != after:
        what = "added" if before is None else "removed" if after is None else "changed"
        rec.at_new("TS741", at, f"{where.text()}: the description was {what}", where.tool)


def _compare_nullable(rec: Recorder, old: bool, new: bool, at: YamlPath, where: Where) -> None:
    if old and not new:
        rec.at_new(TIGHTENED, (*at, "nullable"), f"{where.text()}: null is no longer accepted", where.tool)
    elif new and not old:
        rec.at_new(LOOSENED, (*at, "nullable"), f"{where.text()}: null is now accepted", where.tool)


def _compare_forbidden(
    rec: Recorder, old: Mapping[str, Any], new: Mapping[str, Any], at: YamlPath, where: Where
) -> None:
    """Keywords strict mode forbids, passed through as written in a non-strict tool."""
    for key in sorted(set(old) | set(new)):
        if key not in new:
            rec.at_new(LOOSENED, at, f"{where.text()}: `{key}` was removed", where.tool)
        elif key not in old or json_key(old[key]) != json_key(new[key]):
            what = "added" if key not in old else "changed"
            message = f"{where.text()}: `{key}` was {what} (toolspec cannot tell if fewer values pass: review it)"
            rec.at_new(TIGHTENED, (*at, key), message, where.tool)


@dataclass(frozen=True)
class _Bound:
    attribute: str
    key: str
    """The spec's keyword."""
    lower: bool
    """A lower bound: raising it accepts fewer values."""


_SCALAR_BOUNDS = (
    _Bound("minimum", "minimum", True),
    _Bound("exclusive_minimum", "exclusiveMinimum", True),
    _Bound("min_length", "minLength", True),
    _Bound("maximum", "maximum", False),
    _Bound("exclusive_maximum", "exclusiveMaximum", False),
    _Bound("max_length", "maxLength", False),
)
_ITEMS_BOUNDS = (_Bound("min_items", "minItems", True), _Bound("max_items", "maxItems", False))


def _compare_bounds(rec: Recorder, old: ir.Schema, new: ir.Schema, bounds: tuple[_Bound, ...], where: Where) -> None:
    for bound in bounds:
        before, after = getattr(old, bound.attribute), getattr(new, bound.attribute)
        if before == after:
            continue
        if before is None or after is None:
            tighter, what = after is not None, "added" if before is None else "removed"
        else:
            tighter = after > before if bound.lower else after < before
            what = "raised" if after > before else "lowered"
        message = f"{where.text()}: `{bound.key}` {what} ({_shown(before)} → {_shown(after)})"
        rec.at_new(TIGHTENED if tighter else LOOSENED, (*new.at, bound.key), message, where.tool)


def _shown(value: Any) -> str:
    return "none" if value is None else json_key(value)


def _compare_scalar(rec: Recorder, old: ir.Scalar, new: ir.Scalar, where: Where) -> None:
    before = json_key(old.const) if old.has_const else None
    after = json_key(new.const) if new.has_const else None
    if before != after:
        code = LOOSENED if after is None else TYPE_CHANGED
        message = f"{where.text()}: `const` changed ({before or 'none'} → {after or 'none'})"
        rec.at_new(code, (*new.at, "const"), message, where.tool)
    _compare_enum(rec, old, new, where)
    _compare_bounds(rec, old, new, _SCALAR_BOUNDS, where)
    _compare_multiple_of(rec, old.multiple_of, new.multiple_of, new.at, where)
    for key, was, now in (("pattern", old.pattern, new.pattern), ("format", old.format, new.format)):
        if was != now:
            what = "added" if was is None else "removed" if now is None else "changed"
            message = f"{where.text()}: `{key}` {what} ({_shown(was)} → {_shown(now)})"
            rec.at_new(LOOSENED if now is None else TIGHTENED, (*new.at, key), message, where.tool)


def _compare_enum(rec: Recorder, old: ir.Scalar, new: ir.Scalar, where: Where) -> None:
    at = (*new.at, "enum")
    if old.enum is None and new.enum is not None:
        rec.at_new(TIGHTENED, at, f"{where.text()}: an `enum` was added: only {_values(new.enum)}", where.tool)
    elif old.enum is not None and new.enum is None:
        rec.at_new(LOOSENED, at, f"{where.text()}: the `enum` was removed", where.tool)
    elif old.enum is not None and new.enum is not None:
        before, after = {json_key(v) for v in old.enum}, {json_key(v) for v in new.enum}
        removed = [value for value in old.enum if json_key(value) not in after]
        added = [value for value in new.enum if json_key(value) not in before]
        if removed:
            rec.at_new("TS708", at, f"{where.text()}: enum values removed: {_values(removed)}", where.tool)
        if added:
            rec.at_new("TS745", at, f"{where.text()}: enum values added: {_values(added)}", where.tool)


def _values(values: Any) -> str:
    return ", ".join(json_key(value) for value in values)


def _compare_multiple_of(rec: Recorder, old: float | None, new: float | None, at: YamlPath, where: Where) -> None:
    if old == new:
        return
    if old is None or new is None:
        tighter = new is not None
    else:
        ratio = old / new  # every multiple of old is one of new when old is a multiple of new
        tighter = abs(ratio - round(ratio)) > 1e-9
    message = f"{where.text()}: `multipleOf` changed ({_shown(old)} → {_shown(new)})"
    rec.at_new(TIGHTENED if tighter else LOOSENED, (*at, "multipleOf"), message, where.tool)


def _compare_additional(rec: Recorder, old: ir.Object, new: ir.Object, where: Where) -> None:
    """`additionalProperties`: none (or false) < a schema of the values < true (any value)."""
    before, after = old.additional, new.additional
    if not isinstance(before, bool | None) and not isinstance(after, bool | None):
        compare_schema(rec, before, after, where.child("*"))
        return
    rank = {None: 0, False: 0, True: 2}
    was = rank[before] if isinstance(before, bool | None) else 1
    now = rank[after] if isinstance(after, bool | None) else 1
    if was != now:
        message = f"{where.text()}: `additionalProperties` {'widened' if now > was else 'narrowed'}"
        rec.at_new(LOOSENED if now > was else TIGHTENED, (*new.at, "additionalProperties"), message, where.tool)


def _compare_union(rec: Recorder, old: ir.Union, new: ir.Union, where: Where) -> None:
    if len(old.any_of) == len(new.any_of):
        for index, (before, after) in enumerate(zip(old.any_of, new.any_of, strict=True)):
            compare_schema(rec, before, after, where.part(f"|{index + 1}"))
        return
    was = {definition(branch) for branch in old.any_of}
    now = {definition(branch) for branch in new.any_of}
    at = (*new.at, "anyOf")
    if was < now:
        rec.at_new(LOOSENED, at, f"{where.text()}: `anyOf` branches added", where.tool)
    elif now < was:
        rec.at_new(TIGHTENED, at, f"{where.text()}: `anyOf` branches removed", where.tool)
    else:
        rec.at_new(TYPE_CHANGED, at, f"{where.text()}: the `anyOf` branches changed", where.tool)
