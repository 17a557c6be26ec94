"""Where handlers run: the threads and tasks of a turn's read calls, the threads of a handler
with a time limit or of a coroutine in a sync run, and the deadlines.

toolspec copies this module, as it is, into every generated package as `_runners.py`: edit
it here, in the generator, never in the copy.
"""

from __future__ import annotations

import collections
import contextvars
import functools
import inspect
import os
import threading
import types
from collections.abc import (
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from ._calls import Call
from ._outcomes import ErrorCode, Refusal

if TYPE_CHECKING:
    # Imported where they are used: a call with no time limit needs neither.
    import asyncio
    import concurrent.futures
    import queue

    from ._base import ToolArguments
    from ._bindings import Result, Route


class SharedReads:
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


_T = TypeVar("_T")

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
        import concurrent.futures
        import queue

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
        import queue

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


def stops_the_turn(error: BaseException) -> bool:
    """Whether error is the caller's cancellation of the async turn, or the closing of its
    coroutine: then the call gives no output, and the error goes on to the caller."""
    if isinstance(error, GeneratorExit):
        return True
    import asyncio  # asyncio is imported where it is used: a sync caller never needs it

    if isinstance(error, asyncio.CancelledError):
        task = asyncio.current_task()
        return task is not None and task.cancelling() > 0
    return False


def _deadline(route: Route) -> Refusal:
    return Refusal(ErrorCode.TIMEOUT, f"{route.binding.name} did not finish in time")


def run_sync(route: Route, arguments: ToolArguments | str) -> Result:
    """Call a handler that has a time limit or is a coroutine (which then gets an event loop
    of its own) in one of _THREADS, waited for up to the limit. (Any other is called where
    the call runs: see Route.in_place.)
    """
    future = _THREADS.submit(_in_copy(_called, route.method, arguments))
    try:
        # Waits; what the handler raised, result() raises.
        future.exception(route.binding.timeout)
    except TimeoutError:  # concurrent.futures' is TimeoutError (Python 3.11)
        raise _deadline(route) from None
    return future.result()  # type: ignore[no-any-return]


def _called(method: Callable[[Any], Any], arguments: ToolArguments | str) -> Result:
    return settle(method(arguments))


def settle(result: Any) -> Result:
    """result, awaited in an event loop of this thread's own when it is awaitable."""
    if awaitable(result):
        import asyncio

        return asyncio.run(_awaited(result))
    return result  # type: ignore[no-any-return]


def awaitable(result: Any) -> bool:
    """inspect.isawaitable, but at once for what handlers mostly return: its check against
    collections.abc.Awaitable costs more than the rest of settling a result."""
    return type(result) not in PLAIN_RESULTS and inspect.isawaitable(result)


PLAIN_RESULTS = frozenset({dict, list, str, type(None)})


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
def resume(
    coroutine: Coroutine[Any, Any, _T] | Generator[Any, Any, _T],
    context: contextvars.Context,
    waiting: Any,
) -> Generator[Any, Any, _T]:
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


@types.coroutine
def run_in(
    context: contextvars.Context, pending: Awaitable[Any]
) -> Generator[Any, Any, Any]:
    """What pending gives, awaited with each of its steps in context (see resume)."""
    steps = pending.__await__()
    try:
        waiting = context.run(steps.send, None)
    except StopIteration as finished:
        return finished.value
    return (yield from resume(steps, context, waiting))


async def run_async(route: Route, arguments: ToolArguments | str) -> Result:
    """The result of a handler that is a plain method or has a time limit (an `async def`
    with none is awaited where the call runs: see Route.awaited_in_place): a plain method
    runs in a thread, the loop's default executor's (one of _THREADS when it has a limit: its
    running past the limit holds up nothing); an `async def` in a task of its own. What it
    gives may be awaitable in turn (a handler that returned a coroutine): the caller awaits
    that too (see awaitable); with a limit, it is awaited here, within it.
    """
    method, timeout = route.method, route.binding.timeout
    if route.is_async:
        pending: Awaitable[Any] = method(arguments)
    elif timeout is None:
        import asyncio

        loop = asyncio.get_running_loop()
        pending = loop.run_in_executor(None, _in_copy(method, arguments))
    else:
        import asyncio

        pending = asyncio.wrap_future(_THREADS.submit(_in_copy(method, arguments)))
    if timeout is None:  # awaited directly: a task, or a coroutine more, would cost
        return await pending  # type: ignore[no-any-return]
    result = await _within(pending, timeout, route)
    if awaitable(result):
        result = await _within(result, timeout, route)
    return result  # type: ignore[no-any-return]


async def _within(pending: Awaitable[Any], timeout: float, route: Route) -> Any:
    """What pending gives, in a task of its own; at the deadline, `timeout`, whatever pending
    does then: past its deadline (or when the turn is cancelled) it is cancelled and not
    waited for, so a handler that ignores its cancellation runs on by itself (see _abandon).
    As asyncio.wait would, at less cost (a timed call costs what wait_for did before).
    """
    import asyncio

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


def steps(calls: Sequence[Call], routes: Mapping[str, Route]) -> list[list[Call]]:
    """The calls cut into steps that run one after another, in the model's order: each run
    of consecutive calls of known read tools is one step, whose calls run together; every
    other call is a step of its own. A write the model placed before a read is done
    before the read runs: `[create_note, list_notes]` lists the new note."""
    cut: list[list[Call]] = []
    reading = False
    for call in calls:
        route = routes.get(call.name)
        is_read = route is not None and route.binding.effect == "read"
        if is_read and reading:
            cut[-1].append(call)
        else:
            cut.append([call])
        reading = is_read
    return cut


def start_eagerly(coroutine: Coroutine[Any, Any, str]) -> str | Awaitable[str]:
    """Run a call's coroutine in a copy of the caller's context until it ends or first waits:
    its output, or, once it waits, what to await for the rest of it, in the caller's task.
    """
    context = contextvars.copy_context()
    try:
        waiting = context.run(coroutine.send, None)
    except StopIteration as finished:
        return finished.value  # type: ignore[no-any-return]
    return resume(coroutine, context, waiting)


async def run_reads_eagerly(
    aexecute: Callable[[Call], Coroutine[Any, Any, str]], reads: Sequence[Call]
) -> list[str]:
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
        started = start_eagerly(aexecute(call))
        if isinstance(started, str):
            outputs.append(started)
            continue
        import asyncio

        loop = asyncio.get_running_loop()
        later = [loop.create_task(aexecute(c)) for c in reads[position + 1 :]]
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


def awaited_in_thread(pending: Awaitable[Any]) -> Any:
    """What pending gives, awaited to its end in one of _THREADS, in an event loop of its
    own: a sync run's way to an async policy's answer."""
    return _THREADS.submit(_in_copy(settle, pending)).result()
