"""The whole tool loop with the real openai SDK against a local server that plays the model.

The server (examples/fake_model.py) answers the first request with nine calls in one turn: two
read calls that succeed, bad arguments, arguments that are not JSON, a tool that does not
exist, a handler that raises ToolError, a write, a destructive call without confirmation and a
custom tool call. The committed `generated` package's Dispatcher runs them with the handlers
below; the SDK sends the outputs back; the server, which refuses outputs that do not pair one
to one with its calls (as the API does), answers with a text that lists what it received.
Every combination of client (sync, async), API (Responses, Chat Completions) and streaming runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import generated
import openai
import pytest
from examples.fake_model import FakeModel, PlannedCall, ToolOutput, summarize
from generated.calendar import (
    CalendarHandlers,
    CancelEventArguments,
    CreateEventArguments,
    SetEventMetadataArguments,
)
from generated.code import CodeHandlers
from generated.shop import LookupOrderStatusArguments, SearchProductsArguments, SendEmailArguments, ShopHandlers
from generated.weather import GetHoroscopeArguments, GetWeatherArguments, WeatherHandlers

from conftest import REPO

EVENT_ID = "9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d"


@dataclass(frozen=True)
class Case:
    call: PlannedCall
    code: str | None
    """The error code the model must get back; None: the handler's output."""
    output: Any = None
    """The handler's output, parsed from JSON (or the text), when code is None."""


CASES = [
    Case(
        PlannedCall("get_weather", '{"location": "Paris, France", "units": null}'),
        None,
        {"location": "Paris, France", "units": "celsius", "temperature": 18},
    ),
    Case(
        PlannedCall(
            "search_products",
            '{"query": "hose", "category": "garden", "max_price": null, "in_stock": true, "limit": null}',
        ),
        None,
        {"skus": ["G-101"], "limit": 10},
    ),
    Case(PlannedCall("lookup_order_status", '{"order_id": "12345"}'), "invalid_arguments"),
    Case(PlannedCall("get_weather", '{"location": "Oslo, Norway", "units": '), "invalid_json"),
    Case(PlannedCall("get_stock_price", '{"ticker": "ACME"}'), "unknown_tool"),
    Case(PlannedCall("get_horoscope", '{"sign": "Ophiuchus"}'), "tool_error"),
    Case(
        PlannedCall("send_email", '{"to": ["ada@example.com"], "subject": "Your order", "body": "It has shipped."}'),
        None,
        {"sent": ["ada@example.com"]},
    ),
    Case(
        PlannedCall("cancel-event", f'{{"event-id": "{EVENT_ID}", "json": true, "schema": null}}'), "needs_confirmation"
    ),
    Case(PlannedCall("math_exp", "2 + 3 * 4", custom=True), None, "2 + 3 * 4 = 14"),
]
PLAN = [case.call for case in CASES]
HOROSCOPE_ERROR = "Ophiuchus is not one of the twelve signs"


@dataclass
class Ran:
    """The handler calls that ran, across the handler objects and threads."""

    calls: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, tool: str, arguments: Any) -> None:
        with self.lock:
            self.calls.append((tool, arguments))


class Weather(WeatherHandlers):
    def __init__(self, ran: Ran) -> None:
        self.ran = ran

    def get_weather(self, args: GetWeatherArguments) -> dict[str, object]:
        self.ran("get_weather", args)
        return {"location": args.location, "units": args.units, "temperature": 18}

    async def get_horoscope(self, args: GetHoroscopeArguments) -> str:
        self.ran("get_horoscope", args)
        await asyncio.sleep(0)
        raise generated.ToolError(HOROSCOPE_ERROR)


class Shop(ShopHandlers):
    def __init__(self, ran: Ran) -> None:
        self.ran = ran

    def lookup_order_status(self, args: LookupOrderStatusArguments) -> str:
        self.ran("lookup_order_status", args)
        return "shipped"

    def search_products(self, args: SearchProductsArguments) -> dict[str, object]:
        self.ran("search_products", args)
        return {"skus": ["G-101"] if args.in_stock else ["G-101", "G-102"], "limit": args.limit}

    def send_email(self, args: SendEmailArguments) -> dict[str, object]:
        self.ran("send_email", args)
        return {"sent": args.to}


