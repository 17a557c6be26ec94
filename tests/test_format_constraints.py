"""A string of a format whose Python type is not str (FORMAT_TYPES), with `pattern`, `minLength`
or `maxLength`: the model checks them on the JSON string, as the API schema does, and the handler
still gets the parsed value; a string they refuse is a ValidationError on that field, never a
TypeError (pydantic applying `max_length` to a datetime). Wherever the string is: a field, a
nullable one, an optional one with a default, an array item, an anyOf branch, a named type."""

from __future__ import annotations

import datetime
import importlib
import ipaddress
import json
import uuid
from types import ModuleType
from typing import Any, NamedTuple

import pydantic
import pytest
import yaml

from conftest import build_package
from toolspec.compile.model_rewrites.string_checks import FORMAT_TYPES
from toolspec.lint.json_validation import validation_errors


class Case(NamedTuple):
    kind: type
    short: str
    """A valid value, which the pattern matches: maxLength is its length."""
    long: str | None
    """A longer valid value of the format, where it has one (a date or a UUID has one length, for
    llguidance too): minLength is its length."""
    unmatched: str
    """A valid value of the format that the pattern does not match."""

    @property
    def min_length(self) -> int:
        return len(self.long or self.short)

    @property
    def too_short(self) -> str:
        return self.short if self.long else self.short[:-1]

    @property
    def too_long(self) -> str:
        return self.long or f"{self.short}0"


CASES = {
    "date-time": Case(datetime.datetime, "2026-01-01T10:00:00Z", "2036-01-01T10:00:00.5+01:00", "2025-01-01T10:00:00Z"),
    "date": Case(datetime.date, "2026-01-01", None, "2025-01-01"),
    "time": Case(datetime.time, "10:00:00Z", "11:00:00.5+01:00", "11:00:00Z"),
    "duration": Case(datetime.timedelta, "PT5M", "P1DT2H30M", "P1D"),
    "uuid": Case(uuid.UUID, "9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d", None, "9B2F6C1E-3D4A-4F5B-8C6D-7E8F9A0B1C2D"),
    "ipv4": Case(ipaddress.IPv4Address, "10.0.0.1", "192.168.100.200", "192.168.0.1"),
    "ipv6": Case(ipaddress.IPv6Address, "fe80::1", "2001:db8:0:0:0:0:0:1", "::1"),
}
PATTERNS = {
    "date-time": "^2026-",
    "date": "^2026-",
    "time": "^10:",
    "duration": "^PT",
    "uuid": "^[0-9a-f-]+$",
    "ipv4": r"^10\.",
    "ipv6": "^fe80:",
}
STRING_ERRORS = {"string_pattern_mismatch", "string_too_short", "string_too_long"}


def _tool_name(form: str) -> str:
    return f"at_{form.replace('-', '_')}"


def _type_name(form: str) -> str:
    return f"Stamp{form.replace('-', '').capitalize()}"


def _spec() -> str:
    types: dict[str, Any] = {"JsonString": {"type": "string", "description": "A name models.py imports too."}}
    tools = []
    for form, case in CASES.items():
        string = {"type": "string", "format": form}
        short = {**string, "maxLength": len(case.short)}
        types[_type_name(form)] = {**short, "description": "A named string."}
        parameters = {
            "pattern": {**string, "pattern": PATTERNS[form], "description": "P."},
            "min": {**string, "minLength": case.min_length, "description": "Min."},
            "max": {**short, "description": "Max."},
            "nullable": {**short, "nullable": True, "description": "Null or a value."},
            "defaulted": {**short, "optional": True, "default": case.short, "description": "Null for the default."},
            "nullable_defaulted": {**short, "nullable": True, "optional": True, "default": case.short},
            "items": {"type": "array", "items": short, "description": "Values."},
            "branch": {"anyOf": [{"type": "integer"}, short], "description": "A number or a value."},
            "named": {"type": _type_name(form), "description": "A named type."},
            "other": {"type": "JsonString"},
        }
        tools.append({"name": _tool_name(form), "description": f"Takes {form} strings.", "parameters": parameters})
    # In a tool that is not strict, an optional parameter is typed `JsonDate | None` (not an alias).
    loose = {_tool_name(form): {"type": "string", "format": form, "maxLength": len(case.short), "optional": True}
             for form, case in CASES.items()}  # fmt: skip
    tools.append({"name": "loose", "description": "Not strict.", "strict": False, "parameters": loose})
    return yaml.safe_dump({"toolset": "formats", "description": "Formats.", "types": types, "tools": tools})


