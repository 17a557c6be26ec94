"""What an operation's request carries, as tool parameters: its path, query, header and cookie
parameters and its JSON body's properties in one object, and the tool's `http` key saying where
each one goes.

Names on the wire become snake_case parameter names (`petId` -> `pet_id`, `X-Trace` ->
`x_trace`), the wire name kept in `http`. Where two values would have one name (a path `id` and
a body property `id`), both are kept: the later one is named after its place (`body_id`), and
the report says so. A body that is no JSON object of properties (an array, a form, a file) is
one parameter, `body`, the whole request body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from toolspec.compile.shapes.incoming import Change, describe
from toolspec.compile.shapes.where import SourceError, Where
from toolspec.importing.references import References
from toolspec.spec.ir import default_style

LOCATIONS = ("path", "query", "header", "cookie")
IGNORED_HEADERS = ("accept", "content-type", "authorization")
"""Headers OpenAPI says a parameter cannot describe: the client sets them."""
STYLES = ("simple", "label", "matrix", "form", "spaceDelimited", "pipeDelimited", "deepObject")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@dataclass
class Sent:
    """One value a request carries, before it has its parameter's name."""

    wire: str
    location: str
    schema: Any
    required: bool
    where: Where
    style: str | None = None
    explode: bool | None = None
    whole: bool = False


@dataclass
class Request:
    """An operation's request as a tool: its parameters schema, their places, and its `http` key."""

    schema: dict[str, Any]
    places: dict[str, Where]
    http: dict[str, Any]
    changes: list[Change] = field(default_factory=list)


def request(method: str, path: str, operation: Mapping[str, Any], item: Mapping[str, Any], at: Where,
            references: References) -> Request:  # fmt: skip
    """The request of the operation at `at` (item: its path item)."""
    changes: list[Change] = []
    sent = _parameters(operation, item, at, references, changes)
    media = _body(operation, at, references, sent, changes)
    named = _named(sent, at, changes)
    properties: dict[str, Any] = {}
    http_parameters: dict[str, Any] = {}
    for name, value in named.items():
        properties[name] = value.schema
        http_parameters[name] = _where_sent(name, value)
    schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name, value in named.items() if value.required],
        "additionalProperties": False,
    }
    http: dict[str, Any] = {"method": method, "path": path}
    if http_parameters:
        http["parameters"] = http_parameters
    if media is not None:
        http["body"] = media
    return Request(schema, {name: value.where for name, value in named.items()}, http, changes)


def snake_case(wire: str) -> str:
    """A parameter name from a name on the wire: `petId` -> pet_id, `X-Rate-Limit` -> x_rate_limit."""
    words = _WORD.findall(wire)
    name = "_".join(word.lower() for word in words) or "value"
    return f"p_{name}" if name[0].isdigit() else name


def _parameters(operation: Mapping[str, Any], item: Mapping[str, Any], at: Where, references: References,
                changes: list[Change]) -> list[Sent]:  # fmt: skip
    """The path item's parameters with the operation's, which replace those of the same name and place."""
    found: dict[tuple[str, str], Sent] = {}
    for owner, owner_at in ((item, Where(at.file, at.path[:-1])), (operation, at)):
        listed = owner.get("parameters") or []
        if not isinstance(listed, list):
            raise SourceError(owner_at / "parameters", f"`parameters` must be a list, not {describe(listed)}")
        for index, raw in enumerate(listed):
            parameter, place = _resolved(raw, owner_at.join("parameters", index), references)
            sent = _parameter(parameter, place, at, changes)
            if sent is not None:
                found[(sent.location, sent.wire)] = sent
    return list(found.values())


def _parameter(parameter: Any, at: Where, tool: Where, changes: list[Change]) -> Sent | None:
    if not isinstance(parameter, Mapping):
        raise SourceError(at, f"a parameter must be an object, not {describe(parameter)}")
    wire, location = parameter.get("name"), parameter.get("in")
    if not isinstance(wire, str) or not wire:
        raise SourceError(at / "name", f"a parameter's `name` must be a non-empty string, not {describe(wire)}")
    if location not in LOCATIONS:
        raise SourceError(at / "in", f"a parameter is `in` path, query, header or cookie, not {describe(location)}")
    if location == "header" and wire.lower() in IGNORED_HEADERS:
        changes.append(
            Change(
                "dropped", at.relative_to(tool), f"the header {wire!r} left out: the client sets it (as OpenAPI says)"
            )
        )
        return None
    schema = _parameter_schema(parameter, at, tool, changes)
    if isinstance(parameter.get("description"), str) and isinstance(schema, Mapping):
        schema = {**schema, "description": parameter["description"]}
    style, explode = parameter.get("style"), parameter.get("explode")
    if style is not None and style not in STYLES:
        raise SourceError(at / "style", f"`style` is one of {', '.join(STYLES)}, not {describe(style)}")
    if explode is not None and not isinstance(explode, bool):
        raise SourceError(at / "explode", f"`explode` is true or false, not {describe(explode)}")
    required = location == "path" or parameter.get("required") is True
    return Sent(wire, location, schema, required, at, style, explode)


def _parameter_schema(parameter: Mapping[str, Any], at: Where, tool: Where, changes: list[Change]) -> Any:
    if "schema" in parameter:
        return parameter["schema"]
    content = parameter.get("content")
    if isinstance(content, Mapping) and content:
        media, value = next(iter(content.items()))
        changes.append(
            Change("described", at.relative_to(tool), f"the parameter's {media} content: its schema, sent as a value")
        )
        return value.get("schema", {"type": "string"}) if isinstance(value, Mapping) else {"type": "string"}
    changes.append(Change("type", at.relative_to(tool), "the parameter has no schema: a string"))
    return {"type": "string"}


