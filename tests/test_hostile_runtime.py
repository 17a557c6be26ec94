"""The Dispatcher against handlers and policies that misbehave (issue 19).

A policy allows a call only by returning exactly True (an async one is awaited); whatever a
handler raises is its call's output, recorded, except KeyboardInterrupt and SystemExit, which
go on once the record notes the call; a call with a time limit answers `timeout` at its deadline
whatever its handler does, and what still runs holds up neither later calls nor the exit; only
that deadline is `timeout`; every handler sees the caller's context variables, in a copy.

Uses the desk package and handlers of test_dispatch."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from test_dispatch import _desk, _limit, call, error, package  # noqa: F401 - package is a fixture

Runner = Callable[[Any, Sequence[dict[str, Any]]], list[dict[str, Any]]]

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="unset")


def _sync(dispatcher: Any, calls: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = dispatcher.run_responses(list(calls))
    return items


def _async(dispatcher: Any, calls: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The async run, given up after 5 s: a turn that hangs fails instead."""
    items: list[dict[str, Any]] = asyncio.run(asyncio.wait_for(dispatcher.arun_responses(list(calls)), 5))
    return items


def _async_bare(dispatcher: Any, calls: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The async run in asyncio.run's own task, for a KeyboardInterrupt: asyncio.run retrieves
    it from its task, where wait_for's task would keep it and log it when collected (which,
    under Python 3.11.7, broke pytest's next ast.parse: "AST constructor recursion depth
    mismatch")."""
    items: list[dict[str, Any]] = asyncio.run(dispatcher.arun_responses(list(calls)))
    return items


RUNNERS = pytest.mark.parametrize("run", [_sync, _async], ids=["sync", "async"])


def _codes(items: list[dict[str, Any]]) -> list[str]:
    return [error(item["output"])["code"] for item in items]


def _comment(text: str = "x", call_id: str = "same") -> dict[str, Any]:
    return call(call_id, "comment", {"ticket": 1, "text": text})


def _lookup(ticket: int) -> dict[str, Any]:
    return call(f"l{ticket}", "lookup", {"ticket": ticket, "verbose": None})


def _slow_lookup(ticket: int) -> dict[str, Any]:
    return call(f"s{ticket}", "slow-lookup", {"ticket": ticket})


class Escape(BaseException):
    """Not an Exception: what a careless library may raise."""


# --- 1. authorize and confirm -------------------------------------------------------------------


def _policy(decision: Any, *, is_async: bool) -> Callable[[Any], Any]:
    def policy(context: Any) -> Any:
        return decision

    async def async_policy(context: Any) -> Any:
        await asyncio.sleep(0)
        return decision

    return async_policy if is_async else policy


POLICY_KINDS = pytest.mark.parametrize("is_async", [False, True], ids=["def", "async-def"])


@RUNNERS
@POLICY_KINDS
@pytest.mark.parametrize("decision", [False, None, "deny", "False", [False], 1], ids=repr)
def test_a_policy_allows_a_call_only_by_returning_exactly_true(
    package: ModuleType,  # noqa: F811
    run: Runner,
    is_async: bool,
    decision: Any,
) -> None:
    desk = _desk(package)
    policy = _policy(decision, is_async=is_async)
    purge = call("p", "purge", {"ticket": 1})
    assert _codes(run(package.Dispatcher(desk, authorize=policy), [purge, _comment()])) == ["not_authorized"] * 2
    assert _codes(run(package.Dispatcher(desk, confirm=policy), [purge])) == ["needs_confirmation"]
    assert desk.ran == []
    allowing = _policy(True, is_async=is_async)
    items = run(package.Dispatcher(desk, authorize=allowing, confirm=allowing), [purge])
    assert items[0]["output"] == "purged" and desk.ran == [("purge", 1)]


@RUNNERS
@POLICY_KINDS
@pytest.mark.parametrize("raised", ["ValueError", "TimeoutError", "ToolError"])
def test_a_policy_that_raises_refuses_with_internal_error_logged(
    package: ModuleType,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    run: Runner,
    is_async: bool,
    raised: str,
) -> None:
    """Neither a policy's TimeoutError nor its ToolError is the call's: the policy failed."""
    kind = {"ValueError": ValueError, "TimeoutError": TimeoutError, "ToolError": package.ToolError}[raised]
    desk = _desk(package)

    def failing(context: Any) -> bool:
        raise kind("the policy service is down")

    async def async_failing(context: Any) -> bool:
        return failing(context)

    dispatcher = package.Dispatcher(desk, confirm=async_failing if is_async else failing)
    with caplog.at_level(logging.INFO):
        items = run(dispatcher, [call("p", "purge", {"ticket": 1})])
    assert _codes(items) == ["internal_error"] and desk.ran == []
    assert [(r.levelno, r.exc_info[0] if r.exc_info else None) for r in caplog.records] == [(logging.ERROR, kind)]


def test_an_async_confirm_is_awaited_in_the_callers_event_loop(package: ModuleType) -> None:  # noqa: F811
    """confirm may wait for a person: the call waits for the answer, the loop does not."""
    desk = _desk(package)

    async def main() -> list[dict[str, Any]]:
        asked, answered = asyncio.Event(), asyncio.Event()

        async def confirm(context: Any) -> bool:
            asked.set()
            await answered.wait()
            return True

        dispatcher = package.Dispatcher(desk, confirm=confirm)
        turn = asyncio.ensure_future(dispatcher.arun_responses([call("p", "purge", {"ticket": 1})]))
        await asyncio.wait_for(asked.wait(), 5)
        assert desk.ran == [], "purge ran before the answer"
        answered.set()
        items: list[dict[str, Any]] = await asyncio.wait_for(turn, 5)
        return items

    assert asyncio.run(main())[0]["output"] == "purged" and desk.ran == [("purge", 1)]


# --- 2 and 4. what a handler raises -------------------------------------------------------------

LIMITS = pytest.mark.parametrize("limit", [None, 1.0], ids=["no-limit", "limit"])


@RUNNERS
@LIMITS
def test_a_sync_handler_raising_stop_iteration_gives_internal_error(
    package: ModuleType,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    run: Runner,
    limit: float | None,
) -> None:
    """An asyncio future cannot carry StopIteration: the async run used to wait for ever."""
    if limit is not None:
        _limit(package, monkeypatch, ("lookup",), limit)

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def lookup(self, args: Any) -> str:
            if args.ticket == 1:
                raise StopIteration
            return "found"

    items = run(package.Dispatcher(Desk()), [_lookup(1), _lookup(2)])
    assert error(items[0]["output"])["code"] == "internal_error" and items[1]["output"] == "found"


ESCAPES = pytest.mark.parametrize(
    "raised", [Escape, GeneratorExit, asyncio.CancelledError], ids=["BaseException", "GeneratorExit", "CancelledError"]
)


@RUNNERS
@LIMITS
@ESCAPES
def test_what_a_sync_handler_raises_beyond_exception_is_its_calls_output_recorded(
    package: ModuleType,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    run: Runner,
    limit: float | None,
    raised: type[BaseException],
) -> None:
    """The side effect happened: a retry answers the recorded output and does not run it again."""
    if limit is not None:
        _limit(package, monkeypatch, ("comment",), limit)

    desk = _raising_desk(package, raised)
    dispatcher = package.Dispatcher(desk, wait_for_running=0.05)
    first = run(dispatcher, [_comment(), _comment("next", "other")])
    assert _codes(first) == ["internal_error"] * 2
    assert run(dispatcher, [_comment()]) == first[:1]
    assert desk.ran == [("comment", "x"), ("comment", "next")]


def _raising_desk(package: ModuleType, raised: type[BaseException]) -> Any:  # noqa: F811
    """A desk whose comment raises raised after its side effect (noted in desk.ran)."""

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def comment(self, args: Any) -> None:
            self._ran("comment", args.text)
            raise raised

    return Desk()


@RUNNERS
def test_what_an_async_handler_raises_beyond_exception_is_its_calls_output_recorded(
    package: ModuleType,  # noqa: F811
    run: Runner,
) -> None:
    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def comment(self, args: Any) -> None:
            self._ran("comment", args.text)
            await asyncio.sleep(0)
            raise Escape

    desk = Desk()
    dispatcher = package.Dispatcher(desk, wait_for_running=0.05)
    first = run(dispatcher, [_comment()])
    assert _codes(first) == ["internal_error"]
    assert run(dispatcher, [_comment()]) == first and desk.ran == [("comment", "x")]


@pytest.mark.parametrize("run", [_sync, _async_bare], ids=["sync", "async"])
@pytest.mark.parametrize("raised", [KeyboardInterrupt, SystemExit])
def test_keyboard_interrupt_and_system_exit_go_on_once_the_record_notes_the_call(
    package: ModuleType,  # noqa: F811
    run: Runner,
    raised: type[BaseException],
) -> None:
    desk = _raising_desk(package, raised)
    dispatcher = package.Dispatcher(desk, wait_for_running=0.05)
    with pytest.raises(raised):
        run(dispatcher, [_comment()])
    assert _codes(run(dispatcher, [_comment()])) == ["internal_error"], "the retry did not see the failure"
    assert desk.ran == [("comment", "x")]


@RUNNERS
def test_a_tool_error_whose_message_cannot_be_read_gives_internal_error(
    package: ModuleType,  # noqa: F811
    run: Runner,
) -> None:
    class Unreadable(package.ToolError):  # type: ignore[misc, name-defined]
        def __str__(self) -> str:
            raise ValueError("no message")

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def comment(self, args: Any) -> None:
            self._ran("comment", args.text)
            raise Unreadable

    desk = Desk()
    dispatcher = package.Dispatcher(desk)
    first = run(dispatcher, [_comment()])
    assert _codes(first) == ["internal_error"]
    assert run(dispatcher, [_comment()]) == first and desk.ran == [("comment", "x")]


@RUNNERS
@pytest.mark.parametrize("raised", [OSError, Escape])
def test_a_record_that_fails_gives_internal_error(
    package: ModuleType,  # noqa: F811
    run: Runner,
    raised: type[BaseException],
) -> None:
    class Failing(package.MemoryCallRecord):  # type: ignore[misc, name-defined]
        def put(self, key: str, output: str) -> None:
            raise raised("the store is down")

    desk = _desk(package)
    items = run(package.Dispatcher(desk, record=Failing()), [_comment(), _comment("fail", "other")])
    assert _codes(items) == ["internal_error"] * 2
    assert desk.ran == [("comment", "x"), ("comment", "fail")]


# --- 8. only the dispatcher's deadline is `timeout` ---------------------------------------------


@RUNNERS
@pytest.mark.parametrize("tool", ["lookup", "slow-lookup"], ids=["def", "async-def"])
def test_a_handlers_own_timeout_error_is_not_timeout(
    package: ModuleType,  # noqa: F811
    run: Runner,
    tool: str,
) -> None:
    """The handler's TimeoutError (an HTTP client's, say) is a failure of the handler, not its
    running out of time: the model must not be told that it did not finish in time."""

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def lookup(self, args: Any) -> str:
            raise TimeoutError("the upstream service did not answer")

        async def slow_lookup(self, args: Any) -> str:
            async with asyncio.timeout(0):
                await asyncio.sleep(1)
            return "never"

    items = run(package.Dispatcher(Desk()), [_lookup(1) if tool == "lookup" else _slow_lookup(1)])
    assert _codes(items) == ["internal_error"]


# --- 3. timeouts --------------------------------------------------------------------------------


@RUNNERS
def test_an_async_handler_that_swallows_its_cancellation_times_out_at_its_deadline(
    package: ModuleType,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    run: Runner,
) -> None:
    _limit(package, monkeypatch, ("slow-lookup",), 0.05)

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            try:
                await asyncio.sleep(2)
            except asyncio.CancelledError:
                pass
            await asyncio.sleep(2)
            return "late"

    started = time.monotonic()
    items = run(package.Dispatcher(Desk()), [_slow_lookup(1)])
    assert _codes(items) == ["timeout"]
    assert time.monotonic() - started < 1.5, "the call waited for its handler"


@RUNNERS
def test_timed_out_sync_handlers_hold_up_neither_the_run_nor_later_calls(
    package: ModuleType,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    run: Runner,
) -> None:
    """Eight handlers go on after their deadline, more than the default executor's threads
    here; asyncio.run returns all the same, and a call after them does not wait for a thread."""
    _limit(package, monkeypatch, ("lookup",), 0.05)
    release = threading.Event()

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def lookup(self, args: Any) -> str:
            if args.ticket <= 8:
                release.wait(3)
            return f"ticket {args.ticket}"

    dispatcher = package.Dispatcher(Desk())
    try:
        started = time.monotonic()
        assert _codes(run(dispatcher, [_lookup(ticket) for ticket in range(1, 9)])) == ["timeout"] * 8
        assert run(dispatcher, [_lookup(9)])[0]["output"] == "ticket 9"
        assert time.monotonic() - started < 2, "waited for the handlers that timed out"
    finally:
        release.set()


EXITS = """
import asyncio, dataclasses, importlib, sys, threading
sys.path.insert(0, sys.argv[1])
package = importlib.import_module(sys.argv[2])
handlers = importlib.import_module(sys.argv[2] + ".desk").DeskHandlers
handlers.TOOLS = tuple(dataclasses.replace(b, timeout=0.05) for b in handlers.TOOLS)

class Desk(handlers):
    def lookup(self, args):
        threading.Event().wait()  # for ever

    async def slow_lookup(self, args):
        await asyncio.sleep(0)

    comment = purge = note = lookup

dispatcher = package.Dispatcher(Desk())
calls = [{"type": "function_call", "call_id": "a", "name": "lookup", "arguments": '{"ticket": 1}'}]
print(dispatcher.run_responses(calls)[0]["output"])
print(asyncio.run(dispatcher.arun_responses(calls))[0]["output"])
"""


def test_a_handler_that_never_ends_after_its_deadline_does_not_hold_up_the_exit(package: ModuleType) -> None:  # noqa: F811
    root = Path(package.__file__).parent.parent
    done = subprocess.run(
        [sys.executable, "-c", EXITS, str(root), package.__name__], capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 0, done.stderr
    assert [error(line)["code"] for line in done.stdout.splitlines()] == ["timeout", "timeout"]


# --- 9. context variables -----------------------------------------------------------------------


@RUNNERS
@LIMITS
def test_every_handler_runs_in_a_copy_of_the_callers_context(
    package: ModuleType,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    run: Runner,
    limit: float | None,
) -> None:
    """Writes one after another in the caller's thread, sync reads in the pool's threads, async
    reads and calls in the caller's task or their own: each sees the caller's request id, and
    none what another handler set."""
    if limit is not None:
        _limit(package, monkeypatch, ("lookup", "slow-lookup", "comment"), limit)
    together = threading.Barrier(3, timeout=5)  # the three sync reads are in three threads at once

    def seen(name: str) -> str:
        value = request_id.get()
        request_id.set(f"set by {name}")
        return value

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def comment(self, args: Any) -> str:
            return seen(args.text)

        def lookup(self, args: Any) -> str:
            together.wait()
            return seen(f"lookup {args.ticket}")

        async def slow_lookup(self, args: Any) -> str:
            await asyncio.sleep(0.01)
            return seen(f"slow lookup {args.ticket}")

    calls = [
        _comment("a", "c1"),
        _comment("b", "c2"),
        *[_lookup(ticket) for ticket in range(1, 4)],
        *[_slow_lookup(ticket) for ticket in range(1, 3)],
        _comment("c", "c3"),
    ]
    dispatcher = package.Dispatcher(Desk())
    token = request_id.set("request 7")
    try:
        outputs = [item["output"] for item in run(dispatcher, calls)]
        assert request_id.get() == "request 7"
    finally:
        request_id.reset(token)
    assert outputs == ["request 7"] * len(calls)


@pytest.mark.parametrize("returns_a_coroutine", [False, True], ids=["result", "coroutine"])
@pytest.mark.parametrize("waits_first", [False, True], ids=["at-once", "waits-first"])
def test_a_lone_async_read_that_waits_sees_the_callers_context_and_its_own_call(
    package: ModuleType,  # noqa: F811
    returns_a_coroutine: bool,
    waits_first: bool,
) -> None:
    """A lone call of an `async def` with no policy or record to pass starts in place, with no
    coroutine of its own (Dispatcher._astart): after its handler waits, and in a coroutine its
    handler returns, it still sees the caller's variables and its own call, and what it sets
    stays its own."""

    async def answer() -> str:
        await asyncio.sleep(0)
        before = request_id.get()
        request_id.set("set by the handler")
        return f"{before}, {package.CallContext.current().call_id}, {request_id.get()}"

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> Any:
            if waits_first:
                await asyncio.sleep(0)
            return answer() if returns_a_coroutine else await answer()

    dispatcher = package.Dispatcher(Desk())

    async def main() -> list[dict[str, Any]]:
        request_id.set("request 7")
        items: list[dict[str, Any]] = await dispatcher.arun_responses([_slow_lookup(1)])
        assert request_id.get() == "request 7"
        return items

    assert [item["output"] for item in asyncio.run(main())] == ["request 7, s1, set by the handler"]


def test_a_lone_async_read_cancelled_while_it_waits_is_cancelled_and_one_that_raises_cancelled_error_is_not(
    package: ModuleType,  # noqa: F811
) -> None:
    """The caller's cancellation reaches a handler started in place (see above) and goes on to
    the caller; a CancelledError the handler raises of its own accord is its output."""
    cancelled: list[int] = []
    waiting: list[asyncio.Event] = []

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            await asyncio.sleep(0)
            if args.ticket == 2:
                raise asyncio.CancelledError
            waiting[0].set()
            try:
                await asyncio.Event().wait()  # until cancelled
            except asyncio.CancelledError:
                cancelled.append(args.ticket)
                raise
            return "never"

    dispatcher = package.Dispatcher(Desk())

    async def main() -> None:
        waiting.append(asyncio.Event())
        turn = asyncio.ensure_future(dispatcher.arun_responses([_slow_lookup(1)]))
        await asyncio.wait_for(waiting[0].wait(), 5)
        turn.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(turn, 5)
        [item] = await dispatcher.arun_responses([_slow_lookup(2)])
        assert error(item["output"])["code"] == "internal_error"

    asyncio.run(main())
    assert cancelled == [1]


# --- cancelling and closing an async turn -------------------------------------------------------


@pytest.mark.parametrize("waiting", [(1, 2, 3), (3,)], ids=["first-waits", "last-waits"])
def test_a_cancelled_turn_ends_once_every_read_under_way_has_ended(
    package: ModuleType,  # noqa: F811
    waiting: tuple[int, ...],
) -> None:
    """The reads started beside the one in the caller's task are awaited after their
    cancellation, however long their cleaning up takes."""
    under_way: list[int] = []
    ended: list[int] = []

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            if args.ticket not in waiting:
                return "quick"
            try:
                under_way.append(args.ticket)
                await asyncio.Event().wait()  # until cancelled
            finally:
                await asyncio.sleep(0.01)
                ended.append(args.ticket)
            return "never"

    dispatcher = package.Dispatcher(Desk())

    async def main() -> None:
        turn = asyncio.ensure_future(dispatcher.arun_responses([_slow_lookup(ticket) for ticket in (1, 2, 3)]))
        while len(under_way) < len(waiting):
            await asyncio.sleep(0.001)
        turn.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(turn, 5)
        assert sorted(ended) == list(waiting)

    asyncio.run(main())


@pytest.mark.parametrize("waiting", [(1, 2), (2,)], ids=["first-waits", "last-waits"])
def test_closing_an_abandoned_turn_closes_its_calls(package: ModuleType, waiting: tuple[int, ...]) -> None:  # noqa: F811
    """A turn dropped while a read waits (its coroutine closed, as the garbage collector does)
    closes the read in the caller's task, cancels the others, and ends quietly."""
    closed: list[int] = []

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            if args.ticket not in waiting:
                return "quick"
            try:
                await asyncio.sleep(10)
            except GeneratorExit:
                closed.append(args.ticket)
                raise
            return "never"

    dispatcher = package.Dispatcher(Desk())

    async def main() -> None:
        turn = dispatcher.arun_responses([_slow_lookup(1), _slow_lookup(2)])
        turn.send(None)  # until the first read waits
        turn.close()
        assert closed == [waiting[0]]

    asyncio.run(main())
