"""What the model reads when its arguments fail validation: each problem at the parameter's
API name (`a.b[0].c`), with what was expected said in the spec's terms.

toolspec copies this module, as it is, into every generated package as `_problems.py`: edit it
here, in the generator, never in the copy.

pydantic locates an error by its own path through the core schema, where a union adds the name
of the branch that failed (`json-or-python[json=timedelta,python=tagged-union[...]]`,
`constrained-int`), and its messages speak of Python (`a valid dictionary`). Here that path is
walked again through the model's core schema: the JSON's keys and indexes are kept, the
branches dropped, and what was expected is said from the schema found at the end and the kind
of error. Only a call that fails validation pays for it.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from pydantic_core import ErrorDetails

Schema: TypeAlias = Mapping[str, Any]
"""A pydantic core schema (read, never built, here)."""
Definitions: TypeAlias = Mapping[str, Schema]


@dataclass(frozen=True)
class _Branch:
    """A step of pydantic's path that names a union's branch, not a key of the JSON."""

    nullable: bool
    """Whether the union takes null too."""


Step: TypeAlias = "str | int | _Branch"
_Found: TypeAlias = "tuple[tuple[Step, ...], Schema, Definitions]"


@dataclass(frozen=True)
class _Located:
    """A problem at its place in the JSON."""

    path: tuple[Step, ...]
    schema: Schema | None
    """The schema of the value at path (of the object, for an unexpected key); None where
    pydantic's path leads somewhere this walk does not follow."""
    definitions: Definitions
    problem: ErrorDetails


_WRAPPERS = frozenset(
    (
        "function-after",
        "function-before",
        "function-wrap",
        "default",
        "json",
        "model",
        "nullable",
        "custom-error",
    )
)
"""Schemas that hold another (`schema`) and add no step to pydantic's path."""

_ANY: Schema = {"type": "any"}

_KINDS = {
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
    "str": "a string",
    "none": "null",
    "any": "any value",
    "list": "an array",
    "tuple": "an array",
    "set": "an array",
    "frozenset": "an array",
    "dict": "an object",
    "model-fields": "an object",
    "typed-dict": "an object",
    # In two pieces: no text of the generated package may read as a timestamp.
    "datetime": "a date-time with a time zone offset, such as 2026-01-31"
    "T14:05:00+01:00",
    "date": "a date such as 2026-01-31",
    "time": "a time such as 14:05:00",
    "timedelta": "an ISO 8601 duration such as PT15M",
    "uuid": "a UUID such as 9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d",
}
"""The kind of value of each core schema type, as the spec language names it."""

_ADDRESSES = {
    ipaddress.IPv4Address: "an IPv4 address such as 192.0.2.1",
    ipaddress.IPv6Address: "an IPv6 address such as 2001:db8::1",
}
"""pydantic reads an IP address with a function of its own: the class is the function."""

_ERRORS = {
    "int": ("int_", "greater_", "less_", "multiple_of"),
    "float": ("float_", "greater_", "less_", "multiple_of", "finite_number"),
    "bool": ("bool_",),
    "str": ("string_",),
    "none": ("none_required",),
    "literal": ("literal_error",),
    "enum": ("enum",),
    "list": ("list_", "too_short", "too_long"),
    "tuple": ("tuple_", "too_short", "too_long"),
    "set": ("set_", "too_short", "too_long"),
    "frozenset": ("frozen_set_", "too_short", "too_long"),
    "dict": ("dict_", "too_short", "too_long"),
    "model": ("model_",),
    "datetime": ("datetime_", "timezone_"),
    "date": ("date_",),
    "time": ("time_type", "time_parsing"),
    "timedelta": ("time_delta_",),
    "uuid": ("uuid_",),
    "function-after": ("value_error", "assertion_error"),
    "function-before": ("value_error", "assertion_error"),
    "function-wrap": ("value_error", "assertion_error"),
    "function-plain": ("value_error", "assertion_error"),
}
"""The types of error (their starts) each type of core schema gives."""

