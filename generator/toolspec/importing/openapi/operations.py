"""One OpenAPI operation as an incoming tool: its name, description, effect, request and `http`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolspec.compile.shapes.incoming import Change, Incoming, describe
from toolspec.compile.shapes.where import SourceError, Where
from toolspec.importing.openapi.requests import request
from toolspec.importing.references import References

NAME = "openapi"
METHODS = {"get": "GET", "put": "PUT", "post": "POST", "patch": "PATCH", "delete": "DELETE", "head": "HEAD",
           "options": "OPTIONS"}  # fmt: skip
"""The methods a tool can call; OpenAPI's `trace` is left out, and said so."""
EFFECTS: dict[str, tuple[str, bool | None]] = {
    "GET": ("read", None),
    "HEAD": ("read", None),
    "OPTIONS": ("read", None),
    "PUT": ("write", True),
    "POST": ("write", None),
    "PATCH": ("write", None),
    "DELETE": ("destructive", None),
}
"""What a method does to the world, by HTTP's meaning of it (idempotent None: the language's default)."""
EFFECT_EXTENSION = "x-toolspec-effect"
IDEMPOTENT_EXTENSION = "x-toolspec-idempotent"


@dataclass(frozen=True)
class Operation:
    method: str
    """Upper case: GET, POST, ..."""
    path: str
    data: Mapping[str, Any]
    item: Mapping[str, Any]
    """Its path item, whose parameters it shares."""
    where: Where

    @property
    def operation_id(self) -> str | None:
        value = self.data.get("operationId")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def tags(self) -> tuple[str, ...]:
        tags = self.data.get("tags")
        return tuple(tag for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else ()


def tool(operation: Operation, document: Any, references: References) -> Incoming:
    """The operation as a tool, every difference from the document in its changes."""
    changes: list[Change] = []
    name = operation.operation_id
    if name is None:
        name = _name_from(operation.method, operation.path)
        changes.append(Change("renamed", "/", f"no operationId: named {name} from its method and path"))
    made = request(operation.method, operation.path, operation.data, operation.item, operation.where, references)
    changes.extend(made.changes)
    incoming = Incoming(NAME, operation.where, name, _description(operation.data, changes))
    incoming.parameters = made.schema
    incoming.parameters_at = operation.where
    incoming.places = made.places
    incoming.document = document
    incoming.requests_only = True
    incoming.http = made.http
    incoming.tags = operation.tags
    incoming.effect, incoming.idempotent = _effect(operation, changes)
    for key in ("callbacks", "servers"):
        if key in operation.data:
            changes.append(Change("dropped", f"/{key}", _DROPPED[key]))
    incoming.changes = changes
    return incoming


_DROPPED = {
    "callbacks": "`callbacks` dropped: they are requests the API makes, not calls of the tool",
    "servers": "the operation's own `servers` dropped: every tool of a toolset calls the one base_url",
}


def _name_from(method: str, path: str) -> str:
    words = [re.sub(r"[^A-Za-z0-9]+", "_", part).strip("_") for part in path.split("/")]
    return "_".join([method.lower(), *(word for word in words if word)])[:64]


def _description(data: Mapping[str, Any], changes: list[Change]) -> str | None:
    summary, text = data.get("summary"), data.get("description")
    parts = [part.strip() for part in (summary, text) if isinstance(part, str) and part.strip()]
    if len(parts) == 2 and parts[1].startswith(parts[0]):
        parts = parts[1:]
    if data.get("deprecated") is True:
        parts.append("Deprecated.")
        changes.append(Change("described", "/deprecated", "deprecated: said in the description"))
    return "\n\n".join(parts) or None


def _effect(operation: Operation, changes: list[Change]) -> tuple[str, bool | None]:
    """The method's effect, overridden by x-openai-isConsequential, then by x-toolspec-effect and -idempotent."""
    data, method = operation.data, operation.method
    effect, idempotent = EFFECTS[method]
    consequential = data.get("x-openai-isConsequential")
    if isinstance(consequential, bool):
        said = ("read", None) if not consequential else (effect, idempotent) if effect != "read" else ("write", None)
        if said[0] != effect:
            changes.append(
                Change(
                    "effect",
                    "/x-openai-isConsequential",
                    f"effect: {said[0]}, not {effect} as {method} is: x-openai-isConsequential is "
                    f"{str(consequential).lower()}",
                )
            )
            effect, idempotent = said
    explicit = data.get(EFFECT_EXTENSION)
    if explicit is not None:
        if explicit not in ("read", "write", "destructive"):
            raise SourceError(
                operation.where / EFFECT_EXTENSION, f"is read, write or destructive, not {describe(explicit)}"
            )
        if explicit != effect:
            changes.append(Change("effect", f"/{EFFECT_EXTENSION}", f"effect: {explicit}, as {EFFECT_EXTENSION} says"))
            effect, idempotent = explicit, None
    said_idempotent = data.get(IDEMPOTENT_EXTENSION)
    if said_idempotent is not None:
        if not isinstance(said_idempotent, bool):
            raise SourceError(
                operation.where / IDEMPOTENT_EXTENSION, f"is true or false, not {describe(said_idempotent)}"
            )
        changes.append(
            Change("effect", f"/{IDEMPOTENT_EXTENSION}", f"idempotent: {str(said_idempotent).lower()}, as it says")
        )
        idempotent = said_idempotent
    return effect, idempotent
