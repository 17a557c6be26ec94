"""`returns`: a tool's result model, the Dispatcher's check of what its handler returns, the MCP
`outputSchema` export writes and import reads back, and the catalogue's table."""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from conftest import build_package, load
from toolspec.cli.exporting import export_tools
from toolspec.importing import import_sources
from toolspec.output.catalogue import toolset_page

SPEC = """\
toolset: forecast
types:
  Place:
    type: object
    description: A city.
    properties:
      city: {type: string, description: The city.}
tools:
  - name: get_forecast
    description: The forecast.
    effect: read
    parameters:
      city: {type: string, description: The city.}
    returns:
      type: object
      properties:
        place: {type: Place, description: Where.}
        days:
          type: array
          description: Day by day.
          items:
            type: object
            properties:
              high: {type: number, description: The highest temperature.}
              note: {type: string, description: A note., optional: true}
        extra: {type: object, description: Anything else.}
  - name: list_places
    description: The places.
    effect: read
    parameters: {}
    returns: {type: array, items: {type: Place}}
  - name: ping
    description: Answer pong.
    effect: read
    parameters: {}
    returns: {type: string}
  - name: whatever
    description: Says nothing of its result.
    effect: read
    parameters: {}
"""

GOOD = {"place": {"city": "Oslo"}, "days": [{"high": 3}, {"high": 2.5, "note": "snow"}], "extra": {"k": [1]}}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_package(tmp_path_factory.mktemp("results"), {"forecast.yaml": SPEC})


def handlers(package: ModuleType, results: dict[str, Any], *, asynchronous: bool = False) -> Any:
    base = importlib.import_module(f"{package.__name__}.forecast").ForecastHandlers

    def method(name: str) -> Any:
        if asynchronous:

            async def answer(self: Any, args: Any) -> Any:
                return results[name]

        else:

            def answer(self: Any, args: Any) -> Any:
                return results[name]

        return answer

    names = ("get_forecast", "list_places", "ping", "whatever")
    return type("Forecast", (base,), {name: method(name) for name in names})()


def calls(*names: str) -> list[dict[str, Any]]:
    arguments = {"get_forecast": {"city": "Oslo"}}
    return [
        {
            "type": "function_call",
            "call_id": f"c{index}",
            "name": name,
            "arguments": json.dumps(arguments.get(name, {})),
        }
        for index, name in enumerate(names)
    ]


def outputs(dispatcher: Any, *names: str, asynchronous: bool = False) -> list[str]:
    items = (
        asyncio.run(dispatcher.arun_responses(calls(*names)))
        if asynchronous
        else dispatcher.run_responses(calls(*names))
    )
    return [item["output"] for item in items]


def test_the_result_models(package: ModuleType) -> None:
    models = importlib.import_module(f"{package.__name__}.forecast.models")
    assert models.GetForecastResult.model_validate(GOOD).days[1].note == "snow"
    assert models.ListPlacesResult == list[models.Place]
    assert models.PingResult is str
    assert not hasattr(models, "WhateverResult")
    bindings = {
        binding.name: binding.result
        for binding in importlib.import_module(f"{package.__name__}.forecast").ForecastHandlers.TOOLS
    }
    assert bindings == {
        "get_forecast": models.GetForecastResult,
        "list_places": list[models.Place],
        "ping": str,
        "whatever": None,
    }


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        (
            "GetForecastArguments",
            "the argument model of tool 'get_forecast' did not come out as class GetForecastArguments",
        ),
        ("GetForecastResult", "the result model of tool 'get_forecast' did not come out as GetForecastResult"),
        ("ListPlacesResult", "the result model of tool 'list_places' did not come out as ListPlacesResult"),
    ],
)
def test_a_model_the_generator_did_not_write_is_an_error_naming_the_tool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str, message: str
) -> None:
    from toolspec.compile import argument_models

    rewrite = argument_models.rewritten
    renamed = lambda source, toolset: re.sub(rf"\b{missing}\b", f"{missing}Renamed", rewrite(source, toolset))  # noqa: E731
    monkeypatch.setattr(argument_models, "rewritten", renamed)
    compiled = load(tmp_path, {"forecast.yaml": SPEC}).toolsets[0].compiled
    with pytest.raises(argument_models.ModelGenerationError, match=re.escape(message)):
        _ = compiled.models_source


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_results_that_match_go_out_as_they_are(package: ModuleType, asynchronous: bool) -> None:
    models = importlib.import_module(f"{package.__name__}.forecast.models")
    results = {
        "get_forecast": GOOD,
        "list_places": [models.Place(city="Oslo"), {"city": "Lima"}],
        "ping": "pong",
        "whatever": {"anything": True},
    }
    dispatcher = package.Dispatcher(handlers(package, results, asynchronous=asynchronous))
    got = outputs(dispatcher, "get_forecast", "list_places", "ping", "whatever", asynchronous=asynchronous)
    assert got == [
        json.dumps(GOOD, separators=(",", ":")),
        '[{"city":"Oslo"},{"city":"Lima"}]',
        "pong",
        '{"anything":true}',
    ]
    # The model itself, returned: the same output.
    as_model = {**results, "get_forecast": models.GetForecastResult.model_validate(GOOD)}
    dispatcher = package.Dispatcher(handlers(package, as_model, asynchronous=asynchronous))
    assert outputs(dispatcher, "get_forecast", asynchronous=asynchronous) == [
        '{"place":{"city":"Oslo"},"days":[{"high":3.0,"note":null},{"high":2.5,"note":"snow"}],"extra":{"k":[1]}}'
    ]


