"""JSON Schema, as real tool definitions write it, turned into the schemas of a spec.

One converter per tool walks its schema once. Each value comes out as the spec language says it
(`type: string`, `optional: true`, `type: Address` for a `$ref`, `anyOf` for `oneOf` or for an
enum of mixed types), and every difference from the source is a Change with its reason: the
converter never drops a keyword, a default or a name without one. What strict mode cannot take
(free-form objects, values of any type, the keywords of keywords.KEPT) is kept as written, and
the tool is then `strict: false`; the reasons say so.
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Mapping
from typing import Any

from toolspec.compile.names import derived_field_name, pascal_case, python_name_problem
from toolspec.importing.defaults import fits, kind_of, problem
from toolspec.importing.incoming import describe
from toolspec.importing.keywords import (
    ANNOTATIONS,
    BY_TYPE,
    DESCRIBED,
    JSON_TYPES,
    KEPT,
    STRICT_FORMATS,
    STRUCTURE,
    TYPE_ALIASES,
    keyword_types,
)
from toolspec.importing.named_types import NamedTypes, Scope
from toolspec.importing.report import Change
from toolspec.importing.where import SourceError, Where

ORDER = (
    "type", "anyOf", "enum", "const", "format", "pattern", "minLength", "maxLength", "minimum",
    "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf", "items", "minItems", "maxItems",
    "description", "properties", "additionalProperties", "nullable", "optional", "default", "python_name", *KEPT,
)  # fmt: skip
"""The order of a spec schema's keys: what the value is, what it means (before an object's
properties, which may be long), then how it is passed."""

LONG_DESCRIPTION = 1024
"""A description longer than this is reported: lint warns of a tool's (TS403), the import of a value's."""

_HINTS = (
    ("object", ("properties", "additionalProperties", "required", "patternProperties", "propertyNames")),
    ("array", ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains")),
    ("string", ("pattern", "format", "minLength", "maxLength")),
    ("number", ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")),
)
"""Keywords that tell the type of a schema that does not state it."""


class SchemaConverter:
    """The schemas of one tool; changes go to the tool's report, named types to the toolset's."""

    def __init__(
        self, *, root: Any, root_at: Where, tool: Where, types: NamedTypes, strict_form: bool, tool_name: str
    ) -> None:
        self.root = root
        """The tool's whole parameters schema, which `$ref`s point into."""
        self.root_at = root_at
        self.tool = tool
        self.types = types
        self.strict_form = strict_form
        self.tool_name = tool_name
        self.changes: list[Change] = []
        self.scope = Scope()
        self.tool_scope = self.scope
        self.local: dict[str, str] = {}
        """`$ref` -> the named type it became, for this tool."""

    # Reporting

    def change(self, kind: str, at: Where, message: str) -> None:
        self.changes.append(Change(kind, at.relative_to(self.tool), message))

    def loose(self, kind: str, at: Where, reason: str, message: str) -> None:
        """Something strict mode cannot take, kept: the tool (or the named type being converted) needs strict: false."""
        self.scope.reasons.append(f"{reason} ({at.relative_to(self.tool)})")
        self.change(kind, at, f"{message}; the tool is strict: false")

    def non_strict_reasons(self) -> list[str]:
        return [*self.tool_scope.reasons, *self.types.reasons(self.tool_scope.refs)]

    # Schemas

    def parameters(self, schema: Any, at: Where) -> dict[str, Any]:
        """A tool's parameters: the properties of its root object. What the root says besides
        them has no place in a spec, and is reported."""
        if schema is None:
            return {}
        if not isinstance(schema, Mapping):
            raise SourceError(at, f"the parameters must be a JSON Schema object, not {describe(schema)}")
        if "allOf" in schema:
            schema = self._merged(schema, at)
        if "$ref" in schema:
            target = self._object_target(schema["$ref"], at / "$ref")
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            self.change(
                "named-type",
                at / "$ref",
                "the parameters' $ref written out in place: a tool's parameters are no named type",
            )
        if "anyOf" in schema or "oneOf" in schema:
            raise SourceError(
                at, "the parameters must be one object schema: strict mode takes no anyOf or oneOf at the root"
            )
        kinds = self._kinds(schema, at)[0] if "type" in schema else ["object"]
        if kinds != ["object"]:
            raise SourceError(at / "type", f"the parameters must be an object schema, not {' or '.join(kinds)}")
        properties = schema.get("properties") or {}
        if not isinstance(properties, Mapping):
            raise SourceError(at / "properties", f"`properties` must be a JSON object, not {describe(properties)}")
        out = self.properties(properties, self.required(schema, properties, at), at / "properties")
        self._root_rest(schema, bool(properties), at)
        return out

    def _root_rest(self, schema: Mapping[str, Any], has_properties: bool, at: Where) -> None:
        additional = schema.get("additionalProperties")
        if additional is None:
            self.change("closed", at, _CLOSED if has_properties else _NO_ARGUMENTS)
        elif additional is not False:
            self.change("dropped", at / "additionalProperties", _ROOT_ADDITIONAL)
        for key in ("$defs", "definitions"):
            definitions = schema.get(key)
            for name in definitions if isinstance(definitions, Mapping) else ():
                if not any(ref.split("/")[1:3] == [key, name] for ref in self.local):
                    self.change("dropped", at.join(key, name), f"the definition {name!r} dropped: no parameter uses it")
        for key, value in schema.items():
            if key in ("title", "description"):
                self.change(
                    "dropped",
                    at / key,
                    f"the parameters' `{key}` dropped: the tool's description is what the model reads",
                )
            elif key not in ("type", "properties", "required", "additionalProperties", "$defs", "definitions"):
                sentence = f" ({json.dumps(value, ensure_ascii=False)[:80]})"
                self.change(
                    "dropped",
                    at / key,
                    f"`{key}` dropped: a tool's parameters are names and their schemas, nothing else{sentence}",
                )

    def node(self, schema: Any, at: Where, place: str) -> dict[str, Any]:
        """schema as a spec schema; place: property, items, branch, named, additional."""
        if isinstance(schema, bool):
            return self._boolean(schema, at)
        if not isinstance(schema, Mapping):
            raise SourceError(at, f"a schema must be a JSON object, not {describe(schema)}")
        if "allOf" in schema:
            schema = self._merged(schema, at)
        if "$ref" in schema:
            return ordered(self._reference(schema, at, place))
        if "anyOf" in schema or "oneOf" in schema:
            return ordered(self._union(schema, at, place))
        kinds, nullable = self._kinds(schema, at)
        out = self._split(schema, kinds, at, place) if len(kinds) > 1 else self._typed(kinds[0], schema, at, place)
        if (nullable or schema.get("nullable") is True) and out.get("type") not in ("any", "null"):
            out["nullable"] = True
        return ordered(out)

    def _boolean(self, schema: bool, at: Where) -> dict[str, Any]:
        if schema:
            self.loose("any", at, "a value of any type", "`true` (any value) written as `type: any`")
            return {"type": "any"}
        self.loose("kept", at, "a schema no value matches", "`false` (no value) written as `type: any` with `not: {}`")
        return {"type": "any", "not": {}}

    def _kinds(self, schema: Mapping[str, Any], at: Where) -> tuple[list[str], bool]:
        """The types a schema names (aliases such as `dict` read as JSON Schema's), and whether null is one."""
        raw = schema.get("type")
        if raw is None:
            return self._inferred(schema, at)
        names = raw if isinstance(raw, list) else [raw]
        if not names or not all(isinstance(name, str) for name in names):
            raise SourceError(at / "type", f"`type` must be a type name or a list of them, not {describe(raw)}")
        kinds: list[str] = []
        for name in names:
            kind = self._kind(name, at / "type")
            if kind not in kinds:
                kinds.append(kind)
        if "any" in kinds:
            return ["any"], False
        nullable = "null" in kinds and len(kinds) > 1
        return [kind for kind in kinds if not (nullable and kind == "null")], nullable

    def _kind(self, name: str, at: Where) -> str:
        lowered = name.lower()
        if lowered in JSON_TYPES:
            if lowered != name:
                self.change("type", at, f"type {name!r} read as {lowered}: JSON Schema's type names are lower case")
            return lowered
        if lowered in TYPE_ALIASES:
            kind = TYPE_ALIASES[lowered]
            self.change("type", at, f"type {name!r} is no JSON Schema type: read as {kind}")
            return kind
        self.change("type", at, f"type {name!r} is no JSON Schema type, and not one toolspec knows: read as any value")
        return "any"

    def _inferred(self, schema: Mapping[str, Any], at: Where) -> tuple[list[str], bool]:
        """The types of a schema without `type`: its enum or const values', else its keywords'."""
        values = schema.get("enum") if isinstance(schema.get("enum"), list) else None
        if values is None and "const" in schema:
            values = [schema["const"]]
        if values:
            kinds = list(dict.fromkeys(kind_of(value) for value in values))
            nullable = "null" in kinds and len(kinds) > 1
            kinds = [kind for kind in kinds if not (nullable and kind == "null")]
            what = "enum" if "enum" in schema else "const"
            self.change("type", at, f"no `type`: read as {' or '.join(kinds)}, the type of its {what} values")
            return kinds, nullable
        for kind, hints in _HINTS:
            if any(hint in schema for hint in hints):
                self.change("type", at, f"no `type`: read as {kind}, the type its keywords apply to")
                return [kind], False
        return ["any"], False

    def _split(self, schema: Mapping[str, Any], kinds: list[str], at: Where, place: str) -> dict[str, Any]:
        """A schema of several types as an anyOf of one branch per type, each with its keywords and enum values."""
        branches = []
        for kind in kinds:
            sub = {key: value for key, value in schema.items() if key in BY_TYPE[kind]}
            if isinstance(sub.get("enum"), list):
                sub["enum"] = [value for value in sub["enum"] if fits(kind, value)]
            if "const" in sub and not fits(kind, sub["const"]):
                del sub["const"]
            branches.append(ordered(self._typed(kind, sub, at, "branch", quiet=True)))
        why = "its enum mixes types" if "type" not in schema else f"it has the types {', '.join(kinds)}"
        self.change("anyOf", at, f"written as anyOf with a branch per type, since {why}")
        rest = {key: value for key, value in schema.items() if key != "type" and not keyword_types(key)}
        out: dict[str, Any] = {"anyOf": branches}
        self._common(rest, out, at, place)
        return out

    def _typed(
        self, kind: str, schema: Mapping[str, Any], at: Where, place: str, *, quiet: bool = False
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"type": kind}
        if kind == "any" and not quiet:
            self.loose("any", at, "a value of no one type", "no type: `type: any`, which strict mode cannot take")
        if kind == "object":
            self._object(schema, out, at)
        elif kind == "array":
            self._array(schema, out, at)
        sentences: list[str] = []
        for key in BY_TYPE[kind]:
            if key in schema and kind not in ("object", "array"):
                self._scalar_keyword(kind, key, schema[key], out, at, sentences)
        self._draft4_bounds(schema, out, at)
        rest = {key: value for key, value in schema.items() if key not in BY_TYPE[kind]}
        self._common(rest, out, at, place, sentences)
        return out

    # Keywords

    def _scalar_keyword(
        self, kind: str, key: str, value: Any, out: dict[str, Any], at: Where, sentences: list[str]
    ) -> None:
        if key == "enum":
            self._enum(kind, value, out, at / key)
        elif key == "const":
            if fits(kind, value):
                out["const"] = value
            else:
                self.change(
                    "dropped", at / key, f"`const` {json.dumps(value)} dropped: it is no {kind}, so it matches nothing"
                )
        elif key == "format":
            self._format(value, out, at / key, sentences)
        elif _valid_keyword(key, value):
            out[key] = value
        else:
            self.change("dropped", at / key, f"`{key}` dropped: {describe(value)} is not what it takes")

    def _enum(self, kind: str, values: Any, out: dict[str, Any], at: Where) -> None:
        if not isinstance(values, list) or not values:
            self.change("dropped", at, f"`enum` dropped: it must be a non-empty list, not {describe(values)}")
            return
        kept: list[Any] = []
        for value in values:
            if value is None and kind != "null":
                out["nullable"] = True
            elif fits(kind, value) and not any(type(v) is type(value) and v == value for v in kept):
                kept.append(value)
        left_out = [v for v in values if not fits(kind, v) and v is not None]
        if left_out:
            shown = ", ".join(json.dumps(v) for v in left_out)
            self.change("enum", at, f"enum values {shown} dropped: they are no {kind}, which `type` requires anyway")
        if len(kept) < len([v for v in values if fits(kind, v)]):
            self.change("enum", at, "repeated enum values written once")
        if kept:
            out["enum"] = kept
        elif "nullable" not in out:
            self.change("dropped", at, f"`enum` dropped: none of its values is {kind}")

    def _format(self, value: Any, out: dict[str, Any], at: Where, sentences: list[str]) -> None:
        if isinstance(value, str) and value in STRICT_FORMATS:
            out["format"] = value
            return
        sentences.append(f"Format: {value}.")
        self.change(
            "described",
            at,
            f"`format: {value}` put in the description: strict mode checks only {', '.join(STRICT_FORMATS)}",
        )

    def _draft4_bounds(self, schema: Mapping[str, Any], out: dict[str, Any], at: Where) -> None:
        """Draft 4's `exclusiveMinimum: true` beside `minimum` is today's `exclusiveMinimum: <minimum>`."""
        for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            if isinstance(schema.get(exclusive), bool):
                out.pop(exclusive, None)
                if schema[exclusive] and bound in out:
                    out[exclusive] = out.pop(bound)
                    self.change(
                        "type",
                        at / exclusive,
                        f"draft 4's `{exclusive}: true` written as `{exclusive}: {out[exclusive]}`",
                    )
                else:
                    self.change(
                        "dropped",
                        at / exclusive,
                        f"`{exclusive}: {str(schema[exclusive]).lower()}` dropped: it says nothing here",
                    )

    def _common(
        self, rest: Mapping[str, Any], out: dict[str, Any], at: Where, place: str, sentences: list[str] | None = None
    ) -> None:
        """The keys every schema may have (description, title, default, annotations, and the
        keywords strict mode lacks), then the description with what was put in it."""
        sentences = [] if sentences is None else sentences
        for key, value in rest.items():
            if key in ("$defs", "definitions"):
                self.change("dropped", at / key, f"`{key}` here is read only through the $refs that point into it")
            if key in ("description", "title", "type", "nullable", "$defs", "definitions", "required"):
                continue
            if key == "default":
                if place != "property":
                    sentences.append(f"Default: {json.dumps(value, ensure_ascii=False)}.")
                    self.change("default", at / key, f"default put in the description: {_PLACES[place]} has no default")
            else:
                self._keyword(key, value, out, at / key, sentences)
        if "required" in rest and out.get("type") != "object" and not isinstance(rest["required"], bool):
            self.change("dropped", at / "required", "`required` dropped: it applies to objects only")
        description = self._description(rest, at, place)
        if sentences:
            description = _joined(description, " ".join(sentences))
        if description is not None:
            out["description"] = description

    def _keyword(self, key: str, value: Any, out: dict[str, Any], at: Where, sentences: list[str]) -> None:
        kind = out.get("type")
        if key in KEPT and (kind in BY_TYPE or "anyOf" in out):
            out[key] = self._inlined(value, at, ())
            self.loose("kept", at, f"`{key}`", f"`{key}` kept as written: strict mode has no `{key}`")
        elif key in DESCRIBED:
            sentence = DESCRIBED[key](value)
            if sentence is None:
                self.change("dropped", at, f"`{key}: {json.dumps(value)}` dropped: it asks nothing")
            else:
                sentences.append(sentence)
                self.change("described", at, f"`{key}` put in the description: strict mode has no `{key}`")
        elif key in ("enum", "const", *KEPT):
            shown = json.dumps(value, ensure_ascii=False)
            sentences.append(f"{'One of' if key == 'enum' else 'Also ' + key}: {shown}.")
            where = f"type {kind}" if kind in BY_TYPE else "its place"
            self.change(
                "described", at, f"`{key}` put in the description: the spec language has no `{key}` for {where}"
            )
        elif key in ANNOTATIONS or key.startswith("x-"):
            self.change("dropped", at, f"`{key}` dropped: an annotation for tools, which the model does not need")
        elif keyword_types(key):
            self.change(
                "dropped", at, f"`{key}` dropped: it does not apply to {_what(out)}, and JSON Schema ignores it there"
            )
        elif key not in STRUCTURE:
            self.change("dropped", at, f"`{key}` dropped: it is no JSON Schema keyword")

    def _description(self, rest: Mapping[str, Any], at: Where, place: str) -> str | None:
        description, title = rest.get("description"), rest.get("title")
        if description is not None and not isinstance(description, str):
            self.change("type", at / "description", "the description was no string: written as JSON text")
            description = json.dumps(description, ensure_ascii=False)
        if description is not None and len(description) > LONG_DESCRIPTION:
            self.change("long", at / "description", f"{len(description):,} characters, kept as they are: {_LONG}")
        if title is None:
            return description
        if description is None and isinstance(title, str) and not _is_generated_title(title, at, place):
            self.change("title", at / "title", "`title` written as the description, which it lacked")
            return title
        self.change("title", at / "title", "`title` dropped: an annotation, which the name or the description says")
        return description

    # Structure

    def _object(self, schema: Mapping[str, Any], out: dict[str, Any], at: Where) -> None:
        properties = schema.get("properties")
        if properties is not None and not isinstance(properties, Mapping):
            raise SourceError(at / "properties", f"`properties` must be a JSON object, not {describe(properties)}")
        additional = schema.get("additionalProperties")
        if not isinstance(additional, Mapping | bool | None):
            raise SourceError(at / "additionalProperties", f"must be a schema or a boolean, not {describe(additional)}")
        if properties:
            out["properties"] = self.properties(properties, self.required(schema, properties, at), at / "properties")
        elif additional is not False and _names(schema.get("required")):
            out["properties"] = {name: {"type": "any"} for name in _names(schema.get("required"))}
            self.change("required", at / "required", _MUST_HAVE)
        if additional is None and properties:
            self.change("closed", at, _CLOSED)
        elif additional is False and not properties:
            out["additionalProperties"] = False
            self.loose("free-form", at, "an object of no keys", "an object that takes no keys, only {}")
        elif additional is not False:
            if isinstance(additional, Mapping):
                out["additionalProperties"] = self.node(additional, at / "additionalProperties", "additional")
            elif additional or "properties" in out:
                out["additionalProperties"] = True
            if isinstance(additional, Mapping):
                what = "an object whose additionalProperties have a schema is a map of any keys to such values"
            else:
                how = "with additionalProperties: true" if additional else "without properties"
                what = f"an object {how} is a map of any keys"
            self.loose("free-form", at, "a free-form object", what)

    def _array(self, schema: Mapping[str, Any], out: dict[str, Any], at: Where) -> None:
        items = schema.get("items")
        if isinstance(items, list):
            out["items"] = {"type": "any"}
            out["prefixItems"] = self._inlined(items, at / "items", ())
            self.loose("kept", at / "items", "a tuple", "a list of `items` (a tuple) kept as prefixItems")
        elif items is None:
            out["items"] = {"type": "any"}
            self.loose("any", at, "items of any type", "an array without `items`: items of `type: any`")
        else:
            out["items"] = self.node(items, at / "items", "items")
        for key in ("minItems", "maxItems"):
            if key in schema:
                self._scalar_keyword("array", key, schema[key], out, at, [])

    def required(self, schema: Mapping[str, Any], properties: Mapping[str, Any], at: Where) -> set[str]:
        """The required property names; names of no property are reported and left out."""
        raw = schema.get("required", [])
        if isinstance(raw, bool):
            raw = []
        if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
            self.change(
                "dropped", at / "required", f"`required` dropped: it must be a list of names, not {describe(raw)}"
            )
            raw = []
        missing = [name for name in raw if name not in properties]
        if missing:
            names = ", ".join(repr(name) for name in dict.fromkeys(missing))
            self.change(
                "required",
                at / "required",
                f"{names} dropped from `required`: no such property; a spec's object has only the properties it lists",
            )
        found = {name for name in raw if name in properties}
        for name, value in properties.items():
            if isinstance(value, Mapping) and value.get("required") is True:
                found.add(name)
                self.change(
                    "required", at / "properties" / name / "required", "draft 3's `required: true` read as required"
                )
        return found

    def properties(self, properties: Mapping[str, Any], required: set[str], at: Where) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, raw in properties.items():
            where = at / name
            schema = (
                {k: v for k, v in raw.items() if not (k == "required" and isinstance(v, bool))}
                if isinstance(raw, Mapping)
                else raw
            )
            node = self.node(schema, where, "property")
            optional = name not in required
            if not optional and self.strict_form and node.get("nullable"):
                del node["nullable"]
                optional = True
                self.change(
                    "optional",
                    where,
                    "required and nullable, strict mode's way of writing an optional argument: optional: true",
                )
            default = (
                self._default(schema, node, optional, where)
                if isinstance(schema, Mapping) and "default" in schema
                else ""
            )
            if optional:
                node["optional"] = True
                if name not in required:
                    self.change(
                        "optional", where, f"not in `required`: optional: true (strict mode sends null for it){default}"
                    )
            if not name.isidentifier() or keyword.iskeyword(name):
                self.change(
                    "alias",
                    where,
                    f"{name!r} is no Python name: the API keeps it, and the argument model's field has it as its alias",
                )
            out[name] = ordered(node)
        self._python_names(out, at)
        return out

    def _python_names(self, properties: dict[str, Any], at: Where) -> None:
        """A `python_name` for each property whose field another property of the object has first
        (`first-name` beside `first_name`): without one, lint refuses the spec (TS309)."""
        fields = {name: derived_field_name(name, properties) for name in properties}
        first: dict[str, str] = {}
        for name, field in fields.items():
            if field not in first:
                first[field] = name
                continue
            taken = set(fields.values()) | {node.get("python_name") for node in properties.values()}
            number = 2
            while f"{field}_{number}" in taken or python_name_problem(f"{field}_{number}", tool=False):
                number += 1
            chosen = f"{field}_{number}"
            properties[name] = ordered({**properties[name], "python_name": chosen})
            self.change(
                "python_name",
                at / name,
                f"{name!r} would be the field {field} of its model, as {first[field]!r} is: python_name: {chosen} "
                "(the API keeps the name)",
            )

    def _default(self, schema: Mapping[str, Any], node: dict[str, Any], optional: bool, at: Where) -> str:
        """Put the default in node, or in its description when it cannot be one; what the optional change should add."""
        value = schema["default"]
        shown = json.dumps(value, ensure_ascii=False)
        if value is None and optional and not node.get("nullable"):
            self.change(
                "default",
                at / "default",
                "`default: null` left out: an optional argument without a default is null already",
            )
            return ""
        if value == "None" and optional and not node.get("nullable"):
            # Python's None, written as text by the many tool lists made from Python signatures
            # (BFCL's among them): the argument has no default, as with `default: null`.
            self.change(
                "default",
                at / "default",
                '`default: "None"` read as Python\'s None and left out: an optional argument without a default '
                "is null already",
            )
            return ""
        found = problem(value, node, self.types.nodes) if optional else "belongs to a required argument, which has none"
        if found is None:
            node["default"] = value
            return f"; its default {shown} kept"
        _append(node, f"Default: {shown}.")
        self.change("default", at / "default", f"default {shown} put in the description: it {found}")
        return ""

    def _union(self, schema: Mapping[str, Any], at: Where, place: str) -> dict[str, Any]:
        key = "anyOf" if "anyOf" in schema else "oneOf"
        branches = schema[key]
        if not isinstance(branches, list) or not branches:
            raise SourceError(at / key, f"`{key}` must be a non-empty list of schemas, not {describe(branches)}")
        if key == "oneOf":
            self.change(
                "anyOf",
                at / key,
                "oneOf written as anyOf: strict mode has no oneOf; they agree unless a value fits several branches",
            )
        own = ("description", "title", "default", "nullable", "$defs", "definitions", "oneOf")
        shared = {k: v for k, v in schema.items() if k != key and k not in own and k not in ANNOTATIONS}
        if shared:
            self.change("anyOf", at, f"{', '.join(f'`{k}`' for k in shared)} beside {key} written into each branch")
        nulls = [b for b in branches if _is_null(b)]
        others = [
            (i, {**shared, **b} if isinstance(b, Mapping) else b) for i, b in enumerate(branches) if not _is_null(b)
        ]
        if not others:
            out: dict[str, Any] = {"type": "null"}
        elif len(others) == 1:
            out = self.node(others[0][1], at.join(key, others[0][0]), "branch")
            self.change("anyOf", at / key, f"{key} of one schema{' and null' if nulls else ''} written as that schema")
        else:
            out = {"anyOf": _flat([self.node(b, at.join(key, i), "branch") for i, b in others])}
        if key == "anyOf" and "oneOf" in schema:
            out["oneOf"] = self._inlined(schema["oneOf"], at / "oneOf", ())
            self.loose("kept", at / "oneOf", "`oneOf` beside `anyOf`", "`oneOf` beside `anyOf` kept as written")
        inner = out.pop("description", None)
        self._common({k: v for k, v in schema.items() if k in own and k != "oneOf" or k in ANNOTATIONS}, out, at, place)
        if inner is not None and out.get("description") != inner:
            out["description"] = _joined(out.get("description"), inner)
        if nulls or schema.get("nullable") is True:
            out["nullable"] = True
        return out

    def _reference(self, schema: Mapping[str, Any], at: Where, place: str) -> dict[str, Any]:
        ref = schema["$ref"]
        if not isinstance(ref, str):
            raise SourceError(at / "$ref", f"`$ref` must be a string, not {describe(ref)}")
        out: dict[str, Any] = {"type": self._named(ref, at / "$ref")}
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        sentences: list[str] = []
        for key, value in list(rest.items()):
            if (
                key not in ("description", "title", "default", "nullable")
                and key not in ANNOTATIONS
                and not key.startswith("x-")
            ):
                del rest[key]
                sentences.append(f"Also {key}: {json.dumps(value, ensure_ascii=False)}.")
                self.change(
                    "described",
                    at / key,
                    f"`{key}` beside a $ref put in the description: a named type takes no keywords where it is used",
                )
        self._common(rest, out, at, place, sentences)
        if schema.get("nullable") is True:
            out["nullable"] = True
        return out

    def _named(self, ref: str, at: Where) -> str:
        """The named type a `$ref` of this tool stands for, converted when first met."""
        if ref in self.local:
            self.scope.refs.add(self.local[ref])
            return self.local[ref]
        path, target = self._target(ref, at)
        suggested = str(path[-1]) if path else pascal_case(self.tool_name) + "Parameters"
        name = self.types.provisional(suggested)
        self.local[ref] = name
        outer, self.scope = self.scope, Scope()
        try:
            node = self.node(target, Where(self.tool.file, (*self.root_at.path, *path)), "named")
        finally:
            scope, self.scope = self.scope, outer
        final = self.types.settle(name, node, scope, suggested)
        self.local[ref] = final
        self.scope.refs.add(final)
        same = " (the same as another tool's)" if final != name else ""
        renamed = f"; {suggested!r} is taken by a type that differs" if final != suggested and not same else ""
        self.change("named-type", at, f"{ref!r} written as the named type {final} under `types`{same}{renamed}")
        return final

    def _target(self, ref: Any, at: Where) -> tuple[list[str], Any]:
        """The schema a `$ref` of this tool points to, and its path from the root."""
        if not isinstance(ref, str):
            raise SourceError(at, f"`$ref` must be a string, not {describe(ref)}")
        if not ref.startswith("#"):
            raise SourceError(
                at, f"{ref!r} refers to another document, which an import cannot follow: inline its schema"
            )
        path = [part.replace("~1", "/").replace("~0", "~") for part in ref[1:].split("/")[1:]]
        node = self.root
        for part in path:
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                raise SourceError(at, f"{ref!r} refers to nothing in the tool's schema")
        return path, node

    def _object_target(self, ref: Any, at: Where) -> Mapping[str, Any]:
        """What a `$ref` points to, which must be a schema object to be merged into another."""
        target = self._target(ref, at)[1]
        if not isinstance(target, Mapping):
            raise SourceError(at, f"{ref!r} refers to {describe(target)}, not to a schema object")
        return target

    def _merged(self, schema: Mapping[str, Any], at: Where) -> dict[str, Any]:
        """allOf's schemas merged into one: they all apply, as every keyword of one schema does."""
        parts = schema["allOf"]
        if not isinstance(parts, list) or not parts or not all(isinstance(part, Mapping) for part in parts):
            raise SourceError(at / "allOf", f"`allOf` must be a non-empty list of schemas, not {describe(parts)}")
        merged = {key: value for key, value in schema.items() if key != "allOf"}
        if len(parts) == 1 and "$ref" in parts[0] and "$ref" not in merged:  # pydantic's way to describe a $ref
            merged.update({k: v for k, v in parts[0].items() if k not in merged})
            return merged
        for index, part in enumerate(parts):
            if "$ref" in part:
                target = self._object_target(part["$ref"], at.join("allOf", index, "$ref"))
                part = {**target, **{k: v for k, v in part.items() if k != "$ref"}}
            if "allOf" in part:
                part = self._merged(part, at.join("allOf", index))
            _merge(
                merged,
                part,
                lambda key: self.change(
                    "described", at / "allOf", f"allOf's schemas disagree on `{key}`: the first kept"
                ),
            )
        self.change("allOf", at / "allOf", f"allOf of {len(parts)} schemas merged into one: strict mode has no allOf")
        return merged

    def _inlined(self, value: Any, at: Where, seen: tuple[str, ...]) -> Any:
        """A kept keyword's value with its `$ref`s replaced by what they point to (the spec keeps it as written)."""
        if isinstance(value, list):
            return [self._inlined(item, at, seen) for item in value]
        if not isinstance(value, Mapping):
            return value
        ref = value.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                self.change("dropped", at, f"the recursive {ref!r} inside a kept keyword dropped (any value there)")
                return {}
            target = self._object_target(ref, at)
            return self._inlined({**target, **{k: v for k, v in value.items() if k != "$ref"}}, at, (*seen, ref))
        return {key: self._inlined(item, at, seen) for key, item in value.items()}


