"""The stream accumulators under a hostile or careless server (issue 19).

A streamed response is untrusted input, as its arguments are: choices must stay apart, pieces
must be joined, a call must come back once with its final arguments and never change after,
and a malformed event or chunk must be refused with a ValueError that names the field, never a
TypeError from deep inside. Each stream is fed as plain dicts and as the SDK's objects, built
as the SDK builds them from a server's JSON: without validation (`model_construct`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pydantic
import pytest
from generated import ChatCompletionsStream, Dispatcher, ResponsesStream
from generated.weather import GetHoroscopeArguments, GetWeatherArguments, WeatherHandlers
from openai.types.chat import ChatCompletionChunk
from openai.types.responses import (
    ResponseCustomToolCallInputDeltaEvent,
    ResponseCustomToolCallInputDoneEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseStreamEvent,
)

Form = Callable[[dict[str, Any]], Any]

SDK_EVENTS: dict[str, type[pydantic.BaseModel]] = {
    "response.output_item.added": ResponseOutputItemAddedEvent,
    "response.output_item.done": ResponseOutputItemDoneEvent,
    "response.function_call_arguments.delta": ResponseFunctionCallArgumentsDeltaEvent,
    "response.function_call_arguments.done": ResponseFunctionCallArgumentsDoneEvent,
    "response.custom_tool_call_input.delta": ResponseCustomToolCallInputDeltaEvent,
    "response.custom_tool_call_input.done": ResponseCustomToolCallInputDoneEvent,
}


@pytest.fixture(params=["dict", "sdk"])
def event_form(request: pytest.FixtureRequest) -> Form:
    if request.param == "dict":
        return lambda event: event
    return lambda event: SDK_EVENTS[event["type"]].model_construct(**event)


@pytest.fixture(params=["dict", "sdk"])
def chunk_form(request: pytest.FixtureRequest) -> Form:
    if request.param == "dict":
        return lambda chunk: chunk
    return lambda chunk: ChatCompletionChunk.model_construct(**chunk)


# Responses events.


def added(index: int, call_id: str, custom: bool = False) -> dict[str, Any]:
    kind, key = ("custom_tool_call", "input") if custom else ("function_call", "arguments")
    item = {"type": kind, "id": f"fc_{call_id}", "call_id": call_id, "name": "get_weather", key: ""}
    return {"type": "response.output_item.added", "output_index": index, "item": {**item, "status": "in_progress"}}


def delta(index: int, text: Any) -> dict[str, Any]:
    return {"type": "response.function_call_arguments.delta", "output_index": index, "item_id": "fc", "delta": text}


def arguments_done(index: int, **arguments: Any) -> dict[str, Any]:
    """The done event; without `arguments=`, one that leaves them out."""
    return {"type": "response.function_call_arguments.done", "output_index": index, "item_id": "fc", **arguments}


def item_done(index: int, call_id: str, **arguments: Any) -> dict[str, Any]:
    item = {"type": "function_call", "id": f"fc_{call_id}", "call_id": call_id, "name": "get_weather", **arguments}
    return {"type": "response.output_item.done", "output_index": index, "item": {**item, "status": "completed"}}


def feed_all(stream: ResponsesStream | ChatCompletionsStream, form: Form, events: list[dict[str, Any]]) -> list[Any]:
    """What feed returned, all events together."""
    return [item for event in events for item in stream.feed(form(event))]


def test_a_reused_output_index_gives_every_call(event_form: Form) -> None:
    """A done call frees its output_index; a call may also come as its output_item.done alone."""
    events = [added(0, "c1"), delta(0, '{"location": "A"}'), arguments_done(0, arguments='{"location": "A"}')]
    events += [item_done(0, "c1", arguments='{"location": "A"}'), added(0, "c2"), delta(0, '{"location": "B"}')]
    events += [item_done(0, "c2", arguments='{"location": "B"}'), item_done(0, "c3", arguments='{"location": "C"}')]
    calls = feed_all(ResponsesStream(), event_form, events)
    assert [(c["call_id"], c["arguments"]) for c in calls] == [
        ("c1", '{"location": "A"}'),
        ("c2", '{"location": "B"}'),
        ("c3", '{"location": "C"}'),
    ]


def test_a_done_event_without_arguments_keeps_the_deltas(event_form: Form) -> None:
    """Only a done event that carries the arguments is trusted over the deltas."""
    stream = ResponsesStream()
    events = [added(0, "c1"), delta(0, '{"location": '), delta(0, '"Paris"}'), arguments_done(0)]
    events += [added(1, "c2"), delta(1, '{"location": "Rome"}'), item_done(1, "c2")]
    calls = feed_all(stream, event_form, events)
    assert [c["arguments"] for c in calls] == ['{"location": "Paris"}', '{"location": "Rome"}']
    assert [c["status"] for c in calls] == ["in_progress", "completed"]


def test_a_done_event_with_arguments_overrides_the_deltas(event_form: Form) -> None:
    events = [added(0, "c1"), delta(0, '{"location": "Pa'), arguments_done(0, arguments='{"location": "Paris"}')]
    assert [c["arguments"] for c in feed_all(ResponsesStream(), event_form, events)] == ['{"location": "Paris"}']


def test_items_feed_returned_never_change(event_form: Form) -> None:
    """A delta after done is refused, not appended to the item the caller may be running."""
    stream = ResponsesStream()
    [call] = feed_all(stream, event_form, [added(0, "c1"), delta(0, "{}"), arguments_done(0, arguments="{}")])
    with pytest.raises(ValueError, match="output_index 0 holds a call that is already done"):
        stream.feed(event_form(delta(0, '"more"')))
    for contradiction in [arguments_done(0, arguments='{"location": "X"}'), item_done(0, "c1", arguments="[]")]:
        with pytest.raises(ValueError, match="gives call 'c1' other arguments than the ones feed already returned"):
            stream.feed(event_form(contradiction))
    assert call["arguments"] == "{}"
    assert feed_all(stream, event_form, [arguments_done(0, arguments="{}"), item_done(0, "c1", arguments="{}")]) == []


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (delta(0, None), "delta event: delta must be a string, got None"),
        (delta(0, 7), "delta event: delta must be a string, got int 7"),
        (
            {**delta(0, "{}"), "output_index": "0"},
            "delta event: output_index must be a whole number, 0 or more, got str",
        ),
        ({**delta(0, "{}"), "output_index": None}, "output_index must be a whole number, 0 or more, got NoneType"),
        (arguments_done(0, arguments=12), "arguments.done event: arguments must be a string, got int 12"),
        ({**added(1, "c2"), "item": None}, "added event: item must be an output item, got NoneType"),
        ({**added(1, "c2"), "item": {"type": "function_call", "name": "x"}}, "item.call_id must be a string"),
        pytest.param(
            item_done(1, "c2", arguments=["{}"]),
            "done event: item.arguments must be a string, got list",
            marks=pytest.mark.filterwarnings("ignore:Pydantic serializer warnings"),  # the SDK object's own
        ),
        (delta(5, "{}"), "output_index 5 holds no call"),
        (added(0, "c2"), "output_index 0 already holds call 'c1', which is not done"),
        (item_done(0, "c2"), "output_index 0 holds function_call 'c1', not function_call 'c2'"),
        (
            {"type": "response.custom_tool_call_input.delta", "output_index": 0, "item_id": "fc", "delta": "x"},
            "output_index 0 holds a function_call, which has no input",
        ),
    ],
)
def test_a_malformed_event_is_refused_naming_the_field(event_form: Form, event: dict[str, Any], message: str) -> None:
    stream = ResponsesStream()
    stream.feed(event_form(added(0, "c1")))
    with pytest.raises(ValueError, match=re.escape(message)):
        stream.feed(event_form(event))


def test_streamed_items_from_sdk_objects_carry_the_api_names_and_no_nulls() -> None:
    """What feed returns may go back to the API as input: no null the API would refuse, and
    `async`, not the SDK's Python name `async_`."""
    events: list[Any] = [
        {**added(0, "c1"), "sequence_number": 1},
        {**delta(0, "{}"), "sequence_number": 2},
        {**item_done(0, "c1", arguments="{}"), "sequence_number": 3},
    ]
    events[2]["item"].update({"async": False, "namespace": None})
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(ResponseStreamEvent)
    [item] = feed_all(ResponsesStream(), adapter.validate_python, events)
    assert item == {
        "type": "function_call",
        "id": "fc_c1",
        "call_id": "c1",
        "name": "get_weather",
        "arguments": "{}",
        "status": "completed",
        "async": False,
    }