class Calendar(CalendarHandlers):
    def __init__(self, ran: Ran) -> None:
        self.ran = ran

    def create_event(self, args: CreateEventArguments) -> str:
        self.ran("create_event", args)
        return "created"

    def cancel_event(self, args: CancelEventArguments) -> str:
        self.ran("cancel-event", args)
        return "cancelled"

    def set_event_metadata(self, args: SetEventMetadataArguments) -> None:
        self.ran("set_event_metadata", args)


class Code(CodeHandlers):
    def __init__(self, ran: Ran) -> None:
        self.ran = ran

    def code_exec(self, args: str) -> str:
        self.ran("code_exec", args)
        return "ran"

    async def math_exp(self, args: str) -> str:
        self.ran("math_exp", args)
        return f"{args} = 14"

    def timestamp(self, args: str) -> str:
        self.ran("timestamp", args)
        return "saved"


def dispatcher(ran: Ran, **options: Any) -> generated.Dispatcher:
    # The stand-in handlers answer in shapes of their own, not the results the specs declare.
    return generated.Dispatcher(Weather(ran), Shop(ran), Calendar(ran), Code(ran), check_results=False, **options)


def json_copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


@pytest.fixture
def model() -> Iterator[FakeModel]:
    with FakeModel(PLAN) as server:
        yield server


# The loop, once per client, API and streaming; each returns the final text.


def responses_sync(client: openai.OpenAI, dispatch: generated.Dispatcher, stream: bool) -> str:
    tools = dispatch.responses_tools
    if not stream:
        response = client.responses.create(model="fake", input="Help me.", tools=tools)
        items = dispatch.run_responses(response)
        final = client.responses.create(model="fake", previous_response_id=response.id, input=items, tools=tools)
        return final.output_text
    collector, calls, response_id = generated.ResponsesStream(), [], None
    for event in client.responses.create(model="fake", input="Help me.", tools=tools, stream=True):
        calls += collector.feed(event)
        if event.type == "response.completed":
            response_id = event.response.id
    assert response_id is not None
    items = dispatch.run_responses(calls)
    text = []
    for event in client.responses.create(
        model="fake", previous_response_id=response_id, input=items, tools=tools, stream=True
    ):
        assert not generated.ResponsesStream().feed(event)
        if event.type == "response.output_text.delta":
            text.append(event.delta)
        if event.type == "response.completed":
            assert event.response.output_text == "".join(text)
    return "".join(text)


async def responses_async(client: openai.AsyncOpenAI, dispatch: generated.Dispatcher, stream: bool) -> str:
    tools = dispatch.responses_tools
    if not stream:
        response = await client.responses.create(model="fake", input="Help me.", tools=tools)
        items = await dispatch.arun_responses(response)
        final = await client.responses.create(model="fake", previous_response_id=response.id, input=items, tools=tools)
        return final.output_text
    collector, calls, response_id = generated.ResponsesStream(), [], None
    async for event in await client.responses.create(model="fake", input="Help me.", tools=tools, stream=True):
        calls += collector.feed(event)
        if event.type == "response.completed":
            response_id = event.response.id
    assert response_id is not None
    items = await dispatch.arun_responses(calls)
    text = []
    async for event in await client.responses.create(
        model="fake", previous_response_id=response_id, input=items, tools=tools, stream=True
    ):
        if event.type == "response.output_text.delta":
            text.append(event.delta)
    return "".join(text)


USER = {"role": "user", "content": "Help me."}


def chat_sync(client: openai.OpenAI, dispatch: generated.Dispatcher, stream: bool) -> str:
    tools = dispatch.chat_completions_tools
    if not stream:
        completion = client.chat.completions.create(model="fake", messages=[USER], tools=tools)
        message = completion.choices[0].message
        outputs = dispatch.run_chat_completions(message)
        final = client.chat.completions.create(model="fake", messages=[USER, message, *outputs], tools=tools)
        return final.choices[0].message.content or ""
    collector, calls = generated.ChatCompletionsStream(), []
    for chunk in client.chat.completions.create(model="fake", messages=[USER], tools=tools, stream=True):
        calls += collector.feed(chunk)
    outputs = dispatch.run_chat_completions({"tool_calls": calls})
    messages = [USER, collector.message, *outputs]
    answer = generated.ChatCompletionsStream()
    for chunk in client.chat.completions.create(model="fake", messages=messages, tools=tools, stream=True):
        assert not answer.feed(chunk)
    assert "tool_calls" not in answer.message
    return str(answer.message["content"])


