"""Read a SOURCE of `toolspec import`: a JSON or YAML file, or `module:Name` of a pydantic model.

JSON is read by the json module (a file of thousands of tools takes milliseconds), refusing
what JSON readers would silently accept: a key given twice (the first value lost) and NaN or
Infinity, which are no JSON. YAML is read by the spec loader, with its YAML 1.2 core schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolspec.compile.shapes.incoming import Incoming
from toolspec.compile.shapes.where import SourceError, Where
from toolspec.ground.diagnostics import Diagnostic
from toolspec.importing import pydantic_model
from toolspec.importing.detect import read_tool, tools_of
from toolspec.spec.yaml_source import parse_document


def read_source(source: str, forced: str | None) -> list[Incoming]:
    """The tools of one source, in its order."""
    if pydantic_model.is_reference(source):
        return [pydantic_model.read(source)]
    path = Path(source)
    if path.is_dir():
        raise SourceError(source, "is a directory: name the JSON or YAML file of the tools")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        hint = " (a pydantic model is named module:Class)" if ":" in source else ""
        raise SourceError(source, f"no such file{hint}") from None
    except OSError as error:
        raise SourceError(source, error.strerror or str(error)) from None
    document = _parse(raw, source, path.suffix.lower())
    where = Where(source)
    tools = [read_tool(data, at, forced) for data, at in tools_of(document, where)]
    if not tools:
        raise SourceError(where, "holds no tools")
    return tools


def _parse(raw: bytes, source: str, suffix: str) -> Any:
    if suffix == ".json" or (suffix not in (".yaml", ".yml") and raw.lstrip()[:1] in (b"[", b"{")):
        return _json(raw, source)
    document = parse_document(raw, source)
    if isinstance(document, Diagnostic):
        where = f"{source}:{document.position.line}:{document.position.column}"
        raise SourceError(where, document.message)
    return document.data


def _json(raw: bytes, source: str) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(source, f"is not UTF-8 (byte {error.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise SourceError(f"{source}:{error.lineno}:{error.colno}", f"invalid JSON: {error.msg}") from None
    except ValueError as error:
        raise SourceError(source, f"invalid JSON: {error}") from None
    except RecursionError:
        raise SourceError(source, "nested too deeply to be a tool definition") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object, and JSON readers keep only the last")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