# Chat Completions chunks.


def chunk(*choices: dict[str, Any]) -> dict[str, Any]:
    return {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": list(choices)}


def choice(number: int | None, finish: str | None = None, **delta: Any) -> dict[str, Any]:
    return {"index": number, "delta": delta, "finish_reason": finish}


def part(number: int | None, call_id: str | None = None, name: str | None = None, arguments: Any = None) -> Any:
    piece = {"index": number, "id": call_id, "type": "function" if call_id else None}
    return {**piece, "function": {"name": name, "arguments": arguments}}


def function_call(call_id: str, name: str, arguments: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def test_the_choices_of_one_stream_stay_apart(chunk_form: Form) -> None:
    """With n=2 each choice is one message; feed, tool_calls and message speak of the first."""
    stream = ChatCompletionsStream()
    chunks = [
        chunk(choice(0, tool_calls=[part(0, "a", "get_weather", '{"location":')])),
        chunk(choice(1, content="Let me look."), choice(1, tool_calls=[part(0, "b", "get_weather", '{"location":')])),
        chunk(choice(0, tool_calls=[part(0, arguments='"A"}')]), choice(1, tool_calls=[part(0, arguments='"B"}')])),
    ]
    assert feed_all(stream, chunk_form, chunks) == []
    first = [function_call("a", "get_weather", '{"location":"A"}')]
    second = [function_call("b", "get_weather", '{"location":"B"}')]
    assert stream.feed(chunk_form(chunk(choice(1, "tool_calls"), choice(0, "tool_calls")))) == first
    assert stream.messages == [
        {"role": "assistant", "content": None, "tool_calls": first},
        {"role": "assistant", "content": "Let me look.", "tool_calls": second},
    ]
    assert (stream.tool_calls, stream.tool_calls_of(1), stream.message) == (first, second, stream.messages[0])


def test_a_tool_name_split_across_chunks_is_joined(chunk_form: Form) -> None:
    chunks = [
        chunk(choice(0, tool_calls=[part(0, "a", "get_", "")])),
        chunk(choice(0, tool_calls=[part(0, name="weather", arguments='{"location": "Oslo"}')])),
        chunk(choice(0, "tool_calls")),
    ]
    calls = feed_all(ChatCompletionsStream(), chunk_form, chunks)
    assert calls == [function_call("a", "get_weather", '{"location": "Oslo"}')]


def test_a_part_without_index_continues_its_call_unless_it_names_another() -> None:
    """The API always sends index; without it, an id other than the last call's starts a new call."""
    chunks = [
        chunk(choice(None, tool_calls=[part(None, "a", "get_weather", '{"location": ')])),
        chunk(choice(None, tool_calls=[part(None, arguments='"A"}'), part(None, "b", "get_weather", "{")])),
        chunk(choice(None, tool_calls=[part(None, "b", arguments='"location": "B"}')])),
        chunk(choice(None, "tool_calls")),
    ]
    calls = feed_all(ChatCompletionsStream(), lambda value: value, chunks)
    assert calls == [
        function_call("a", "get_weather", '{"location": "A"}'),
        function_call("b", "get_weather", '{"location": "B"}'),
    ]


def test_calls_feed_returned_never_change(chunk_form: Form) -> None:
    """A part after the choice's finish_reason is refused, not added to the calls running."""
    stream = ChatCompletionsStream()
    chunks = [chunk(choice(0, tool_calls=[part(0, "a", "get_weather", "{}")])), chunk(choice(0, "tool_calls"))]
    calls = feed_all(stream, chunk_form, chunks)
    with pytest.raises(ValueError, match=r"choices\[0\]: the choice goes on after its finish_reason"):
        stream.feed(chunk_form(chunk(choice(0, tool_calls=[part(0, arguments="{}")]))))
    assert calls == stream.tool_calls == [function_call("a", "get_weather", "{}")]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"choices": {"index": 0}}, "chunk: choices must be a list, got dict"),
        ({"choices": [5]}, "chunk: choices[0] must be an object or a dict, got int 5"),
        (
            chunk(choice(0, tool_calls=[None])),
            "choices[0].delta.tool_calls[0] must be an object or a dict, got NoneType",
        ),
        (chunk(choice(-1)), "chunk: choices[0].index must be a whole number, 0 or more, got int -1"),
        (chunk(choice(True)), "choices[0].index must be a whole number, 0 or more, got bool True"),
        (chunk(choice(0, content=5)), "choices[0].delta.content must be a string, got int 5"),
        (chunk(choice(0, tool_calls="x")), "choices[0].delta.tool_calls must be a list, got str"),
        (chunk(choice(0, tool_calls=[part("first", arguments="")])), "tool_calls[0].index must be a whole number"),
        (chunk(choice(0, tool_calls=[part(0, arguments=7)])), "tool_calls[0].function.arguments must be a string"),
        (chunk(choice(0, tool_calls=[part(0, name=["x"])])), "tool_calls[0].function.name must be a string, got list"),
        (chunk(choice(0, tool_calls=[{"index": 0, "id": 3}])), "tool_calls[0].id must be a string, got int 3"),
        (chunk(choice(0, tool_calls=[{"index": 0, "type": "web"}])), ".type must be 'function' or 'custom', got str"),
        (chunk(choice(0, tool_calls=[part(0, "b")])), "tool_calls[0].id: tool call 0 began as 'a', this part says 'b'"),
        (
            chunk(choice(0, tool_calls=[{"index": 0, "type": "custom", "custom": {"input": "x"}}])),
            "tool_calls[0].type: tool call 0 began as a function call, this part says 'custom'",
        ),
    ],
)
def test_a_malformed_chunk_is_refused_naming_the_field(chunk_form: Form, bad: dict[str, Any], message: str) -> None:
    stream = ChatCompletionsStream()
    stream.feed(chunk_form(chunk(choice(0, tool_calls=[part(0, "a", "get_weather", "")]))))
    with pytest.raises(ValueError, match=re.escape(message)):
        stream.feed(chunk_form(bad))


class Weather(WeatherHandlers):
    def get_weather(self, args: GetWeatherArguments) -> str:
        return args.location

    def get_horoscope(self, args: GetHoroscopeArguments) -> str:
        return args.sign


def test_the_dispatcher_runs_a_choice_of_a_multi_choice_stream() -> None:
    """The second choice's message, as `messages` gives it, is what run_chat_completions takes."""
    stream = ChatCompletionsStream()
    for number, location in enumerate(["Oslo", "Rome"]):
        arguments = f'{{"location": "{location}"}}'
        stream.feed(chunk(choice(number, "tool_calls", tool_calls=[part(0, f"t{number}", "get_weather", arguments)])))
    [reply] = Dispatcher(Weather(), check_results=False).run_chat_completions(stream.messages[1])
    assert reply == {"role": "tool", "tool_call_id": "t1", "content": "Rome"}
