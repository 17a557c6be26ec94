"""What the generated argument models accept and what the handler gets: null defaults,
free-form objects, untyped values, union branches, and construction from Python."""

from __future__ import annotations

import importlib
import json
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic

from conftest import build_package, load


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
