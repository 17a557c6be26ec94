"""A document split into files made one: each file a relative `$ref` names is read and put in
the document under FILES, and every `$ref` rewritten to point there, so that the rest of the
import follows local `$ref`s only.

The document is changed in place (it was just read, and is the import's own). A `$ref` to a URL
is left as it is: the converter refuses it, with its place, when a tool uses it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from toolspec.compile.shapes.where import Where
from toolspec.importing.documents import read_file

FILES = "x-toolspec-files"
"""Where the files of a split document go: file (from the document's folder) -> its content."""


def bundle(document: MutableMapping[str, Any], where: Where, path: Path) -> None:
    """Read every file document's `$ref`s name, relative to the file that names it, into it."""
    files: dict[str, Any] = {}
    base = path.resolve().parent
    todo: list[tuple[Any, Path, str, Where]] = [(document, path.resolve(), "", where)]
    while todo:
        node, file, prefix, at = todo.pop()
        for holder in _refs(node):
            ref = holder["$ref"]
            name, _, fragment = ref.partition("#")
            if "://" in ref or ref.startswith("//") or (not name and not prefix):
                continue
            if not name:
                holder["$ref"] = f"#{prefix}{fragment}"
                continue
            target = (file.parent / name).resolve()
            key = target.relative_to(base).as_posix() if target.is_relative_to(base) else target.as_posix()
            pointer = "/" + FILES + "/" + key.replace("~", "~0").replace("/", "~1")
            if key not in files:
                files[key] = read_file(target, Where(f"{at.file} (its $ref {ref!r})"))
                todo.append((files[key], target, pointer, Where(f"{target}")))
            holder["$ref"] = f"#{pointer}{fragment}"
    if files:
        document[FILES] = files


def _refs(node: Any) -> list[MutableMapping[str, Any]]:
    """Every object of node that has a string `$ref` (found without recursion: documents nest deep)."""
    found: list[MutableMapping[str, Any]] = []
    stack = [node]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str):
                found.append(value)
            stack.extend(item for item in value.values() if isinstance(item, dict | list))
        elif isinstance(value, list):
            stack.extend(item for item in value if isinstance(item, dict | list))
    return found
