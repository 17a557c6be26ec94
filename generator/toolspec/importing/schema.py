"""JSON Schema, as real tool definitions write it, turned into the schemas of a spec.

One converter per tool walks its schema once. Each value comes out as the spec language says it
(`type: string`, `optional: true`, `type: Address` for a `$ref`, `anyOf` for `oneOf` or for an
enum of mixed types), and every difference from the source is a Change with its reason: the
converter never drops a keyword, a default or a name without one. What strict mode cannot take
(free-form objects, values of any type, the keywords of keywords.KEPT) is kept as written, and
the tool is then `strict: false`; the reasons say so.
"""

from __future__ import annotations

import dataclasses
import json
import keyword
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from toolspec.compile.names import pascal_case
from toolspec.compile.shapes.incoming import Change, describe
from toolspec.compile.shapes.where import SourceError, Where
from toolspec.importing.defaults import fits
from toolspec.importing.descriptions import converted_description, joined
from toolspec.importing.keywords import (
    ANNOTATIONS,
    BY_TYPE,
    DESCRIBED,
    KEPT,
    STRUCTURE,
    keyword_types,
    ordered,
)
from toolspec.importing.kinds import stated_kinds
from toolspec.importing.named_types import Scope
from toolspec.importing.properties import add_python_names, put_default, required_names
from toolspec.importing.references import References, names
from toolspec.importing.scalar_keywords import ScalarKeywords

if TYPE_CHECKING:
    from toolspec.compile.shapes.incoming import Incoming
    from toolspec.importing.named_types import NamedTypes


