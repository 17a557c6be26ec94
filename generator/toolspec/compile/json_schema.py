"""Emit a tool's `parameters` JSON Schema from the spec.

Two audiences read these schemas. The API gets the strict-mode form: every property
required, optional ones nullable, `additionalProperties: false` everywhere, no `default`.
datamodel-code-generator gets the model form, which differs only where the handler sees
something else than the model sends: an optional property with a default is typed without
null and carries its default under NULL_DEFAULT_KEY, for the model to put in place of null;
an optional property has a default (its default, or None), so that a caller may leave it out
(strict mode sends every key, other callers need not); branch and item descriptions are left out; and every object with
properties that is written in place goes to `$defs` under the name compiled for it (names.inline_class_names),
so that its class is named after its tool and path, never after the order of the tools; a constrained
item, map value or branch carries the name of its type alias as `title`, for the same reason; and named
types go to `$defs` under their class names (names.type_class_name).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any, assert_never

from toolspec.ground.frozen import thaw
from toolspec.runtime._base import NULL_DEFAULT_KEY
from toolspec.spec import ir
from toolspec.spec.walk import referenced_types
from toolspec.spec.yaml_source import YamlPath


class Audience(enum.Enum):
    API = "api"
    MODEL = "model"


def parameters_schema(
    tool: ir.FunctionTool, toolset: ir.Toolset, *, audience: Audience = Audience.API
) -> dict[str, Any]:
    """The tool's `parameters`, with the named types it uses under `$defs`."""
    emitter = _Emitter(strict=tool.strict, audience=audience)
    schema = emitter.emit_parameters(tool.parameters)
    definitions = referenced_types(tool.parameters, toolset)
    if definitions and audience is Audience.API:
        # A named type is one class shared by every tool, typed the strict way (an optional
        # property may be null); only a strict tool sends every key, elsewhere one may be left out.
        shared = _Emitter(strict=True, audience=audience, free_form=True, every_key=tool.strict)
        schema["$defs"] = {named.name: shared.emit(named.schema) for named in definitions}
    return schema


