"""Run the tool calls a model made, with the handlers a team wrote, for both OpenAI APIs.

toolspec copies this module, as it is, into every generated package as `_dispatch.py`: edit
it here, in the generator, never in the copy. It needs pydantic and the standard library
only; the openai SDK's types are imported for type checkers alone.

Every failure of a call becomes an output the model can read, `{"error": {"code", "message"}}`,
never an exception out of a `run_*` method: see ErrorCode. Only input the API never sends (a
call without an id, say) is refused, with a ValueError, before any call runs.
"""

from __future__ import annotations

import abc
import asyncio
import collections
import concurrent.futures
import contextvars
import enum
import functools
import hashlib
import inspect
import json
import logging
import os
import queue
import threading
import time
import types
import uuid
from collections.abc import (
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeAlias

import pydantic
import pydantic_core

from ._base import ToolArguments
from ._calls import (
    Call,
    chat_completions_calls,
    chat_output,
    responses_calls,
    responses_output,
)
from ._problems import statements
from ._records import CallRecord, MemoryCallRecord

if TYPE_CHECKING:
    # Only for type checkers: the generated code needs no openai SDK at run time.
    from openai.types.chat import (  # type: ignore[import-not-found, unused-ignore]
        ChatCompletionToolMessageParam,
        ChatCompletionToolUnionParam,
    )
    from openai.types.responses import (  # type: ignore[import-not-found, unused-ignore]
        ResponseInputItemParam,
        ToolParam,
    )

Result: TypeAlias = (
    "pydantic.BaseModel | Mapping[str, Any] | Sequence[Any] | str | None"
)
"""What a handler may return; the dispatcher turns it into the output string."""

HandlerResult: TypeAlias = "Result | Awaitable[Result]"
"""A handler is a plain method or an `async def`."""

Policy: TypeAlias = "Callable[[CallContext], bool | Awaitable[bool]]"
"""`authorize` and `confirm`: a plain function or an `async def`."""

LOGGER = logging.getLogger(__name__.rpartition(".")[0] + ".calls")
"""One record per call, with the extra fields toolset, tool, call_id, outcome (an ErrorCode
value, "ok", "remembered" or "cancelled") and duration_ms, and arguments when the Dispatcher logs them.
Level INFO, but ERROR for an internal_error, which also carries the exception (exc_info) and
error_id, the id its output gives the model."""


class ErrorCode(str, enum.Enum):
    """The `code` of an error output.

    DUPLICATE_CALL_ID refuses a call of a non-idempotent tool whose call id an earlier call
    of that tool had, with other arguments: a call id names one call, and a retry sends the
    same arguments (the same id with the same arguments gets the first call's output).

    UNKNOWN_TOOL is also the code of a call of the wrong kind: a custom tool call naming a
    function tool, or a function call naming a custom tool. No tool of the kind called has
    that name, and it is not the arguments that are wrong (so not INVALID_ARGUMENTS); the
    message says which kind the tool is and how to call it.
    """

    UNKNOWN_TOOL = "unknown_tool"
    INVALID_JSON = "invalid_json"
    INVALID_ARGUMENTS = "invalid_arguments"
    DUPLICATE_CALL_ID = "duplicate_call_id"
    NOT_AUTHORIZED = "not_authorized"
    NEEDS_CONFIRMATION = "needs_confirmation"
    TIMEOUT = "timeout"
    TOOL_ERROR = "tool_error"
    INTERNAL_ERROR = "internal_error"


class ToolError(Exception):
    """Raised by a handler: its message reaches the model as it is (code `tool_error`)."""


@dataclass(frozen=True)
class Binding:
    """One tool of a toolset, as the generated Handlers class declares it."""

    name: str
    """The tool's name in the API."""
    method: str
    """The handler method that runs it."""
    arguments: type[ToolArguments] | None
    """The argument model; None for a custom tool, whose input is text."""
    effect: str = "write"
    """read, write or destructive: consecutive read calls run together; a write or
    destructive call runs alone, after every call before it and before every call after it.
    Unknown means write: only a tool declared `read` may run beside others."""
    idempotent: bool = True
    timeout: float | None = None
    """Seconds a call may take; None: no limit."""


@dataclass(frozen=True)
class CallContext:
    """What `authorize` and `confirm` are told about a call before it runs."""

    toolset: str
    tool: str
    call_id: str
    effect: str
    idempotent: bool
    arguments: ToolArguments | str
    """The validated arguments (a custom tool's input text)."""


class Handlers(abc.ABC):  # noqa: B024 - the generated subclasses declare the methods
    """The base of every generated `<Toolset>Handlers` class."""

    TOOLSET: ClassVar[str] = ""
    TOOLS: ClassVar[tuple[Binding, ...]] = ()
    TOOL_LISTS: ClassVar[Mapping[str, Sequence[Any]]] = {}
    """The toolset's tools in each API shape, by the shape's name."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        missing = [
            binding.name
            for binding in cls.TOOLS
            if getattr(cls, binding.method, None) is None
            or getattr(getattr(cls, binding.method), "__isabstractmethod__", False)
        ]
        if missing:
            raise TypeError(
                f"{cls.__name__} does not implement the tools {', '.join(missing)} "
                f"of toolset {cls.TOOLSET}: define a method for each"
            )
        return super().__new__(cls)


@dataclass(frozen=True)
class _Route:
    handlers: Handlers
    binding: Binding
    method: Callable[[Any], Any]
    is_async: bool
    """Whether method is an `async def`: asked once, not on every call."""


class _Admitted(NamedTuple):
    """A call that may go on: its route and arguments, and whether it ran elsewhere."""

    route: _Route
    arguments: ToolArguments | str
    claimed_before: str | None
    """The call's key in the record when another call claimed it first (the call ran, or
    runs, elsewhere: wait for its output); None when the call is to run here."""


class _Failure(NamedTuple):
    """An internal error: the exception, logged in full, and the id the model is given."""

    error: BaseException
    error_id: str


class _SharedReads:
    """The read calls of a sync turn, run by the caller's thread and the pool's together.

    A thread switch costs more than most calls do, so the caller's thread takes the calls one
    by one and runs them itself: calls that take no time cost no switch. But before it takes
    any, it sends a helper to the pool, and a helper that takes a call sends the next helper
    before running it: while a call is left, a thread is on its way to it, so a call that
    blocks holds up none of the others. The caller's thread then waits for the calls the
    pool's threads took, and re-raises what escaped one (as ThreadPoolExecutor.map would).
    Each call runs in a copy of the caller's context, whichever thread runs it.
    """

    def __init__(
        self,
        execute: Callable[[Call], str],
        reads: Sequence[Call],
        pool: concurrent.futures.ThreadPoolExecutor,
    ) -> None:
        self._execute = execute
        self._context = contextvars.copy_context()
        self._pool = pool
        self._left = collections.deque(enumerate(reads))
        self._outputs = [""] * len(reads)
        self._escaped: list[BaseException] = []
        self._helped = 0
        """How many calls the pool's threads have finished; changed under _done."""
        self._done = threading.Condition(threading.Lock())

    def run(self) -> list[str]:
        self._pool.submit(self._help)
        mine = 0
        while (taken := self._take()) is not None:
            index, call = taken
            try:
                self._outputs[index] = self._context.copy().run(self._execute, call)
            except BaseException:
                self._left.clear()  # start no more
                raise
            mine += 1
        if mine < len(self._outputs):
            with self._done:
                self._done.wait_for(lambda: self._helped == len(self._outputs) - mine)
        if self._escaped:
            raise self._escaped[0]
        return self._outputs

    def _take(self) -> tuple[int, Call] | None:
        try:
            return self._left.popleft()
        except IndexError:
            return None

    def _help(self) -> None:
        while (taken := self._take()) is not None:
            index, call = taken
            if self._left:
                self._pool.submit(self._help)
            try:
                self._outputs[index] = self._context.copy().run(self._execute, call)
            except BaseException as error:  # noqa: BLE001 - raised by the caller
                self._escaped.append(error)
            with self._done:
                self._helped += 1
                self._done.notify()


