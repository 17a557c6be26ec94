"""Whether a value satisfies a spec schema: a default must, or the spec would not compile (TS602).

A default that breaks its own schema (a value outside its enum, a string for an integer) is a
mistake of the source that JSON Schema lets pass, since `default` is only an annotation there;
the importer says it in the description instead of writing a spec that lint refuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

_KINDS: dict[str, Any] = {
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
    "any": lambda value: True,
}


def fits(kind: str, value: Any) -> bool:
    """Whether value is of the JSON type kind (a boolean is no number, as in JSON)."""
    check = _KINDS.get(kind)
    return bool(check(value)) if check is not None else True


def kind_of(value: Any) -> str:
    """The JSON type of a value, as JSON Schema names it."""
    return next(
        kind for kind in ("null", "boolean", "integer", "number", "string", "array", "object") if fits(kind, value)
    )


def problem(value: Any, node: Mapping[str, Any], types: Mapping[str, Mapping[str, Any]], depth: int = 0) -> str | None:
    """What is wrong with value as a value of node (None: nothing); types: the named types so far."""
    kind = node.get("type")
    if depth > 40 or kind == "any" or (value is None and node.get("nullable")):
        return None
    if "anyOf" in node:
        branches = node["anyOf"]
        return None if any(problem(value, b, types, depth + 1) is None for b in branches) else "matches no branch"
    if isinstance(kind, str) and kind not in _KINDS:
        target = types.get(kind)
        return problem(value, target, types, depth + 1) if target else None
    if not fits(str(kind), value):
        return f"is not {'an' if str(kind)[0] in 'aeiou' else 'a'} {kind}"
    if "enum" in node and not any(_same(value, allowed) for allowed in node["enum"]):
        return "is not one of its enum values"
    if "const" in node and not _same(value, node["const"]):
        return "is not its const value"
    return _bounds(value, node) or _pattern(value, node) or _members(value, node, types, depth)


def _same(value: Any, other: Any) -> bool:
    return (
        type(value) is type(other)
        and value == other
        or (fits("number", value) and fits("number", other) and value == other)
    )


_LIMITS: tuple[tuple[str, Callable[[Any, Any], bool], str], ...] = (
    ("minimum", lambda v, n: v >= n, "is below its minimum"),
    ("maximum", lambda v, n: v <= n, "is above its maximum"),
    ("exclusiveMinimum", lambda v, n: v > n, "is not above its exclusive minimum"),
    ("exclusiveMaximum", lambda v, n: v < n, "is not below its exclusive maximum"),
    ("minLength", lambda v, n: len(v) >= n, "is shorter than its minLength"),
    ("maxLength", lambda v, n: len(v) <= n, "is longer than its maxLength"),
    ("minItems", lambda v, n: len(v) >= n, "has fewer items than its minItems"),
    ("maxItems", lambda v, n: len(v) <= n, "has more items than its maxItems"),
)


def _bounds(value: Any, node: Mapping[str, Any]) -> str | None:
    for key, holds, message in _LIMITS:
        if key in node and not holds(value, node[key]):
            return message
    step = node.get("multipleOf")
    if step and fits("number", value) and (value / step) != int(value / step):
        return "is not a multiple of its multipleOf"
    return None


def _pattern(value: Any, node: Mapping[str, Any]) -> str | None:
    try:
        matched = "pattern" not in node or re.search(node["pattern"], value) is not None
    except re.error:  # a pattern Python cannot read: lint judges it (TS501)
        return None
    return None if matched else "does not match its pattern"


def _members(value: Any, node: Mapping[str, Any], types: Mapping[str, Mapping[str, Any]], depth: int) -> str | None:
    """The items of an array, and the properties of an object."""
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            found = problem(item, node["items"], types, depth + 1)
            if found:
                return f"has an item {index} that {found}"
    if isinstance(value, dict) and "properties" in node:
        properties: Mapping[str, Any] = node["properties"]
        for name, schema in properties.items():
            if name not in value:
                if not schema.get("optional"):
                    return f"lacks the key {name!r}"
                continue
            found = problem(value[name], schema, types, depth + 1)
            if found:
                return f"has {name!r}, which {found}"
        extra = [key for key in value if key not in properties]
        if extra and node.get("additionalProperties") in (None, False):
            return f"has the key {extra[0]!r}, which is not a property"
    return None