_CONSTRAINTS: dict[str, tuple[str, str | None, str | None]] = {
    "greater_than": ("greater than {}", "gt", None),
    "greater_than_equal": ("greater than or equal to {}", "ge", None),
    "less_than": ("less than {}", "lt", None),
    "less_than_equal": ("less than or equal to {}", "le", None),
    "multiple_of": ("that is a multiple of {}", "multiple_of", None),
    "finite_number": ("that is finite", None, None),
    "string_too_short": ("of at least {}", "min_length", "character"),
    "string_too_long": ("of at most {}", "max_length", "character"),
    "string_pattern_mismatch": ("matching the pattern {}", "pattern", None),
    "too_short": ("of at least {}", "min_length", "item"),
    "too_long": ("of at most {}", "max_length", "item"),
}
"""What each type of error says was expected, after the kind of value: the text, the key of
pydantic's context that fills it in, and what that counts."""

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_$-]{1,64}")


def statements(
    schema: Schema,
    problems: Sequence[ErrorDetails],
    limit: int,
    whole: str = "the arguments",
) -> tuple[list[str], int]:
    """The first limit statements, in pydantic's order, and how many there are in all: one a
    problem, but one for the failed branches of a union. Only those said are written out (a
    hostile call may hold thousands of problems). whole names the value itself."""
    said = _said(_located(schema, problems), 0, whole)
    return [say() for say in said[:limit]], len(said)


def _located(schema: Schema, problems: Sequence[ErrorDetails]) -> list[_Located]:
    """Each problem at its place. Paths that differ only in their indexes (`a[0].b`,
    `a[1].b`) are walked once."""
    walked: dict[tuple[str | None, ...], _Located] = {}
    located: list[_Located] = []
    for problem in problems:
        loc = problem["loc"]
        shape = (problem["type"], *(None if isinstance(s, int) else s for s in loc))
        if shape not in walked:
            walked[shape] = _locate(schema, problem)
        known = walked[shape]
        indexes = (step for step in loc if isinstance(step, int))
        path = tuple(next(indexes) if isinstance(s, int) else s for s in known.path)
        located.append(_Located(path, known.schema, known.definitions, problem))
    return located


def _said(
    located: Sequence[_Located], start: int, whole: str
) -> list[Callable[[], str]]:
    """The statements, each to be written out when said, of problems whose paths have no
    branch before start."""
    groups: dict[int | tuple[Step, ...], list[_Located]] = {}
    for index, item in enumerate(located):
        branch = next(
            (
                i
                for i, s in enumerate(item.path)
                if i >= start and isinstance(s, _Branch)
            ),
            None,
        )
        key = index if branch is None else item.path[: branch + 1]
        groups.setdefault(key, []).append(item)
    said: list[Callable[[], str]] = []
    for key, items in groups.items():
        if isinstance(key, int):
            said.append(functools.partial(_statement, items[0], whole))
            continue
        # A branch whose path goes on past the union took the value's shape (an object, an
        # array): its own problems are what matter. When none did, one statement says what
        # each branch takes.
        deeper = [
            item
            for item in items
            if any(not isinstance(step, _Branch) for step in item.path[len(key) :])
        ]
        if deeper:
            said.extend(_said(deeper, len(key), whole))
        else:
            said.append(functools.partial(_union, key, items, whole))
    return said


def _union(key: tuple[Step, ...], items: Sequence[_Located], whole: str) -> str:
    """What the branches of the union at key, which all failed on the value itself, take."""
    expected = _unique(e for e in map(_expected, items) if e is not None)
    branch = key[-1]
    name = _name(key[:-1], whole)
    if not expected:
        return f"{name}: {items[0].problem['msg']}"
    null = ", or null" if isinstance(branch, _Branch) and branch.nullable else ""
    return f"{name}: expected {' or '.join(expected)}{null}"


def _statement(item: _Located, whole: str) -> str:
    name = _name(item.path, whole)
    kind = item.problem["type"]
    if kind == "extra_forbidden":
        keys = _keys(item.schema)
        if not keys:
            return f"{name}: unexpected; this object takes no keys"
        return f"{name}: unexpected; the keys are {', '.join(keys)}"
    expected = _expected(item)
    if expected is None:
        # A schema this walk does not know: pydantic's message, which holds no schema text.
        return f"{name}: {item.problem['msg']}"
    if kind == "missing":
        return f"{name}: missing (expected {expected})"
    return f"{name}: expected {expected}"


