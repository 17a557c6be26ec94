"""validation_errors asks jsonschema-rs first and jsonschema only for what jsonschema-rs refuses:
a value jsonschema-rs takes must be one jsonschema (with toolspec's pattern and format checks)
takes, or a default or an example the API's models refuse would pass lint unreported."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from toolspec.lint import json_validation
from toolspec.lint.json_validation import validation_errors

PATTERNS = ("^[a-z]+$", "^[0-9]{3}$", r"^\d+$", r"^\w+$", "^(a|b)*c$", "x", "(?=a)a", "^[A-Z]{3}$")
FORMATS = ("date", "date-time", "time", "duration", "uuid", "ipv4", "ipv6", "email", "hostname", "uri")
STRINGS = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        [
            "2024-01-31",
            "2024-02-30",
            "2024-01-01T10:00:00Z",
            "2024-01-01T10:00:00",
            "10:00:00",
            "P1D",
            "PT1H",
            "0a1b2c3d-1111-2222-3333-444455556666",
            "192.168.0.1",
            "192.168.000.1",
            "::1",
            "a@b.co",
            "example.com",
            "12",
            "١٢٣",
            "abc",
            "ABC",
            "aabc",
        ]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.07, 0.1, 0.3, 1.0, -0.0, 3]),
    STRINGS,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), inner, max_size=4)
    ),
    max_leaves=12,
)
NUMBERS = st.one_of(st.integers(-5, 20), st.sampled_from([0.01, 0.1, 0.5, 2.5]))


def _scalar_schemas() -> st.SearchStrategy[dict[str, Any]]:
    string = st.fixed_dictionaries(
        {"type": st.sampled_from(["string", ["string", "null"]])},
        optional={
            "minLength": st.integers(0, 4),
            "maxLength": st.integers(0, 6),
            "pattern": st.sampled_from(PATTERNS),
            "format": st.sampled_from(FORMATS),
            "enum": st.lists(STRINGS, min_size=1, max_size=3),
        },
    )
    number = st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number", ["number", "null"]])},
        optional={
            "minimum": NUMBERS,
            "maximum": NUMBERS,
            "exclusiveMinimum": NUMBERS,
            "exclusiveMaximum": NUMBERS,
            "multipleOf": st.sampled_from([0.01, 0.1, 2, 3]),
        },
    )
    other = st.one_of(
        st.fixed_dictionaries({"type": st.sampled_from(["boolean", "null"])}),
        st.fixed_dictionaries({"const": SCALARS}),
        st.fixed_dictionaries({"enum": st.lists(SCALARS, min_size=1, max_size=3)}),
    )
    return st.one_of(string, number, other)


def _schemas() -> st.SearchStrategy[dict[str, Any]]:
    return st.recursive(
        _scalar_schemas(),
        lambda inner: st.one_of(
            st.fixed_dictionaries(
                {"type": st.just("array"), "items": inner},
                optional={"minItems": st.integers(0, 3), "maxItems": st.integers(0, 4), "uniqueItems": st.booleans()},
            ),
            st.builds(
                lambda properties, required, extra: {
                    "type": "object",
                    "properties": properties,
                    "required": [name for name in properties if name in required],
                    "additionalProperties": extra,
                },
                st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
                st.sets(st.sampled_from(["a", "b", "c"])),
                st.one_of(st.booleans(), inner),
            ),
            st.builds(lambda branches: {"anyOf": branches}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda branches: {"allOf": branches}, st.lists(inner, min_size=1, max_size=2)),
        ),
        max_leaves=6,
    )


def _documents() -> st.SearchStrategy[dict[str, Any]]:
    """A schema, or one whose type is a named type under `$defs`, as the compiled schemas have them."""
    referring = st.builds(
        lambda named, outer: {
            "type": "object",
            "properties": {"a": {"$ref": "#/$defs/T"}, "b": outer},
            "$defs": {"T": named},
        },
        _schemas(),
        _schemas(),
    )
    return st.one_of(_schemas(), referring)


def _jsonschema_errors(instance: Any, schema: dict[str, Any]) -> list[Any]:
    return list(json_validation._validator_class()(schema).iter_errors(instance))  # noqa: SLF001


_KIND_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "string": STRINGS,
    "integer": st.integers(-5, 20),
    "number": st.one_of(NUMBERS, st.sampled_from([0.07, 0.3, 1.0, -0.0])),
    "boolean": st.booleans(),
    "null": st.none(),
}


def _values_for(schema: Any, defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values near what schema takes (most valid, some not), so that the property is tested on
    values jsonschema-rs takes rather than on random ones it refuses."""
    if not isinstance(schema, dict):
        return VALUES
    if "const" in schema or "enum" in schema:
        return st.sampled_from(schema["enum"]) if "enum" in schema else st.just(schema["const"])
    if "$ref" in schema:
        return _values_for(defs.get("T"), defs)
    if "anyOf" in schema or "allOf" in schema:
        return st.one_of([_values_for(branch, defs) for branch in schema.get("anyOf", schema.get("allOf"))])
    kinds = schema.get("type")
    if kinds == "array":
        return st.lists(_values_for(schema["items"], defs), max_size=4)
    if kinds == "object":
        properties = {name: _values_for(value, defs) for name, value in schema.get("properties", {}).items()}
        required = {name: properties[name] for name in schema.get("required", [])}
        optional = {name: value for name, value in properties.items() if name not in required}
        return st.fixed_dictionaries(required, optional=optional)
    return st.one_of([_KIND_VALUES.get(kind, VALUES) for kind in (kinds if isinstance(kinds, list) else [kinds])])


