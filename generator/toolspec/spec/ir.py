"""The intermediate representation (IR) of a spec: what every later stage reads.

It keeps everything a spec says (effects, idempotency, examples, the keywords strict mode
forbids) so that linting, compiling, importing and exporting all read the same thing. Nodes
are frozen values, compared by value and hashable, immutable all the way down: the JSON
values they hold (enum and const values, defaults, examples, forbidden keywords) are frozen
(toolspec.ground.frozen: objects as FrozenDicts, arrays as tuples), and thawed where they leave.
Each keeps its YAML path, so that a finding can point at the line it comes from; the file's
text and positions are kept apart, in SpecSource.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeAlias

from toolspec.ground.frozen import EMPTY, freeze

if TYPE_CHECKING:
    from toolspec.ground.frozen import JsonValue
    from toolspec.spec.yaml_source import YamlPath

ScalarKind: TypeAlias = Literal["string", "integer", "number", "boolean", "null"]


class Effect(enum.Enum):
    """What calling a tool does to the world."""

    READ = "read"
    WRITE = "write"
    DESTRUCTIVE = "destructive"


@dataclass(frozen=True, kw_only=True)
class Node:
    """What every schema node has."""

    at: YamlPath
    description: str | None = None
    nullable: bool = False
    forbidden: Mapping[str, JsonValue] = EMPTY
    """Keywords strict mode does not permit, kept as written for non-strict tools."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "forbidden", freeze(self.forbidden))


@dataclass(frozen=True, kw_only=True)
class Scalar(Node):
    kind: ScalarKind
    enum: tuple[JsonValue, ...] | None = None
    const: JsonValue = None
    has_const: bool = False
    pattern: str | None = None
    format: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "enum", None if self.enum is None else freeze(tuple(self.enum)))
        object.__setattr__(self, "const", freeze(self.const))


@dataclass(frozen=True, kw_only=True)
class Array(Node):
    items: Schema
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True, kw_only=True)
class Property:
    """A named member of an object; required unless optional."""

    name: str
    schema: Schema
    at: YamlPath
    optional: bool = False
    has_default: bool = False
    default: JsonValue = None
    python_name: str | None = None
    """The name of its field in Python, where the spec gives one; None: made from name."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "default", freeze(self.default))


@dataclass(frozen=True, kw_only=True)
class Object(Node):
    properties: tuple[Property, ...] = ()
    additional: Schema | bool | None = None
    """A free-form map: true (any values) or the schema of every value."""

    @property
    def is_free_form(self) -> bool:
        """No fixed properties: a map of any keys, or (with `additionalProperties: false`) only {}."""
        return not self.properties or self.additional not in (None, False)


@dataclass(frozen=True, kw_only=True)
class AnyValue(Node):
    """`type: any`: any JSON value, null included (only possible in a `strict: false` tool)."""


@dataclass(frozen=True, kw_only=True)
class Union(Node):
    any_of: tuple[Schema, ...]


@dataclass(frozen=True, kw_only=True)
class Reference(Node):
    """`type: Name`: a named type of the same toolset."""

    name: str


Schema: TypeAlias = Scalar | Array | Object | Union | Reference | AnyValue


@dataclass(frozen=True)
class NamedType:
    name: str
    schema: Schema
    at: YamlPath


@dataclass(frozen=True)
class Example:
    arguments: Mapping[str, JsonValue]
    at: YamlPath

    def __post_init__(self) -> None:
        object.__setattr__(self, "arguments", freeze(self.arguments))


HttpLocation: TypeAlias = Literal["path", "query", "header", "cookie", "body"]
HTTP_METHODS = ("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS")


def default_style(location: HttpLocation) -> str | None:
    """OpenAPI's default serialisation style where the spec names none (a body has none)."""
    return {"path": "simple", "header": "simple", "query": "form", "cookie": "form"}.get(location)


@dataclass(frozen=True, kw_only=True)
class HttpParameter:
    """Where one tool parameter goes in the request, the defaults filled in."""

    parameter: str
    """The tool parameter's name."""
    location: HttpLocation
    name: str
    """Its name on the wire: the path variable, query key, header, cookie, or body property."""
    style: str | None
    """OpenAPI's style; None in the body."""
    explode: bool
    whole: bool = False
    """In the body: the value is the whole request body, not a property of its JSON object."""
    at: YamlPath = ()


@dataclass(frozen=True, kw_only=True)
class HttpBinding:
    """How a tool is called over HTTP (the tool's `http` key)."""

    method: str
    path: str
    parameters: tuple[HttpParameter, ...] = ()
    body: str | None = None
    """The request body's media type, when there is one."""
    at: YamlPath = ()

    def parameter(self, name: str) -> HttpParameter | None:
        return next((p for p in self.parameters if p.parameter == name), None)


@dataclass(frozen=True, kw_only=True)
class FunctionTool:
    name: str
    description: str | None
    parameters: Object
    at: YamlPath
    strict: bool = True
    python_name: str | None = None
    """The tool's name in Python (its handler method), where the spec gives one; None: made from name."""
    effect: Effect = Effect.WRITE
    """A tool whose spec does not say is a write: ordered, and never advertised read-only."""
    idempotent: bool = False
    """The spec's default: true for a read, false otherwise."""
    timeout: float | None = None
    """Seconds a call may run; None: the configured default."""
    examples: tuple[Example, ...] = ()
    returns: Schema | None = None
    """What the handler gives back, where the spec says; the API never sees it."""
    http: HttpBinding | None = None
    """How the tool is called over HTTP, where the spec says (an imported OpenAPI operation)."""


@dataclass(frozen=True)
class TextFormat:
    """A custom tool that takes free text."""


@dataclass(frozen=True)
class GrammarFormat:
    syntax: Literal["lark", "regex"]
    definition: str
    at: YamlPath
    file: str | None = None
    """The file the definition was read from, relative to the spec, if any."""


@dataclass(frozen=True, kw_only=True)
class CustomTool:
    name: str
    description: str | None
    format: TextFormat | GrammarFormat
    at: YamlPath
    python_name: str | None = None
    effect: Effect = Effect.WRITE
    idempotent: bool = False
    timeout: float | None = None


Tool: TypeAlias = FunctionTool | CustomTool


@dataclass(frozen=True)
class Toolset:
    """One spec file."""

    name: str
    description: str | None
    types: tuple[NamedType, ...]
    tools: tuple[Tool, ...]
    http_base_url: str | None = None
    """The URL the tools' `http` paths are appended to, where the spec gives one."""

    def named_type(self, name: str) -> NamedType | None:
        return self._types_by_name.get(name)

    @functools.cached_property
    def _types_by_name(self) -> dict[str, NamedType]:
        """Each name of `types` -> the first type of that name (a second is an error of its own)."""
        by_name: dict[str, NamedType] = {}
        for named in self.types:
            by_name.setdefault(named.name, named)
        return by_name
