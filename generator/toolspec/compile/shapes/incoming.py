"""A tool as a source shape gives it, before its schemas are made strict: what every shape reader returns.

Each shape's reader (in compile/shapes/, and function.py and pydantic_model.py here) only knows
where its tools keep their name, description and schema; the normaliser reads the schema the
same way whatever shape it came in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from toolspec.compile.shapes.where import SourceError, Where


@dataclass(frozen=True)
class Change:
    """One difference between a source and its spec, at a place of the tool's source."""

    kind: str
    """What sort of change: optional, renamed, named-type, free-form, described, kept, dropped, ..."""
    at: str
    """The JSON pointer of the changed value, from the tool (e.g. /function/parameters/properties/units)."""
    message: str
    """What was done and why, in a sentence a reviewer can act on."""


Note = Callable[[str, Where, str], None]
"""How a part of the schema converter notes a Change: its kind, where in the source, the message."""


@dataclass
class Incoming:
    shape: str
    where: Where
    """The tool's place in its source."""
    name: str
    description: str | None
    kind: Literal["function", "custom"] = "function"
    parameters: Any = None
    """The JSON Schema of the arguments; None: the tool takes none."""
    parameters_at: Where | None = None
    format: Any = "text"
    """A custom tool's format, as the spec writes it."""
    strict: bool | None = None
    """What the source says; None: it does not say."""
    strict_form: bool = False
    """The schema is written in OpenAI's strict form, where an optional argument is required and
    nullable: true for a strict Responses or Chat Completions tool."""
    effect: str | None = None
    """None: the source does not say what the tool does."""
    idempotent: bool | None = None
    changes: list[Change] = field(default_factory=list)
    document: Any = None
    """The whole document its schema's `$ref`s point into (an OpenAPI document); None: the
    parameters schema itself."""
    places: dict[str, Where] = field(default_factory=dict)
    """Parameter -> its place in the source, where it is not under the parameters schema (an
    OpenAPI operation's parameters and request body)."""
    requests_only: bool = False
    """Its schemas describe requests and responses both (OpenAPI's): `readOnly` properties,
    which only responses carry, are left out."""
    http: dict[str, Any] | None = None
    """How the tool is called over HTTP, as the spec's `http` key writes it."""
    base_url: str | None = None
    """The URL its API is at, where the source gives one (an OpenAPI document's first server)."""
    tags: tuple[str, ...] = ()
    """Its OpenAPI operation's tags: the first picks its toolset with --split-by-tag."""
    notes: tuple[str, ...] = ()
    """What holds for its whole source (an OpenAPI document's servers and security schemes)."""


def flat_function(shape: str, data: Mapping[str, Any], where: Where, schema_key: str) -> Incoming:
    """A function tool whose name, description and schema (under schema_key) sit at the top of data."""
    name = text(data.get("name"), where / "name", "a tool's `name`", required=True)
    assert name is not None
    description = text(data.get("description"), where / "description", "`description`", required=False)
    tool = Incoming(shape, where, name, description, parameters=data.get(schema_key))
    tool.parameters_at = where / schema_key
    return tool


def mapping(value: Any, where: Where, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SourceError(where, f"{what} must be a JSON object, not {describe(value)}")
    return value


def text(value: Any, where: Where, what: str, *, required: bool) -> str | None:
    """A string field of a tool: its name (required) or its description."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        raise SourceError(where, f"{what} must be a {'non-empty ' * required}string, not {describe(value)}")
    return value


def strict_flag(value: Any, where: Where) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise SourceError(where, f"`strict` must be true or false, not {describe(value)}")


def drop_unknown(data: Mapping[str, Any], known: Iterable[str], tool: Where, at: Where, changes: list[Change]) -> None:
    """Report each key of data the spec language has no place for: nothing is dropped silently."""
    keys = set(known)
    for key in data:
        if key not in keys:
            changes.append(
                Change(
                    "dropped",
                    (at / key).relative_to(tool),
                    f"`{key}` dropped: the spec language has no place for it ({_shown(data[key])})",
                )
            )


def describe(value: Any) -> str:
    """What a wrong value is, for a message: `a list`, `the number 5`, ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {_shown(value)}"
    return "a list" if isinstance(value, list) else "an object"


def _shown(value: Any, limit: int = 60) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def custom_format(value: Any, where: Where, *, nested: bool) -> Any:
    """A custom tool's `format` as the spec writes it: `text`, or {syntax, definition}. Chat
    Completions nests the grammar under `grammar` (nested), Responses does not."""
    if value is None:
        return "text"
    fmt = mapping(value, where, "`format`")
    if fmt.get("type") == "text":
        return "text"
    if fmt.get("type") != "grammar":
        raise SourceError(where / "type", f"a custom tool's format is text or grammar, not {describe(fmt.get('type'))}")
    grammar = mapping(fmt.get("grammar"), where / "grammar", "`grammar`") if nested else fmt
    at = where / "grammar" if nested else where
    syntax = grammar.get("syntax")
    if syntax not in ("lark", "regex"):
        raise SourceError(at / "syntax", f"a grammar's syntax is lark or regex, not {describe(syntax)}")
    definition = text(grammar.get("definition"), at / "definition", "a grammar's `definition`", required=True)
    return {"syntax": syntax, "definition": definition}
