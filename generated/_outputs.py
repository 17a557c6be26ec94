"""A call's output as the model reads it: a handler's result, or an error, as UTF-8 text.

toolspec copies this module, as it is, into every generated package as `_outputs.py`: edit
it here, in the generator, never in the copy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pydantic
import pydantic_core

from ._outcomes import ErrorCode

if TYPE_CHECKING:
    from ._bindings import Result


class ErrorOutput(str):
    """An output the dispatcher made for a failed call: a str like any output, marked so
    that a caller who must tell a failure from a result that looks like one can (MCP's
    `isError`). An output read back from a SQL or Redis record is a plain str."""

    __slots__ = ()


def error_output(code: ErrorCode, message: str) -> ErrorOutput:
    """The output the model reads for a failed call (UTF-8 throughout: see _unicode)."""
    output = {"error": {"code": code.value, "message": message}}
    return ErrorOutput(_unicode(json.dumps(output, ensure_ascii=False)))


def internal_output(error_id: str) -> ErrorOutput:
    """What the model reads of an internal error: only the id it is logged under."""
    return error_output(
        ErrorCode.INTERNAL_ERROR, f"the tool failed; error id {error_id}"
    )


def serialize(result: Result) -> tuple[str, bytes | None]:
    """A handler's return value as the output string, and, unless it is a str, the UTF-8 JSON
    the string was decoded from (what a result check validates: given the str, the validator
    would encode it again).

    UTF-8 throughout: a lone surrogate, which UTF-8 cannot encode, becomes U+FFFD. And JSON
    when the result is not a str: NaN and Infinity, which JSON has no value for, raise
    ValueError (an internal error; a pydantic model writes its own as null, unless its
    `ser_json_inf_nan` says otherwise).
    """
    if isinstance(result, str):
        return _unicode(result), None
    try:
        # A dict or a list is no model: asked first, at once (the check against BaseModel
        # costs as much as the decoding). A model is written by its own serializer, as
        # model_dump_json writes it.
        if type(result) not in CONTAINERS and isinstance(result, pydantic.BaseModel):
            encoded = result.__pydantic_serializer__.to_json(result, by_alias=True)
        else:
            encoded = pydantic_core.to_json(result, by_alias=True)
    except pydantic_core.PydanticSerializationError:
        # A lone surrogate fails the whole result: again, with each one replaced. A result
        # that fails for another reason fails again.
        encoded = pydantic_core.to_json(_without_surrogates(result), by_alias=True)
    output = encoded.decode()
    # The words first, here too: most outputs hold neither, and a call costs more.
    if ("NaN" in output or "Infinity" in output) and non_finite(output) is not None:
        raise ValueError(
            "the handler's result holds NaN or Infinity, which JSON has no value for"
        )
    return output, encoded


CONTAINERS = frozenset({dict, list})
"""The types of most results: asked for at once, before anything slower."""


def _unicode(text: str) -> str:
    """text, with each lone surrogate (a str may hold one, UTF-8 cannot) replaced by U+FFFD;
    non-ASCII text stays as it is, readable (not `\\u` escapes)."""
    if text.isascii():  # a flag of the str: no scan
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # UTF-16 pairs what surrogates make a character, and replaces those left alone.
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _without_surrogates(value: Any) -> Any:
    """value with each str in it passed through _unicode, a pydantic model made plain first;
    any other object is left to the serializer."""
    if isinstance(value, str):
        return _unicode(value)
    if isinstance(value, pydantic.BaseModel):
        value = pydantic_core.to_jsonable_python(value, by_alias=True)
    if isinstance(value, Mapping):
        return {
            _without_surrogates(key): _without_surrogates(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_without_surrogates(item) for item in value]
    return value


def non_finite(text: str) -> str | None:
    """Why text is not JSON when it would be but for a NaN, Infinity or -Infinity, which
    pydantic's parser takes and JSON has no value for; None otherwise (then any other fault
    of text is pydantic's to say)."""
    if "NaN" not in text and "Infinity" not in text:
        return None
    try:
        pydantic_core.from_json(text, allow_inf_nan=False)
    except ValueError:
        try:
            pydantic_core.from_json(text)
        except ValueError:
            return None
        return "JSON has no NaN, Infinity or -Infinity"
    return None
