"""Read a source file's text as data: JSON by the json module (a file of thousands of tools takes
milliseconds), refusing what JSON readers would silently accept: a key given twice (the first
value lost) and NaN or Infinity, which are no JSON. YAML is read by the spec loader, with its
YAML 1.2 core schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolspec.compile.shapes.where import SourceError, Where
from toolspec.ground.diagnostics import Diagnostic
from toolspec.spec.yaml_source import parse_document


def parse(raw: bytes, source: str, suffix: str) -> Any:
    """The data of a file's bytes: JSON if it says so or looks it, else YAML."""
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
