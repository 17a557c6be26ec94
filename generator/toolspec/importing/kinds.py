"""The types a JSON Schema value names, or implies when it names none.

Type names are read as JSON Schema's (aliases such as `dict` too), a missing `type` from the
enum or const values, else from the keywords: each reading is a change noted in the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from toolspec.compile.shapes.incoming import describe
from toolspec.compile.shapes.where import SourceError
from toolspec.importing.defaults import kind_of
from toolspec.importing.keywords import JSON_TYPES
from toolspec.spec.build import TYPE_ALIASES

if TYPE_CHECKING:
    from toolspec.compile.shapes.incoming import Note
    from toolspec.compile.shapes.where import Where

_HINTS = (
    ("object", ("properties", "additionalProperties", "required", "patternProperties", "propertyNames")),
    ("array", ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains")),
    ("string", ("pattern", "format", "minLength", "maxLength")),
    ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
)
"""Keywords that tell the type of a schema that does not state it."""


def stated_kinds(schema: Mapping[str, Any], at: Where, change: Note) -> tuple[list[str], bool]:
    """The types a schema names (aliases such as `dict` read as JSON Schema's), and whether null is one."""
    raw = schema.get("type")
    if raw is None:
        return _inferred(schema, at, change)
    names = raw if isinstance(raw, list) else [raw]
    if not names or not all(isinstance(name, str) for name in names):
        raise SourceError(at / "type", f"`type` must be a type name or a list of them, not {describe(raw)}")
    kinds: list[str] = []
    for name in names:
        kind = _kind(name, at / "type", change)
        if kind not in kinds:
            kinds.append(kind)
    if "any" in kinds:
        return ["any"], False
    nullable = "null" in kinds and len(kinds) > 1
    return [kind for kind in kinds if not (nullable and kind == "null")], nullable


def _kind(name: str, at: Where, change: Note) -> str:
    lowered = name.lower()
    if lowered in JSON_TYPES:
        if lowered != name:
            change("type", at, f"type {name!r} read as {lowered}: JSON Schema's type names are lower case")
        return lowered
    if lowered in TYPE_ALIASES:
        kind = TYPE_ALIASES[lowered]
        change("type", at, f"type {name!r} is no JSON Schema type: read as {kind}")
        return kind
    change("type", at, f"type {name!r} is no JSON Schema type, and not one toolspec knows: read as any value")
    return "any"


def _inferred(schema: Mapping[str, Any], at: Where, change: Note) -> tuple[list[str], bool]:
    """The types of a schema without `type`: its enum or const values', else its keywords'."""
    values = schema.get("enum") if isinstance(schema.get("enum"), list) else None
    if values is None and "const" in schema:
        values = [schema["const"]]
    if values:
        kinds = list(dict.fromkeys(kind_of(value) for value in values))
        nullable = "null" in kinds and len(kinds) > 1
        kinds = [kind for kind in kinds if not (nullable and kind == "null")]
        what = "enum" if "enum" in schema else "const"
        change("type", at, f"no `type`: read as {' or '.join(kinds)}, the type of its {what} values")
        return kinds, nullable
    for kind, hints in _HINTS:
        if any(hint in schema for hint in hints):
            change("type", at, f"no `type`: read as {kind}, the type its keywords apply to")
            return [kind], False
    return ["any"], False
