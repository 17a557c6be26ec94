"""CallContext.current(): a handler learns which call it runs, in every way the Dispatcher runs it
(sync or async, alone or beside other reads, with a deadline in a thread of its own), and
report_progress is a no-op where no MCP client listens."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from generated import CallContext, Dispatcher
from generated.weather import GetHoroscopeArguments, GetWeatherArguments, WeatherHandlers


class Seen(WeatherHandlers):
    """Each handler answers with what CallContext.current() says of its call."""

    def get_weather(self, args: GetWeatherArguments) -> dict[str, object]:
        return described(CallContext.current())

    async def get_horoscope(self, args: GetHoroscopeArguments) -> dict[str, object]:
        await asyncio.sleep(0.01)  # waits: the async run gives it a task of its own
        return described(CallContext.current())


def dispatcher(handlers: WeatherHandlers) -> Dispatcher:
    """The handlers answer with their call's context, not the tools' results: not checked."""
    return Dispatcher(handlers, check_results=False)


def described(context: CallContext) -> dict[str, object]:
    context.report_progress(1, 2, "half")  # no client: nothing happens
    arguments = context.arguments
    assert not isinstance(arguments, str)
    return {"tool": context.tool, "toolset": context.toolset, "call_id": context.call_id, **arguments.model_dump()}


def calls(count: int) -> list[dict[str, Any]]:
    made = []
    for index in range(count):
        if index % 2:
            made.append(
                {
                    "type": "function_call",
                    "call_id": f"c{index}",
                    "name": "get_horoscope",
                    "arguments": json.dumps({"sign": f"s{index}"}),
                }
            )
        else:
            arguments = json.dumps({"location": f"l{index}", "units": None})
            made.append(
                {"type": "function_call", "call_id": f"c{index}", "name": "get_weather", "arguments": arguments}
            )
    return made


def expected(count: int) -> list[dict[str, object]]:
    return [
        {"tool": "get_horoscope", "toolset": "weather", "call_id": f"c{i}", "sign": f"s{i}"}
        if i % 2
        else {"tool": "get_weather", "toolset": "weather", "call_id": f"c{i}", "location": f"l{i}", "units": "celsius"}
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [1, 8])
def test_each_handler_sees_its_own_call_sync(count: int) -> None:
    outputs = dispatcher(Seen()).run_responses(calls(count))
    assert [json.loads(output["output"]) for output in outputs] == expected(count)  # type: ignore[typeddict-item]


@pytest.mark.parametrize("count", [1, 8])
def test_each_handler_sees_its_own_call_async(count: int) -> None:
    outputs = asyncio.run(dispatcher(Seen()).arun_responses(calls(count)))
    assert [json.loads(output["output"]) for output in outputs] == expected(count)  # type: ignore[typeddict-item]


def test_a_handler_with_a_deadline_sees_its_call_in_its_thread() -> None:
    class Timed(Seen):
        TOOLS = tuple(binding.__class__(**{**binding.__dict__, "timeout": 5.0}) for binding in Seen.TOOLS)

    outputs = dispatcher(Timed()).run_responses(calls(2))
    assert [json.loads(output["output"]) for output in outputs] == expected(2)  # type: ignore[typeddict-item]


def test_outside_a_handler_there_is_no_current_call() -> None:
    with pytest.raises(LookupError):
        CallContext.current()