_LONG = "every character costs input tokens on every request that offers the tool; shorten it if it can be"

_MUST_HAVE = (
    "the keys a free-form object must have written as properties of `type: any`, beside "
    "additionalProperties: true, which is how a spec says so"
)

_CLOSED = (
    "other keys refused (additionalProperties: false), as strict mode refuses them; "
    "the source left the object open, as JSON Schema does unless told otherwise"
)

_NO_ARGUMENTS = (
    "takes no arguments, and refuses any (additionalProperties: false); "
    "the source left the object open, as JSON Schema does unless told otherwise"
)

_ROOT_ADDITIONAL = (
    "arguments beyond the listed ones are refused: a spec's parameters are a fixed list, and strict "
    "mode has no other; the model may still be told of them in the description"
)

_PLACES = {
    "items": "an array's items",
    "branch": "an anyOf branch",
    "named": "a named type",
    "additional": "the values of a map",
    "property": "a property",
}


def _names(value: Any) -> list[str]:
    return list(dict.fromkeys(name for name in value if isinstance(name, str))) if isinstance(value, list) else []


def _valid_keyword(key: str, value: Any) -> bool:
    if key == "pattern":
        return isinstance(value, str)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if key in ("minLength", "maxLength", "minItems", "maxItems"):
        return number and float(value).is_integer() and value >= 0
    if key == "multipleOf":
        return number and value > 0
    return number


