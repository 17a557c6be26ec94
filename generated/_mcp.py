"""Serve a Dispatcher's tools over MCP, with the official `mcp` SDK's low-level Server.

toolspec copies this module, as it is, into every generated package as `_mcp.py`: edit it
here, in the generator, never in the copy. Nothing imports it until a Dispatcher is asked for
a server (`mcp_server`, `run_mcp`): the package needs the `mcp` SDK only then.

tools/list is the spec's MCP list (MCP_TOOLS of each toolset); tools/call runs through the
Dispatcher, as an OpenAI call does: the same validation, policies, deadline, record and log.
Each tools/call is a call of its own (MCP has no retries by id): its call id is new.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import json
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ._calls import Call
from ._outcomes import CLIENT, CallContext, ErrorCode, Refusal
from ._outputs import ErrorOutput
from ._records import _package

_HINT = "pip install 'mcp>=2.3', or toolspec's extra: pip install 'toolspec[mcp]'"
_package("mcp", "Serving tools over MCP", _HINT)  # says what to install; then:

from mcp import types  # type: ignore[import-not-found, unused-ignore]  # noqa: E402
from mcp.server.lowlevel import Server  # type: ignore[import-not-found, unused-ignore]  # noqa: E402
from mcp.shared.exceptions import MCPError  # type: ignore[import-not-found, unused-ignore]  # noqa: E402

if TYPE_CHECKING:
    from mcp.server.context import ServerRequestContext  # type: ignore[import-not-found, unused-ignore]

    from ._dispatch import Dispatcher

CUSTOM_INPUT = "input"
"""The one argument of a custom tool in MCP: its input text (as MCP_TOOLS lists it)."""

SERVING_THRESHOLD = 10_000
"""Allocations between two young collections of the cyclic collector while run_mcp serves
(CPython's default: 700)."""

CONFIRMATION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "confirm": {"type": "boolean", "title": "Run it", "description": "Yes: run it."}
    },
    "required": ["confirm"],
}
"""What a destructive call asks the user by elicitation: one yes or no."""


def mcp_server(dispatcher: Dispatcher, name: str) -> Server[Any]:
    """An MCP server of dispatcher's tools, for any of the SDK's transports."""
    tools = [
        types.Tool.model_validate(tool)
        for handlers in dispatcher._handlers
        for tool in type(handlers).TOOL_LISTS["mcp"]
    ]
    listed = types.ListToolsResult(tools=tools)

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return listed

    new_call_id = _call_ids()

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        return await _call_tool(dispatcher, ctx, params, new_call_id())

    return Server(name, on_list_tools=list_tools, on_call_tool=call_tool)


def _call_ids() -> Callable[[], str]:
    """A server's call ids: a random prefix of its own (servers may share a call record),
    then a count; a uuid4 per call would cost a call to the system's random source each.
    """
    prefix = f"mcp-{uuid.uuid4().hex}-"
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter)}"


async def _call_tool(
    dispatcher: Dispatcher,
    ctx: ServerRequestContext[Any],
    params: types.CallToolRequestParams,
    call_id: str,
) -> types.CallToolResult:
    kind = dispatcher._tool_kind(params.name)
    if kind is None:  # a protocol error, as MCP wants: no such tool to call
        raise MCPError(types.INVALID_PARAMS, f"Unknown tool: {params.name}")
    arguments = params.arguments or {}
    client = _Client(ctx)
    token = CLIENT.set(client)
    try:
        if kind == "custom":
            text = arguments.get(CUSTOM_INPUT)
            call = Call(
                call_id, params.name, True, text if isinstance(text, str) else ""
            )
            if not isinstance(text, str) or arguments.keys() != {CUSTOM_INPUT}:
                why = f"{params.name} takes one argument, {CUSTOM_INPUT!r}: its input text"
                refusal = Refusal(ErrorCode.INVALID_ARGUMENTS, why)
                return _result(dispatcher._refused(call, refusal))
        else:
            payload = json.dumps(arguments, ensure_ascii=False)
            call = Call(call_id, params.name, False, payload)
        output = (await dispatcher._arun([call]))[0]
        await client.sent()
        return _result(output)
    finally:
        CLIENT.reset(token)


def _result(output: str) -> types.CallToolResult:
    """A call's output as MCP's result: the text; an object's JSON also as structured
    content; a failure as an error result (its text the same `{"error": ...}` JSON)."""
    text: list[types.ContentBlock] = [types.TextContent(type="text", text=output)]
    if isinstance(output, ErrorOutput):
        return types.CallToolResult(content=text, is_error=True)
    structured = None
    if output.startswith("{"):
        try:
            structured = json.loads(output)
        except ValueError:  # a str result that only starts like an object
            structured = None
    return types.CallToolResult(content=text, structured_content=structured)


