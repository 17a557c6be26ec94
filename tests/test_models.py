"""What the generated argument models accept and what the handler gets: null defaults,
free-form objects, untyped values, union branches, and construction from Python."""

from __future__ import annotations

import datetime
import importlib
import json
import os
import subprocess
import sys
import typing
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest

from conftest import REPO, build_package, load


def _models(tmp_path: Path, tools: str, *, types: str = "") -> ModuleType:
    spec = f"toolset: t\ndescription: Test.\n{types}tools:\n{tools}"
    package = build_package(tmp_path, {"t.yaml": spec})
    return importlib.import_module(f"{package.__name__}.t")


def _accepts(model: type[pydantic.BaseModel], value: Any) -> bool:
    try:
        model.model_validate_json(json.dumps(value))
    except pydantic.ValidationError:
        return False
    return True


NULL_DEFAULT = """\
  - name: find
    description: Find.
    parameters:
      query:
        type: string
        description: Words.
        optional: true
        default: null
  - name: loose
    description: Find, not strict.
    strict: false
    parameters:
      query:
        type: string
        description: Words.
        optional: true
        default: null
"""


def test_a_null_default_accepts_null_and_gives_none(tmp_path: Path) -> None:
    t = _models(tmp_path, NULL_DEFAULT)
    assert t.FindArguments.model_validate_json('{"query": null}').query is None
    assert t.FindArguments.model_validate_json('{"query": "x"}').query == "x"
    assert type(None) in typing.get_args(t.FindArguments.model_fields["query"].annotation), "typed str | None"
    assert not _accepts(t.FindArguments, {"query": 5})
    assert t.LooseArguments.model_validate_json("{}").query is None
    assert t.LooseArguments.model_validate_json('{"query": null}').query is None
    loose = next(tool for tool in t.RESPONSES_TOOLS if tool["name"] == "loose")
    assert loose["parameters"]["properties"]["query"] == {
        "type": ["string", "null"],
        "description": "Words.",
        "default": None,
    }


FREE_FORM = """\
  - name: configure
    description: Configure.
    strict: false
    parameters:
      options:
        type: object
        description: Any options.
      settings:
        type: object
        description: Must have a name; other keys are allowed too.
        properties:
          name: {type: string, description: The name.}
        additionalProperties: true
      value:
        type: any
        description: Any JSON value.
      values:
        type: array
        items: {type: any}
        description: Any JSON values.
      extra:
        type: any
        description: Anything, or nothing.
        optional: true
  - name: ping
    description: No arguments.
    strict: false
"""