_Job: TypeAlias = "tuple[Callable[[], Any], concurrent.futures.Future[Any]]"


class _Threads:
    """Daemon threads for the handlers a caller waits for up to a deadline, and for the
    coroutines the sync run runs in an event loop of their own (async handlers and policies):
    each thread runs one job at a time, and a job that finds no thread idle starts one.

    No thread can be stopped, so a handler past its deadline runs on in its thread until it
    returns: that thread takes no other job meanwhile, so it holds up no later call, and, a
    daemon, it holds up neither asyncio.run nor the process's exit (which ends it where it
    is). A thread idle for `linger` seconds ends.
    """

    def __init__(self, linger: float = 60.0) -> None:
        self._linger = linger
        self._idle: list[queue.SimpleQueue[_Job]] = []
        """The inboxes of the threads waiting for a job; the last to come back goes first."""
        self._lock = threading.Lock()
        if hasattr(os, "register_at_fork"):  # not on Windows
            os.register_at_fork(after_in_child=self._forget_threads)

    def submit(self, job: Callable[[], Any]) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        with self._lock:
            inbox = self._idle.pop() if self._idle else None
        if inbox is None:
            inbox = queue.SimpleQueue()
            threading.Thread(
                target=self._serve, args=(inbox,), name="toolspec-handler", daemon=True
            ).start()
        inbox.put((job, future))
        return future

    def _serve(self, inbox: queue.SimpleQueue[_Job]) -> None:
        job, future = inbox.get()
        while True:
            if future.set_running_or_notify_cancel():  # not cancelled before it started
                try:
                    future.set_result(job())
                except BaseException as error:  # noqa: BLE001 - for the caller to raise
                    future.set_exception(error)
            del job, future  # an idle thread holds no result
            with self._lock:
                self._idle.append(inbox)
            try:
                job, future = inbox.get(timeout=self._linger)
            except queue.Empty:
                with self._lock:
                    if inbox in self._idle:
                        self._idle.remove(inbox)
                        return
                job, future = inbox.get()  # taken as the wait ended: the job is coming

    def _forget_threads(self) -> None:
        """In a forked child, where none of the threads is: start new ones."""
        self._idle = []
        self._lock = threading.Lock()