async def chat_async(client: openai.AsyncOpenAI, dispatch: generated.Dispatcher, stream: bool) -> str:
    tools = dispatch.chat_completions_tools
    if not stream:
        completion = await client.chat.completions.create(model="fake", messages=[USER], tools=tools)
        message = completion.choices[0].message
        outputs = await dispatch.arun_chat_completions(message)
        final = await client.chat.completions.create(model="fake", messages=[USER, message, *outputs], tools=tools)
        return final.choices[0].message.content or ""
    collector, calls = generated.ChatCompletionsStream(), []
    async for chunk in await client.chat.completions.create(model="fake", messages=[USER], tools=tools, stream=True):
        calls += collector.feed(chunk)
    outputs = await dispatch.arun_chat_completions({"tool_calls": calls})
    answer = generated.ChatCompletionsStream()
    async for chunk in await client.chat.completions.create(
        model="fake", messages=[USER, collector.message, *outputs], tools=tools, stream=True
    ):
        answer.feed(chunk)
    return str(answer.message["content"])


def run_loop(model: FakeModel, dispatch: generated.Dispatcher, api: str, client_kind: str, stream: bool) -> str:
    options: dict[str, Any] = {"base_url": model.base_url, "api_key": "test", "max_retries": 0, "timeout": 30}
    loop = {"responses": (responses_sync, responses_async), "chat": (chat_sync, chat_async)}[api]
    if client_kind == "sync":
        with openai.OpenAI(**options) as client:
            return loop[0](client, dispatch, stream)

    async def main() -> str:
        async with openai.AsyncOpenAI(**options) as client:
            return await loop[1](client, dispatch, stream)

    return asyncio.run(main())


# What the SDK sent.


def sent_calls(api: str, first_answer: dict[str, Any]) -> list[tuple[str, str]]:
    """(call id, tool name) of each call the server made, in order."""
    if api == "responses":
        return [(item["call_id"], item["name"]) for item in first_answer["output"]]
    calls = first_answer["choices"][0]["message"]["tool_calls"]
    return [(call["id"], call[call["type"]]["name"]) for call in calls]


def error_of(output: str) -> dict[str, str] | None:
    try:
        parsed = json.loads(output)
    except ValueError:
        return None
    if isinstance(parsed, dict) and set(parsed) == {"error"}:
        assert set(parsed["error"]) == {"code", "message"}
        error: dict[str, str] = parsed["error"]
        return error
    return None


