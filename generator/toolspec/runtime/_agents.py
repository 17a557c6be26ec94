"""Hand a Dispatcher's tools to the OpenAI Agents SDK, each call run through the Dispatcher.

toolspec copies this module, as it is, into every generated package as `_agents.py`: edit it
here, in the generator, never in the copy. Nothing imports it until `agents_tools()` is
called: the package needs the `openai-agents` SDK only then.

A function tool becomes the SDK's FunctionTool with the strict schema the API is sent; a
custom tool its CustomTool with the same format. The SDK hands each call's arguments (or
input) and call id over, and the Dispatcher validates, applies its policies, records and logs
the call as it does any other: the model reads the same output, an error's JSON included.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ._calls import Call
from ._records import _package

_HINT = "pip install 'openai-agents>=0.24', or toolspec's extra: pip install 'toolspec[agents]'"
_package("agents", "Dispatcher.agents_tools", _HINT)

from agents import CustomTool, FunctionTool  # type: ignore[import-not-found, unused-ignore]  # noqa: E402
from agents.tool_context import ToolContext  # type: ignore[import-not-found, unused-ignore]  # noqa: E402

if TYPE_CHECKING:
    from ._dispatch import Dispatcher


def agents_tools(dispatcher: Dispatcher) -> list[FunctionTool | CustomTool]:
    """Every tool of dispatcher, as the Agents SDK takes it (Agent(tools=...))."""
    tools: list[FunctionTool | CustomTool] = []
    for handlers in dispatcher._handlers:
        for tool in type(handlers).TOOL_LISTS["responses"]:
            invoke = _invoker(dispatcher, tool["name"], tool["type"] == "custom")
            if tool["type"] == "custom":
                tools.append(
                    CustomTool(
                        tool["name"],
                        tool.get("description", ""),
                        invoke,
                        format=tool.get("format"),
                    )
                )
            else:
                tools.append(
                    FunctionTool(
                        tool["name"],
                        tool.get("description", ""),
                        tool["parameters"],
                        invoke,
                        strict_json_schema=tool["strict"],
                    )
                )
    return tools


def _invoker(
    dispatcher: Dispatcher, name: str, custom: bool
) -> Callable[[ToolContext[Any], str], Awaitable[str]]:
    """The SDK's on_invoke_tool: the call, with the model's call id, through dispatcher."""

    async def invoke(context: ToolContext[Any], payload: str) -> str:
        call = Call(context.tool_call_id, name, custom, payload)
        return (await dispatcher._arun([call]))[0]

    return invoke
