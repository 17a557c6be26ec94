"""What an object's properties need besides their schemas: which are required, the python_names
that keep their fields apart, and their defaults (kept, or put in the description)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from toolspec.compile.field_names import derived_field_name, python_name_problem
from toolspec.compile.shapes.incoming import Note, describe
from toolspec.compile.shapes.where import Where
from toolspec.importing.defaults import problem
from toolspec.importing.descriptions import append
from toolspec.importing.keywords import ordered


def required_names(schema: Mapping[str, Any], properties: Mapping[str, Any], at: Where, change: Note) -> set[str]:
    """The required property names; names of no property are reported and left out."""
    raw = schema.get("required", [])
    if isinstance(raw, bool):
        raw = []
    if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
        change("dropped", at / "required", f"`required` dropped: it must be a list of names, not {describe(raw)}")
        raw = []
    missing = [name for name in raw if name not in properties]
    if missing:
        names = ", ".join(repr(name) for name in dict.fromkeys(missing))
        change(
            "required",
            at / "required",
            f"{names} dropped from `required`: no such property; a spec's object has only the properties it lists",
        )
    found = {name for name in raw if name in properties}
    for name, value in properties.items():
        if isinstance(value, Mapping) and value.get("required") is True:
            found.add(name)
            change("required", at / "properties" / name / "required", "draft 3's `required: true` read as required")
    return found


def add_python_names(properties: dict[str, Any], at: Where, change: Note) -> None:
    """A `python_name` for each property whose field another property of the object has first
    (`first-name` beside `first_name`): without one, lint refuses the spec (TS309)."""
    fields = {name: derived_field_name(name, properties) for name in properties}
    first: dict[str, str] = {}
    for name, field in fields.items():
        if field not in first:
            first[field] = name
            continue
        taken = set(fields.values()) | {node.get("python_name") for node in properties.values()}
        number = 2
        while f"{field}_{number}" in taken or python_name_problem(f"{field}_{number}", tool=False):
            number += 1
        chosen = f"{field}_{number}"
        properties[name] = ordered({**properties[name], "python_name": chosen})
        change(
            "python_name",
            at / name,
            f"{name!r} would be the field {field} of its model, as {first[field]!r} is: python_name: {chosen} "
            "(the API keeps the name)",
        )


def put_default(
    schema: Mapping[str, Any], node: dict[str, Any], optional: bool, at: Where, nodes: Any, change: Note
) -> str:
    """Put the default in node, or in its description when it cannot be one; what the optional change should add."""
    value = schema["default"]
    shown = json.dumps(value, ensure_ascii=False)
    if value is None and optional and not node.get("nullable"):
        change(
            "default",
            at / "default",
            "`default: null` left out: an optional argument without a default is null already",
        )
        return ""
    if value == "None" and optional and not node.get("nullable"):
        # Python's None, written as text by the many tool lists made from Python signatures
        # (BFCL's among them): the argument has no default, as with `default: null`.
        change(
            "default",
            at / "default",
            '`default: "None"` read as Python\'s None and left out: an optional argument without a default '
            "is null already",
        )
        return ""
    found = problem(value, node, nodes) if optional else "belongs to a required argument, which has none"
    if found is None:
        node["default"] = value
        return f"; its default {shown} kept"
    append(node, f"Default: {shown}.")
    change("default", at / "default", f"default {shown} put in the description: it {found}")
    return ""