_THREADS = _Threads()

_ABANDONED: set[asyncio.Future[Any]] = set()
"""The async handlers' tasks past their deadline, cancelled, kept until they end (the event
loop holds its tasks only weakly)."""

_FATAL = (KeyboardInterrupt, SystemExit)
"""What no call turns into its output: it reaches the caller, once the record notes the call."""


class _Refusal(Exception):
    """A call the dispatcher answers with an error of its own: refused before its handler
    ran, or past its deadline."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_output(code: ErrorCode, message: str) -> str:
    """The output the model reads for a failed call (UTF-8 throughout: see _unicode)."""
    output = {"error": {"code": code.value, "message": message}}
    return _unicode(json.dumps(output, ensure_ascii=False))


def serialize(result: Result) -> str:
    """A handler's return value as the output string.

    UTF-8 throughout: a lone surrogate, which UTF-8 cannot encode, becomes U+FFFD. And JSON
    when the result is not a str: NaN and Infinity, which JSON has no value for, raise
    ValueError (an internal error; a pydantic model writes its own as null, unless its
    `ser_json_inf_nan` says otherwise).
    """
    if isinstance(result, str):
        return _unicode(result)
    try:
        if isinstance(result, pydantic.BaseModel):
            output = result.model_dump_json(by_alias=True)
        else:
            output = pydantic_core.to_json(result, by_alias=True).decode("utf-8")
    except pydantic_core.PydanticSerializationError:
        # A lone surrogate fails the whole result: again, with each one replaced. A result
        # that fails for another reason fails again.
        plain = _without_surrogates(result)
        output = pydantic_core.to_json(plain, by_alias=True).decode("utf-8")
    # The words first, here too: most outputs hold neither, and a call costs more.
    if ("NaN" in output or "Infinity" in output) and _non_finite(output) is not None:
        raise ValueError(
            "the handler's result holds NaN or Infinity, which JSON has no value for"
        )
    return output


def _unicode(text: str) -> str:
    """text, with each lone surrogate (a str may hold one, UTF-8 cannot) replaced by U+FFFD;
    non-ASCII text stays as it is, readable (not `\\u` escapes)."""
    if text.isascii():  # a flag of the str: no scan
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # UTF-16 pairs what surrogates make a character, and replaces those left alone.
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _without_surrogates(value: Any) -> Any:
    """value with each str in it passed through _unicode, a pydantic model made plain first;
    any other object is left to the serializer."""
    if isinstance(value, str):
        return _unicode(value)
    if isinstance(value, pydantic.BaseModel):
        value = pydantic_core.to_jsonable_python(value, by_alias=True)
    if isinstance(value, Mapping):
        return {
            _without_surrogates(key): _without_surrogates(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_without_surrogates(item) for item in value]
    return value


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
    """

    def __init__(
        self,
        *handlers: Handlers,
        authorize: Policy | None = None,
        confirm: Policy | None = None,
        record: CallRecord | None = None,
        log_arguments: bool = False,
        max_workers: int | None = None,
        wait_for_running: float = 300.0,
    ) -> None:
        self._routes: dict[str, _Route] = {}
        for handler in handlers:
            for binding in type(handler).TOOLS:
                if binding.name in self._routes:
                    raise ValueError(f"two handlers offer the tool {binding.name!r}")
                method = getattr(handler, binding.method)
                is_async = inspect.iscoroutinefunction(method)
                self._routes[binding.name] = _Route(handler, binding, method, is_async)
        self._handlers = handlers
        self._authorize = authorize
        self._confirm = confirm
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
        return [
            responses_output(c, o) for c, o in zip(calls, self._run(calls), strict=True)
        ]

    def run_chat_completions(
        self, message: Any
    ) -> list[ChatCompletionToolMessageParam]:
        """The tool messages answering an assistant message's `tool_calls`, in order."""
        calls = chat_completions_calls(message)
        return [chat_output(c, o) for c, o in zip(calls, self._run(calls), strict=True)]

    async def arun_responses(self, response: Any) -> list[ResponseInputItemParam]:
        calls = responses_calls(response)
        outputs = await self._arun(calls)
        return [responses_output(c, o) for c, o in zip(calls, outputs, strict=True)]

    async def arun_chat_completions(
        self, message: Any
    ) -> list[ChatCompletionToolMessageParam]:
        calls = chat_completions_calls(message)
        outputs = await self._arun(calls)
        return [chat_output(c, o) for c, o in zip(calls, outputs, strict=True)]

    def _run(self, calls: Sequence[Call]) -> list[str]:
        """The calls in the model's order, consecutive reads together (see _steps), each in a
        copy of the caller's context."""
        if len(calls) == 1:
            return [contextvars.copy_context().run(self._execute, calls[0])]
        outputs: list[str] = []
        for step in self._steps(calls):
            if len(step) == 1:  # nothing to run beside it: no thread
                outputs.append(contextvars.copy_context().run(self._execute, step[0]))
            else:
                outputs.extend(self._reads(step))
        return outputs

    def _reads(self, reads: Sequence[Call]) -> list[str]:
        """Run read calls together, in this thread and the pool's (see _SharedReads)."""
        return _SharedReads(self._execute, reads, self._pool()).run()

    def _pool(self) -> concurrent.futures.ThreadPoolExecutor:
        """The threads read calls run in, made when first needed and kept."""
        with self._pool_lock:
            if self._threads is None:
                self._threads = concurrent.futures.ThreadPoolExecutor(
                    self._max_workers, thread_name_prefix="toolspec-call"
                )
            return self._threads

    async def _arun(self, calls: Sequence[Call]) -> list[str]:
        """The calls in the model's order, consecutive reads together (see _steps and
        _areads); a lone call runs here, in the caller's task (see _start)."""
        if len(calls) == 1:
            output = self._start(calls[0])
            return [output if isinstance(output, str) else await output]
        outputs: list[str] = []
        for step in self._steps(calls):
            if len(step) == 1:
                output = self._start(step[0])
                outputs.append(output if isinstance(output, str) else await output)
            else:
                outputs.extend(await self._areads(step))
        return outputs

    async def _areads(self, reads: Sequence[Call]) -> list[str]:
        """Run read calls together, started eagerly: a task costs more than most calls do.

        Each call runs here, in the caller's task, while it finishes without waiting on
        anything, so such a call costs no task. The first one that waits goes on in the
        caller's task; each later call gets a task of its own at once (from its first step:
        a handler's asyncio.timeout or TaskGroup works on the task current when it starts, so
        a call must end in the task it started in), and all are awaited together. Each call
        runs in a copy of the caller's context, as it would in a task.
        """
        outputs: list[str] = []
        for position, call in enumerate(reads):
            started = self._start(call)
            if isinstance(started, str):
                outputs.append(started)
                continue
            loop = asyncio.get_running_loop()
            later = [loop.create_task(self._aexecute(c)) for c in reads[position + 1 :]]
            try:
                outputs.append(await started)
            except BaseException as error:
                # The turn was cancelled, closed or worse: so are the rest, awaited unless
                # the turn is closing (a closing coroutine may not wait).
                for task in later:
                    task.cancel()
                if later and not isinstance(error, GeneratorExit):
                    await asyncio.wait(later)
                raise
            outputs.extend(await asyncio.gather(*later))
            break
        return outputs

    def _start(self, call: Call) -> str | Awaitable[str]:
        """Run a call in a copy of the caller's context until it ends or first waits: its
        output, or, once it waits, what to await for the rest of it, in the caller's task.
        """
        context = contextvars.copy_context()
        coroutine = self._aexecute(call)
        try:
            waiting = context.run(coroutine.send, None)
        except StopIteration as finished:
            return finished.value  # type: ignore[no-any-return]
        return _resume(coroutine, context, waiting)

    def _steps(self, calls: Sequence[Call]) -> list[list[Call]]:
        """The calls cut into steps that run one after another, in the model's order: each run
        of consecutive calls of known read tools is one step, whose calls run together; every
        other call is a step of its own. A write the model placed before a read is done
        before the read runs: `[create_note, list_notes]` lists the new note."""
        steps: list[list[Call]] = []
        reading = False
        for call in calls:
            route = self._routes.get(call.name)
            is_read = route is not None and route.binding.effect == "read"
            if is_read and reading:
                steps[-1].append(call)
            else:
                steps.append([call])
            reading = is_read
        return steps

    def _execute(self, call: Call) -> str:
        started = time.perf_counter()
        try:
            route, arguments, claimed_before = self._admit(call)
            if claimed_before is not None:
                return self._earlier(
                    call, started, self._wait_sync(route, claimed_before)
                )
        except _FATAL:
            raise
        except BaseException as error:  # noqa: BLE001 - refused before the handler ran
            return self._failed(call, error, started)
        try:
            output = serialize(_run_sync(route, arguments))
        except BaseException as error:  # noqa: BLE001 - every failure becomes an output
            output = self._failed(call, error, started, route)
            if isinstance(error, _FATAL):
                raise
            return output
        return self._finished(route, call, "ok", started, output)

    async def _aexecute(self, call: Call) -> str:
        started = time.perf_counter()
        try:
            # As _admit, awaiting an async policy; no coroutine of its own, which costs.
            route, arguments = self._checked(call)
            if self._authorize is not None or route.binding.effect == "destructive":
                await self._aapply_policy(route, call, arguments)
            claimed_before = self._claim(route, call, arguments).claimed_before
            if claimed_before is not None:
                return self._earlier(
                    call, started, await self._wait_async(route, claimed_before)
                )
        except BaseException as error:  # noqa: BLE001 - refused before the handler ran
            if isinstance(error, _FATAL) or _stops_the_turn(error):
                raise
            return self._failed(call, error, started)
        try:
            output = serialize(await _run_async(route, arguments))
        except BaseException as error:  # noqa: BLE001 - every failure becomes an output
            if _stops_the_turn(error):  # run nothing more, but settle the claim
                cancelled = error_output(
                    ErrorCode.INTERNAL_ERROR,
                    f"{call.name} was cancelled before it finished; it is not run again",
                )
                self._finished(route, call, "cancelled", started, cancelled)
                raise
            output = self._failed(call, error, started, route)
            if isinstance(error, _FATAL):
                raise
            return output
        return self._finished(route, call, "ok", started, output)

    def _admit(self, call: Call) -> _Admitted:
        """Route, validate, authorize and (for a non-idempotent tool) claim a call."""
        route, arguments = self._checked(call)
        if self._authorize is not None or route.binding.effect == "destructive":
            self._apply_policy(route, call, arguments)
        return self._claim(route, call, arguments)

    def _checked(self, call: Call) -> tuple[_Route, ToolArguments | str]:
        """The call's route and validated arguments; a _Refusal for an unknown tool, a tool
        of the other kind or invalid arguments."""
        route = self._routes.get(call.name)
        if route is None:
            available = ", ".join(self._routes) or "none"
            raise _Refusal(
                ErrorCode.UNKNOWN_TOOL,
                f"there is no tool {call.name!r}; the tools are: {available}",
            )
        if (route.binding.arguments is None) != call.custom:
            raise _Refusal(ErrorCode.UNKNOWN_TOOL, _wrong_kind(call))
        return route, _validate(route.binding, call.payload)

    def _claim(
        self, route: _Route, call: Call, arguments: ToolArguments | str
    ) -> _Admitted:
        """The call admitted; a non-idempotent one claims its key in the record first."""
        if route.binding.idempotent:
            return _Admitted(route, arguments, None)
        key = _record_key(route, call)
        digest = _digest(arguments)
        earlier = self._record.claim(key, digest)
        if earlier is not None and earlier != digest:
            raise _Refusal(
                ErrorCode.DUPLICATE_CALL_ID,
                f"call id {call.call_id!r} was already used by a {call.name} call with "
                "other arguments: a call id names one call; give this call an id of its own",
            )
        return _Admitted(route, arguments, None if earlier is None else key)

    def _earlier(self, call: Call, started: float, output: str | None) -> str:
        """The answer of a call whose key was claimed before: the first call's output, or
        `timeout` when it did not come in time."""
        if output is None:
            message = f"{call.name} with this call id is still running; try again later"
            return self._log(
                call, "timeout", started, error_output(ErrorCode.TIMEOUT, message)
            )
        return self._log(call, "remembered", started, output)

    def _wait_sync(self, route: _Route, key: str) -> str | None:
        """The output recorded for key, waited for while the call that claimed it runs."""
        for pause in _pauses(self._wait_limit(route)):
            if (output := self._record.output(key)) is not None:
                return output
            time.sleep(pause)
        return self._record.output(key)

    async def _wait_async(self, route: _Route, key: str) -> str | None:
        """As _wait_sync, without blocking the event loop."""
        for pause in _pauses(self._wait_limit(route)):
            if (output := self._record.output(key)) is not None:
                return output
            await asyncio.sleep(pause)
        return self._record.output(key)

    def _wait_limit(self, route: _Route) -> float:
        timeout = route.binding.timeout
        return self._wait_for_running if timeout is None else timeout

    def _apply_policy(
        self, route: _Route, call: Call, arguments: ToolArguments | str
    ) -> None:
        """Refuse the call unless `authorize` allows it and, if destructive, `confirm` too; an
        async policy runs to its end in a thread, in an event loop of its own."""
        for decision, code, message in self._decisions(route, call, arguments):
            if inspect.isawaitable(decision):
                decision = _THREADS.submit(_in_copy(_settled, decision)).result()
            if decision is not True:
                raise _Refusal(code, message)

    async def _aapply_policy(
        self, route: _Route, call: Call, arguments: ToolArguments | str
    ) -> None:
        """As _apply_policy, an async policy awaited in this task."""
        for decision, code, message in self._decisions(route, call, arguments):
            if inspect.isawaitable(decision):
                decision = await decision
            if decision is not True:
                raise _Refusal(code, message)

    def _decisions(
        self, route: _Route, call: Call, arguments: ToolArguments | str
    ) -> Iterator[tuple[object, ErrorCode, str]]:
        """What the policies say of the call, each asked once the one before has allowed it:
        `authorize`, then, for a destructive tool, `confirm` (no `confirm`: no). Each answer
        (an awaitable, from an async policy) comes with the refusal that follows unless it
        is exactly True: a truthy "no" or a forgotten `await` must not let a call through.
        """
        binding = route.binding
        context = CallContext(
            type(route.handlers).TOOLSET,
            binding.name,
            call.call_id,
            binding.effect,
            binding.idempotent,
            arguments,
        )
        if self._authorize is not None:
            refusal = f"{binding.name} is not allowed"
            yield self._authorize(context), ErrorCode.NOT_AUTHORIZED, refusal
        if binding.effect == "destructive":
            confirmed = False if self._confirm is None else self._confirm(context)
            refusal = (
                f"{binding.name} needs the user's confirmation, which it does not have"
            )
            yield confirmed, ErrorCode.NEEDS_CONFIRMATION, refusal

    def _finished(
        self,
        route: _Route,
        call: Call,
        outcome: str,
        started: float,
        output: str,
        failure: _Failure | None = None,
    ) -> str:
        """Record the output of a call whose handler ran (for a non-idempotent tool), log it."""
        if not route.binding.idempotent:
            try:
                self._record.put(_record_key(route, call), output)
            except _FATAL:
                raise
            except BaseException as error:  # noqa: BLE001 - the team's record may fail
                return self._internal_error(call, error, started)
        return self._log(call, outcome, started, output, failure)

    def _failed(
        self,
        call: Call,
        error: BaseException,
        started: float,
        route: _Route | None = None,
    ) -> str:
        """The output of a failed call, logged; recorded too when route says the handler ran.

        Only the handler's ToolError is `tool_error`, and only the dispatcher's deadline (a
        _Refusal) `timeout`: what else a handler raised (its own TimeoutError too), and
        whatever a policy or the record raised, is `internal_error`."""
        failure = None
        if isinstance(error, _Refusal):
            code = error.code
            output = error_output(code, error.message)
        elif (
            route is not None
            and isinstance(error, ToolError)
            and (message := _message(error)) is not None
        ):
            code = ErrorCode.TOOL_ERROR
            output = error_output(code, message)
        else:
            code, failure = ErrorCode.INTERNAL_ERROR, _Failure(error, _error_id())
            output = _internal_output(failure.error_id)
        if route is None:
            return self._log(call, code.value, started, output, failure)
        return self._finished(route, call, code.value, started, output, failure)

    def _internal_error(self, call: Call, error: BaseException, started: float) -> str:
        """An internal_error output for error, logged and not recorded."""
        failure = _Failure(error, _error_id())
        output = _internal_output(failure.error_id)
        return self._log(call, "internal_error", started, output, failure)

    def _log(
        self,
        call: Call,
        outcome: str,
        started: float,
        output: str,
        failure: _Failure | None = None,
    ) -> str:
        """The call's one log record (see LOGGER); at ERROR, with the exception, for failure."""
        level = logging.INFO if failure is None else logging.ERROR
        if not LOGGER.isEnabledFor(level):
            return output
        route = self._routes.get(call.name)
        extra: dict[str, Any] = {
            "toolset": type(route.handlers).TOOLSET if route else None,
            "tool": call.name,
            "call_id": call.call_id,
            "outcome": outcome,
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        }
        if self._log_arguments:
            extra["arguments"] = call.payload
        if failure is None:
            LOGGER.info("%s %s %s", call.name, call.call_id, outcome, extra=extra)
        else:
            extra["error_id"] = failure.error_id
            LOGGER.error(
                "%s %s %s (error id %s)",
                call.name,
                call.call_id,
                outcome,
                failure.error_id,
                exc_info=failure.error,
                extra=extra,
            )
        return output

    def responses_tool_choice(
        self, choice: str = "auto", *, allowed: Sequence[str] = ()
    ) -> Any:
        """`tool_choice` for Responses: auto, required, none, one tool's name (forced), or,
        with allowed, that subset in mode choice (auto or required)."""
        if allowed:
            tools = [self._responses_reference(name) for name in allowed]
            return {"type": "allowed_tools", "mode": _mode(choice), "tools": tools}
        if choice in ("auto", "required", "none"):
            return choice
        return self._responses_reference(choice)

    def chat_completions_tool_choice(
        self, choice: str = "auto", *, allowed: Sequence[str] = ()
    ) -> Any:
        """`tool_choice` for Chat Completions, as responses_tool_choice."""
        if allowed:
            tools = [self._chat_reference(name) for name in allowed]
            return {
                "type": "allowed_tools",
                "allowed_tools": {"mode": _mode(choice), "tools": tools},
            }
        if choice in ("auto", "required", "none"):
            return choice
        return self._chat_reference(choice)

    def _responses_reference(self, name: str) -> dict[str, Any]:
        kind = self._kind(name)
        return {"type": kind, "name": name}

    def _chat_reference(self, name: str) -> dict[str, Any]:
        kind = self._kind(name)
        return {"type": kind, kind: {"name": name}}

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