class SchemaConverter:
    """The schemas of one tool; changes go to the tool's report, named types to the toolset's."""

    def __init__(self, incoming: Incoming, *, types: NamedTypes, tool_name: str, in_result: bool = False) -> None:
        """in_result: convert what the tool returns (incoming.returns), which strict mode never sees."""
        shared = incoming.document is not None
        root, root_at = (
            (incoming.returns, incoming.returns_at) if in_result else (incoming.parameters, incoming.parameters_at)
        )
        self.in_result = in_result
        self.root_at = Where(incoming.where.file) if shared else (root_at or incoming.where)
        self.tool = incoming.where
        self.types = types
        self.strict_form = incoming.strict_form and not in_result
        self.tool_name = tool_name
        self.places = {} if in_result else incoming.places
        """Parameter -> its place, where it is not under the parameters schema (see Incoming.places)."""
        self.requests_only = incoming.requests_only and not in_result  # a response carries readOnly ones
        self.shared_refs = shared
        """The `$ref`s point into a document all the tools share (OpenAPI's): one named type per
        `$ref` for every tool, instead of one per tool."""
        self.changes: list[Change] = []
        self.scope = Scope()
        self.tool_scope = self.scope
        self.local: dict[str, str] = {}
        """`$ref` -> the named type it became, for this tool."""
        self.references = References(incoming.document if shared else root, self.change)
        """The tool's whole parameters (or result) schema, which `$ref`s point into."""
        self.strict = incoming.strict is not False
        """Whether the tool is to be strict (its source does not say `strict: false`)."""
        self.scalars = ScalarKeywords(self.change, strict=self.strict)
        self.optional_notes: list[tuple[int, str]] = []
        """The changes (their index) that say a parameter is optional, worded for self.strict until
        settle_strictness, with what they say of its default."""

    # Reporting

    def change(self, kind: str, at: Where, message: str) -> None:
        self.changes.append(Change(kind, at.relative_to(self.tool), message))

    def loose(self, kind: str, at: Where, reason: str, message: str) -> None:
        """Something strict mode cannot take, kept: the tool (or the named type being converted) needs strict: false
        (unless it is in the tool's result, which strict mode never sees)."""
        if self.in_result and self.scope is self.tool_scope:
            self.change(kind, at, message)
            return
        self.scope.reasons.append(f"{reason} ({at.relative_to(self.tool)})")
        self.change(kind, at, f"{message}; the tool is strict: false")

    def non_strict_reasons(self) -> list[str]:
        return [*self.tool_scope.reasons, *self.types.reasons(self.tool_scope.refs)]

    def settle_strictness(self, strict: bool) -> None:
        """Word the notes of the optional parameters for the tool's strictness, known only once its
        whole schema is converted: a free-form object anywhere makes a tool strict: false."""
        for index, default in self.optional_notes:
            self.changes[index] = dataclasses.replace(self.changes[index], message=_not_required(strict, default))

    # Schemas

    def parameters(self, schema: Any, at: Where) -> dict[str, Any]:
        """A tool's parameters: the properties of its root object. What the root says besides
        them has no place in a spec, and is reported."""
        if schema is None:
            return {}
        if not isinstance(schema, Mapping):
            raise SourceError(at, f"the parameters must be a JSON Schema object, not {describe(schema)}")
        if "allOf" in schema:
            schema = self.references.merged(schema, at)
        if "$ref" in schema:
            target = self.references.object_target(schema["$ref"], at / "$ref")
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
        kinds = stated_kinds(schema, at, self.change)[0] if "type" in schema else ["object"]
        if kinds != ["object"]:
            raise SourceError(at / "type", f"the parameters must be an object schema, not {' or '.join(kinds)}")
        properties = schema.get("properties") or {}
        if not isinstance(properties, Mapping):
            raise SourceError(at / "properties", f"`properties` must be a JSON object, not {describe(properties)}")
        required = required_names(schema, properties, at, self.change)
        out = self.properties(properties, required, at / "properties", self.places, root=True)
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
            schema = self.references.merged(schema, at)
        if "$ref" in schema:
            return ordered(self._reference(schema, at, place))
        if "anyOf" in schema or "oneOf" in schema:
            return ordered(self._union(schema, at, place))
        kinds, nullable = stated_kinds(schema, at, self.change)
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
                self.scalars.keyword(kind, key, schema[key], out, at, sentences)
        self.scalars.draft4_bounds(schema, out, at)
        rest = {key: value for key, value in schema.items() if key not in BY_TYPE[kind]}
        self._common(rest, out, at, place, sentences)
        return out

    # Keywords

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
        description = converted_description(rest, at, place, self.change)
        if sentences:
            description = joined(description, " ".join(sentences))
        if description is not None:
            out["description"] = description

    def _keyword(self, key: str, value: Any, out: dict[str, Any], at: Where, sentences: list[str]) -> None:
        kind = out.get("type")
        if key in KEPT and (kind in BY_TYPE or "anyOf" in out):
            out[key] = self.references.inlined(value, at, ())
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

    def _object(self, schema: Mapping[str, Any], out: dict[str, Any], at: Where) -> None:
        properties = schema.get("properties")
        if properties is not None and not isinstance(properties, Mapping):
            raise SourceError(at / "properties", f"`properties` must be a JSON object, not {describe(properties)}")
        additional = schema.get("additionalProperties")
        if not isinstance(additional, Mapping | bool | None):
            raise SourceError(at / "additionalProperties", f"must be a schema or a boolean, not {describe(additional)}")
        if properties:
            out["properties"] = self.properties(
                properties, required_names(schema, properties, at, self.change), at / "properties"
            )
        elif additional is not False and names(schema.get("required")):
            out["properties"] = {name: {"type": "any"} for name in names(schema.get("required"))}
            self.change("required", at / "required", _MUST_HAVE)
        if additional is None and properties:
            self.change("closed", at, _RESULT_CLOSED if self.in_result else _CLOSED)
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
            out["prefixItems"] = self.references.inlined(items, at / "items", ())
            self.loose("kept", at / "items", "a tuple", "a list of `items` (a tuple) kept as prefixItems")
        elif items is None:
            out["items"] = {"type": "any"}
            self.loose("any", at, "items of any type", "an array without `items`: items of `type: any`")
        else:
            out["items"] = self.node(items, at / "items", "items")
        for key in ("minItems", "maxItems"):
            if key in schema:
                self.scalars.keyword("array", key, schema[key], out, at, [])

    def properties(self, properties: Mapping[str, Any], required: set[str], at: Where,
                   places: Mapping[str, Where] = {}, *, root: bool = False) -> dict[str, Any]:  # fmt: skip
        """root: the tool's parameters, sent whatever their schemas say of readOnly."""
        out: dict[str, Any] = {}
        for name, raw in properties.items():
            where = places.get(name, at / name)
            if self.requests_only and not root and self.references.read_only(raw, where):
                self.change("dropped", where, f"{name!r} left out: it is readOnly, set by the API and never sent")
                continue
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
                put_default(schema, node, optional, where, self.types.nodes, self.change)
                if isinstance(schema, Mapping) and "default" in schema
                else ""
            )
            if optional:
                node["optional"] = True
                if name not in required and self.in_result:
                    self.change(
                        "optional", where, f"not in `required`: optional: true (the result may leave it out){default}"
                    )
                elif name not in required:
                    self.optional_notes.append((len(self.changes), default))
                    self.change("optional", where, _not_required(self.strict, default))
            if not name.isidentifier() or keyword.iskeyword(name):
                self.change(
                    "alias",
                    where,
                    f"{name!r} is no Python name: the API keeps it, and the argument model's field has it as its alias",
                )
            out[name] = ordered(node)
        add_python_names(out, at, self.change)
        return out

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
            out["oneOf"] = self.references.inlined(schema["oneOf"], at / "oneOf", ())
            self.loose("kept", at / "oneOf", "`oneOf` beside `anyOf`", "`oneOf` beside `anyOf` kept as written")
        inner = out.pop("description", None)
        self._common({k: v for k, v in schema.items() if k in own and k != "oneOf" or k in ANNOTATIONS}, out, at, place)
        if inner is not None and out.get("description") != inner:
            out["description"] = joined(out.get("description"), inner)
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
        shared = (self.tool.file, ref)
        if self.shared_refs and shared in self.types.by_ref:
            self.local[ref] = self.types.by_ref[shared]
            self.scope.refs.add(self.local[ref])
            return self.local[ref]
        path, target = self.references.target(ref, at)
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
        if self.shared_refs:
            self.types.by_ref[shared] = final
        self.scope.refs.add(final)
        same = " (the same as another tool's)" if final != name else ""
        renamed = f"; {suggested!r} is taken by a type that differs" if final != suggested and not same else ""
        self.change("named-type", at, f"{ref!r} written as the named type {final} under `types`{same}{renamed}")
        return final


_MUST_HAVE = (
    "the keys a free-form object must have written as properties of `type: any`, beside "
    "additionalProperties: true, which is how a spec says so"
)

_CLOSED = (
    "other keys refused (additionalProperties: false), as strict mode refuses them; "
    "the source left the object open, as JSON Schema does unless told otherwise"
)

_RESULT_CLOSED = (
    "other keys refused (additionalProperties: false): the result model holds the handler to the keys listed; "
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
    "result": "a tool's result",
}


def _what(out: Mapping[str, Any]) -> str:
    kind = out.get("type")
    if kind in BY_TYPE:
        return f"type {kind}"
    return "an anyOf" if "anyOf" in out else "a named type"


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


def _not_required(strict: bool, default: str) -> str:
    """The note of a parameter not in `required`: how a strict tool's model and another's send no value differ."""
    sent = "strict mode sends null for it" if strict else "the model may leave it out"
    return f"not in `required`: optional: true ({sent}){default}"
