"""Read the tool calls out of what the OpenAI APIs return, and write their outputs back.

Part of the runtime toolspec copies into every generated package: edit it here, never in the
copy. SDK objects and the plain dicts that stand for them are read alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

if TYPE_CHECKING:
    # Only for type checkers: the generated code needs no openai SDK at run time.
    from openai.types.chat import (  # type: ignore[import-not-found, unused-ignore]
        ChatCompletionToolMessageParam,
    )
    from openai.types.responses import (  # type: ignore[import-not-found, unused-ignore]
        ResponseCustomToolCallOutputParam,
        ResponseInputItemParam,
    )
    from openai.types.responses.response_input_item_param import (  # type: ignore[import-not-found, unused-ignore]
        FunctionCallOutput,
    )


class Call(NamedTuple):
    """One tool call, as read from either API (a tuple: made faster than a frozen dataclass)."""

    call_id: str
    name: str
    custom: bool
    payload: str
    """The arguments' JSON text, or a custom tool's input."""


_new_call = tuple.__new__
"""Call(...) without its __new__, a Python function: half the time, for fields known good."""


def get_field(value: Any, name: str) -> Any:
    """A field of an SDK object or of the plain dict that stands for it."""
    if isinstance(value, dict) or isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)


def responses_calls(response: Any) -> list[Call]:
    """The function and custom tool calls of a Response, or of its `output` items (a list or
    any iterable of them). Raises ValueError, before any call runs, on what the API never
    sends: the message says where, and what was expected."""
    if isinstance(response, list):
        items, where = response, "output"
    elif isinstance(response, Mapping) or hasattr(response, "output"):
        where = "response.output"
        items = _items(
            get_field(response, "output"), where, "the Response's output items"
        )
    else:
        where = "output"
        items = _items(response, "the response", "a Response or its output items")
    calls: list[Call] = []
    position = -1  # counted here: enumerate costs a turn of one call more (~0.07 µs)
    for item in items:
        position += 1
        # A function call as JSON gives it, read at once; anything else is checked, field by
        # field, with its place written out for the message.
        if type(item) is dict and item.get("type") == "function_call":
            call_id, name = item.get("call_id"), item.get("name")
            payload = item.get("arguments")
            if type(call_id) is type(name) is type(payload) is str and call_id and name:
                calls.append(_new_call(Call, (call_id, name, False, payload)))
                continue
        place = (where, position, "")
        kind = _member(item, place, "an output item (an SDK object or a dict)", "type")
        if kind in ("function_call", "custom_tool_call"):
            custom = kind == "custom_tool_call"
            calls.append(_call(item, "call_id", item, custom, place, place))
    return calls


def chat_completions_calls(message: Any) -> list[Call]:
    """The tool calls of an assistant message (or of a ChatCompletion's first choice).
    Raises ValueError, before any call runs, on what the API never sends."""
    where = "the message.tool_calls"
    if type(message) is dict and not message.get(
        "choices"
    ):  # the message, as JSON gives it
        listed = message.get("tool_calls")
    else:
        choices = get_field(message, "choices")
        if choices:
            message = get_field(_items(choices, "choices", "the choices")[0], "message")
            where = "choices[0].message.tool_calls"
        listed = get_field(message, "tool_calls")
    calls: list[Call] = []
    items = (
        listed
        if type(listed) is list
        else _items(listed, where, "the message's tool calls")
    )
    position = -1  # as in responses_calls
    for call in items:
        position += 1
        # As in responses_calls: a function call as JSON gives it, read at once.
        if (
            type(call) is dict
            and call.get("type") == "function"
            and type(body := call.get("function")) is dict
        ):
            call_id, name = call.get("id"), body.get("name")
            payload = body.get("arguments")
            if type(call_id) is type(name) is type(payload) is str and call_id and name:
                calls.append(_new_call(Call, (call_id, name, False, payload)))
                continue
        place = (where, position, "")
        kind = _member(call, place, "a tool call (an SDK object or a dict)", "type")
        custom = kind == "custom"
        body = get_field(call, "custom" if custom else "function")
        part = (where, position, ".custom" if custom else ".function")
        _member(body, part, "the call's name and arguments", "name")
        calls.append(_call(call, "id", body, custom, place, part))
    return calls


_Place: TypeAlias = "tuple[str, int, str]"
"""Where a value is in the input: a list's name, the position in it, and a field after it
(`tool_calls`, 0, `.function`); written out for a message only, never for a valid call."""


def _call(
    ids: Any, id_key: str, body: Any, custom: bool, id_place: _Place, place: _Place
) -> Call:
    """The call whose id is ids' id_key and whose name and payload are body's (one object in
    Responses, two in Chat Completions), each field checked."""
    call_id, name = get_field(ids, id_key), get_field(body, "name")
    payload = get_field(body, "input" if custom else "arguments")
    if (
        isinstance(call_id, str)
        and call_id
        and isinstance(name, str)
        and name
        and isinstance(payload, str)
    ):
        return Call(call_id, name, custom, payload)
    # Something is off: say what, or (arguments left out) take them as empty.
    return Call(
        _text(call_id, id_place, id_key),
        _text(name, place, "name"),
        custom,
        _payload(payload, place, "input" if custom else "arguments"),
    )


def _items(items: Any, where: str, expected: str) -> list[Any]:
    """items as a list; None is none. A str, a mapping or a number is not a list of items."""
    if isinstance(items, list):
        return items
    if items is None:
        return []
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise ValueError(
            f"{where} is {_a(items)}: expected {expected}, a list (or another iterable)"
        )
    return list(items)


def _member(value: Any, place: _Place, expected: str, name: str) -> Any:
    """The field name of value, which must be a mapping or an object, not a str or number."""
    if isinstance(value, dict):
        return value.get(name)
    if isinstance(value, str | bytes | int | float) or value is None:
        raise ValueError(f"{_written(place)} is {_a(value)}: expected {expected}")
    return get_field(value, name)


def _text(text: Any, place: _Place, name: str) -> str:
    """A field that names something (a call id, a tool): a non-empty str."""
    if not isinstance(text, str) or not text:
        got = "missing" if text is None else f"{_a(text)}, not a non-empty str"
        raise ValueError(
            f"{_written(place)}.{name} is {got}: pass the calls as the API returned them"
        )
    return text


def _payload(payload: Any, place: _Place, name: str) -> str:
    """A call's arguments (JSON text) or input: a str; missing is empty, which the call's
    validation answers."""
    if payload is None:
        return ""
    if not isinstance(payload, str):
        raise ValueError(
            f"{_written(place)}.{name} is {_a(payload)}: expected the text the API "
            "sent, a str (arguments are JSON text: json.dumps them)"
        )
    return payload


def _written(place: _Place) -> str:
    where, position, part = place
    return f"{where}[{position}]{part}"


def _a(value: Any) -> str:
    """What value is, for a message: "a dict", "an int", "None"."""
    if value is None:
        return "None"
    kind = type(value).__name__
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def responses_output(call: Call, output: str) -> ResponseInputItemParam:
    if call.custom:
        custom: ResponseCustomToolCallOutputParam = {
            "type": "custom_tool_call_output",
            "call_id": call.call_id,
            "output": output,
        }
        return custom
    function: FunctionCallOutput = {
        "type": "function_call_output",
        "call_id": call.call_id,
        "output": output,
    }
    return function


def chat_output(call: Call, output: str) -> ChatCompletionToolMessageParam:
    return {"role": "tool", "tool_call_id": call.call_id, "content": output}


def plain(value: Any) -> dict[str, Any]:
    """An SDK object (a pydantic model) or a mapping, as a plain dict."""
    if isinstance(value, Mapping):
        return dict(value)
    dump: Callable[..., dict[str, Any]] = value.model_dump
    return dump(exclude_none=True, by_alias=True)
