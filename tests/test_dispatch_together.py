"""Read calls of one turn run together, at little cost when they take no time (issue 9).

Async: each read starts in the caller's task and costs no task unless it waits; the first that
waits goes on in the caller's task and every later read gets a task of its own, so calls that
wait still run at the same time, each from start to end in one task (a handler's own
asyncio.timeout works), in a copy of the caller's context. Sync: the caller's thread runs reads
too, while the pool's threads take any a blocked thread leaves.

Uses the desk package and handlers of test_dispatch."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Coroutine, Generator
from types import ModuleType
from typing import Any

import pytest

from test_dispatch import _desk, _limit, call, error, package  # noqa: F401 - package is a fixture

seen: contextvars.ContextVar[str] = contextvars.ContextVar("seen", default="")


def _reads(count: int) -> list[dict[str, Any]]:
    return [call(f"r{ticket}", "slow-lookup", {"ticket": ticket}) for ticket in range(1, count + 1)]


def _outputs(items: list[dict[str, Any]]) -> list[str]:
    return [item["output"] for item in items]


def _counting_tasks(loop: asyncio.AbstractEventLoop) -> list[Coroutine[Any, Any, Any] | Generator[Any, None, Any]]:
    """Every task made in loop from now on, by its coroutine."""
    made: list[Coroutine[Any, Any, Any] | Generator[Any, None, Any]] = []

    def factory(
        loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any] | Generator[Any, None, Any], **kwargs: Any
    ) -> asyncio.Future[Any]:
        made.append(coro)
        return asyncio.Task(coro, loop=loop, **kwargs)

    loop.set_task_factory(factory)  # type: ignore[arg-type]
    return made


def test_reads_that_do_not_wait_cost_no_task(package: ModuleType) -> None:  # noqa: F811
    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            return f"ticket {args.ticket}"

    dispatcher = package.Dispatcher(Desk())

    async def main() -> list[dict[str, Any]]:
        made = _counting_tasks(asyncio.get_running_loop())
        items: list[dict[str, Any]] = await dispatcher.arun_responses(_reads(10))
        assert made == [], "a read that never waited was given a task"
        return items

    assert _outputs(asyncio.run(main())) == [f"ticket {ticket}" for ticket in range(1, 11)]


def test_reads_that_wait_still_run_together(package: ModuleType) -> None:  # noqa: F811
    """Each of the first two waits for the other: both must be under way at once. The others
    finish at once, and every output keeps its call's place."""
    events: dict[int, asyncio.Event] = {}

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            if args.ticket in (1, 2):
                events[args.ticket].set()
                await events[3 - args.ticket].wait()
            return f"ticket {args.ticket}"

    dispatcher = package.Dispatcher(Desk())

    async def main() -> list[dict[str, Any]]:
        events.update({1: asyncio.Event(), 2: asyncio.Event()})
        made = _counting_tasks(asyncio.get_running_loop())
        items: list[dict[str, Any]] = await dispatcher.arun_responses(_reads(4))
        assert len(made) == 3  # one for each read after the first that waited
        return items

    assert _outputs(asyncio.run(main())) == [f"ticket {ticket}" for ticket in range(1, 5)]


def test_each_read_runs_in_one_task_with_its_own_context(package: ModuleType) -> None:  # noqa: F811
    """A read that waits ends in the task it started in, and no read sees what another set."""
    tasks: dict[int, set[asyncio.Task[Any] | None]] = {}

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            before = seen.get()
            seen.set(f"set by {args.ticket}")
            tasks[args.ticket] = {asyncio.current_task()}
            if args.ticket % 2:
                await asyncio.sleep(0.01)
                await asyncio.sleep(0)
            tasks[args.ticket].add(asyncio.current_task())
            return f"{before!r} then {seen.get()!r}"

    dispatcher = package.Dispatcher(Desk())

    async def main() -> tuple[list[dict[str, Any]], asyncio.Task[Any] | None]:
        seen.set("the caller's")
        items: list[dict[str, Any]] = await dispatcher.arun_responses(_reads(4))
        assert seen.get() == "the caller's"
        return items, asyncio.current_task()

    items, caller = asyncio.run(main())
    assert _outputs(items) == [f"\"the caller's\" then 'set by {ticket}'" for ticket in range(1, 5)]
    assert all(len(ran_in) == 1 for ran_in in tasks.values())
    assert tasks[1] == {caller} and caller not in tasks[2] | tasks[3] | tasks[4]


def test_a_handlers_own_timeout_ends_its_call_not_the_turn(package: ModuleType) -> None:  # noqa: F811
    """asyncio.timeout works on the task current when it is entered: the call's own."""

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            if args.ticket == 3:
                return "quick"
            async with asyncio.timeout(0.05):
                await asyncio.sleep(10)
            return "never"

    dispatcher = package.Dispatcher(Desk())
    items = asyncio.run(asyncio.wait_for(dispatcher.arun_responses(_reads(3)), 5))
    # The handler's own TimeoutError: only the dispatcher's deadline is `timeout`.
    assert [error(item["output"])["code"] for item in items[:2]] == ["internal_error", "internal_error"]
    assert items[2]["output"] == "quick"