def _record_key(route: _Route, call: Call) -> str:
    """A call's key in the record: its toolset, tool and call id (a JSON array, so that no
    name can make another's key)."""
    return json.dumps([type(route.handlers).TOOLSET, call.name, call.call_id])


def _digest(arguments: ToolArguments | str) -> str:
    """What tells a retry (the same arguments) from another call reusing its id: the SHA-256
    of the validated arguments as JSON (so key order, spacing and an optional key left out
    or sent as null make no difference), or of a custom tool's input."""
    text = arguments if isinstance(arguments, str) else arguments.model_dump_json()
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _pauses(limit: float) -> Iterator[float]:
    """Seconds between two looks at the record while an earlier call runs, for limit seconds:
    from 1 ms, doubled each time, up to 50 ms."""
    deadline = time.monotonic() + limit
    pause = 0.001
    while time.monotonic() < deadline:
        yield pause
        pause = min(pause * 2, 0.05)


def _error_id() -> str:
    return uuid.uuid4().hex[:12]


def _internal_output(error_id: str) -> str:
    """What the model reads of an internal error: only the id it is logged under."""
    return error_output(
        ErrorCode.INTERNAL_ERROR, f"the tool failed; error id {error_id}"
    )


def _mode(choice: str) -> str:
    if choice not in ("auto", "required"):
        raise ValueError(
            f"allowed tools take the mode auto or required, not {choice!r}"
        )
    return choice