@pytest.fixture(scope="module")
def formats(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    package = build_package(tmp_path_factory.mktemp("formats"), {"formats.yaml": _spec()})
    return importlib.import_module(f"{package.__name__}.formats")


def _model(formats: ModuleType, form: str) -> Any:
    return formats.ARGUMENT_MODELS[_tool_name(form)]


def _parameters(formats: ModuleType, form: str) -> dict[str, Any]:
    tool = next(t for t in formats.RESPONSES_TOOLS if t["name"] == _tool_name(form))
    parameters: dict[str, Any] = tool["parameters"]
    return parameters


def _valid(form: str) -> dict[str, Any]:
    case = CASES[form]
    return {
        "pattern": case.short,
        "min": case.long or case.short,
        "max": case.short,
        "nullable": case.short,
        "defaulted": case.short,
        "nullable_defaulted": case.short,
        "items": [case.short, case.short],
        "branch": case.short,
        "named": case.short,
        "other": "x",
    }


def _put(call: dict[str, Any], place: str, value: str) -> dict[str, Any]:
    return {**call, place: [value] if place == "items" else value}


def test_the_api_schema_keeps_the_checks(formats: ModuleType) -> None:
    for form in CASES:
        properties = _parameters(formats, form)["properties"]
        assert properties["pattern"]["pattern"] == PATTERNS[form]
        assert properties["max"] == {
            "type": "string",
            "format": form,
            "maxLength": len(CASES[form].short),
            "description": "Max.",
        }
        assert properties["items"]["items"]["maxLength"] == len(CASES[form].short)


def test_every_format_of_format_types_is_covered() -> None:
    assert set(CASES) == set(FORMAT_TYPES)


@pytest.mark.parametrize("form", CASES)
def test_valid_strings_are_accepted_and_parsed(formats: ModuleType, form: str) -> None:
    kind = CASES[form].kind
    call = _valid(form)
    assert not validation_errors(call, _parameters(formats, form))
    arguments = _model(formats, form).model_validate_json(json.dumps(call))
    places = ("pattern", "min", "max", "nullable", "defaulted", "nullable_defaulted", "branch")
    values = [getattr(arguments, place) for place in places]
    values += [*arguments.items, arguments.named.root]
    assert all(isinstance(value, kind) for value in values), values
    assert arguments.max == pydantic.TypeAdapter(kind).validate_json(json.dumps(CASES[form].short))
    nulls = {"nullable": None, "defaulted": None, "nullable_defaulted": None}
    defaults = _model(formats, form).model_validate_json(json.dumps({**call, **nulls}))
    assert defaults.nullable is None
    assert defaults.defaulted == defaults.nullable_defaulted == arguments.max, "null is the default, parsed"
    assert _model(formats, form).model_validate_json(json.dumps({**call, "branch": 5})).branch == 5


def _refused(form: str) -> list[tuple[str, str]]:
    """(place, string) pairs the checks refuse."""
    case = CASES[form]
    return [
        ("pattern", case.unmatched),
        ("min", case.too_short),
        *(
            (place, case.too_long)
            for place in ("max", "nullable", "defaulted", "nullable_defaulted", "items", "branch")
        ),
        ("named", case.too_long),
    ]


@pytest.mark.parametrize("form", CASES)
def test_strings_the_checks_refuse_are_validation_errors_on_their_field(formats: ModuleType, form: str) -> None:
    model = _model(formats, form)
    for place, string in _refused(form):
        call = _put(_valid(form), place, string)
        assert validation_errors(call, _parameters(formats, form)), "the API schema refuses it too"
        with pytest.raises(pydantic.ValidationError) as refused:
            model.model_validate_json(json.dumps(call))
        errors = refused.value.errors()
        assert {error["loc"][0] for error in errors} == {place}, errors
        assert STRING_ERRORS & {error["type"] for error in errors}, errors
        with pytest.raises(pydantic.ValidationError):
            model.model_validate(json.loads(json.dumps(call)))


@pytest.mark.parametrize("form", CASES)
def test_python_takes_an_instance_unchecked_and_a_str_checked(formats: ModuleType, form: str) -> None:
    """An instance has no string to check: one whose JSON string the checks would refuse is taken."""
    case = CASES[form]
    model = _model(formats, form)
    models = importlib.import_module(f"{formats.__name__}.models")
    adapter = pydantic.TypeAdapter(case.kind)
    unmatched = adapter.validate_json(json.dumps(case.unmatched))
    long = adapter.validate_json(json.dumps(case.too_long)) if case.long else unmatched
    by_name = {
        "pattern": unmatched,
        "min": case.long or case.short,
        "max": long,
        "nullable": None,
        "items": [long],
        "branch": long,
        "named": getattr(models, _type_name(form))(long),
        "other": models.JsonStringModel("x"),
    }
    arguments = model(**by_name)
    assert (arguments.pattern, arguments.max, arguments.items, arguments.branch) == (unmatched, long, [long], long)
    assert arguments.named.root == long
    assert arguments.min == adapter.validate_json(json.dumps(case.long or case.short)), "a str is parsed"
    for place, string in _refused(form):
        if place == "named":  # a class: Python gives its instance (checked as it was made)
            with pytest.raises(pydantic.ValidationError):
                getattr(models, _type_name(form))(string)
            continue
        with pytest.raises(pydantic.ValidationError) as refused:
            model(**_put(by_name, place, string))
        assert {error["loc"][0] for error in refused.value.errors()} == {place}


def test_an_optional_parameter_of_a_tool_that_is_not_strict(formats: ModuleType) -> None:
    model = formats.ARGUMENT_MODELS["loose"]
    assert all(value is None for value in model.model_validate_json("{}").model_dump().values())
    shorts = {_tool_name(form): case.short for form, case in CASES.items()}
    arguments = model.model_validate_json(json.dumps(shorts))
    assert all(isinstance(getattr(arguments, _tool_name(form)), case.kind) for form, case in CASES.items())
    for form, case in CASES.items():
        with pytest.raises(pydantic.ValidationError) as refused:
            model.model_validate_json(json.dumps({_tool_name(form): case.too_long}))
        assert [(e["type"], e["loc"]) for e in refused.value.errors()] == [("string_too_long", (_tool_name(form),))]


ODD_STRINGS = [
    *("2026-01-01T00:00:00", "2026-01-01T00:00:00Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+0100", "2026-01-01"),
    *("1700000000", "12", "1.5", "true", "PT5M", "-PT5M", "10:00", "10:00:00Z", "9b2f6c1e3d4a4f5b8c6d7e8f9a0b1c2d"),
    *("{9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d}", "urn:uuid:9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d", "10.0.0.1", "::1"),
    *("010.0.0.1", "10.0.0.1/32", " 2026-01-01", "2026-01-01 ", "fe80::1%eth0"),
]


@pytest.mark.parametrize("form", CASES)
def test_python_reads_a_str_as_json_does(formats: ModuleType, form: str) -> None:
    """Lax mode would take more from a Python str ("2026-01-01T00:00:00" for a date) than JSON;
    and `strict=True`, given at validation, changes neither."""
    model = _model(formats, form)
    for string in ODD_STRINGS:
        call = {**_valid(form), "pattern": string, "nullable_defaulted": string}
        from_json = _accepts(model.model_validate_json, json.dumps(call))
        assert _accepts(model.model_validate_json, json.dumps(call), strict=True) == from_json, string
        assert _accepts(model.model_validate, call) == from_json, string
        assert _accepts(model.model_validate, call, strict=True) == from_json, string


def _accepts(validate: Any, value: Any, **options: Any) -> bool:
    try:
        validate(value, **options)
    except pydantic.ValidationError:
        return False
    return True
