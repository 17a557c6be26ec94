"""Build the intermediate representation of a document's data once it passes the language schema.

What the language schema cannot say (a reference to no named type, `optional` outside a
property, a grammar file that cannot be read) is checked here, reported, and the part listed
as unusable, so that parse.py can leave it out and build again.
"""

from __future__ import annotations

import difflib
import keyword
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from toolspec.spec import ir

if TYPE_CHECKING:
    from toolspec.spec.problems import Problems
    from toolspec.spec.yaml_source import Document, YamlPath

BUILTIN_TYPES = ("string", "integer", "number", "boolean", "object", "array", "null", "any")
TYPE_ALIASES = {
    "dict": "object",
    "map": "object",
    "float": "number",
    "double": "number",
    "decimal": "number",
    "int": "integer",
    "long": "integer",
    "bool": "boolean",
    "str": "string",
    "text": "string",
    "list": "array",
    "tuple": "array",
    "set": "array",
    "none": "null",
    "any": "any",
}
"""Type names written by people and by other tools' type systems (Python's, Java's), and the
language's name of each: lint suggests it, import writes it."""
FORBIDDEN_KEYWORDS = (
    "allOf", "oneOf", "not", "if", "then", "else", "dependentRequired", "dependentSchemas",
    "patternProperties", "unevaluatedProperties", "propertyNames", "minProperties",
    "maxProperties", "unevaluatedItems", "contains", "minContains", "maxContains",
    "uniqueItems", "prefixItems",
)  # fmt: skip


DROPPED: Any = object()
"""Stands in a list for an item left out, so that the items after it keep their YAML paths."""


class Builder:
    """Builds the intermediate representation of a document's data that passes the language
    schema (list items left out are stand-ins, skipped). A part it cannot represent (a reference
    to no type, a grammar file that cannot be read) is reported and listed in `unusable`."""

    def __init__(self, document: Document, data: dict[str, Any], base_dir: Path, problems: Problems) -> None:
        self.document = document
        self.data = data
        self.base_dir = base_dir
        self.problems = problems
        self.unusable: list[YamlPath] = []
        self.type_names = tuple(data.get("types", {}))

    def toolset(self) -> ir.Toolset:
        data = self.data
        if keyword.iskeyword(data["toolset"]):
            self.problems.add(
                "TS103",
                f"{data['toolset']!r} is a Python keyword and cannot name a package",
                ("toolset",),
                at_key=False,
            )
        for name in data.get("types", {}):
            if name in BUILTIN_TYPES:
                self.problems.add(
                    "TS103", f"{name!r} is a built-in type: give the named type another name", ("types", name)
                )
        types = tuple(
            ir.NamedType(name, self.schema(value, ("types", name), in_property=False), ("types", name))
            for name, value in data.get("types", {}).items()
        )
        tools = tuple(self.tool(tool, ("tools", index)) for index, tool in _present(data["tools"]))
        return ir.Toolset(
            name=data["toolset"],
            description=data.get("description"),
            types=types,
            tools=tools,
            http_base_url=data.get("http", {}).get("base_url"),
        )

    def tool(self, data: dict[str, Any], at: YamlPath) -> ir.Tool:
        effect = ir.Effect(data.get("effect", "write"))  # an unknown effect is no read
        idempotent = data.get("idempotent", effect is ir.Effect.READ)
        if data.get("kind") == "custom":
            return ir.CustomTool(
                name=data["name"],
                description=data.get("description"),
                format=self.format(data.get("format", "text"), (*at, "format")),
                at=at,
                python_name=data.get("python_name"),
                effect=effect,
                idempotent=idempotent,
                timeout=data.get("timeout"),
            )
        parameters = self.properties(data.get("parameters", {}), (*at, "parameters"))
        returns = data.get("returns")
        return ir.FunctionTool(
            name=data["name"],
            description=data.get("description"),
            parameters=ir.Object(at=(*at, "parameters"), properties=parameters),
            at=at,
            python_name=data.get("python_name"),
            strict=data.get("strict", True),
            effect=effect,
            idempotent=idempotent,
            timeout=data.get("timeout"),
            examples=tuple(
                ir.Example(example, (*at, "examples", index)) for index, example in _present(data.get("examples", []))
            ),
            returns=None if returns is None else self.schema(returns, (*at, "returns"), in_property=False),
            http=_http(data["http"], (*at, "http")) if "http" in data else None,
        )

    def format(self, data: Any, at: YamlPath) -> ir.TextFormat | ir.GrammarFormat:
        if data == "text":
            return ir.TextFormat()
        if "file" not in data:
            return ir.GrammarFormat(data["syntax"], data["definition"], at)
        definition, problem = _read_grammar(self.base_dir, data["file"])
        if problem:
            self.problems.add(
                "TS104", f"cannot use the grammar file {data['file']!r}: {problem}", (*at, "file"), at_key=False
            )
            self.unusable.append(at)
        return ir.GrammarFormat(data["syntax"], definition, at, file=data["file"])

    def properties(self, data: dict[str, Any], at: YamlPath) -> tuple[ir.Property, ...]:
        return tuple(self.property(name, value, (*at, name)) for name, value in data.items())

    def property(self, name: str, data: dict[str, Any], at: YamlPath) -> ir.Property:
        optional = data.get("optional", False)
        if "default" in data and not optional:
            self.problems.add(
                "TS105", "`default` needs `optional: true`: a required value has no default", (*at, "default")
            )
        return ir.Property(
            name=name,
            schema=self.schema(data, at, in_property=True),
            at=at,
            optional=optional,
            has_default="default" in data,
            default=data.get("default"),
            python_name=data.get("python_name"),
        )

    def schema(self, data: dict[str, Any], at: YamlPath, *, in_property: bool) -> ir.Schema:
        if not in_property:
            for key in ("optional", "default", "python_name"):
                if key in data:
                    self.problems.add(
                        "TS105", f"`{key}` applies to a property or parameter only, not to {_where(at)}", (*at, key)
                    )
        common: dict[str, Any] = {
            "at": at,
            "description": data.get("description"),
            "nullable": data.get("nullable", False),
            "forbidden": {key: data[key] for key in FORBIDDEN_KEYWORDS if key in data},
        }
        if "anyOf" in data:
            branches = tuple(
                self.schema(branch, (*at, "anyOf", index), in_property=False)
                for index, branch in _present(data["anyOf"])
            )
            return ir.Union(any_of=branches, **common)
        kind: str = data["type"] or "null"
        if kind == "array":
            items = self.schema(data["items"], (*at, "items"), in_property=False)
            return ir.Array(items=items, min_items=data.get("minItems"), max_items=data.get("maxItems"), **common)
        if kind == "object":
            additional = data.get("additionalProperties")
            if isinstance(additional, dict):
                additional = self.schema(additional, (*at, "additionalProperties"), in_property=False)
            properties = self.properties(data.get("properties", {}), (*at, "properties"))
            return ir.Object(properties=properties, additional=additional, **common)
        if kind == "any":
            return ir.AnyValue(**common)
        if kind in BUILTIN_TYPES:
            return _scalar(cast(ir.ScalarKind, kind), data, common)
        if kind not in self.type_names:
            self.problems.add("TS106", _unknown_type(kind, self.type_names), (*at, "type"), at_key=False)
            self.unusable.append(at)
        return ir.Reference(name=kind, **common)