def _body(operation: Mapping[str, Any], at: Where, references: References, sent: list[Sent],
          changes: list[Change]) -> str | None:  # fmt: skip
    """The request body's values added to sent; its media type, or None without one."""
    if "requestBody" not in operation:
        return None
    body, body_at = _resolved(operation["requestBody"], at / "requestBody", references)
    if not isinstance(body, Mapping):
        raise SourceError(body_at, f"`requestBody` must be an object, not {describe(body)}")
    content = body.get("content")
    if not isinstance(content, Mapping) or not content:
        raise SourceError(body_at / "content", "a request body's `content` must name at least one media type")
    media: str = next((m for m in content if _is_json(m)), next(iter(content)))
    if len(content) > 1:
        others = ", ".join(m for m in content if m != media)
        changes.append(
            Change("dropped", (body_at / "content").relative_to(at), f"the body is sent as {media}, not {others}")
        )
    value = content[media] if isinstance(content[media], Mapping) else {}
    schema_at = body_at.join("content", media, "schema")
    schema = value.get("schema", {"type": "string", "description": f"The request body ({media})."})
    required = body.get("required") is True
    if isinstance(body.get("description"), str) and isinstance(schema, Mapping):
        schema = {**schema, "description": body["description"]}
    spread = _object_properties(schema, schema_at, references) if _is_json(media) else None
    if spread is None:
        why = f"a {media} body" if not _is_json(media) else "a JSON body that is no object of properties"
        changes.append(
            Change("body", schema_at.relative_to(at), f"{why}: one parameter, `body`, the whole request body")
        )
        sent.append(Sent("body", "body", schema, required, schema_at, whole=True))
        return media
    if not required and spread[1]:
        changes.append(
            Change(
                "body",
                (body_at / "required").relative_to(at),
                "the request body is optional, its required properties kept required: the tool always sends a body",
            )
        )
    _spread(spread, at, references, sent, changes)
    return media


def _spread(spread: tuple[Mapping[str, Any], set[str], Where], at: Where, references: References, sent: list[Sent],
            changes: list[Change]) -> None:  # fmt: skip
    """The properties of a JSON body object added to sent, those only responses have left out."""
    properties, needed, properties_at = spread
    for name, property_schema in properties.items():
        if references.read_only(property_schema, properties_at / name):
            changes.append(
                Change(
                    "dropped",
                    (properties_at / name).relative_to(at),
                    f"{name!r} left out: it is readOnly, set by the API and never sent",
                )
            )
        else:
            sent.append(Sent(name, "body", property_schema, name in needed, properties_at / name))


def _object_properties(schema: Any, at: Where, references: References
                       ) -> tuple[Mapping[str, Any], set[str], Where] | None:  # fmt: skip
    """A JSON object schema's properties, required names and place; None for any other schema."""
    schema, at = _resolved(schema, at, references)
    if isinstance(schema, Mapping) and "allOf" in schema:
        schema = references.merged(schema, at)
    if not isinstance(schema, Mapping) or schema.get("type", "object") != "object":
        return None
    properties = schema.get("properties")
    if not isinstance(properties, Mapping) or not properties or schema.get("additionalProperties") not in (None, False):
        return None
    if any(key in schema for key in ("oneOf", "anyOf")):
        return None
    required = schema.get("required")
    needed = {name for name in required if isinstance(name, str)} if isinstance(required, list) else set()
    return properties, needed, at / "properties"


def _named(sent: list[Sent], tool: Where, changes: list[Change]) -> dict[str, Sent]:
    """Each value under its parameter name: snake_case, or, where that is taken, prefixed by its place."""
    named: dict[str, Sent] = {}
    for value in sent:
        base = "body" if value.whole else snake_case(value.wire)
        name, number = base, 2
        if name in named:
            name = f"{value.location}_{base}" if not value.whole else "request_body"
            stem = name
            while name in named:
                name, number = f"{stem}_{number}", number + 1
            first = named[base]
            changes.append(
                Change(
                    "renamed",
                    value.where.relative_to(tool),
                    f"the {_what(value)} and the {_what(first)} would both be `{base}`: "
                    f"both kept, this one as `{name}`",
                )
            )
        named[name] = value
    return named


def _what(value: Sent) -> str:
    if value.whole:
        return "request body"
    return f"body property {value.wire!r}" if value.location == "body" else f"{value.location} parameter {value.wire!r}"


def _where_sent(name: str, value: Sent) -> dict[str, Any]:
    """A parameter's entry under `http.parameters`, the defaults left out."""
    entry: dict[str, Any] = {"in": value.location}
    if value.wire != name and not value.whole:
        entry["name"] = value.wire
    style = value.style or default_style(value.location)  # type: ignore[arg-type]
    if value.style is not None and value.style != default_style(value.location):  # type: ignore[arg-type]
        entry["style"] = value.style
    if value.explode is not None and value.explode != (style == "form"):
        entry["explode"] = value.explode
    if value.whole:
        entry["whole"] = True
    return entry


def _resolved(node: Any, at: Where, references: References) -> tuple[Any, Where]:
    """node, or what its chain of `$ref`s points to, with its place."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise SourceError(at / "$ref", f"{ref!r} refers to itself")
        seen.add(ref)
        path, node = references.target(ref, at / "$ref")
        at = Where(at.file, tuple(path))
    return node, at


def _is_json(media: str) -> bool:
    kind = media.split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json") or kind == "*/*"