def _what(out: Mapping[str, Any]) -> str:
    kind = out.get("type")
    if kind in BY_TYPE:
        return f"type {kind}"
    return "an anyOf" if "anyOf" in out else "a named type"


def _is_generated_title(title: str, at: Where, place: str) -> bool:
    """pydantic titles every field after its name (`user_id` -> "User Id"): no description in that."""
    name = str(at.path[-1]) if at.path else ""
    return place in ("property", "named") and _squashed(title) == _squashed(name)


def _squashed(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _is_null(schema: Any) -> bool:
    if not isinstance(schema, Mapping):
        return False
    kind = schema.get("type")
    return kind in ("null", ["null"]) and set(schema) <= {"type", "description", "title"}


def _flat(branches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Branches of branches (an anyOf in an anyOf, or a type list in one) in one list."""
    flat: list[dict[str, Any]] = []
    for branch in branches:
        if set(branch) == {"anyOf"}:
            flat.extend(branch["anyOf"])
        else:
            flat.append(branch)
    return flat


def _merge(merged: dict[str, Any], part: Mapping[str, Any], conflict: Any) -> None:
    """part's keywords into merged: properties and required names joined, others kept first."""
    for key, value in part.items():
        if key == "properties" and isinstance(value, Mapping) and isinstance(merged.get("properties", {}), Mapping):
            merged["properties"] = {**value, **merged.get("properties", {})}
        elif key == "required" and isinstance(value, list) and isinstance(merged.get("required", []), list):
            merged["required"] = [
                *_names(merged.get("required", [])),
                *(n for n in _names(value) if n not in merged.get("required", [])),
            ]
        elif key not in merged:
            merged[key] = value
        elif merged[key] != value and key not in ("description", "title"):
            conflict(key)


def _append(node: dict[str, Any], sentence: str) -> None:
    node["description"] = _joined(node.get("description"), sentence)


def _joined(description: str | None, sentence: str) -> str:
    """The description with a sentence after it (the description's own text unchanged)."""
    if not description:
        return sentence
    return description + ("" if description[-1].isspace() else " ") + sentence


def ordered(node: dict[str, Any]) -> dict[str, Any]:
    """node's keys in ORDER (then any others), so that every spec schema reads the same way."""
    rank = {key: index for index, key in enumerate(ORDER)}
    return {key: node[key] for key in sorted(node, key=lambda key: rank.get(key, len(rank)))}
