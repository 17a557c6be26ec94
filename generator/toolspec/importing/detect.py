"""Find the tools in a source document and tell the shape of each.

A document holds one tool, a list of them, or a container: an MCP `tools/list` result
(`{"tools": [...]}`, bare or inside a JSON-RPC response's `result`), a request body with
`tools`, or the legacy `{"functions": [...]}`. Each tool's shape is told by its own keys, so
one file may mix shapes; `--from` forces one. The shapes and their readers are the registry's
(compile/shapes/), tried in its order, and then the bare function object, which is no API's tool
but the body of a Chat Completions one and what the legacy `functions=[...]` took.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from toolspec.compile import shapes
from toolspec.compile.shapes import Reader
from toolspec.compile.shapes.incoming import Incoming, describe
from toolspec.compile.shapes.where import SourceError, Where
from toolspec.importing import function, openapi

DOCUMENT_SHAPES = (openapi,)
"""Shapes told by a whole document rather than tool by tool: modules with NAME, TOLD_BY,
is_document(data) and read(data, where, path, selection)."""


def shape_names() -> list[str]:
    """What `--from` takes: every tool shape, then every document shape."""
    return [*readers(), *(shape.NAME for shape in DOCUMENT_SHAPES)]


def readers() -> dict[str, Reader]:
    """Shape name -> how to tell and read its tools, in the order they are tried: what `--from` takes."""
    known = {shape.name: shape.reader for shape in shapes.KNOWN_SHAPES if shape.reader is not None}
    return {**known, function.NAME: Reader(function.matches, function.read, function.TOLD_BY)}


_BUILT_IN = "a built-in tool of the API (web search, file search, ...), which has no definition to import"


def tools_of(document: Any, where: Where) -> Iterator[tuple[Any, Where]]:
    """Each tool of a source document, with its place."""
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield item, where / index
        return
    if not isinstance(document, Mapping):
        raise SourceError(where, f"expected a tool or a list of tools, not {describe(document)}")
    for key in ("tools", "functions"):
        if isinstance(document.get(key), list) and "name" not in document:
            yield from tools_of(document[key], where / key)
            return
    result = document.get("result")
    if isinstance(result, Mapping) and isinstance(result.get("tools"), list):
        yield from tools_of(result["tools"], where.join("result", "tools"))
        return
    yield document, where


def read_tool(data: Any, where: Where, forced: str | None) -> Incoming:
    """The tool at where, read as its shape (forced: as that shape, or fail saying why)."""
    if not isinstance(data, Mapping):
        raise SourceError(where, f"a tool is a JSON object, not {describe(data)}")
    if forced is not None:
        reader = readers()[forced]
        if not reader.matches(data):
            raise SourceError(where, f"this is not a {forced} tool: {_looks_like(data)}")
        return reader.read(data, where)
    for reader in readers().values():
        if reader.matches(data):
            return reader.read(data, where)
    raise SourceError(where, f"cannot tell what kind of tool this is: {_looks_like(data)}")


def _looks_like(data: Mapping[str, Any]) -> str:
    if isinstance(data.get("type"), str) and data["type"] not in ("function", "custom"):
        return f"its type is {data['type']!r}, {_BUILT_IN}"
    keys = ", ".join(f"`{key}`" for key in list(data)[:6]) or "no keys"
    told_by = [reader.told_by for reader in readers().values()] + [shape.TOLD_BY for shape in DOCUMENT_SHAPES]
    others, last = told_by[:-1], told_by[-1]
    return f"it has {keys}; a tool has {', '.join(others)} or {last}"
