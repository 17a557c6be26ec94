"""Read a source file's text as data: JSON by the json module (a file of thousands of tools takes
milliseconds), refusing what JSON readers would silently accept: a key given twice (the first
value lost) and NaN or Infinity, which are no JSON. JSON Lines (one value per line, as benchmark
and batch files hold tools) is read line by line, by its suffix (.jsonl, .ndjson) or because a
.json file holds more than one value. YAML is read by the spec loader, with its YAML 1.2 core
schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolspec.compile.shapes.where import SourceError, Where
from toolspec.ground.diagnostics import Diagnostic
from toolspec.spec.yaml_source import parse_document

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class JsonLines:
    """The data of a JSON Lines file: the value of each line that holds one, in order."""

    values: tuple[Any, ...]


def parse(raw: bytes, source: str, suffix: str) -> Any:
    """The data of a file's bytes: JSON Lines by its suffix, JSON if it says so or looks it (JSON
    Lines if it holds several values), else YAML."""
    if suffix in JSON_LINES_SUFFIXES:
        return _json_lines(_text(raw, source), source)
    if suffix == ".json" or (suffix not in (".yaml", ".yml") and raw.lstrip()[:1] in (b"[", b"{")):
        text = _text(raw, source)
        try:
            return _json(text, source)
        except SourceError as error:
            if not error.message.startswith(f"invalid JSON: {_EXTRA_DATA}"):
                raise
            return _json_lines(text, source)  # a .json file of JSON Lines
    document = parse_document(raw, source)
    if isinstance(document, Diagnostic):
        where = f"{source}:{document.position.line}:{document.position.column}"
        raise SourceError(where, document.message)
    return document.data


_EXTRA_DATA = "Extra data"
"""The json module's message for a second value after the first: JSON Lines, read as JSON."""


def _json_lines(text: str, source: str) -> JsonLines:
    lines = enumerate(text.splitlines(), start=1)
    return JsonLines(tuple(_json(line, source, line=number) for number, line in lines if line.strip()))


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
        raise SourceError(f"{source}:{line or error.lineno}:{error.colno}", f"invalid JSON: {error.msg}") from None
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


def read_file(path: Path, shown: str | Where) -> Any:
    """The data of a JSON or YAML file; shown: how messages name it (or the place that named it)."""
    if path.is_dir():
        raise SourceError(shown, f"{_named(path, shown)}is a directory: name the JSON or YAML file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(shown, f"{_named(path, shown)}no such file") from None
    except OSError as error:
        raise SourceError(shown, f"{_named(path, shown)}{error.strerror or error}") from None
    return parse(raw, str(path) if isinstance(shown, Where) else shown, path.suffix.lower())


def _named(path: Path, shown: str | Where) -> str:
    """The file's name, where the message is at another place (the $ref that names it)."""
    return f"{path}: " if isinstance(shown, Where) else ""
