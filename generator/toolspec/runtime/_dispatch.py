"""Run the tool calls a model made, with the handlers a team wrote, for both OpenAI APIs.

toolspec copies this module, as it is, into every generated package as `_dispatch.py`: edit
it here, in the generator, never in the copy. The runtime needs pydantic and the standard
library only; the openai SDK's types are imported for type checkers alone.

The Dispatcher routes, orders and pairs; its parts do the rest: _bindings.py (what a Handlers
class declares), _policies.py (authorize, confirm), _outcomes.py and _records.py (what a call
comes to, and the record of a non-idempotent call), _runners.py (the threads and tasks
handlers run in), and the wire (_calls.py, _arguments.py, _outputs.py, _streams.py and
_tool_choice.py: what comes from the APIs and what goes back). Other runners are served
by _mcp.py (an MCP server) and _agents.py (the Agents SDK's tools), imported when asked for.

Every failure of a call becomes an output the model can read, `{"error": {"code", "message"}}`,
never an exception out of a `run_*` method: see ErrorCode. Only input the API never sends (a
call without an id, say) is refused, with a ValueError, before any call runs.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Awaitable, Sequence
from contextvars import Context, copy_context
from time import perf_counter
from typing import TYPE_CHECKING, Any

from ._arguments import validate_arguments
from ._base import ToolArguments
from ._bindings import Binding, HandlerResult, Handlers, Route
from ._calls import (
    Call,
    chat_completions_calls,
    chat_output,
    responses_calls,
    responses_output,
)
from ._outcomes import (
    FATAL,
    LOGGER,
    RUNNING,
    ErrorCode,
    Failure,
    Refusal,
    ToolError,
    log_outcome,
    new_error_id,
    tool_error_message,
)
from ._outputs import error_output, internal_output
from ._policies import Policies, Policy
from ._records import (
    CallRecord,
    MemoryCallRecord,
    arguments_digest,
    await_output,
    record_key,
    wait_for_output,
)
from ._results import checked_output
from ._runners import (
    PLAIN_RESULTS,
    SharedReads,
    awaitable,
    resume,
    run_async,
    run_in,
    run_reads_eagerly,
    run_sync,
    settle,
    start_eagerly,
    steps,
    stops_the_turn,
)

__all__ = ["Binding", "Dispatcher", "HandlerResult", "Handlers"]
"""Binding, HandlerResult and Handlers are imported from here by each toolset's handlers.py."""

if TYPE_CHECKING:
    import concurrent.futures  # imported by the first turn of read calls (see _pool)

    # Only for type checkers: the generated code needs no openai SDK at run time.
    from openai.types.chat import (  # type: ignore[import-not-found, unused-ignore]
        ChatCompletionToolMessageParam,
        ChatCompletionToolUnionParam,
    )
    from openai.types.responses import (  # type: ignore[import-not-found, unused-ignore]
        ResponseInputItemParam,
        ToolParam,
    )