def _validate(binding: Binding, payload: str) -> ToolArguments | str:
    model = binding.arguments
    if model is None:
        return payload
    try:
        arguments = model.model_validate_json(payload)
    except pydantic.ValidationError as error:
        problems = error.errors(include_url=False)
        not_json = _non_finite(payload) or _not_json(problems)
        if not_json is not None:
            raise _invalid_json(binding, not_json) from None
        said, count = statements(model.__pydantic_core_schema__, problems, 5)
        more = f" (and {count - 5} more)" if count > 5 else ""
        raise _Refusal(
            ErrorCode.INVALID_ARGUMENTS,
            f"invalid arguments for {binding.name}: {'; '.join(said)}{more}",
        ) from None
    # Valid: a NaN or an infinity can only have come in where the model takes one.
    takes = _TAKES_NON_FINITE.get(model)
    if takes is None:
        takes = _TAKES_NON_FINITE[model] = _takes_non_finite(
            model.__pydantic_core_schema__, allowed=True
        )
    if takes and (not_json := _non_finite(payload)) is not None:
        raise _invalid_json(binding, not_json)
    return arguments


def _invalid_json(binding: Binding, reason: str) -> _Refusal:
    return _Refusal(
        ErrorCode.INVALID_JSON,
        f"the arguments of {binding.name} are not valid JSON: {reason}",
    )


