"""The JSON files of the generated package, written one way: 2-space indent, UTF-8, a final newline.

The bytes are those of `json.dumps(value, indent=2, ensure_ascii=False)`. Its indenting encoder
is pure Python and hands each piece up through one generator per level of nesting, so that a
deeply nested schema costs it more the deeper it goes; the tool definitions of a large project
spent several per cent of a cold generate there. `json_file` writes the same text in one pass
into a list, frozen values (FrozenDicts, tuples) as they are, with json's own C function for
strings; a value it does not write as json would (a key that is not a string, a number that is
not finite, anything but JSON) goes to json.dumps itself. tests/test_json_file.py holds the two
to the same bytes.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any

from toolspec.ground.frozen import FrozenDict, thaw

INDENT = "  "


class _NotPlain(Exception):
    """The value holds something json.dumps writes in a way of its own: it writes the file."""


def json_file(value: Any) -> bytes:
    """value as a file's bytes; frozen values (FrozenDicts, tuples) are written as plain JSON."""
    parts: list[str] = []
    try:
        _write(value, parts, "\n")
    except _NotPlain:
        return (json.dumps(thaw(value), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    parts.append("\n")
    return "".join(parts).encode("utf-8")


def _write(value: Any, parts: list[str], newline: str) -> None:
    """value's JSON appended to parts; newline: a line break and the indent of value's own level.
    Classes are matched exactly: a subclass (an IntEnum, say) goes to json.dumps."""
    kind = type(value)
    if kind is str:
        parts.append(encode_basestring(value))
    elif kind is dict or kind is FrozenDict:
        _write_object(value, parts, newline)
    elif kind is list or kind is tuple:
        _write_array(value, parts, newline)
    elif value is None or kind is bool:
        parts.append("null" if value is None else "true" if value else "false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float and math.isfinite(value):
        parts.append(float.__repr__(value))
    else:
        raise _NotPlain


def _write_object(value: dict[Any, Any] | FrozenDict, parts: list[str], newline: str) -> None:
    if not value:
        parts.append("{}")
        return
    inner = newline + INDENT
    separator = "{" + inner
    for key, item in value.items():
        if type(key) is not str:
            raise _NotPlain  # json.dumps turns numbers, booleans and null into keys its own way
        if type(item) is str:  # most values of a schema: written here, without a call
            parts.append(f"{separator}{encode_basestring(key)}: {encode_basestring(item)}")
        else:
            parts.append(f"{separator}{encode_basestring(key)}: ")
            _write(item, parts, inner)
        separator = "," + inner
    parts.append(newline + "}")


def _write_array(value: list[Any] | tuple[Any, ...], parts: list[str], newline: str) -> None:
    if not value:
        parts.append("[]")
        return
    inner = newline + INDENT
    separator = "[" + inner
    for item in value:
        if type(item) is str:
            parts.append(separator + encode_basestring(item))
        else:
            parts.append(separator)
            _write(item, parts, inner)
        separator = "," + inner
    parts.append(newline + "]")