def _expected(item: _Located) -> str | None:
    """The value item's schema takes, with the constraint its problem broke; None when the
    schema is not one this walk knows."""
    kinds = [] if item.schema is None else _kinds(item.schema, item.definitions)
    if not kinds:
        return None
    values = [kind for kind in kinds if kind != "null"]
    if not values:
        return "null"
    text = " or ".join(values)
    constraint = _constraint(item.problem)
    if constraint:  # after a comma when the kind ends with an example
        text = f"{text}{', ' if 'such as' in text else ' '}{constraint}"
    return f"{text}, or null" if "null" in kinds else text


def _constraint(problem: ErrorDetails) -> str:
    """The constraint a problem says was broken, after the kind of value; "" for none."""
    found = _CONSTRAINTS.get(problem["type"])
    if found is None:
        return ""
    text, key, noun = found
    if key is None:
        return text
    bound = problem.get("ctx", {})[key]
    return text.format(_number(bound) if noun is None else _count(bound, noun))


def _locate(schema: Schema, problem: ErrorDetails) -> _Located:
    loc = tuple(problem["loc"])
    found = _walk(schema, loc, {}, problem["type"])
    if found is None:
        # Not a path this walk knows: the keys of the JSON up to the first step it cannot
        # follow, and (see _statement) pydantic's message.
        for end in range(len(loc) - 1, -1, -1):
            if (found := _walk(schema, loc[:end], {}, "")) is not None:
                return _Located(found[0], None, {}, problem)
        return _Located((), None, {}, problem)
    path, at, definitions = found
    return _Located(path, at, definitions, problem)


def _layers(
    schema: Schema, definitions: Definitions
) -> Iterator[tuple[Schema, Definitions]]:
    """schema, and each schema it holds that adds no step to pydantic's path, to the first
    that does (or is a value's), with the definitions in scope at each."""
    while True:
        yield schema, definitions
        kind = schema["type"]
        if kind == "definitions":
            refs = {d["ref"]: d for d in schema["definitions"]}
            definitions = {**definitions, **refs}
            schema = schema["schema"]
        elif kind == "definition-ref":
            schema = definitions[schema["schema_ref"]]
        elif kind in _WRAPPERS:
            schema = schema["schema"]
        elif kind == "json-or-python":
            schema = schema["json_schema"]  # the dispatcher validates JSON
        elif kind == "lax-or-strict":
            schema = schema["strict_schema"]  # the argument models are strict
        else:
            return


def _walk(
    schema: Schema, loc: tuple[str | int, ...], definitions: Definitions, error: str
) -> _Found | None:
    """Follow pydantic's path loc through schema: the path as keys, indexes and branches, the
    schema at its end and the definitions in scope there; None if loc is no path of schema.
    """
    if not loc:
        return (), schema, definitions
    layers = list(_layers(schema, definitions))
    schema, definitions = layers[-1]
    kind = schema["type"]
    if kind == "chain":  # one of its steps failed, which adds nothing to the path
        return _first(_walk(s, loc, definitions, error) for s in schema["steps"])
    if kind in ("union", "tagged-union"):
        nullable = any(layer["type"] == "nullable" for layer, _ in layers)
        return _then(_Branch(nullable), _branch(schema, loc, definitions, error))
    if kind == "model-fields":
        return _into_field(schema, loc, definitions, error)
    if kind in ("list", "set", "frozenset", "dict"):
        return _into_item(schema, loc, definitions, error)
    return None


def _into_field(
    fields: Schema, loc: tuple[str | int, ...], definitions: Definitions, error: str
) -> _Found | None:
    """Follow loc from a model's fields: its first step is a key of the object."""
    step, rest = loc[0], loc[1:]
    field = _field(fields, step)
    if field is not None:
        return _then(step, _walk(field["schema"], rest, definitions, error))
    if "extras_schema" in fields:
        return _then(step, _walk(fields["extras_schema"], rest, definitions, error))
    if not rest and error == "extra_forbidden":
        return (step,), fields, definitions
    return None