def model_definitions(
    toolset: ir.Toolset,
    class_names: Mapping[str, str],
    inline_classes: Mapping[YamlPath, str] | None = None,
    type_classes: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One JSON Schema whose `$defs` are every argument model of a toolset, its named types and
    its objects written in place (inline_classes: YAML path -> class or alias name; type_classes:
    named type -> class name)."""
    definitions: dict[str, Any] = {}
    hoisted: dict[str, Any] = {}
    types = dict(type_classes or {})
    for tool in toolset.tools:
        if isinstance(tool, ir.FunctionTool):
            emitter = _Emitter(
                strict=tool.strict, audience=Audience.MODEL, inline=(inline_classes or {}, hoisted), type_classes=types
            )
            schema = emitter.emit_parameters(tool.parameters)
            if tool.description:
                schema = {"description": tool.description, **schema}
            definitions[class_names[tool.name]] = schema
    # A named type is shared by strict and non-strict tools alike; it is typed the strict way.
    emitter = _Emitter(
        strict=True, audience=Audience.MODEL, free_form=True, inline=(inline_classes or {}, hoisted), type_classes=types
    )
    for named in toolset.types:
        definitions[types.get(named.name, named.name)] = emitter.emit(named.schema)
    return {"$defs": {**definitions, **hoisted}}


class _Emitter:
    def __init__(
        self,
        *,
        strict: bool,
        audience: Audience,
        free_form: bool = False,
        inline: tuple[Mapping[YamlPath, str], dict[str, Any]] | None = None,
        type_classes: Mapping[str, str] | None = None,
        every_key: bool | None = None,
    ) -> None:
        """inline: the class name of each object written in place (or alias name of each
        constrained value), and the `$defs` they go to; type_classes: the `$defs` name of each
        named type, where it is not the type's name; every_key: whether the API schema requires
        every key (by default, when strict)."""
        self.strict = strict
        self.every_key = strict if every_key is None else every_key
        self.audience = audience
        self.free_form = free_form or not strict
        """Whether an object without properties is a map of any keys; in a strict tool it is an error
        (TS201), and a named type used by a strict tool too."""
        self.parameters: ir.Object | None = None
        self.inline_names, self.hoisted = inline if inline is not None else ({}, {})
        self.type_classes = type_classes or {}

    def emit_parameters(self, parameters: ir.Object) -> dict[str, Any]:
        """A tool's parameters: an object with no properties takes no arguments, it is no free-form map."""
        self.parameters = parameters
        return self.emit(parameters)

    def emit(self, schema: ir.Schema, *, nullable: bool = False, inner: bool = False) -> dict[str, Any]:
        """schema as JSON Schema; inner for array items and union branches."""
        nullable = nullable or schema.nullable
        if inner and self.audience is Audience.MODEL and schema.description is not None:
            # datamodel-code-generator would make a described branch or item a class of its own.
            schema = dataclasses.replace(schema, description=None)
        if isinstance(schema, ir.Object) and schema.at in self.inline_names:
            return self._hoist(schema, self.inline_names[schema.at], nullable)
        match schema:
            case ir.Reference():
                out = self._reference(schema, nullable)
            case ir.Union():
                out = self._union(schema, nullable)
            case ir.Scalar() | ir.Array() | ir.Object():
                out = self._typed(schema, nullable)
            case ir.AnyValue():
                # No type: any JSON value, null included.
                out = {} if schema.description is None else {"description": schema.description}
            case _:
                assert_never(schema)
        out.update(thaw(schema.forbidden))
        if self.audience is Audience.MODEL and schema.at in self.inline_names:
            # datamodel-code-generator names the RootModel it makes of a constrained value after
            # the property; the title gives its alias the name compiled for it (see argument_models).
            out["title"] = self.inline_names[schema.at]
        return out

    def _hoist(self, schema: ir.Object, name: str, nullable: bool) -> dict[str, Any]:
        """A reference to the object's definition, which goes to `$defs` as name."""
        if name not in self.hoisted:
            self.hoisted[name] = {}  # reserved first: the object may contain itself through a type
            self.hoisted[name] = {**self._typed(schema, False), **thaw(schema.forbidden)}
        target = {"$ref": f"#/$defs/{name}"}
        out: dict[str, Any] = {} if schema.description is None else {"description": schema.description}
        if nullable:
            out["anyOf"] = [target, {"type": "null"}]
        else:
            out.update(target)
        return out

    def _typed(self, schema: ir.Scalar | ir.Array | ir.Object, nullable: bool) -> dict[str, Any]:
        if isinstance(schema, ir.Scalar) and schema.has_const and nullable:
            return self._nullable_branches(self._typed(schema, False), schema.description)
        match schema:
            case ir.Scalar():
                out = self._type(schema.kind, nullable, schema.description)
                out.update(self._scalar_keywords(schema, nullable))
            case ir.Array():
                out = self._type("array", nullable, schema.description)
                out["items"] = self.emit(schema.items, inner=True)
                _put(out, "minItems", schema.min_items)
                _put(out, "maxItems", schema.max_items)
            case ir.Object():
                out = self._type("object", nullable, schema.description)
                out.update(self._object_keywords(schema))
            case _:
                assert_never(schema)
        return out

    @staticmethod
    def _type(kind: str, nullable: bool, description: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {"type": [kind, "null"] if nullable and kind != "null" else kind}
        if description is not None:
            out["description"] = description
        return out

    @staticmethod
    def _scalar_keywords(schema: ir.Scalar, nullable: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if schema.enum is not None:
            values = thaw(schema.enum)
            out["enum"] = [*values, None] if nullable and None not in values else values
        if schema.has_const:
            out["const"] = thaw(schema.const)
        for key, value in (
            ("pattern", schema.pattern),
            ("format", schema.format),
            ("minLength", schema.min_length),
            ("maxLength", schema.max_length),
            ("minimum", schema.minimum),
            ("maximum", schema.maximum),
            ("exclusiveMinimum", schema.exclusive_minimum),
            ("exclusiveMaximum", schema.exclusive_maximum),
            ("multipleOf", schema.multiple_of),
        ):
            _put(out, key, value)
        return out

    def _object_keywords(self, schema: ir.Object) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.free_form and not schema.properties and schema.additional is None and schema is not self.parameters:
            # An object without properties is free-form: any keys (strict mode cannot say so: TS201).
            return {"additionalProperties": True}
        if schema.properties or schema.additional is None:
            out["properties"] = {prop.name: self._property(prop) for prop in schema.properties}
            # Strict mode requires every key; the model's optional fields have defaults instead.
            sent = self.every_key and self.audience is Audience.API
            required = [p.name for p in schema.properties if sent or not p.optional]
            out["required"] = required
        if isinstance(schema.additional, bool) or schema.additional is None:
            out["additionalProperties"] = bool(schema.additional)
        else:
            out["additionalProperties"] = self.emit(schema.additional)
        return out

    def _property(self, prop: ir.Property) -> dict[str, Any]:
        if not prop.optional:
            return self.emit(prop.schema)
        # A default of null says the value may be null: the property is simply nullable.
        null_default = prop.has_default and prop.default is None
        if not self.strict:
            out = self.emit(prop.schema, nullable=null_default)
            if prop.has_default:
                out["default"] = thaw(prop.default)
            return out
        if self.audience is Audience.API:
            out = self.emit(prop.schema, nullable=True)
            if not self.every_key and prop.has_default and not null_default:
                out["default"] = thaw(prop.default)  # a key left out is its default
            return out
        # Left out or null, the parameter is its default (or None).
        if prop.has_default and not null_default:
            # Typed without null: the model (see _base.py) puts the default in place of null.
            return {**self.emit(prop.schema), NULL_DEFAULT_KEY: thaw(prop.default), "default": thaw(prop.default)}
        return {**self.emit(prop.schema, nullable=True), "default": None}

    def _union(self, schema: ir.Union, nullable: bool) -> dict[str, Any]:
        branches = [self.emit(branch, inner=True) for branch in schema.any_of]
        if nullable and not any(_is_null(branch) for branch in schema.any_of):
            branches.append({"type": "null"})
        out: dict[str, Any] = {}
        if schema.description is not None:
            out["description"] = schema.description
        out["anyOf"] = branches
        return out

    def _reference(self, schema: ir.Reference, nullable: bool) -> dict[str, Any]:
        target = {"$ref": f"#/$defs/{self.type_classes.get(schema.name, schema.name)}"}
        if not nullable and schema.description is None:
            return target
        # A $ref may have no sibling keywords in strict mode: wrap it.
        if nullable:
            return self._nullable_branches(target, schema.description)
        return {"description": schema.description, "anyOf": [target]}

    @staticmethod
    def _nullable_branches(branch: dict[str, Any], description: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {} if description is None else {"description": description}
        branch = {k: v for k, v in branch.items() if k != "description"}
        out["anyOf"] = [branch, {"type": "null"}]
        return out


def _is_null(schema: ir.Schema) -> bool:
    return isinstance(schema, ir.Scalar) and schema.kind == "null"


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value
