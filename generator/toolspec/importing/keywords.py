"""What becomes of each JSON Schema keyword in a spec: the one table the schema converter reads.

Strict mode supports part of JSON Schema. A keyword it lacks either goes into the description,
where the model still reads what it asks (the tool stays strict: a model that heeds the words
sends what the original allowed), or is kept as written with `strict: false`, when its meaning
is a schema that words would not carry reliably.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

JSON_TYPES = ("string", "integer", "number", "boolean", "object", "array", "null")

BY_TYPE: dict[str, tuple[str, ...]] = {
    "string": ("enum", "const", "pattern", "format", "minLength", "maxLength"),
    "integer": ("enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "number": ("enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "boolean": ("enum", "const"),
    "array": ("items", "minItems", "maxItems"),
    "object": ("properties", "required", "additionalProperties"),
    "null": (),
    "any": (),
}
"""The keywords the spec language has for each type."""

STRICT_FORMATS = ("date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid")

KEPT = (
    "not", "if", "then", "else", "contains", "minContains", "maxContains", "propertyNames",
    "patternProperties", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems", "prefixItems",
)  # fmt: skip
"""Kept as written, the tool made `strict: false`: schemas that words would not carry."""

ANNOTATIONS = (
    "$schema", "$id", "$anchor", "$comment", "readOnly", "writeOnly", "contentMediaType",
    "contentEncoding", "contentSchema", "discriminator", "xml", "externalDocs",
)  # fmt: skip
"""Dropped: they tell tools about the schema, and the model needs none of them."""

STRUCTURE = ("type", "description", "title", "nullable", "default", "$defs", "definitions", "$ref", "anyOf", "oneOf")
"""Read by the converter itself."""


def _count(value: Any, many: str) -> str | None:
    return f"{many} {value}." if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


DESCRIBED: dict[str, Callable[[Any], str | None]] = {
    "uniqueItems": lambda value: "Each item at most once." if value is True else None,
    "minProperties": lambda value: _count(value, "Entries: at least"),
    "maxProperties": lambda value: _count(value, "Entries: at most"),
    "dependentRequired": lambda value: (
        (
            " ".join(
                f"With `{key}`, also give {', '.join(f'`{name}`' for name in names)}."
                for key, names in value.items()
                if isinstance(names, list)
            )
            or None
        )
        if isinstance(value, dict)
        else None
    ),
    "examples": lambda value: (
        "Examples: " + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "."
        if isinstance(value, list) and value
        else None
    ),
    "example": lambda value: f"Example: {json.dumps(value, ensure_ascii=False)}.",
    "deprecated": lambda value: "Deprecated." if value is True else None,
    "additionalItems": lambda value: "No items beyond those listed." if value is False else None,
}
"""Put into the description, the tool kept strict: the words ask what the keyword asked. A
function returns the sentence, or None when the value asks nothing (e.g. `uniqueItems: false`)."""


def keyword_types(key: str) -> tuple[str, ...]:
    """The types a keyword of the spec language belongs to."""
    return tuple(kind for kind, keys in BY_TYPE.items() if key in keys)


ORDER = (
    "type", "anyOf", "enum", "const", "format", "pattern", "minLength", "maxLength", "minimum",
    "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf", "items", "minItems", "maxItems",
    "description", "properties", "additionalProperties", "nullable", "optional", "default", "python_name", *KEPT,
)  # fmt: skip
"""The order of a spec schema's keys: what the value is, what it means (before an object's
properties, which may be long), then how it is passed."""


def ordered(node: dict[str, Any]) -> dict[str, Any]:
    """node's keys in ORDER (then any others), so that every spec schema reads the same way."""
    rank = {key: index for index, key in enumerate(ORDER)}
    return {key: node[key] for key in sorted(node, key=lambda key: rank.get(key, len(rank)))}
