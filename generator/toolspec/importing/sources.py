"""Read a SOURCE of `toolspec import`: a JSON, JSON Lines or YAML file, or `module:Name` of a
pydantic model.

JSON is read by the json module (a file of thousands of tools takes milliseconds), refusing
what JSON readers would silently accept: a key given twice (the first value lost) and NaN or
Infinity, which are no JSON. JSON Lines (one tool, or one list of tools, per line, as benchmark
and batch files hold them) is read line by line, by its suffix (.jsonl, .ndjson) or because a
.json file holds more than one value. YAML is read by the spec loader, with its YAML 1.2 core
schema.
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
    where = Where(source)
    documents = _documents(raw, source, path.suffix.lower(), where)
    tools = [read_tool(data, at, forced) for document, place in documents for data, at in tools_of(document, place)]
    if not tools:
        raise SourceError(where, "holds no tools")
    return tools


JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


def _documents(raw: bytes, source: str, suffix: str, where: Where) -> list[tuple[Any, Where]]:
    """The documents of a file, each with its place: one, or one per line of JSON Lines (the
    place of a line's value is its index among the lines that hold one, /0 for the first)."""
    if suffix in JSON_LINES_SUFFIXES:
        return _json_lines(_text(raw, source), source, where)
    if suffix == ".json" or (suffix not in (".yaml", ".yml") and raw.lstrip()[:1] in (b"[", b"{")):
        text = _text(raw, source)
        try:
            return [(_json(text, source), where)]
        except SourceError as error:
            if not error.message.startswith(f"invalid JSON: {_EXTRA_DATA}"):
                raise
            return _json_lines(text, source, where)  # a .json file of JSON Lines
    document = parse_document(raw, source)
    if isinstance(document, Diagnostic):
        at = f"{source}:{document.position.line}:{document.position.column}"
        raise SourceError(at, document.message)
    return [(document.data, where)]


_EXTRA_DATA = "Extra data"
"""The json module's message for a second value after the first: JSON Lines, read as JSON."""


def _json_lines(text: str, source: str, where: Where) -> list[tuple[Any, Where]]:
    values: list[tuple[Any, Where]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            values.append((_json(line, source, line=number), where / len(values)))
    return values


def _text(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(source, f"is not UTF-8 (byte {error.start})") from None


def _json(text: str, source: str, *, line: int = 0) -> Any:
    """The JSON value of text; line: the line of the file text is (JSON Lines), 0 for a whole file."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        at = f"{source}:{line or error.lineno}:{error.colno}"
        raise SourceError(at, f"invalid JSON: {error.msg}") from None
    except ValueError as error:
        raise SourceError(f"{source}:{line}" if line else source, f"invalid JSON: {error}") from None
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