class _Client:
    """What a call can ask of the MCP client that made it: confirmation by elicitation,
    and progress notifications (sent in order, the rest of the call going on meanwhile).
    """

    def __init__(self, ctx: ServerRequestContext[Any]) -> None:
        self._ctx = ctx
        self._loop = asyncio.get_running_loop()
        self._last: asyncio.Future[None] | None = None
        self._progress = float("-inf")

    async def confirm(self, context: CallContext) -> bool:
        """Ask the user, when the client can be asked: only an accepted yes runs the call."""
        session = self._ctx.session
        asking = types.ClientCapabilities(elicitation=types.ElicitationCapability())
        if not session.check_client_capability(asking):
            return False
        arguments = context.arguments
        shown = (
            arguments
            if isinstance(arguments, str)
            else arguments.model_dump_json(by_alias=True)
        )
        answer = await session.elicit_form(
            f"Run {context.tool} ({context.toolset}) with {shown}? It cannot be undone.",
            CONFIRMATION,
            related_request_id=self._ctx.request_id,
        )
        return (
            answer.action == "accept" and (answer.content or {}).get("confirm") is True
        )

    def report_progress(
        self, progress: float, total: float | None, message: str | None
    ) -> None:
        """Send a progress notification (the SDK sends it only if the client asked for
        them); from any thread. A progress that does not increase is dropped: MCP wants it
        increasing."""
        try:
            in_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:
            in_loop = False
        if in_loop:
            self._send(progress, total, message)
        else:
            with contextlib.suppress(
                RuntimeError
            ):  # the server's loop closed: no one listens
                self._loop.call_soon_threadsafe(self._send, progress, total, message)

    def _send(self, progress: float, total: float | None, message: str | None) -> None:
        if progress <= self._progress:
            return
        self._progress = progress
        self._last = self._loop.create_task(
            self._after(self._last, progress, total, message)
        )

    async def _after(
        self,
        before: asyncio.Future[None] | None,
        progress: float,
        total: float | None,
        message: str | None,
    ) -> None:
        """Send after the one before, whatever it came to: progress is told on a best-effort
        basis, and a notification that fails (the client gone) fails no call."""
        if before is not None:
            await asyncio.wait([before])
        with contextlib.suppress(Exception):
            await self._ctx.session.report_progress(progress, total, message)

    async def sent(self) -> None:
        """Once every progress notification reported so far is sent: before the result.

        A report made from the handler's thread is already scheduled: it was queued on the
        loop (call_soon_threadsafe) before the thread's end was, so it ran first."""
        if self._last is not None:
            await self._last


def run_mcp(
    dispatcher: Dispatcher, name: str, transport: str, host: str, port: int
) -> None:
    """Serve until the client goes (stdio) or the process is stopped (http, at /mcp)."""
    if transport not in ("stdio", "http"):
        raise ValueError(f"transport {transport!r}: use 'stdio' or 'http'")
    server = mcp_server(dispatcher, name)
    with serving_collector():
        if transport == "stdio":
            asyncio.run(_stdio(server))
        else:
            import uvicorn  # type: ignore[import-not-found, unused-ignore]

            app = server.streamable_http_app(host=host)
            uvicorn.run(app, host=host, port=port, log_level="warning")


@contextlib.contextmanager
def serving_collector() -> Iterator[None]:
    """The cyclic garbage collector set for serving, put back as it was after.

    Each request makes some thousand short-lived objects (the SDK's messages, streams and
    tasks), freed by reference counting as the request ends. At CPython's default, a young
    collection runs every 700 allocations, walks the objects of the requests in flight and
    promotes them, so that older collections walk them again: about a tenth of the server's
    CPU at 10 sessions. So, while serving, young collections are rarer (SERVING_THRESHOLD),
    and what exists before serving starts (modules, classes, the dispatcher), which lives as
    long as the server, is left out of every collection (gc.freeze).
    """
    before = gc.get_threshold()
    frozen_by_caller = gc.get_freeze_count() > 0
    gc.freeze()
    gc.set_threshold(SERVING_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if not frozen_by_caller:  # a caller's own freeze is the caller's to undo
            gc.unfreeze()


async def _stdio(server: Server[Any]) -> None:
    from mcp.server.stdio import stdio_server  # type: ignore[import-not-found, unused-ignore]

    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
