"""Dispatcher.agents_tools() in the OpenAI Agents SDK's own Runner, against the local stand-in
model (examples/fake_model.py, no network): the model calls several tools in one turn, each call
runs through the Dispatcher, and the model answers from their outputs."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from agents import Agent, CustomTool, FunctionTool, OpenAIResponsesModel, Runner, set_tracing_disabled
from examples.code import Code
from examples.fake_model import FakeModel, PlannedCall
from examples.shop import Shop
from examples.weather import Weather
from generated import Dispatcher
from openai import AsyncOpenAI

from conftest import REPO

CALLS = [
    PlannedCall("get_weather", '{"location": "Paris, France", "units": null}'),
    PlannedCall("lookup_order_status", '{"order_id": "4211"}'),  # not the spec's pattern
    PlannedCall("math_exp", "2 + 3 * 4", custom=True),
]


def test_the_tools_are_the_sdks_with_the_strict_schemas() -> None:
    dispatcher = Dispatcher(Weather(), Code())
    tools = dispatcher.agents_tools()
    assert [tool.name for tool in tools] == ["get_weather", "get_horoscope", "code_exec", "math_exp", "timestamp"]
    weather = tools[0]
    assert isinstance(weather, FunctionTool) and weather.strict_json_schema
    assert weather.params_json_schema == dispatcher.responses_tools[0]["parameters"]  # type: ignore[typeddict-item]
    math_exp = tools[3]
    assert isinstance(math_exp, CustomTool)
    assert math_exp.format == dispatcher.responses_tools[3]["format"]  # type: ignore[typeddict-item]


def test_a_run_calls_tools_in_one_turn_through_the_dispatcher_and_answers(caplog: pytest.LogCaptureFixture) -> None:
    set_tracing_disabled(True)
    dispatcher = Dispatcher(Weather(), Shop(), Code())
    caplog.set_level(logging.INFO, logger="generated.calls")
    with FakeModel(CALLS) as stand_in:
        client = AsyncOpenAI(base_url=stand_in.base_url, api_key="local-stand-in", max_retries=0)
        agent = Agent(
            name="assistant",
            instructions="Use the tools.",
            tools=dispatcher.agents_tools(),
            model=OpenAIResponsesModel("stand-in", client),
        )
        result = Runner.run_sync(agent, "Weather in Paris, order 4211, and 2 + 3 * 4?")
        requests = stand_in.bodies("/v1/responses")

    assert len(requests) == 2, "one turn of calls, then the answer"
    sent = {tool["name"]: tool for tool in requests[0]["tools"]}
    assert sent["get_weather"]["parameters"] == dispatcher.responses_tools[0]["parameters"]  # type: ignore[typeddict-item]
    outputs = {
        item["call_id"]: item["output"]
        for item in requests[1]["input"]
        if item.get("type") in ("function_call_output", "custom_tool_call_output")
    }
    calls = {
        item["call_id"]: item["name"]
        for item in requests[1]["input"]
        if item.get("type") in ("function_call", "custom_tool_call")
    }
    by_name = {calls[call_id]: output for call_id, output in outputs.items()}
    assert json.loads(by_name["get_weather"])["location"] == "Paris, France"
    refused = json.loads(by_name["lookup_order_status"])["error"]
    assert refused["code"] == "invalid_arguments" and "order_id" in refused["message"]
    assert by_name["math_exp"] == "2 + 3 * 4 = 14"
    logged = {(record.tool, record.call_id, record.outcome) for record in caplog.records}  # type: ignore[attr-defined]
    assert logged == {
        (name, call_id, "invalid_arguments" if name == "lookup_order_status" else "ok")
        for call_id, name in calls.items()
    }, "each call is the dispatcher's, logged under the model's call id"
    assert result.final_output == stand_in_answer(calls)


def stand_in_answer(calls: dict[str, str]) -> str:
    """The stand-in's answer (fake_model.summarize): each call id with ok or its error code."""
    parts = [
        f"{call_id} {'invalid_arguments' if name == 'lookup_order_status' else 'ok'}" for call_id, name in calls.items()
    ]
    return f"I got {len(calls)} tool outputs: {', '.join(parts)}."


def test_without_the_sdk_agents_tools_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "agents.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'agents'\", name='agents')\n", "utf-8"
    )
    script = (
        "import generated\n"
        "from examples.weather import Weather\n"
        "try:\n"
        "    generated.Dispatcher(Weather()).agents_tools()\n"
        "except ModuleNotFoundError as error:\n"
        "    print(error)\n"
    )
    env = {"PYTHONPATH": f"{tmp_path}:{REPO}", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "pip install 'openai-agents>=0.24'" in run.stdout and "toolspec[agents]" in run.stdout
