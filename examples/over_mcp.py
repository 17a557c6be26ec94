"""The demo's tools served over MCP: `python -m examples.demo --mcp`.

`toolspec serve` runs the four example toolsets (the `handlers` of pyproject.toml) in a process
of its own, and the demo is its MCP client, with the official SDK's `ClientSession` over stdio:
each call the model makes goes to the server as `tools/call`, and the model reads what the
server's Dispatcher answered. A destructive call is confirmed by elicitation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio.from_thread
from mcp import types
from mcp.client.context import ClientRequestContext
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from openai.types.responses import ResponseInputItemParam, ToolParam

ROOT = Path(__file__).resolve().parent.parent


class OverMcp:
    """The Dispatcher's place in the demo's loop, each call sent to the MCP server instead."""

    def __init__(
        self, portal: anyio.from_thread.BlockingPortal, session: ClientSession, tools: list[ToolParam]
    ) -> None:
        self._portal = portal
        self._session = session
        self.responses_tools = tools

    def run_responses(self, response: Any) -> list[ResponseInputItemParam]:
        """The outputs of the calls in a Response (or its output items), from the server."""
        items = response if isinstance(response, list) else response.output
        outputs: list[ResponseInputItemParam] = []
        for item in items:
            kind = _field(item, "type")
            if kind not in ("function_call", "custom_tool_call"):
                continue
            call_id, name = _field(item, "call_id"), _field(item, "name")
            if kind == "custom_tool_call":
                arguments: dict[str, Any] = {"input": _field(item, "input")}
            else:
                arguments = _json_object(_field(item, "arguments"))
            result = self._portal.call(self._session.call_tool, name, arguments)
            text = "".join(block.text for block in result.content if isinstance(block, types.TextContent))
            if kind == "custom_tool_call":
                outputs.append({"type": "custom_tool_call_output", "call_id": call_id, "output": text})
            else:
                outputs.append({"type": "function_call_output", "call_id": call_id, "output": text})
        return outputs


@contextmanager
def served(tools: list[ToolParam], confirm: bool) -> Iterator[OverMcp]:
    """A session with `toolspec serve` (started here, stopped at the end); tools are what the
    model is given (the spec's Responses list: the same tools the server lists)."""

    async def elicit(context: ClientRequestContext, params: types.ElicitRequestParams) -> types.ElicitResult:
        print(f"  (the server asks: {params.message} {'yes' if confirm else 'no, run with --yes'})")
        if confirm:
            return types.ElicitResult(action="accept", content={"confirm": True})
        return types.ElicitResult(action="decline")

    server = StdioServerParameters(command=sys.executable, args=["-m", "toolspec", "serve"], cwd=ROOT)
    with anyio.from_thread.start_blocking_portal() as portal:
        streams = portal.wrap_async_context_manager(stdio_client(server))
        with streams as (read, write):
            with portal.wrap_async_context_manager(ClientSession(read, write, elicitation_callback=elicit)) as session:
                portal.call(session.initialize)
                listed = portal.call(session.list_tools)
                print(f"(the tools are served over MCP by `toolspec serve`: {len(listed.tools)} tools listed)")
                yield OverMcp(portal, session, tools)


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _json_object(text: str) -> dict[str, Any]:
    """The arguments as MCP sends them: a JSON object (text that is none goes as it is, under
    no key the tool has, for the server to refuse as invalid arguments)."""
    import json

    try:
        value = json.loads(text)
    except ValueError:
        return {"arguments (not JSON)": text}
    return value if isinstance(value, dict) else {"arguments (not an object)": value}