def test_a_time_limit_holds_for_reads_started_eagerly(
    package: ModuleType,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _limit(package, monkeypatch, ("slow-lookup",), 0.05)

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            if args.ticket % 2:
                await asyncio.sleep(10)
            return "quick"

    dispatcher = package.Dispatcher(Desk())
    items = asyncio.run(asyncio.wait_for(dispatcher.arun_responses(_reads(4)), 5))
    assert [item["output"][:1] for item in items] == ["{", "q", "{", "q"]
    assert [error(items[index]["output"])["code"] for index in (0, 2)] == ["timeout", "timeout"]


def test_cancelling_the_turn_cancels_every_read_under_way(package: ModuleType) -> None:  # noqa: F811
    """The first read waits in the caller's task, the second in a task of its own: both are
    cancelled and finished when the caller sees the cancellation."""
    cancelled: list[int] = []
    waiting: list[int] = []

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            try:
                waiting.append(args.ticket)
                await asyncio.Event().wait()  # until cancelled
            except asyncio.CancelledError:
                cancelled.append(args.ticket)
                raise
            return "never"

    dispatcher = package.Dispatcher(Desk())

    async def main() -> None:
        turn = asyncio.create_task(dispatcher.arun_responses(_reads(2)))
        while len(waiting) < 2:
            await asyncio.sleep(0.001)
        turn.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(turn, 5)
        assert sorted(cancelled) == [1, 2]
        assert [task for task in asyncio.all_tasks() if task is not asyncio.current_task()] == []

    asyncio.run(main())


def test_a_handlers_own_cancelled_error_is_an_output_before_or_after_it_waits(
    package: ModuleType,  # noqa: F811
) -> None:
    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            if args.ticket in (2, 3):
                await asyncio.sleep(0)
            if args.ticket in (1, 2, 3):
                raise asyncio.CancelledError
            return "ok"

    dispatcher = package.Dispatcher(Desk())
    items = asyncio.run(asyncio.wait_for(dispatcher.arun_responses(_reads(4)), 5))
    assert [error(item["output"])["code"] for item in items[:3]] == ["internal_error"] * 3
    assert items[3]["output"] == "ok"


def test_a_non_idempotent_read_runs_at_most_once_whether_it_waits_or_not(
    package: ModuleType,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handlers = __import__(f"{package.__name__}.desk", fromlist=["DeskHandlers"]).DeskHandlers
    tools = tuple(
        type(binding)(**{**vars(binding), "idempotent": False}) if binding.name == "slow-lookup" else binding
        for binding in handlers.TOOLS
    )
    monkeypatch.setattr(handlers, "TOOLS", tools)
    ran: list[int] = []

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            ran.append(args.ticket)
            if args.ticket % 2:
                await asyncio.sleep(0.01)
            return f"ticket {args.ticket} run {len(ran)}"

    dispatcher = package.Dispatcher(Desk())
    first = asyncio.run(dispatcher.arun_responses(_reads(4)))
    assert asyncio.run(dispatcher.arun_responses(_reads(4))) == first
    assert sorted(ran) == [1, 2, 3, 4]


# --- sync ----------------------------------------------------------------------------------------


def _lookups(count: int) -> list[dict[str, Any]]:
    return [call(f"l{ticket}", "lookup", {"ticket": ticket, "verbose": None}) for ticket in range(1, count + 1)]


def test_sync_reads_that_take_no_time_run_in_the_callers_thread(package: ModuleType) -> None:  # noqa: F811
    threads: list[threading.Thread] = []

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def lookup(self, args: Any) -> str:
            threads.append(threading.current_thread())
            return f"ticket {args.ticket}"

    items = package.Dispatcher(Desk()).run_responses(_lookups(10))
    assert _outputs(items) == [f"ticket {ticket}" for ticket in range(1, 11)]
    assert threads.count(threading.current_thread()) >= 5  # the pool's threads may take a few


def test_sync_reads_that_block_still_run_together(package: ModuleType) -> None:  # noqa: F811
    """Each of four blocks until all four are under way, each in a thread of its own."""
    barrier = threading.Barrier(4, timeout=5)
    threads: dict[int, str] = {}

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def lookup(self, args: Any) -> str:
            threads[args.ticket] = threading.current_thread().name
            barrier.wait()
            return f"ticket {args.ticket}"

    items = package.Dispatcher(Desk()).run_responses(_lookups(4))
    assert _outputs(items) == [f"ticket {ticket}" for ticket in range(1, 5)]
    assert len(set(threads.values())) == 4


def test_sync_reads_keep_to_the_pools_size(package: ModuleType) -> None:  # noqa: F811
    """With one thread in the pool, two reads run at once at the most: its and the caller's."""
    lock = threading.Lock()
    running = [0, 0]  # now, at the most

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def lookup(self, args: Any) -> str:
            with lock:
                running[0] += 1
                running[1] = max(running)
            threading.Event().wait(0.02)
            with lock:
                running[0] -= 1
            return f"ticket {args.ticket}"

    items = package.Dispatcher(Desk(), max_workers=1).run_responses(_lookups(5))
    assert _outputs(items) == [f"ticket {ticket}" for ticket in range(1, 6)]
    assert running[1] == 2


def test_what_escapes_a_handler_in_the_pool_reaches_the_caller(package: ModuleType) -> None:  # noqa: F811
    """As with ThreadPoolExecutor.map: an exception that is not an output is raised here."""
    escaped = threading.Event()

    class Desk(type(_desk(package))):  # type: ignore[misc]
        def lookup(self, args: Any) -> str:
            if args.ticket == 1:  # the caller's: wait until the pool's thread has raised
                escaped.wait(5)
                return "first"
            escaped.set()
            raise SystemExit("stop")

    with pytest.raises(SystemExit, match="stop"):
        package.Dispatcher(Desk()).run_responses(_lookups(2))
