"""An independent check of shared/reference/strict-mode.md's rules on an emitted schema.

Written from the reference, not from the compiler, so that the two can disagree."""

from __future__ import annotations

from typing import Any

FORMATS = {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
ALLOWED_KEYWORDS = {
    "type", "description", "properties", "required", "additionalProperties", "items", "enum", "const",
    "anyOf", "$ref", "$defs", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "minLength", "maxLength",
}  # fmt: skip


def strict_violations(parameters: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if parameters.get("type") != "object" or "anyOf" in parameters:
        problems.append("root: must be type object, not anyOf")
    _check(parameters, "#", problems, depth=0)
    for name, definition in parameters.get("$defs", {}).items():
        _check(definition, f"#/$defs/{name}", problems, depth=1)
    return problems


def _check(node: Any, where: str, problems: list[str], depth: int) -> None:
    if not isinstance(node, dict):
        problems.append(f"{where}: not a schema")
        return
    unknown = set(node) - ALLOWED_KEYWORDS
    if unknown:
        problems.append(f"{where}: keywords not permitted: {sorted(unknown)}")
    if "default" in node:
        problems.append(f"{where}: default")
    if "$ref" in node:
        if set(node) != {"$ref"}:
            problems.append(f"{where}: $ref with siblings {sorted(set(node) - {'$ref'})}")
        return
    if not ({"type", "enum", "const", "anyOf"} & set(node)):
        problems.append(f"{where}: no type")
    types = node.get("type")
    types = set(types) if isinstance(types, list) else {types}
    if "format" in node and node["format"] not in FORMATS:
        problems.append(f"{where}: format {node['format']}")
    if "object" in types:
        properties = node.get("properties")
        if not isinstance(properties, dict):
            problems.append(f"{where}: object without properties")
            properties = {}
        if node.get("additionalProperties") is not False:
            problems.append(f"{where}: additionalProperties is not false")
        if list(node.get("required", [])) != list(properties):
            problems.append(f"{where}: required is not every property, in order")
        if depth > 10:
            problems.append(f"{where}: deeper than 10 levels")
        for key, child in properties.items():
            _check(child, f"{where}/properties/{key}", problems, depth + 1)
    if "array" in types:
        if "items" not in node:
            problems.append(f"{where}: array without items")
        else:
            _check(node["items"], f"{where}/items", problems, depth)
    for index, branch in enumerate(node.get("anyOf", [])):
        _check(branch, f"{where}/anyOf/{index}", problems, depth)