def _not_json(problems: Sequence[pydantic_core.ErrorDetails]) -> str | None:
    """Why the arguments' text is not JSON (or not text: a lone surrogate); None if it is."""
    first = problems[0]
    if first["type"] == "json_invalid":
        return first["msg"].removeprefix("Invalid JSON: ")
    if first["type"] == "string_unicode" and not first["loc"]:
        return "a lone surrogate is no Unicode character"
    return None


def _non_finite(text: str) -> str | None:
    """Why text is not JSON when it would be but for a NaN, Infinity or -Infinity, which
    pydantic's parser takes and JSON has no value for; None otherwise (then any other fault
    of text is pydantic's to say)."""
    if "NaN" not in text and "Infinity" not in text:
        return None
    try:
        pydantic_core.from_json(text, allow_inf_nan=False)
    except ValueError:
        try:
            pydantic_core.from_json(text)
        except ValueError:
            return None
        return "JSON has no NaN, Infinity or -Infinity"
    return None


_TAKES_NON_FINITE: dict[type[ToolArguments], bool] = {}
"""Whether each argument model validated so far takes a NaN or an infinity somewhere."""


def _takes_non_finite(schema: Any, *, allowed: bool) -> bool:
    """Whether a value validated by schema (a core schema, or any part of one) from JSON may
    hold a NaN or an infinity: a float where allowed (ToolArguments allows none), an `Any`
    value, an extra key a model allows. Erring towards yes costs only a look at the text.
    """
    if isinstance(schema, list | tuple):
        return any(_takes_non_finite(part, allowed=allowed) for part in schema)
    if not isinstance(schema, Mapping):
        return False
    kind = schema.get("type")
    if kind in ("any", "function-plain") or (
        kind == "float" and schema.get("allow_inf_nan", allowed)
    ):
        return True
    if kind == "model":
        config = schema.get("config", {})
        if config.get("extra_fields_behavior") == "allow":
            return True
        allowed = config.get("allow_inf_nan", True)
    # Not what validates Python values, nor lax mode's: the argument models are strict.
    return any(
        _takes_non_finite(value, allowed=allowed)
        for key, value in schema.items()
        if key not in ("metadata", "serialization", "python_schema", "lax_schema")
    )


