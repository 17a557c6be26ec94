"""Read the tool calls out of what the OpenAI APIs return, and write their outputs back.

Part of the runtime toolspec copies into every generated package: edit it here, never in the
copy. SDK objects and the plain dicts that stand for them are read alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


@dataclass(frozen=True)
class Call:
    call_id: str
    name: str
    custom: bool
    payload: str
    """The arguments' JSON text, or a custom tool's input."""


def get_field(value: Any, name: str) -> Any:
    """A field of an SDK object or of the plain dict that stands for it."""
    if isinstance(value, dict) or isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)


def responses_calls(response: Any) -> list[Call]:
    """The function and custom tool calls of a Response, or of its `output` list."""
    items = (
        response
        if isinstance(response, list | tuple)
        else get_field(response, "output")
    )
    calls: list[Call] = []
    for item in items or ():
        kind = get_field(item, "type")
        if kind in ("function_call", "custom_tool_call"):
            custom = kind == "custom_tool_call"
            payload = get_field(item, "input" if custom else "arguments")
            calls.append(
                Call(
                    str(get_field(item, "call_id")),
                    str(get_field(item, "name")),
                    custom,
                    payload or "",
                )
            )
    return calls


def chat_completions_calls(message: Any) -> list[Call]:
    """The tool calls of an assistant message (or of a ChatCompletion's first choice)."""
    choices = get_field(message, "choices")
    if choices:
        message = get_field(choices[0], "message")
    calls: list[Call] = []
    for call in get_field(message, "tool_calls") or ():
        custom = get_field(call, "type") == "custom"
        body = get_field(call, "custom" if custom else "function")
        payload = get_field(body, "input" if custom else "arguments")
        calls.append(
            Call(
                str(get_field(call, "id")),
                str(get_field(body, "name")),
                custom,
                payload or "",
            )
        )
    return calls


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