def check_output(case: Case, output: str) -> None:
    """The output is the one this call must get: its handler's result or its error."""
    error = error_of(output)
    if case.code is None:
        assert error is None, (case.call.name, output)
        assert (output if case.call.custom else json.loads(output)) == case.output
        return
    assert error is not None and error["code"] == case.code, (case.call.name, output)
    if case.code == "unknown_tool":
        assert "get_stock_price" in error["message"]
        assert all(name in error["message"] for name in ("get_weather", "send_email", "cancel-event", "math_exp"))
    if case.code == "invalid_arguments":
        assert "order_id" in error["message"]
    if case.code == "tool_error":
        assert error["message"] == HOROSCOPE_ERROR
    assert "Traceback" not in output


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("client_kind", ["sync", "async"])
@pytest.mark.parametrize("api", ["responses", "chat"])
def test_the_whole_loop(model: FakeModel, api: str, client_kind: str, stream: bool) -> None:
    ran = Ran()
    dispatch = dispatcher(ran)
    answer = run_loop(model, dispatch, api, client_kind, stream)

    path = "/v1/responses" if api == "responses" else "/v1/chat/completions"
    first, second = model.bodies(path)
    assert len(model.requests) == 2
    tools = dispatch.responses_tools if api == "responses" else dispatch.chat_completions_tools
    assert first["tools"] == second["tools"] == json_copy(tools)
    assert bool(first.get("stream")) is bool(second.get("stream")) is stream

    # The calls the model made, as the server answered them (the same plan for every case).
    issued = sent_calls(api, model.requests[0].answer)
    assert [name for _, name in issued] == [case.call.name for case in CASES]

    # The second request: one output per call, in the model's order, paired by id.
    if api == "responses":
        assert second["previous_response_id"].startswith("resp_")
        outputs = second["input"]
        assert [(o["type"], o["call_id"]) for o in outputs] == [
            ("custom_tool_call_output" if case.call.custom else "function_call_output", call_id)
            for case, (call_id, _) in zip(CASES, issued, strict=True)
        ]
        texts = [o["output"] for o in outputs]
    else:
        user, assistant, *outputs = second["messages"]
        assert user == USER
        assert assistant["role"] == "assistant"
        assert [(c["id"], c[c["type"]]["name"]) for c in assistant["tool_calls"]] == issued
        if stream:  # the streamed arguments were put back together whole
            assert [
                c[c["type"]]["arguments" if c["type"] == "function" else "input"] for c in assistant["tool_calls"]
            ] == [case.call.arguments for case in CASES]
        assert [(o["role"], o["tool_call_id"]) for o in outputs] == [("tool", call_id) for call_id, _ in issued]
        texts = [o["content"] for o in outputs]
    for case, text in zip(CASES, texts, strict=True):
        check_output(case, text)

    # The handlers that ran: not for refused calls, once for each admitted one.
    assert sorted(name for name, _ in ran.calls) == sorted(
        ["get_weather", "search_products", "get_horoscope", "send_email", "math_exp"]
    )
    weather = next(args for name, args in ran.calls if name == "get_weather")
    assert (weather.location, weather.units) == ("Paris, France", "celsius")

    # The model's final text is what it received back.
    received = [ToolOutput(call_id, text) for (call_id, _), text in zip(issued, texts, strict=True)]
    assert answer == summarize(received)
    assert "ok, " in answer and "needs_confirmation" in answer


def test_a_confirmed_destructive_call_runs_and_an_unpaired_output_is_refused(model: FakeModel) -> None:
    ran = Ran()
    confirmed: list[generated.CallContext] = []

    def confirm(context: generated.CallContext) -> bool:
        confirmed.append(context)
        return True

    dispatch = dispatcher(ran, confirm=confirm)
    with openai.OpenAI(base_url=model.base_url, api_key="test", max_retries=0) as client:
        response = client.responses.create(model="fake", input="Help me.", tools=dispatch.responses_tools)
        items = dispatch.run_responses(response)
        cancel = next(c for c in response.output if c.type == "function_call" and c.name == "cancel-event")
        assert [(c.tool, c.call_id, str(c.arguments.event_id)) for c in confirmed] == [  # type: ignore[union-attr]
            ("cancel-event", cancel.call_id, EVENT_ID)
        ]
        output = next(i["output"] for i in items if i["call_id"] == cancel.call_id)
        assert output == "cancelled"
        assert [name for name, _ in ran.calls].count("cancel-event") == 1

        # The stand-in refuses, as the API does, outputs that do not pair with its calls.
        with pytest.raises(openai.BadRequestError, match="No tool output found"):
            client.responses.create(model="fake", previous_response_id=response.id, input=items[1:])
        wrong = [{**items[0], "call_id": "call_unknown"}, *items[1:]]
        with pytest.raises(openai.BadRequestError, match="call_unknown"):
            client.responses.create(model="fake", previous_response_id=response.id, input=wrong)


@pytest.mark.parametrize("options", [[], ["--chat", "--stream", "--yes"]])
def test_the_demo_runs_against_the_local_stand_in(options: list[str]) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    done = subprocess.run(
        [sys.executable, "-m", "examples.demo", *options],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "local stand-in" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].startswith("assistant: ")
    if "--yes" in options:  # the stand-in cancels the meeting it created: no call fails but the wrong order id
        assert "needs_confirmation" not in done.stdout and "tool_error" not in done.stdout
        assert "Cancelled Planning (2026-12-01T10:00:00+01:00); 1 attendee told." in done.stdout
        assert done.stdout.count('"code": "') == 1, done.stdout
    else:
        assert "needs_confirmation" in done.stdout
