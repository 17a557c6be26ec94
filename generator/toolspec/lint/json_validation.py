"""Validate JSON values against an emitted schema the way the API and the models do.

The `jsonschema` package uses Python's `re`, which differs from the Rust regex syntax the
API and pydantic-core use, and leaves formats unchecked; here `pattern` is matched with
pydantic-core's Rust engine and each format is parsed by the type the models use for it.

For the first values of a process (FAST_FOR), jsonschema-rs, given the same two checks, answers
first: most defaults and examples are valid, and a run that lints a changed spec or two then
never imports jsonschema, which costs as much as the rest of that lint. The messages are
jsonschema's, so it reads every value jsonschema-rs refuses; a value jsonschema-rs takes must
be one jsonschema takes (tests/test_json_validation.py).
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import itertools
import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Any

import pydantic

from toolspec.ground.frozen import thaw

if TYPE_CHECKING:
    import jsonschema

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
        from jsonschema import ValidationError  # imported already: this runs inside jsonschema

        yield ValidationError(f"{json.dumps(instance)} does not match the pattern {pattern}")
    except Exception:  # a pattern that does not compile is the finding of its own rule
        return


def _check_format(validator: Any, name: str, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    if isinstance(instance, str) and not _is_valid_format(name, instance):
        from jsonschema import ValidationError  # imported already: this runs inside jsonschema

        yield ValidationError(f"{json.dumps(instance)} is not a valid {name}")


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


@functools.cache
def _validator_class() -> Any:
    """jsonschema's 2020-12 validator with the pattern and format checks above."""
    import jsonschema

    return jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, {"pattern": _check_pattern, "format": _check_format}
    )


_FAST_FORMATS: dict[str, Callable[..., bool]] = {
    name: functools.partial(_is_valid_format, name) for name in (*_FORMAT_SHAPES, *_FORMAT_TYPES)
}
"""The formats the models check, each checked as _check_format does, for jsonschema-rs."""
_NOT_FAST = "multipleOf"
"""A keyword where jsonschema-rs takes values jsonschema refuses: jsonschema divides by a float
multipleOf (0.07 is no multiple of 0.01 to it). A schema holding it goes to jsonschema alone."""
_WATCHED = frozenset({_NOT_FAST, "format", "pattern"})


FAST_FOR = 100
"""How many values a process checks with jsonschema-rs first. It compiles the whole schema for
each (~0.5 ms for a tool's parameters), where jsonschema reads only what the value reaches, so
it is the slower one once jsonschema is imported (~80 ms with the validator class above, on a
slow host): worth it for the few values of a changed spec or two, not for a whole project's."""
_checked = itertools.count()


def validation_errors(instance: Any, schema: Mapping[str, Any]) -> list[str]:
    """Why instance does not satisfy schema, one message per problem; empty when it does.

    Both may be frozen (toolspec.ground.frozen): jsonschema reads them thawed, as plain JSON."""
    plain_schema, plain_instance = thaw(schema), thaw(instance)
    if next(_checked) < FAST_FOR and _surely_valid(plain_instance, plain_schema):
        return []
    errors = sorted(
        _validator_class()(plain_schema).iter_errors(plain_instance), key=lambda e: list(map(str, e.absolute_path))
    )
    return [_describe(error) for error in errors]


def _surely_valid(instance: Any, schema: dict[str, Any]) -> bool:
    """jsonschema-rs takes instance, with the pattern engine and the format checks of the models;
    False where it refuses it, cannot read schema, or may differ from jsonschema (_NOT_FAST).
    Compiling the schema is most of its time: the options it does not need are left out."""
    import jsonschema_rs

    found: set[str] = set()
    _find_keywords(schema, found)
    if _NOT_FAST in found:
        return False
    options: dict[str, Any] = {}
    if "format" in found:
        options.update(formats=_FAST_FORMATS, validate_formats=True)
    if "pattern" in found:
        options.update(pattern_options=jsonschema_rs.RegexOptions())  # the regex crate, as pydantic-core's
    try:
        return jsonschema_rs.is_valid(schema, instance, draft=jsonschema_rs.Draft202012, **options)
    except Exception:  # noqa: BLE001 - a schema it cannot compile (a pattern of another engine): jsonschema decides
        return False


def _find_keywords(node: Any, found: set[str]) -> None:
    """Add to found each keyword of _WATCHED that node (plain JSON) holds as a key."""
    if isinstance(node, dict):
        found.update(_WATCHED.intersection(node))
        for value in node.values():
            _find_keywords(value, found)
    elif isinstance(node, list):
        for item in node:
            _find_keywords(item, found)


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
