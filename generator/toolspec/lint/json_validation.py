"""Validate JSON values against an emitted schema the way the API and the models do.

The `jsonschema` package uses Python's `re`, which differs from the Rust regex syntax the
API and pydantic-core use, and leaves formats unchecked; here `pattern` is matched with
pydantic-core's Rust engine and each format is parsed by the type the models use for it.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

import jsonschema
import pydantic
from jsonschema import Draft202012Validator

from toolspec.ground.frozen import thaw

_FORMAT_TYPES: dict[str, Any] = {
    "date-time": pydantic.AwareDatetime,
    "date": datetime.date,
    "time": datetime.time,
    "duration": datetime.timedelta,
    "uuid": uuid.UUID,
    "ipv4": ipaddress.IPv4Address,
    "ipv6": ipaddress.IPv6Address,
}
_FORMAT_SHAPES = {
    # pydantic also parses "12" as a date-time (a unix time): RFC 3339 does not.
    "date-time": re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "hostname": re.compile(
        r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
    ),
}


@functools.cache
def _format_adapter(name: str) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(_FORMAT_TYPES[name], config=pydantic.ConfigDict(strict=True))


@functools.cache
def _pattern_adapter(pattern: str) -> pydantic.TypeAdapter[str]:
    return pydantic.TypeAdapter(Annotated[str, pydantic.StringConstraints(pattern=pattern)])


def _check_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    if not isinstance(instance, str):
        return
    try:
        _pattern_adapter(pattern).validate_python(instance)
    except pydantic.ValidationError:
        yield jsonschema.ValidationError(f"{json.dumps(instance)} does not match the pattern {pattern}")
    except Exception:  # a pattern that does not compile is the finding of its own rule
        return


def _check_format(validator: Any, name: str, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    if isinstance(instance, str) and not _is_valid_format(name, instance):
        yield jsonschema.ValidationError(f"{json.dumps(instance)} is not a valid {name}")


def _is_valid_format(name: str, text: str) -> bool:
    """The text has the format's shape, and the type the models use for it parses it."""
    shape = _FORMAT_SHAPES.get(name)
    if shape is not None and not shape.fullmatch(text):
        return False
    if name in _FORMAT_TYPES:
        try:
            _format_adapter(name).validate_json(json.dumps(text))
        except pydantic.ValidationError:
            return False
    return True


_Validator = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"pattern": _check_pattern, "format": _check_format}
)


def validation_errors(instance: Any, schema: Mapping[str, Any]) -> list[str]:
    """Why instance does not satisfy schema, one message per problem; empty when it does.

    Both may be frozen (toolspec.ground.frozen): jsonschema reads them thawed, as plain JSON."""
    errors = sorted(_Validator(thaw(schema)).iter_errors(thaw(instance)), key=lambda e: list(map(str, e.absolute_path)))
    return [_describe(error) for error in errors]


def _describe(error: jsonschema.ValidationError) -> str:
    """jsonschema's message, with values written as JSON (null, not None) where it matters."""
    where = "/".join(str(part) for part in error.absolute_path)
    value: Any = error.validator_value
    if error.validator == "enum":
        message = f"{json.dumps(error.instance)} is not one of {json.dumps(value)}"
    elif error.validator == "type":
        message = f"{json.dumps(error.instance)} is not of type {json.dumps(value)}"
    elif error.validator == "const":
        message = f"{json.dumps(error.instance)} is not {json.dumps(value)}"
    else:
        message = error.message
    return f"at `{where}`: {message}" if where else message