def _message(error: ToolError) -> str | None:
    """The ToolError's message; None when even that fails."""
    try:
        return str(error)
    except Exception:  # noqa: BLE001 - then the handler failed: internal_error
        return None


def _stops_the_turn(error: BaseException) -> bool:
    """Whether error is the caller's cancellation of the async turn, or the closing of its
    coroutine: then the call gives no output, and the error goes on to the caller."""
    if isinstance(error, GeneratorExit):
        return True
    if isinstance(error, asyncio.CancelledError):
        task = asyncio.current_task()
        return task is not None and task.cancelling() > 0
    return False


def _deadline(route: _Route) -> _Refusal:
    return _Refusal(ErrorCode.TIMEOUT, f"{route.binding.name} did not finish in time")


def _run_sync(route: _Route, arguments: ToolArguments | str) -> Result:
    """Call the handler in this thread; or, when it has a time limit or is a coroutine (which
    then gets an event loop of its own), in one of _THREADS, waited for up to the limit.
    """
    method, timeout = route.method, route.binding.timeout
    if timeout is None and not route.is_async:
        return _settled(method(arguments))
    future = _THREADS.submit(_in_copy(_called, method, arguments))
    try:
        future.exception(timeout)  # waits; what the handler raised, result() raises
    except concurrent.futures.TimeoutError:
        raise _deadline(route) from None
    return future.result()  # type: ignore[no-any-return]


