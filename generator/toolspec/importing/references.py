"""`$ref` and `allOf` in one tool's schema: what a reference points to, allOf's schemas merged
into one, and kept keywords with their references written out in place.

The converter asks; this module never converts a schema (a `$ref` that becomes a named type is
the converter's, which converts what `target` finds).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolspec.compile.shapes.incoming import Note, describe
from toolspec.compile.shapes.where import SourceError, Where


class References:
    """The `$ref`s of one tool, which point into its whole parameters schema (root)."""

    def __init__(self, root: Any, change: Note) -> None:
        self.root = root
        self.change = change

    def target(self, ref: Any, at: Where) -> tuple[list[str], Any]:
        """The schema a `$ref` of this tool points to, and its path from the root."""
        if not isinstance(ref, str):
            raise SourceError(at, f"`$ref` must be a string, not {describe(ref)}")
        if "://" in ref or ref.startswith("//"):
            raise SourceError(
                at,
                f"{ref!r} refers to a URL, which the import does not fetch (it reads no network): "
                "save that document beside this one and refer to the file, or inline its schema",
            )
        if not ref.startswith("#"):
            raise SourceError(
                at, f"{ref!r} refers to another document, which an import cannot follow: inline its schema"
            )
        path = [part.replace("~1", "/").replace("~0", "~") for part in ref[1:].split("/")[1:]]
        node = self.root
        for part in path:
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                raise SourceError(at, f"{ref!r} refers to nothing in the tool's schema")
        return path, node

    def read_only(self, schema: Any, at: Where) -> bool:
        """readOnly, said by the schema or by what its `$ref`s point to (a property only a response has)."""
        seen: set[str] = set()
        while isinstance(schema, Mapping) and "readOnly" not in schema and isinstance(schema.get("$ref"), str):
            if schema["$ref"] in seen:
                return False
            seen.add(schema["$ref"])
            schema = self.target(schema["$ref"], at / "$ref")[1]
        return isinstance(schema, Mapping) and schema.get("readOnly") is True

    def object_target(self, ref: Any, at: Where) -> Mapping[str, Any]:
        """What a `$ref` points to, which must be a schema object to be merged into another."""
        target = self.target(ref, at)[1]
        if not isinstance(target, Mapping):
            raise SourceError(at, f"{ref!r} refers to {describe(target)}, not to a schema object")
        return target

    def merged(self, schema: Mapping[str, Any], at: Where) -> dict[str, Any]:
        """allOf's schemas merged into one: they all apply, as every keyword of one schema does."""
        parts = schema["allOf"]
        if not isinstance(parts, list) or not parts or not all(isinstance(part, Mapping) for part in parts):
            raise SourceError(at / "allOf", f"`allOf` must be a non-empty list of schemas, not {describe(parts)}")
        merged = {key: value for key, value in schema.items() if key != "allOf"}
        if len(parts) == 1 and "$ref" in parts[0] and "$ref" not in merged:  # pydantic's way to describe a $ref
            merged.update({k: v for k, v in parts[0].items() if k not in merged})
            return merged
        for index, part in enumerate(parts):
            if "$ref" in part:
                target = self.object_target(part["$ref"], at.join("allOf", index, "$ref"))
                part = {**target, **{k: v for k, v in part.items() if k != "$ref"}}
            if "allOf" in part:
                part = self.merged(part, at.join("allOf", index))
            _merge(
                merged,
                part,
                lambda key: self.change(
                    "described", at / "allOf", f"allOf's schemas disagree on `{key}`: the first kept"
                ),
            )
        self.change("allOf", at / "allOf", f"allOf of {len(parts)} schemas merged into one: strict mode has no allOf")
        return merged

    def inlined(self, value: Any, at: Where, seen: tuple[str, ...]) -> Any:
        """A kept keyword's value with its `$ref`s replaced by what they point to (the spec keeps it as written)."""
        if isinstance(value, list):
            return [self.inlined(item, at, seen) for item in value]
        if not isinstance(value, Mapping):
            return value
        ref = value.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                self.change("dropped", at, f"the recursive {ref!r} inside a kept keyword dropped (any value there)")
                return {}
            target = self.object_target(ref, at)
            return self.inlined({**target, **{k: v for k, v in value.items() if k != "$ref"}}, at, (*seen, ref))
        return {key: self.inlined(item, at, seen) for key, item in value.items()}


def names(value: Any) -> list[str]:
    return list(dict.fromkeys(name for name in value if isinstance(name, str))) if isinstance(value, list) else []


def _merge(merged: dict[str, Any], part: Mapping[str, Any], conflict: Any) -> None:
    """part's keywords into merged: properties and required names joined, others kept first."""
    for key, value in part.items():
        if key == "properties" and isinstance(value, Mapping) and isinstance(merged.get("properties", {}), Mapping):
            merged["properties"] = {**value, **merged.get("properties", {})}
        elif key == "required" and isinstance(value, list) and isinstance(merged.get("required", []), list):
            merged["required"] = [
                *names(merged.get("required", [])),
                *(n for n in names(value) if n not in merged.get("required", [])),
            ]
        elif key not in merged:
            merged[key] = value
        elif merged[key] != value and key not in ("description", "title"):
            conflict(key)
