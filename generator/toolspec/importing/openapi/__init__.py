"""OpenAPI 3.0 and 3.1 documents as a source of `toolspec import`: one tool per operation.

A document is told by its `openapi` key (or forced with `--from openapi`), and is a shape of its
own as a whole (importing/detect.py's DOCUMENT_SHAPES). bundle.py makes a document split into
files one, operations.py makes each operation an incoming tool, requests.py its parameters and
`http` key; the schemas are then converted as every source's are (importing/schema.py), with
the `$ref`s pointing into the document. Servers and security schemes are no tool parameters:
they are notes of the report, and the first absolute server URL is the toolset's base_url.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from toolspec.compile.shapes.incoming import Incoming, describe
from toolspec.compile.shapes.where import SourceError, Where
from toolspec.importing.openapi.bundle import bundle
from toolspec.importing.openapi.operations import METHODS, NAME, Operation, tool
from toolspec.importing.references import References

__all__ = ["ALL", "NAME", "TOLD_BY", "Selection", "is_document", "read"]

TOLD_BY = "`openapi` (an OpenAPI document)"


@dataclass(frozen=True)
class Selection:
    """The operations to import (--tag, --operation): all of them when both are empty."""

    tags: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.tags or self.operations)

    def takes(self, operation: Operation) -> bool:
        if not self:
            return True
        return bool(set(self.tags) & set(operation.tags)) or operation.operation_id in self.operations


ALL = Selection()
"""Every operation."""


def is_document(data: Any) -> bool:
    return isinstance(data, Mapping) and ("openapi" in data or "swagger" in data)


def read(document: Any, where: Where, path: Path, selection: Selection) -> list[Incoming]:
    """The tools of the selected operations of an OpenAPI document, in the document's order."""
    _check_version(document, where)
    assert isinstance(document, MutableMapping)
    bundle(document, where, path)
    references = References(document, lambda kind, at, message: None)
    found = _operations(document, where, references)
    chosen = [operation for operation in found if selection.takes(operation)]
    _check_selection(selection, found)
    if not chosen:
        webhooks = " (its webhooks are requests the API makes, not operations a tool calls)" * bool(
            document.get("webhooks")
        )
        raise SourceError(where / "paths", f"holds no operations to import{webhooks}")
    notes = tuple(_notes(document, where, found))
    base_url = _base_url(document)
    tools = []
    for operation in chosen:
        incoming = tool(operation, document, references)
        incoming.base_url = base_url
        incoming.notes = notes
        tools.append(incoming)
    return tools


def _check_version(document: Any, where: Where) -> None:
    if not isinstance(document, Mapping):
        raise SourceError(where, f"an OpenAPI document is an object, not {describe(document)}")
    if "openapi" not in document and "swagger" in document:
        raise SourceError(
            where / "swagger",
            f"Swagger {document['swagger']} is not read: convert the document to OpenAPI 3 first "
            "(swagger2openapi does), and import that",
        )
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise SourceError(
            where / "openapi" if "openapi" in document else where,
            f"not an OpenAPI 3.0 or 3.1 document: its `openapi` is {describe(version)}",
        )


def _operations(document: Mapping[str, Any], where: Where, references: References) -> list[Operation]:
    paths = document.get("paths") or {}
    if not isinstance(paths, Mapping):
        raise SourceError(where / "paths", f"`paths` must be an object, not {describe(paths)}")
    found = []
    for path, item in paths.items():
        at = where.join("paths", path)
        if isinstance(item, Mapping) and "$ref" in item:
            item = references.target(item["$ref"], at / "$ref")[1]
        if not isinstance(item, Mapping):
            raise SourceError(at, f"a path item must be an object, not {describe(item)}")
        if not isinstance(path, str) or not path.startswith("/"):
            raise SourceError(at, "a path starts with /")
        for method, data in item.items():
            if method in METHODS:
                if not isinstance(data, Mapping):
                    raise SourceError(at / method, f"an operation must be an object, not {describe(data)}")
                found.append(Operation(METHODS[method], path, data, item, at / method))
    return found


def _check_selection(selection: Selection, found: list[Operation]) -> None:
    tags = {tag for operation in found for tag in operation.tags}
    ids = {operation.operation_id for operation in found}
    for tag in selection.tags:
        if tag not in tags:
            raise SourceError("--tag", f"no operation has the tag {tag!r}; the tags: {_some(sorted(tags))}")
    for operation_id in selection.operations:
        if operation_id not in ids:
            known = sorted(i for i in ids if i is not None)
            raise SourceError("--operation", f"no operation has the operationId {operation_id!r}; they: {_some(known)}")


def _some(names: list[str]) -> str:
    return (", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")) or "none"


def _base_url(document: Mapping[str, Any]) -> str | None:
    """The first server's URL, its variables at their defaults, if it is absolute."""
    url = _first_server(document)
    if url is None:
        return None
    parts = urlsplit(url)
    return url.rstrip("/") if parts.scheme in ("http", "https") and parts.netloc else None


def _first_server(document: Mapping[str, Any]) -> str | None:
    servers = document.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], Mapping):
        return None
    server = servers[0]
    url = server.get("url")
    if not isinstance(url, str):
        return None
    variables = server.get("variables")
    for name, variable in variables.items() if isinstance(variables, Mapping) else ():
        if isinstance(variable, Mapping) and isinstance(variable.get("default"), str | int):
            url = url.replace("{" + name + "}", str(variable["default"]))
    return url


def _notes(document: Mapping[str, Any], where: Where, found: list[Operation]) -> list[str]:
    """What the report says of the whole document: its base URL, security schemes, what is left out."""
    notes = []
    url, base_url = _first_server(document), _base_url(document)
    if base_url is not None:
        notes.append(f"base_url: {base_url}, the document's first server (`http.base_url`)")
    elif url is not None:
        notes.append(f"the document's first server URL, {url!r}, is relative: give the handlers the API's base_url")
    else:
        notes.append("the document names no server: give the handlers the API's base_url")
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    if isinstance(schemes, Mapping) and schemes:
        described = ", ".join(f"{name} ({_scheme(scheme)})" for name, scheme in schemes.items())
        notes.append(
            f"security schemes are not tool parameters: give the handlers the credentials (headers=...): {described}"
        )
    paths = document.get("paths")
    traced = (
        [path for path, item in paths.items() if isinstance(item, Mapping) and "trace" in item]
        if isinstance(paths, Mapping)
        else []
    )
    if traced:
        notes.append(f"TRACE operations left out (a tool calls no TRACE): {', '.join(traced)}")
    if document.get("webhooks"):
        notes.append("webhooks left out: they are requests the API makes, not operations a tool calls")
    return notes


def _scheme(scheme: Any) -> str:
    if not isinstance(scheme, Mapping):
        return "?"
    if scheme.get("type") == "apiKey":
        return f"apiKey in {scheme.get('in')} {scheme.get('name')}"
    if scheme.get("type") == "http":
        return f"http {scheme.get('scheme')}"
    return str(scheme.get("type"))
