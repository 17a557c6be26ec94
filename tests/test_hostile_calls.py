"""Malformed call input (issue 19, point 11): what the API never sends is refused with a
ValueError that says where and what was expected, before any call runs; never a crash deep
inside, never a silent empty answer, never the text "None" as a call id.

Uses the desk package and handlers of test_dispatch."""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import pytest

from test_dispatch import _desk, call, package  # noqa: F401 - package is a fixture

LOOKUP = call("c1", "lookup", {"ticket": 1})


def chat_call(call_id: Any, name: Any, arguments: Any) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def refused(package: ModuleType, run: str, turn: Any, match: str) -> None:  # noqa: F811
    """Both the sync and the async run raise ValueError matching match, and no handler ran."""
    desk = _desk(package)
    dispatcher = package.Dispatcher(desk)
    with pytest.raises(ValueError, match=match):
        getattr(dispatcher, run)(turn)
    with pytest.raises(ValueError, match=match):
        asyncio.run(getattr(dispatcher, "a" + run)(turn))
    assert desk.ran == [], "nothing ran: the turn was refused before its first call"


@pytest.mark.parametrize(
    ("turn", "match"),
    [
        ([LOOKUP, {**LOOKUP, "call_id": None}], r"output\[1\]\.call_id is missing"),
        ([LOOKUP, {k: v for k, v in LOOKUP.items() if k != "call_id"}], r"output\[1\]\.call_id is missing"),
        ([LOOKUP, {**LOOKUP, "call_id": ""}], r"call_id is a str, not a non-empty str"),
        ([LOOKUP, {**LOOKUP, "call_id": 7}], r"call_id is an int"),
        ([LOOKUP, {**LOOKUP, "name": None}], r"output\[1\]\.name is missing"),
        ([LOOKUP, {**LOOKUP, "arguments": {"ticket": 1}}], r"arguments is a dict: .*json\.dumps"),
        ({"output": 5}, r"response\.output is an int: expected the Response's output items"),
        ({"output": "function_call"}, r"response\.output is a str"),
        ("function_call", r"the response is a str"),
        (5, r"the response is an int"),
        ([LOOKUP, 5], r"output\[1\] is an int: expected an output item"),
        ([LOOKUP, None], r"output\[1\] is None"),
    ],
    ids=[
        "call-id-none",
        "call-id-absent",
        "call-id-empty",
        "call-id-int",
        "name-none",
        "arguments-dict",
        "output-int",
        "output-str",
        "response-str",
        "response-int",
        "item-int",
        "item-none",
    ],
)
def test_a_malformed_response_is_refused_before_any_call_runs(
    package: ModuleType,  # noqa: F811
    turn: Any,
    match: str,
) -> None:
    refused(package, "run_responses", turn, match)


@pytest.mark.parametrize(
    ("message", "match"),
    [
        ({"role": "assistant", "tool_calls": "lookup"}, r"message\.tool_calls is a str"),
        ({"role": "assistant", "tool_calls": {"id": "c1"}}, r"message\.tool_calls is a dict"),
        ({"tool_calls": [chat_call("c1", "lookup", "{}"), chat_call(None, "lookup", "{}")]}, r"\[1\]\.id is missing"),
        ({"tool_calls": [chat_call("c1", None, "{}")]}, r"tool_calls\[0\]\.function\.name is missing"),
        ({"tool_calls": [{"id": "c1", "type": "function"}]}, r"tool_calls\[0\]\.function is None"),
        ({"tool_calls": [chat_call("c1", "lookup", {"ticket": 1})]}, r"arguments is a dict"),
        ({"tool_calls": ["lookup"]}, r"tool_calls\[0\] is a str: expected a tool call"),
        ({"choices": [{"message": {"tool_calls": 5}}]}, r"choices\[0\]\.message\.tool_calls is an int"),
        ({"choices": "abc"}, r"choices is a str"),
    ],
    ids=[
        "tool-calls-str",
        "tool-calls-dict",
        "id-none",
        "name-none",
        "no-function",
        "arguments-dict",
        "call-str",
        "choice-tool-calls-int",
        "choices-str",
    ],
)
def test_a_malformed_chat_message_is_refused_before_any_call_runs(
    package: ModuleType,  # noqa: F811
    message: Any,
    match: str,
) -> None:
    refused(package, "run_chat_completions", message, match)


def test_any_iterable_of_output_items_is_read(package: ModuleType) -> None:  # noqa: F811
    """A generator or a dict's values are items, not an empty turn."""
    dispatcher = package.Dispatcher(_desk(package))
    expected = [{"type": "function_call_output", "call_id": "c1", "output": '{"ticket":1,"verbose":false}'}]
    assert dispatcher.run_responses(item for item in [LOOKUP]) == expected
    assert dispatcher.run_responses({"a": LOOKUP}.values()) == expected
    message = {"role": "assistant", "tool_calls": (chat_call("c1", "lookup", '{"ticket": 1}'),)}
    assert dispatcher.run_chat_completions(message)[0]["tool_call_id"] == "c1"


def test_missing_arguments_are_the_calls_own_error(package: ModuleType) -> None:  # noqa: F811
    """The call is well formed but says nothing: its validation answers, as for empty text."""
    dispatcher = package.Dispatcher(_desk(package))
    without = {k: v for k, v in LOOKUP.items() if k != "arguments"}
    output = dispatcher.run_responses([without])[0]["output"]
    assert '"invalid_json"' in output