def _into_item(
    container: Schema, loc: tuple[str | int, ...], definitions: Definitions, error: str
) -> _Found | None:
    """Follow loc from an array (its first step an index) or a map (a key)."""
    step, rest = loc[0], loc[1:]
    if container["type"] != "dict":
        items = container.get("items_schema", _ANY)
        return _then(step, _walk(items, rest, definitions, error))
    if rest == ("[key]",):
        return (step,), container.get("keys_schema", _ANY), definitions
    values = container.get("values_schema", _ANY)
    return _then(step, _walk(values, rest, definitions, error))


def _branch(
    union: Schema, loc: tuple[str | int, ...], definitions: Definitions, error: str
) -> _Found | None:
    """Follow loc from a union, whose first step names the branch: pydantic's name for it,
    which is not to be read (a tagged union's tag excepted). The branch is the one that can
    follow the rest of loc; when nothing is left, one that gives errors of that type."""
    step, rest = loc[0], loc[1:]
    if union["type"] == "tagged-union":
        choice = union["choices"].get(step)
        return None if choice is None else _walk(choice, rest, definitions, error)
    choices = [c[0] if isinstance(c, tuple) else c for c in union["choices"]]
    if not rest:
        choices.sort(key=lambda choice: not _gives(choice, definitions, error))
    return _first(_walk(choice, rest, definitions, error) for choice in choices)


def _gives(schema: Schema, definitions: Definitions, error: str) -> bool:
    """Whether schema can give an error of that type."""
    for layer, scope in _layers(schema, definitions):
        if error.startswith(_ERRORS.get(layer["type"], ())):
            return True
        if layer["type"] == "chain":
            return any(_gives(step, scope, error) for step in layer["steps"])
    return False


def _then(step: Step, found: _Found | None) -> _Found | None:
    if found is None:
        return None
    path, schema, definitions = found
    return (step, *path), schema, definitions


def _first(found: Iterable[_Found | None]) -> _Found | None:
    return next((f for f in found if f is not None), None)


def _field(fields: Schema, key: str | int) -> Schema | None:
    """The field of a model that the JSON names key (its alias, or its name)."""
    for name, field in fields["fields"].items():
        if field.get("validation_alias", name) == key:
            return field  # type: ignore[no-any-return]
    return None


def _keys(schema: Schema | None) -> list[str]:
    if schema is None or schema["type"] != "model-fields":
        return []
    fields = schema["fields"].items()
    return [field.get("validation_alias", name) for name, field in fields]


def _kinds(schema: Schema, definitions: Definitions) -> list[str]:
    """The kinds of value schema takes, as the spec language names them ("null" among them);
    none when it is a schema this walk does not know."""
    layers = list(_layers(schema, definitions))
    null = ["null"] if any(layer["type"] == "nullable" for layer, _ in layers) else []
    for layer, _ in layers:
        if (
            layer["type"] == "function-after"
            and layer["function"]["function"] in _ADDRESSES
        ):
            return [_ADDRESSES[layer["function"]["function"]], *null]
    schema, definitions = layers[-1]
    kind = schema["type"]
    if kind == "chain":  # the value is what the last step makes
        return [*_kinds(schema["steps"][-1], definitions), *null]
    if kind == "union":
        choices = (c[0] if isinstance(c, tuple) else c for c in schema["choices"])
        return _unique([*(k for c in choices for k in _kinds(c, definitions)), *null])
    if kind in ("literal", "enum"):
        values = schema["expected"] if kind == "literal" else schema["members"]
        texts = [_json(getattr(value, "value", value)) for value in values]
        return [texts[0] if len(texts) == 1 else f"one of {', '.join(texts)}", *null]
    return [_KINDS[kind], *null] if kind in _KINDS else []


def _name(path: Sequence[Step], whole: str) -> str:
    """The path as the API names it, `a.b[0].c`; whole when it is empty."""
    name = ""
    for step in path:
        if isinstance(step, int):
            name += f"[{step}]"
        elif isinstance(step, str) and _PLAIN_KEY.fullmatch(step):
            name += f".{step}" if name else step
        elif isinstance(step, str):  # a key the model made up: quoted, and cut short
            name += f"[{_json(step if len(step) <= 40 else f'{step[:40]}…')}]"
    return name or whole


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _number(value: Any) -> Any:
    """A bound as the spec wrote it: `0`, not the `0.0` of a float field."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(texts))