def test_free_form_objects_and_any_values_in_a_non_strict_tool(tmp_path: Path) -> None:
    t = _models(tmp_path, FREE_FORM)
    tools = {tool["name"]: tool["parameters"] for tool in t.RESPONSES_TOOLS}
    properties = tools["configure"]["properties"]
    assert properties["options"] == {"type": "object", "description": "Any options.", "additionalProperties": True}
    assert properties["value"] == {"description": "Any JSON value."}
    assert properties["values"]["items"] == {}
    assert properties["settings"]["required"] == ["name"] and properties["settings"]["additionalProperties"] is True
    assert tools["configure"]["required"] == ["options", "settings", "value", "values"]
    assert tools["ping"] == {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
    model = t.ConfigureArguments
    arguments = {
        "options": {"a": 1, "b": [None, {"c": "d"}]},
        "settings": {"name": "n", "colour": "red"},
        "value": None,
        "values": [1, "two", None, {"three": 3}],
    }
    parsed = model.model_validate_json(json.dumps(arguments))
    assert parsed.options == arguments["options"] and parsed.value is None and parsed.extra is None
    assert parsed.model_dump(by_alias=True, exclude_unset=True) == arguments
    assert _accepts(model, {**arguments, "value": {"any": ["thing"]}, "extra": 5})
    assert not _accepts(model, {**arguments, "options": []}), "options is an object"
    assert not _accepts(model, {**arguments, "settings": {"colour": "red"}}), "settings needs its name"
    assert not _accepts(model, {k: v for k, v in arguments.items() if k != "value"}), "value is required"
    assert not _accepts(model, {**arguments, "unknown": 1})


def test_required_on_an_object_points_to_the_idiom(tmp_path: Path) -> None:
    tools = FREE_FORM.replace(
        "        description: Any options.\n", "        description: Any options.\n        required: [a]\n"
    )
    built = load(tmp_path, {"t.yaml": f"toolset: t\ndescription: Test.\ntools:\n{tools}"})
    messages = [d.message for d in built.diagnostics if d.code == "TS102"]
    assert len(messages) == 1 and "additionalProperties: true" in messages[0], messages


def test_any_is_refused_in_a_strict_tool(tmp_path: Path) -> None:
    tools = FREE_FORM.replace("    strict: false\n", "", 1)
    built = load(tmp_path, {"t.yaml": f"toolset: t\ndescription: Test.\ntools:\n{tools}"})
    codes = sorted(d.code for d in built.diagnostics)
    assert codes == ["TS201", "TS201", "TS211", "TS211", "TS211"], codes


UNIONS = """\
  - name: remind
    description: Remind.
    parameters:
      reminder:
        anyOf:
          - {type: integer, minimum: 0, description: Minutes before the start.}
          - {type: string, format: duration, description: An ISO 8601 duration before the start.}
        description: When to remind the attendees.
        optional: true
      codes:
        type: array
        items: {type: string, pattern: "^[A-Z]{3}$", description: A code.}
        description: Codes.
      currency:
        type: Currency
"""
CURRENCY = """\
types:
  Currency:
    type: string
    pattern: "^[A-Z]{3}$"
    description: ISO 4217 currency code.
"""


def test_union_branches_and_items_are_plain_values_with_their_constraints(tmp_path: Path) -> None:
    t = _models(tmp_path, UNIONS, types=CURRENCY)
    model = t.RemindArguments
    parsed = model.model_validate_json('{"reminder": 15, "codes": ["EUR"], "currency": "USD"}')
    assert type(parsed.reminder) is int and parsed.reminder == 15
    assert parsed.codes == ["EUR"] and type(parsed.codes[0]) is str
    assert parsed.currency.root == "USD", "a named type is a class, as the spec names it"
    assert model.model_validate_json('{"reminder": "PT15M", "codes": [], "currency": "USD"}').reminder.seconds == 900
    for reminder, codes in ((-1, ["EUR"]), ("5", ["EUR"]), (1.5, ["EUR"]), (15, ["eur"]), (15, [5])):
        assert not _accepts(model, {"reminder": reminder, "codes": codes, "currency": "USD"}), (reminder, codes)
    models = importlib.import_module(f"{t.__name__}.models")
    classes = [
        value for value in vars(models).values() if isinstance(value, type) and value.__module__ == models.__name__
    ]
    root_models = [c.__name__ for c in classes if issubclass(c, pydantic.RootModel) and "[" not in c.__name__]
    assert root_models == ["Currency"], "no made-up RootModel"


def test_models_are_built_from_python_by_field_name_with_optional_parameters_defaulted() -> None:
    weather = importlib.import_module("generated.weather")
    calendar = importlib.import_module("generated.calendar.models")
    assert weather.GetWeatherArguments(location="Paris").units == "celsius"
    assert weather.GetWeatherArguments(location="Paris", units=None).units == "celsius"
    start = datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.timezone.utc)
    event = calendar.CreateEventArguments(title="Plan", from_=start, to=start, attendees=[])
    assert (event.from_, event.class_, event.reminder, event.agenda) == (start, "private", None, None)
    person = calendar.Person(name="Ada", email="ada@example.com", role="organizer")
    assert calendar.CreateEventArguments(title="Plan", from_=start, to=start, attendees=[person]).attendees == [person]
    for wrong in ({"title": 5}, {"from_": "yesterday"}, {"from_": start.replace(tzinfo=None)}, {"unknown": 1}):
        with pytest.raises(pydantic.ValidationError):
            calendar.CreateEventArguments(**{"title": "Plan", "from_": start, "to": start, "attendees": [], **wrong})