def _unknown_type(kind: str, type_names: Collection[str]) -> str:
    """What TS106 says of kind: the language's name for a type another language names so, else
    the nearest name, else the choices."""
    if kind.lower() in TYPE_ALIASES:
        return f"unknown type `{kind}`: the spec language calls it `{TYPE_ALIASES[kind.lower()]}`"
    close = difflib.get_close_matches(kind, [*BUILTIN_TYPES, *type_names], n=1, cutoff=0.6)
    if close:
        return f"unknown type `{kind}` (did you mean `{close[0]}`?)"
    return f"unknown type `{kind}`: define it under `types`, or use one of {', '.join(BUILTIN_TYPES)}"


def _scalar(kind: ir.ScalarKind, data: dict[str, Any], common: dict[str, Any]) -> ir.Scalar:
    return ir.Scalar(
        kind=kind,
        enum=tuple(data["enum"]) if "enum" in data else None,
        const=data.get("const"),
        has_const="const" in data,
        pattern=data.get("pattern"),
        format=data.get("format"),
        min_length=data.get("minLength"),
        max_length=data.get("maxLength"),
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
        exclusive_minimum=data.get("exclusiveMinimum"),
        exclusive_maximum=data.get("exclusiveMaximum"),
        multiple_of=data.get("multipleOf"),
        **common,
    )


def _http(data: dict[str, Any], at: YamlPath) -> ir.HttpBinding:
    parameters = []
    for name, where in data.get("parameters", {}).items():
        location = where["in"]
        style = where.get("style", ir.default_style(location))
        parameters.append(
            ir.HttpParameter(
                parameter=name,
                location=location,
                name=where.get("name", name),
                style=style,
                explode=where.get("explode", style == "form"),
                whole=where.get("whole", False),
                at=(*at, "parameters", name),
            )
        )
    return ir.HttpBinding(
        method=data["method"], path=data["path"], parameters=tuple(parameters), body=data.get("body"), at=at
    )


def _read_grammar(base_dir: Path, name: str) -> tuple[str, str | None]:
    """The text of a grammar file next to its spec, or why it cannot be read."""
    from toolspec.spec.yaml_source import MAX_SPEC_BYTES  # here: the lint rules import this module's keywords

    file = (base_dir / name).resolve()
    if Path(name).is_absolute() or not file.is_relative_to(base_dir.resolve()):
        return (
            "",
            "it must be a relative path inside the spec's directory, so that the spec and its grammar travel together",
        )
    try:
        with file.open("rb") as stream:
            raw = stream.read(MAX_SPEC_BYTES + 1)
    except OSError as error:
        return "", error.strerror or str(error)
    if len(raw) > MAX_SPEC_BYTES:
        return "", f"it is larger than {MAX_SPEC_BYTES:,} bytes"
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return "", "it is not UTF-8"


def _where(at: YamlPath) -> str:
    if at[-1:] == ("items",):
        return "array items"
    if len(at) >= 2 and at[-2] == "anyOf":
        return "an anyOf branch"
    if len(at) >= 2 and at[-2] == "types":
        return "a named type"
    if at[-1:] == ("returns",):
        return "a tool's result"
    return "this schema"


def _present(items: list[Any]) -> list[tuple[int, Any]]:
    return [(index, item) for index, item in enumerate(items) if item is not DROPPED]