class Dispatcher:
    """Routes the model's calls to handlers, validates, applies policy, pairs outputs.

    `authorize(context)` may refuse any call; a destructive tool runs only when
    `confirm(context)` approves it (each allows only by returning exactly True, and may be
    an `async def`); a call id of a non-idempotent tool runs at most once
    (`record`, see CallRecord); calls run in the model's order, except that consecutive
    read calls run together (a write or destructive call waits for every call before it and
    holds back every call after it); outputs come in call order. Each call is logged once
    (see LOGGER).
    `max_workers`: the threads beside the caller's own that run sync read calls together
    (None: ThreadPoolExecutor's default).

    A call of a non-idempotent tool claims its key (toolset, tool and call id) in `record`
    before its handler runs; a call whose key was claimed before does not run: it waits for
    the first call's output (up to the tool's timeout, or `wait_for_running` seconds for a
    tool without one; then it answers `timeout`) and answers with it.

    `check_results`: a tool that says what it returns (`returns` in its spec) has its
    handler's result checked against its result model; one that does not match is not sent:
    the model is told of an internal error, and the mismatch is logged. False: results go out
    unchecked (the check costs a parse of the output a call).
    """

    def __init__(  # noqa: PLR0913 - keyword options, each with its default
        self,
        *handlers: Handlers,
        authorize: Policy | None = None,
        confirm: Policy | None = None,
        record: CallRecord | None = None,
        log_arguments: bool = False,
        max_workers: int | None = None,
        wait_for_running: float = 300.0,
        check_results: bool = True,
    ) -> None:
        self._routes: dict[str, Route] = {}
        for handler in handlers:
            for binding in type(handler).TOOLS:
                if binding.name in self._routes:
                    raise ValueError(f"two handlers offer the tool {binding.name!r}")
                method = getattr(handler, binding.method)
                is_async = inspect.iscoroutinefunction(method)
                checks = (
                    check_results
                    and binding.result is not None
                    and handler.CHECK_RESULTS
                )
                policed = authorize is not None or binding.effect == "destructive"
                guarded = policed or not binding.idempotent
                self._routes[binding.name] = Route(
                    handler, binding, method, is_async, checks, policed, guarded
                )
        self._handlers = handlers
        self._policies = Policies(authorize, confirm)
        self._record: CallRecord = record if record is not None else MemoryCallRecord()
        self._log_arguments = log_arguments
        self._max_workers = max_workers
        self._wait_for_running = wait_for_running
        self._threads: concurrent.futures.ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    @property
    def responses_tools(self) -> list[ToolParam]:
        """The tools of every toolset handled, for `client.responses.create(tools=...)`."""
        return [t for h in self._handlers for t in type(h).TOOL_LISTS["responses"]]

    @property
    def chat_completions_tools(self) -> list[ChatCompletionToolUnionParam]:
        """The same, for `client.chat.completions.create(tools=...)`."""
        return [
            t for h in self._handlers for t in type(h).TOOL_LISTS["chat_completions"]
        ]

    @property
    def tool_names(self) -> list[str]:
        return list(self._routes)

    def run_responses(self, response: Any) -> list[ResponseInputItemParam]:
        """The outputs of the calls in a Response (or its `output` list), in call order."""
        calls = responses_calls(response)
        if len(calls) == 1 and not calls[0].custom:  # most turns: one function call
            call = calls[0]
            output = copy_context().run(self._execute, call)  # in a context of its own
            # responses_output's item, written here: a call less.
            return [
                {
                    "type": "function_call_output",
                    "call_id": call.call_id,
                    "output": output,
                }
            ]
        return [
            responses_output(c, o) for c, o in zip(calls, self._run(calls), strict=True)
        ]

    def run_chat_completions(
        self, message: Any
    ) -> list[ChatCompletionToolMessageParam]:
        """The tool messages answering an assistant message's `tool_calls`, in order."""
        calls = chat_completions_calls(message)
        if len(calls) == 1:
            call = calls[0]
            output = copy_context().run(self._execute, call)
            # chat_output's message, written here: a call less.
            return [{"role": "tool", "tool_call_id": call.call_id, "content": output}]
        return [chat_output(c, o) for c, o in zip(calls, self._run(calls), strict=True)]

    async def arun_responses(self, response: Any) -> list[ResponseInputItemParam]:
        calls = responses_calls(response)
        if len(calls) == 1 and not calls[0].custom:  # as run_responses
            call = calls[0]
            output = self._astart(call)  # here, in the caller's task
            if not isinstance(output, str):
                output = await output
            return [
                {
                    "type": "function_call_output",
                    "call_id": call.call_id,
                    "output": output,
                }
            ]
        outputs = await self._arun(calls)
        return [responses_output(c, o) for c, o in zip(calls, outputs, strict=True)]

    async def arun_chat_completions(
        self, message: Any
    ) -> list[ChatCompletionToolMessageParam]:
        calls = chat_completions_calls(message)
        if len(calls) == 1:  # as in arun_responses
            call = calls[0]
            output = self._astart(call)
            if not isinstance(output, str):
                output = await output
            return [{"role": "tool", "tool_call_id": call.call_id, "content": output}]
        outputs = await self._arun(calls)
        return [chat_output(c, o) for c, o in zip(calls, outputs, strict=True)]

    def _run(self, calls: Sequence[Call]) -> list[str]:
        """The calls in the model's order, consecutive reads together (see steps), each in a
        copy of the caller's context."""
        outputs: list[str] = []
        for step in steps(calls, self._routes):
            if len(step) == 1:  # nothing to run beside it: no thread
                outputs.append(copy_context().run(self._execute, step[0]))
            else:
                outputs.extend(SharedReads(self._execute, step, self._pool()).run())
        return outputs

    def _pool(self) -> concurrent.futures.ThreadPoolExecutor:
        """The threads read calls run in, made when first needed and kept."""
        import concurrent.futures

        with self._pool_lock:
            if self._threads is None:
                self._threads = concurrent.futures.ThreadPoolExecutor(
                    self._max_workers, thread_name_prefix="toolspec-call"
                )
            return self._threads

    async def _arun(self, calls: Sequence[Call]) -> list[str]:
        """The calls in the model's order, consecutive reads together (see steps and
        run_reads_eagerly); a lone call runs here, in the caller's task (see _astart).
        """
        outputs: list[str] = []
        for step in steps(calls, self._routes):
            if len(step) == 1:
                output = self._astart(step[0])
                outputs.append(output if isinstance(output, str) else await output)
            else:
                outputs.extend(await run_reads_eagerly(self._aexecute, step))
        return outputs

    def _execute(self, call: Call) -> str:
        started = perf_counter()
        route = self._routes.get(call.name)
        try:
            if route is None or route.custom != call.custom:
                raise self._unrouted(call, route)
            arguments = validate_arguments(route.binding, call.payload)
            if (
                route.guarded
                and (earlier := self._guard(route, call, arguments, started))
                is not None
            ):
                return earlier
        except FATAL:
            raise
        except BaseException as error:  # noqa: BLE001 - refused before the handler ran
            return self._failed(call, error, started)
        RUNNING.set((route, call, arguments))  # in this call's own context copy
        try:
            if route.in_place:  # most handlers: called here, no step between
                result = route.method(arguments)
                if type(result) not in PLAIN_RESULTS:
                    result = settle(result)
            else:
                result = run_sync(route, arguments)
        except BaseException as error:  # noqa: BLE001 - every failure becomes an output
            output = self._failed(call, error, started, route)
            if isinstance(error, FATAL):
                raise
            return output
        return self._concluded(route, call, started, result)

    async def _aexecute(self, call: Call) -> str:
        started = perf_counter()
        route = self._routes.get(call.name)
        try:
            # As _execute, awaiting an async policy (in _aguard: a coroutine only a
            # guarded call pays for).
            if route is None or route.custom != call.custom:
                raise self._unrouted(call, route)
            arguments = validate_arguments(route.binding, call.payload)
            if (
                route.guarded
                and (earlier := await self._aguard(route, call, arguments, started))
                is not None
            ):
                return earlier
        except BaseException as error:  # noqa: BLE001 - refused before the handler ran
            if isinstance(error, FATAL) or stops_the_turn(error):
                raise
            return self._failed(call, error, started)
        RUNNING.set((route, call, arguments))
        try:
            if route.awaited_in_place:  # an async def's coroutine, awaited here
                result = await route.method(arguments)
            else:
                result = await run_async(route, arguments)
            if type(result) not in PLAIN_RESULTS and awaitable(result):
                result = await result  # a handler that returned a coroutine
        except BaseException as error:  # noqa: BLE001 - every failure becomes an output
            return self._handler_failed(route, call, started, error)
        return self._concluded(route, call, started, result)

    def _astart(self, call: Call) -> str | Awaitable[str]:
        """A call of an async run, started here, in the caller's task and a copy of its
        context: its output when it ends without waiting, else what to await for the rest.

        The call of an `async def` with no policy or record to pass (most calls) runs with
        no coroutine of its own (_aexecute's costs ~0.4 µs a call): see _start_in_place.
        Any other runs as _aexecute (see start_eagerly).
        """
        route = self._routes.get(call.name)
        if route is None or route.guarded or not route.awaited_in_place:
            return start_eagerly(self._aexecute(call))
        context = copy_context()
        return context.run(self._start_in_place, route, call, context)

    def _start_in_place(
        self, route: Route, call: Call, context: Context
    ) -> str | Awaitable[str]:
        """_aexecute's steps for an unguarded, awaited_in_place route, run in context (the
        call's own copy) with no coroutine: the handler's coroutine takes its first step
        here; what is left when it waits (or returns an awaitable) is _finish_later's.
        """
        started = perf_counter()
        try:
            if route.custom != call.custom:
                raise self._unrouted(call, route)
            arguments = validate_arguments(route.binding, call.payload)
        except FATAL:
            raise
        except BaseException as error:  # noqa: BLE001 - refused before the handler ran
            return self._failed(call, error, started)
        RUNNING.set((route, call, arguments))
        try:
            coroutine = route.method(arguments)
            waiting = coroutine.send(None)
        except StopIteration as finished:
            result = finished.value
            if type(result) in PLAIN_RESULTS or not awaitable(result):
                return self._concluded(route, call, started, result)
            pending: Awaitable[Any] = _given(result)  # awaited by _finish_later
        except BaseException as error:  # noqa: BLE001 - every failure becomes an output
            return self._handler_failed(route, call, started, error)
        else:
            pending = resume(coroutine, context, waiting)
        return self._finish_later(route, call, started, context, pending)

    async def _finish_later(
        self,
        route: Route,
        call: Call,
        started: float,
        context: Context,
        pending: Awaitable[Any],
    ) -> str:
        """The rest of a call started in place: its handler's result, awaited in the caller's
        task (the handler's steps in context: see resume), then concluded in context, as
        _aexecute would have."""
        try:
            result = await pending
            if type(result) not in PLAIN_RESULTS and awaitable(result):
                result = await run_in(context, result)  # a handler returned a coroutine
        except BaseException as error:  # noqa: BLE001 - every failure becomes an output
            return context.run(self._handler_failed, route, call, started, error)
        return context.run(self._concluded, route, call, started, result)

    def _concluded(self, route: Route, call: Call, started: float, result: Any) -> str:
        """The output of a call whose handler gave result (checked, recorded and logged): the
        end of a sync call and of an async one alike."""
        try:
            output = checked_output(route, result)
        except BaseException as error:  # noqa: BLE001 - every failure becomes an output
            output = self._failed(call, error, started, route)
            if isinstance(error, FATAL):
                raise
            return output
        if route.guarded or LOGGER.isEnabledFor(logging.INFO):
            return self._finished(route, call, "ok", started, output)
        return output  # nothing to record or log: no call more

    def _handler_failed(
        self, route: Route, call: Call, started: float, error: BaseException
    ) -> str:
        """The output of an async call whose handler raised error; the turn's cancellation
        (the call's claim settled) and what is FATAL go on to the caller."""
        if stops_the_turn(error):  # run nothing more, but settle the claim
            cancelled = error_output(
                ErrorCode.INTERNAL_ERROR,
                f"{call.name} was cancelled before it finished; it is not run again",
            )
            self._finished(route, call, "cancelled", started, cancelled)
            raise error
        output = self._failed(call, error, started, route)
        if isinstance(error, FATAL):
            raise error
        return output

    def _guard(
        self, route: Route, call: Call, arguments: ToolArguments | str, started: float
    ) -> str | None:
        """What a guarded call passes before it runs: its policies (a Refusal raised), then
        its claim in the record. None: run it here; else the output of the call that claimed
        its key first (see _earlier)."""
        if route.policed:
            self._policies.apply(route, call, arguments)
        claimed_before = self._claim(route, call, arguments)
        if claimed_before is None:
            return None
        waited = wait_for_output(self._record, claimed_before, self._wait_limit(route))
        return self._earlier(call, started, waited)

    async def _aguard(
        self, route: Route, call: Call, arguments: ToolArguments | str, started: float
    ) -> str | None:
        """As _guard, awaiting an async policy and the first call's output."""
        if route.policed:
            await self._policies.aapply(route, call, arguments)
        claimed_before = self._claim(route, call, arguments)
        if claimed_before is None:
            return None
        waited = await await_output(
            self._record, claimed_before, self._wait_limit(route)
        )
        return self._earlier(call, started, waited)

    def _unrouted(self, call: Call, route: Route | None) -> Refusal:
        """Why a call has no route: no tool of its name, or a tool of the other kind."""
        if route is None:
            available = ", ".join(self._routes) or "none"
            return Refusal(
                ErrorCode.UNKNOWN_TOOL,
                f"there is no tool {call.name!r}; the tools are: {available}",
            )
        return Refusal(ErrorCode.UNKNOWN_TOOL, _wrong_kind(call))

    def _claim(
        self, route: Route, call: Call, arguments: ToolArguments | str
    ) -> str | None:
        """A non-idempotent call claims its key in the record: None, to run it here; or its
        key when another call claimed it first (the call ran, or runs, elsewhere: wait for
        its output)."""
        if route.binding.idempotent:
            return None
        key = record_key(type(route.handlers).TOOLSET, call.name, call.call_id)
        digest = arguments_digest(arguments)
        earlier = self._record.claim(key, digest)
        if earlier is not None and earlier != digest:
            raise Refusal(
                ErrorCode.DUPLICATE_CALL_ID,
                f"call id {call.call_id!r} was already used by a {call.name} call with "
                "other arguments: a call id names one call; give this call an id of its own",
            )
        return None if earlier is None else key

    def _earlier(self, call: Call, started: float, output: str | None) -> str:
        """The answer of a call whose key was claimed before: the first call's output, or
        `timeout` when it did not come in time."""
        if output is None:
            message = f"{call.name} with this call id is still running; try again later"
            return self._log(
                call, "timeout", started, error_output(ErrorCode.TIMEOUT, message)
            )
        return self._log(call, "remembered", started, output)

    def _wait_limit(self, route: Route) -> float:
        timeout = route.binding.timeout
        return self._wait_for_running if timeout is None else timeout

    def _finished(
        self,
        route: Route,
        call: Call,
        outcome: str,
        started: float,
        output: str,
        failure: Failure | None = None,
    ) -> str:
        """Record the output of a call whose handler ran (for a non-idempotent tool), log it."""
        if not route.binding.idempotent:
            try:
                key = record_key(type(route.handlers).TOOLSET, call.name, call.call_id)
                self._record.put(key, output)
            except FATAL:
                raise
            except BaseException as error:  # noqa: BLE001 - the team's record may fail
                return self._internal_error(call, error, started)
        return self._log(call, outcome, started, output, failure)

    def _failed(
        self,
        call: Call,
        error: BaseException,
        started: float,
        route: Route | None = None,
    ) -> str:
        """The output of a failed call, logged; recorded too when route says the handler ran.

        Only the handler's ToolError is `tool_error`, and only the dispatcher's deadline (a
        Refusal) `timeout`: what else a handler raised (its own TimeoutError too), and
        whatever a policy or the record raised, is `internal_error`."""
        failure = None
        if isinstance(error, Refusal):
            code = error.code
            output = error_output(code, error.message)
        elif (
            route is not None
            and isinstance(error, ToolError)
            and (message := tool_error_message(error)) is not None
        ):
            code = ErrorCode.TOOL_ERROR
            output = error_output(code, message)
        else:
            code, failure = ErrorCode.INTERNAL_ERROR, Failure(error, new_error_id())
            output = internal_output(failure.error_id)
        if route is None:
            return self._log(call, code.value, started, output, failure)
        return self._finished(route, call, code.value, started, output, failure)

    def _internal_error(self, call: Call, error: BaseException, started: float) -> str:
        """An internal_error output for error, logged and not recorded."""
        failure = Failure(error, new_error_id())
        output = internal_output(failure.error_id)
        return self._log(call, "internal_error", started, output, failure)

    def _log(
        self,
        call: Call,
        outcome: str,
        started: float,
        output: str,
        failure: Failure | None = None,
    ) -> str:
        """The call's one log record (see LOGGER), made only when the logger takes it."""
        level = logging.INFO if failure is None else logging.ERROR
        if not LOGGER.isEnabledFor(level):
            return output
        route = self._routes.get(call.name)
        toolset = type(route.handlers).TOOLSET if route else None
        arguments = call.payload if self._log_arguments else None
        log_outcome(call, toolset, outcome, started, arguments, failure)
        return output

    def mcp_server(self, name: str = "toolspec") -> Any:
        """An MCP server (the `mcp` SDK's low-level `Server`) of these tools, to embed or run
        over any of its transports; needs the `mcp` package."""
        from ._mcp import mcp_server

        return mcp_server(self, name)

    def run_mcp(
        self,
        transport: str = "stdio",
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        name: str = "toolspec",
    ) -> None:
        """Serve these tools over MCP: on stdin and stdout until the client goes, or
        (transport "http") over streamable HTTP at http://host:port/mcp until stopped.
        """
        from ._mcp import run_mcp

        run_mcp(self, name, transport, host, port)

    def agents_tools(self) -> list[Any]:
        """The tools as the OpenAI Agents SDK takes them (a function tool as its
        `FunctionTool`, with the strict schema; a custom tool as its `CustomTool`), each call
        run through this dispatcher. Needs `openai-agents`."""
        from ._agents import agents_tools

        return agents_tools(self)

    def _tool_kind(self, name: str) -> str | None:
        """The kind of the tool of this name, "function" or "custom"; None: no such tool."""
        return self._kind(name) if name in self._routes else None

    def _refused(self, call: Call, refusal: Refusal) -> str:
        """The output of a call refused before it reached the dispatcher, logged."""
        return self._failed(call, refusal, perf_counter())

    def responses_tool_choice(
        self, choice: str = "auto", *, allowed: Sequence[str] = ()
    ) -> Any:
        """`tool_choice` for Responses: auto, required, none, one tool's name (forced), or,
        with allowed, that subset in mode choice (auto or required)."""
        from ._tool_choice import responses_tool_choice

        return responses_tool_choice(self._kind, choice, allowed)

    def chat_completions_tool_choice(
        self, choice: str = "auto", *, allowed: Sequence[str] = ()
    ) -> Any:
        """`tool_choice` for Chat Completions, as responses_tool_choice."""
        from ._tool_choice import chat_completions_tool_choice

        return chat_completions_tool_choice(self._kind, choice, allowed)

    def _kind(self, name: str) -> str:
        route = self._routes.get(name)
        if route is None:
            raise ValueError(
                f"no tool {name!r} in this dispatcher's toolsets: {', '.join(self._routes)}"
            )
        return "custom" if route.binding.arguments is None else "function"


def _wrong_kind(call: Call) -> str:
    """Why a custom tool call of a function tool, or a function call of a custom tool, fails."""
    if call.custom:
        return (
            f"{call.name} is a function tool, called as a custom tool: call it as a "
            "function, with its arguments as JSON"
        )
    return (
        f"{call.name} is a custom tool, called as a function tool: call it as a custom "
        "tool, with its input as plain text"
    )


async def _given(value: Any) -> Any:
    """value, as an awaitable: a handler's result that is itself to be awaited, handed to
    _finish_later as the handler's own rest would be."""
    return value