BAD = {
    "get_forecast": {"place": {"city": "Oslo"}, "days": [{"high": "3"}], "extra": {}, "wind": 4},
    "list_places": [{"city": 1}],
    "ping": {"pong": True},
    "whatever": None,
}


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_result_that_does_not_match_is_an_internal_error_logged_with_the_mismatch(
    package: ModuleType, asynchronous: bool, caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher = package.Dispatcher(handlers(package, BAD, asynchronous=asynchronous))
    with caplog.at_level(logging.ERROR):
        got = outputs(dispatcher, "get_forecast", "list_places", "ping", "whatever", asynchronous=asynchronous)
    for output in got[:3]:
        error = json.loads(output)["error"]
        assert error["code"] == "internal_error" and error["message"].startswith("the tool failed; error id ")
        assert "Oslo" not in output and "pong" not in output, "nothing of the result is sent"
    assert got[3] == "null", "a tool without returns is not checked"
    logged = {record.tool: str(record.exc_info[1]) for record in caplog.records if record.exc_info}  # type: ignore[attr-defined]
    assert logged == {
        "get_forecast": "get_forecast returned a result that is not a GetForecastResult: days[0].high: expected a "
        "number; wind: unexpected; the keys are place, days, extra",
        "list_places": f"list_places returned a result that is not a list[{package.__name__}.forecast.models.Place]: "
        "[0].city: expected a string",
        "ping": "ping returned a result that is not a str: the result: expected a string",
    }


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_mismatch_after_matching_results_is_refused_alike(package: ModuleType, asynchronous: bool) -> None:
    """Once its model has checked a result, a dict is checked at once (checked_output): a result
    that does not match is still no output."""
    results: dict[str, Any] = {"get_forecast": GOOD, "list_places": [], "ping": "pong", "whatever": None}
    dispatcher = package.Dispatcher(handlers(package, results, asynchronous=asynchronous))
    for _ in range(2):
        assert outputs(dispatcher, "get_forecast", asynchronous=asynchronous) == [
            json.dumps(GOOD, separators=(",", ":"))
        ]
    results["get_forecast"] = BAD["get_forecast"]
    [output] = outputs(dispatcher, "get_forecast", asynchronous=asynchronous)
    assert json.loads(output)["error"]["code"] == "internal_error" and "Oslo" not in output


def test_check_results_false_sends_results_unchecked(package: ModuleType) -> None:
    dispatcher = package.Dispatcher(handlers(package, BAD), check_results=False)
    assert outputs(dispatcher, "get_forecast", "ping") == [
        '{"place":{"city":"Oslo"},"days":[{"high":"3"}],"extra":{},"wind":4}',
        '{"pong":true}',
    ]


def test_mcp_export_writes_object_results_as_output_schema_and_import_reads_them_back(tmp_path: Path) -> None:
    [compiled] = load(tmp_path, {"forecast.yaml": SPEC}).compiled
    tools = {tool["name"]: tool for tool in export_tools(compiled, "mcp").tools}
    assert tools["get_forecast"]["outputSchema"]["type"] == "object"
    assert tools["get_forecast"]["outputSchema"]["$defs"]["Place"]["properties"] == {
        "city": {"type": "string", "description": "The city."}
    }
    assert "outputSchema" not in tools["list_places"] and "outputSchema" not in tools["ping"], "MCP takes objects only"
    assert "outputSchema" not in tools["whatever"]
    assert all("outputSchema" not in tool for tool in export_tools(compiled, "responses").tools)

    source = tmp_path / "mcp.json"
    source.write_text(json.dumps(list(tools.values())), "utf-8")
    imported = import_sources([str(source)], toolset="forecast")
    back = {tool["name"]: tool for tool in yaml.safe_load(imported.text)["tools"]}
    original = {tool["name"]: tool for tool in yaml.safe_load(SPEC)["tools"]}
    expected = original["get_forecast"]["returns"]
    expected["properties"]["extra"]["additionalProperties"] = True  # a free-form map, said as import says it
    # An optional property of a result may be left out or null, as its result model takes it.
    expected["properties"]["days"]["items"]["properties"]["note"]["nullable"] = True
    assert back["get_forecast"]["returns"] == expected
    assert "returns" not in back["whatever"]


def test_a_bfcl_response_is_imported_as_returns_without_making_the_tool_loose(tmp_path: Path) -> None:
    source = tmp_path / "bfcl.json"
    document = {
        "name": "ls",
        "description": "List the directory.",
        "parameters": {"type": "dict", "properties": {}, "required": []},
        "response": {
            "type": "dict",
            "properties": {
                "current_directory_content": {"type": "array", "items": {"type": "string"}, "description": "Names."},
                "meta": {"type": "dict", "description": "Anything."},
            },
        },
    }
    source.write_text(json.dumps([document]), "utf-8")
    imported = import_sources([str(source)])
    [tool] = yaml.safe_load(imported.text)["tools"]
    assert "strict" not in tool, "a free-form map in a result needs no strict: false"
    assert tool["returns"] == {
        "type": "object",
        "properties": {
            "current_directory_content": {
                "type": "array", "items": {"type": "string"}, "description": "Names.", "optional": True
            },
            "meta": {"type": "object", "description": "Anything.", "optional": True},
        },
    }  # fmt: skip
    changes = [change.message for change in imported.report.tools[0].changes]
    assert any("the result may leave it out" in message for message in changes)
    assert not any("strict: false" in message for message in changes)


def test_the_catalogue_shows_each_result(tmp_path: Path) -> None:
    [compiled] = load(tmp_path, {"forecast.yaml": SPEC}).compiled
    page = {tool.heading: tool for tool in toolset_page(compiled).tools}
    forecast = page["`get_forecast`"].result
    assert forecast is not None and forecast.summary == "object"
    assert [row.name for row in forecast.properties] == [
        "`place`",
        "`days`",
        "`days[].high`",
        "`days[].note`",
        "`extra`",
    ]
    places = page["`list_places`"].result
    assert places is not None and places.summary == "array of `Place`" and places.properties == ()
    assert page["`whatever`"].result is None


GAUGE = """\
toolset: gauge
description: A gauge.
tools:
  - name: read_gauge
    description: The gauge's reading.
    effect: read
    parameters: {}
    returns:
      type: object
      properties:
        level: {type: integer, description: The level.}
        unit: {type: string, enum: [cm, m], description: The unit.}
"""


def test_a_result_model_of_plain_fields_is_held_as_strictly(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Checked by a validator of its fields alone (no instance of the model is made for it).
    package = build_package(tmp_path, {"gauge.yaml": GAUGE})
    results = iter(
        [
            {"level": 3, "unit": "cm"},
            {"level": "3", "unit": "cm"},
            {"level": 3, "unit": "cm", "depth": 1},
            {"level": 3},
        ]
    )
    base = importlib.import_module(f"{package.__name__}.gauge").GaugeHandlers
    gauge = type("Gauge", (base,), {"read_gauge": lambda self, args: next(results)})()
    dispatcher = package.Dispatcher(gauge)
    turn = [{"type": "function_call", "call_id": "g", "name": "read_gauge", "arguments": "{}"}]
    with caplog.at_level(logging.ERROR):
        got = [dispatcher.run_responses(turn)[0]["output"] for _ in range(4)]
    assert got[0] == '{"level":3,"unit":"cm"}'
    assert [json.loads(output)["error"]["code"] for output in got[1:]] == ["internal_error"] * 3
    logged = [str(record.exc_info[1]) for record in caplog.records if record.exc_info]
    said = "read_gauge returned a result that is not a ReadGaugeResult: "
    assert logged == [
        said + "level: expected an integer",
        said + "depth: unexpected; the keys are level, unit",
        said + 'unit: missing (expected one of "cm", "m")',
    ]