DOCUMENTS = _documents()


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Any, dict[str, Any]]:
    schema = draw(DOCUMENTS)
    values = _values_for(schema, schema.get("$defs", {}))
    return draw(st.one_of(values, values, values, VALUES)), schema


@settings(max_examples=500, deadline=None)
@given(case=_cases())
def test_what_jsonschema_rs_takes_jsonschema_takes(case: tuple[Any, dict[str, Any]]) -> None:
    instance, schema = case
    if json_validation._surely_valid(instance, schema):  # noqa: SLF001
        assert _jsonschema_errors(instance, schema) == []


def test_each_check_of_the_models_is_held_by_both() -> None:
    """(value, schema, valid, answered by jsonschema-rs alone)."""
    cases: list[tuple[Any, dict[str, Any], bool, bool]] = [
        ("2024-01-31", {"type": "string", "format": "date"}, True, True),
        ("2024-02-30", {"type": "string", "format": "date"}, False, False),
        ("12", {"type": "string", "format": "date-time"}, False, False),  # pydantic's unix time: no RFC 3339
        ("abc", {"type": "string", "pattern": "^[a-c]+$"}, True, True),
        # jsonschema-rs reads \d as ECMA-262 does (ASCII digits), pydantic-core as Unicode's: jsonschema decides.
        ("١٢٣", {"type": "string", "pattern": r"^\d+$"}, True, False),
        ("abc", {"type": "string", "pattern": "(?=a)abc"}, True, False),  # a lookaround: its own rule's finding
        (0.07, {"type": "number", "multipleOf": 0.01}, False, False),  # jsonschema divides: 7.000000000000001
        (2, {"type": "number", "multipleOf": 2}, True, False),  # multipleOf always goes to jsonschema
        (
            {"a": "x"},
            {"type": "object", "properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"type": "string"}}},
            True,
            True,
        ),
        (
            {"a": 1},
            {"type": "object", "properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"type": "string"}}},
            False,
            False,
        ),
    ]
    for instance, schema, valid, alone in cases:
        assert (validation_errors(instance, schema) == []) is valid, (instance, schema)
        assert json_validation._surely_valid(instance, schema) is alone, (instance, schema)  # noqa: SLF001


def test_a_process_checks_its_first_values_without_jsonschema() -> None:
    """jsonschema's import costs as much as the rest of a changed spec's lint: the first FAST_FOR
    valid values of a process do without it; past them, jsonschema, cheaper per value, takes over."""
    code = (
        "import sys\n"
        "from toolspec.lint.json_validation import FAST_FOR, validation_errors\n"
        "schema = {'type': 'object', 'properties': {'day': {'type': 'string', 'format': 'date', 'pattern': '^2'},"
        " 'n': {'type': ['integer', 'null'], 'maximum': 5}}, 'required': ['day']}\n"
        "for _ in range(FAST_FOR):\n"
        "    assert validation_errors({'day': '2024-01-31', 'n': None}, schema) == []\n"
        "print('jsonschema' in sys.modules)\n"
        "assert validation_errors({'day': '2024-01-31', 'n': 4}, schema) == []\n"
        "print('jsonschema' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
