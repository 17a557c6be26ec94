"""Read a SOURCE of `toolspec import`: a JSON, JSON Lines or YAML file, or `module:Name` of a
pydantic model.

A file is a document of tools (detect.py tells each one's shape), or a document that is a shape
of its own as a whole (an OpenAPI document: detect.DOCUMENT_SHAPES), told by its keys or forced
with `--from`. A JSON Lines file is a document of tools per line: `tools.jsonl#/2` is the value
of the third line that holds one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toolspec.compile.shapes.where import SourceError, Where
from toolspec.importing import pydantic_model
from toolspec.importing.detect import DOCUMENT_SHAPES, read_tool, tools_of
from toolspec.importing.documents import JsonLines, read_file
from toolspec.importing.openapi import ALL

if TYPE_CHECKING:
    from toolspec.compile.shapes.incoming import Incoming
    from toolspec.importing.openapi import Selection


def read_source(source: str, forced: str | None, selection: Selection = ALL) -> list[Incoming]:
    """The tools of one source, in its order; selection: the operations an OpenAPI document gives."""
    if pydantic_model.is_reference(source):
        _not_selected(source, selection)
        return [pydantic_model.read(source)]
    path = Path(source)
    if not path.exists() and ":" in source:
        raise SourceError(source, "no such file (a pydantic model is named module:Class)")
    document = read_file(path, source)
    where = Where(source)
    for shape in DOCUMENT_SHAPES:
        if forced == shape.NAME or (forced is None and shape.is_document(document)):
            tools: list[Incoming] = shape.read(document, where, path, selection)
            return tools
    _not_selected(source, selection)
    lines = enumerate(document.values) if isinstance(document, JsonLines) else None
    documents = [(value, where / index) for index, value in lines] if lines is not None else [(document, where)]
    tools = [read_tool(data, at, forced) for value, place in documents for data, at in tools_of(value, place)]
    if not tools:
        raise SourceError(where, "holds no tools")
    return tools


def _not_selected(source: str, selection: Selection) -> None:
    if selection:
        raise SourceError(
            source, "--tag and --operation select the operations of an OpenAPI document, and this is none"
        )