def test_model_validate_takes_what_json_loads_gives() -> None:
    calendar = importlib.import_module("generated.calendar.models")
    example = {
        "title": "Planning",
        "from": "2026-12-01T10:00:00+01:00",
        "to": "2026-12-01T11:00:00+01:00",
        "class": None,
        "attendees": [{"name": "Ada Lovelace", "email": "ada@example.com", "role": "organizer"}],
        "reminder": "PT15M",
        "agenda": None,
    }
    arguments = calendar.CreateEventArguments.model_validate(json.loads(json.dumps(example)))
    assert arguments == calendar.CreateEventArguments.model_validate_json(json.dumps(example))
    assert arguments.from_.utcoffset() == datetime.timedelta(hours=1) and arguments.class_ == "private"
    assert arguments.reminder == datetime.timedelta(minutes=15)
    event_id = "9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d"
    cancel = calendar.CancelEventArguments.model_validate({"event-id": event_id, "json": True})
    assert cancel.event_id == uuid.UUID(event_id) and cancel.schema_ is None
    for wrong in ({"from": "2026-12-01T10:00:00"}, {"title": 5}, {"reminder": "5"}, {"reminder": 1.5}, {"x": 1}):
        assert not _validates(calendar.CreateEventArguments, {**example, **wrong}), wrong
    assert not _validates(calendar.CancelEventArguments, {"event-id": "not-a-uuid", "json": True})
    assert not _validates(calendar.CancelEventArguments, {"event-id": event_id, "json": "true"})


def _validates(model: type[pydantic.BaseModel], value: Any) -> bool:
    try:
        model.model_validate(value)
    except pydantic.ValidationError:
        return False
    return True


def test_json_stays_as_strict_as_the_tool_schema_but_optional_keys_may_be_left_out() -> None:
    weather = importlib.import_module("generated.weather")
    calendar = importlib.import_module("generated.calendar.models")
    with pytest.raises(pydantic.ValidationError) as missing:
        weather.GetWeatherArguments.model_validate_json('{"units": "celsius"}')
    assert [(e["type"], e["loc"]) for e in missing.value.errors()] == [("missing", ("location",))]
    left_out = weather.GetWeatherArguments.model_validate_json('{"location": "Paris"}')
    assert left_out.units == "celsius", "an optional key left out holds its default"
    calendar_args = importlib.import_module("generated.calendar")
    with pytest.raises(pydantic.ValidationError) as all_missing:
        calendar_args.CreateEventArguments.model_validate_json("{}")
    assert [e["loc"] for e in all_missing.value.errors()] == [("title",), ("from",), ("to",), ("attendees",)]
    assert not _accepts(weather.GetWeatherArguments, {"location": "Paris", "units": None, "x": 1})
    assert not _accepts(weather.GetWeatherArguments, {"location": 5, "units": None})
    by_field_name = {"event_id": "9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d", "json": True, "schema": None}
    assert not _accepts(calendar.CancelEventArguments, by_field_name), "JSON has the API's names only"
    agenda = {"title": "A", "minutes": 5, "children": [{"title": "B", "minutes": "5", "children": []}]}
    with pytest.raises(pydantic.ValidationError):
        calendar.AgendaItem.model_validate_json(json.dumps(agenda))


def test_construction_type_checks(tmp_path: Path) -> None:
    code = tmp_path / "use_models.py"
    code.write_text(
        "import datetime\n"
        "from generated.calendar import CreateEventArguments\n"
        "from generated.weather import GetWeatherArguments\n"
        "units: str = GetWeatherArguments(location='Paris').units\n"
        "start = datetime.datetime.now(datetime.timezone.utc)\n"
        "event = CreateEventArguments(title='Plan', from_=start, to=start, attendees=[])\n"
        "reminder: int | datetime.timedelta | None = event.reminder\n",
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(REPO / ".mypy_cache"), str(code)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stdout
