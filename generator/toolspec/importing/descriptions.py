"""A spec schema's description: from the source's description or title, with the sentences the
import adds (keywords the spec language lacks, defaults it has no place for)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from toolspec.compile.shapes.incoming import Note
from toolspec.compile.shapes.where import Where

LONG_DESCRIPTION = 1024
"""A description longer than this is reported: lint warns of a tool's (TS403), the import of a value's."""

_LONG = "every character costs input tokens on every request that offers the tool; shorten it if it can be"


def converted_description(rest: Mapping[str, Any], at: Where, place: str, change: Note) -> str | None:
    """The description of a schema whose other keys are in rest, its title used when it has none."""
    description, title = rest.get("description"), rest.get("title")
    if description is not None and not isinstance(description, str):
        change("type", at / "description", "the description was no string: written as JSON text")
        description = json.dumps(description, ensure_ascii=False)
    if description is not None and len(description) > LONG_DESCRIPTION:
        change("long", at / "description", f"{len(description):,} characters, kept as they are: {_LONG}")
    if title is None:
        return description
    if description is None and isinstance(title, str) and not _is_generated_title(title, at, place):
        change("title", at / "title", "`title` written as the description, which it lacked")
        return title
    change("title", at / "title", "`title` dropped: an annotation, which the name or the description says")
    return description


# Structure


def _is_generated_title(title: str, at: Where, place: str) -> bool:
    """pydantic titles every field after its name (`user_id` -> "User Id"): no description in that."""
    name = str(at.path[-1]) if at.path else ""
    return place in ("property", "named") and _squashed(title) == _squashed(name)


def _squashed(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def append(node: dict[str, Any], sentence: str) -> None:
    node["description"] = joined(node.get("description"), sentence)


def joined(description: str | None, sentence: str) -> str:
    """The description with a sentence after it (the description's own text unchanged)."""
    if not description:
        return sentence
    return description + ("" if description[-1].isspace() else " ") + sentence