def _called(method: Callable[[Any], Any], arguments: ToolArguments | str) -> Result:
    return _settled(method(arguments))


def _settled(result: Any) -> Result:
    """result, awaited in an event loop of this thread's own when it is awaitable."""
    if inspect.isawaitable(result):
        return asyncio.run(_awaited(result))
    return result  # type: ignore[no-any-return]


async def _awaited(result: Awaitable[Result]) -> Result:
    return await result


def _in_copy(function: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """function(*args), to be run in another thread, in a copy of this thread's context."""
    return functools.partial(contextvars.copy_context().run, _guarded, function, *args)


def _guarded(function: Callable[..., Any], *args: Any) -> Any:
    """function(*args), raising as a RuntimeError what a thread must not hand back to the
    async run: StopIteration, which no asyncio future can hold (awaiting it would never
    end), and GeneratorExit, which would pass for the closing of the turn."""
    try:
        return function(*args)
    except (StopIteration, GeneratorExit) as error:
        raise RuntimeError(f"the handler raised {type(error).__name__}") from error


@types.coroutine
def _resume(
    coroutine: Coroutine[Any, Any, str], context: contextvars.Context, waiting: Any
) -> Generator[Any, Any, str]:
    """The rest of a coroutine started by hand, whose first step yielded waiting.

    Awaited, it hands what the coroutine yields (the future it waits on) to the task
    awaiting it, and what that task sends or throws in (a cancellation) back to the
    coroutine, each step in context; it returns what the coroutine returns.
    """
    while True:
        try:
            try:
                sent = yield waiting
            except GeneratorExit:
                coroutine.close()
                raise
            except BaseException as error:  # noqa: BLE001 - for the coroutine to handle
                waiting = context.run(coroutine.throw, error)
            else:
                waiting = context.run(coroutine.send, sent)
        except StopIteration as finished:
            return finished.value  # type: ignore[no-any-return]


async def _run_async(route: _Route, arguments: ToolArguments | str) -> Result:
    """Await the handler within its time limit: an `async def` in this task (in a task of its
    own when it has a limit); a plain method in a thread, the loop's default executor's (one
    of _THREADS when it has a limit: its running past the limit holds up nothing)."""
    method, timeout = route.method, route.binding.timeout
    if route.is_async:
        pending: Awaitable[Any] = method(arguments)
    elif timeout is None:
        loop = asyncio.get_running_loop()
        pending = loop.run_in_executor(None, _in_copy(method, arguments))
    else:
        pending = asyncio.wrap_future(_THREADS.submit(_in_copy(method, arguments)))
    if timeout is None:  # awaited directly: a task, or a coroutine more, would cost
        result = await pending
        if inspect.isawaitable(result):  # a plain method that returned a coroutine
            result = await result
    else:
        result = await _within(pending, timeout, route)
        if inspect.isawaitable(result):
            result = await _within(result, timeout, route)
    return result  # type: ignore[no-any-return]


async def _within(pending: Awaitable[Any], timeout: float, route: _Route) -> Any:
    """What pending gives, in a task of its own; at the deadline, `timeout`, whatever pending
    does then: past its deadline (or when the turn is cancelled) it is cancelled and not
    waited for, so a handler that ignores its cancellation runs on by itself (see _abandon).
    As asyncio.wait would, at less cost (a timed call costs what wait_for did before).
    """
    future = asyncio.ensure_future(pending)
    loop = asyncio.get_running_loop()
    settled = loop.create_future()
    release = functools.partial(_release, settled)
    deadline = loop.call_later(timeout, release)
    future.add_done_callback(release)
    try:
        await settled
    except BaseException:  # the turn was cancelled or closed
        _abandon(future)
        raise
    finally:
        deadline.cancel()
        future.remove_done_callback(release)
    if not future.done():
        _abandon(future)
        raise _deadline(route)
    return future.result()


def _release(settled: asyncio.Future[None], *_: object) -> None:
    if not settled.done():
        settled.set_result(None)


def _abandon(future: asyncio.Future[Any]) -> None:
    """Cancel a handler's task or thread's future and leave it: what it returns or raises
    from now on is no call's output."""
    future.cancel()
    if not future.done():  # a task, which ends when its coroutine does
        _ABANDONED.add(future)
        future.add_done_callback(_forget)


def _forget(future: asyncio.Future[Any]) -> None:
    _ABANDONED.discard(future)
    if not future.cancelled():
        future.exception()  # seen: asyncio would log it as never retrieved
