"""The dispatcher's promises beyond routing: a non-idempotent call id runs at most once whatever
its outcome, one log record per call (an internal error's included), a lone async call awaited
in the caller's task, and a call of the wrong kind of tool told so.

Uses the desk package and handlers of test_dispatch."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import threading
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import pytest

from test_dispatch import _desk, _limit, call, error, package  # noqa: F401 - package is a fixture

Runner = Callable[[Any, Sequence[dict[str, Any]]], list[dict[str, Any]]]


def _sync(dispatcher: Any, calls: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = dispatcher.run_responses(list(calls))
    return items


def _async(dispatcher: Any, calls: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = asyncio.run(dispatcher.arun_responses(list(calls)))
    return items


RUNNERS = pytest.mark.parametrize("run", [_sync, _async], ids=["sync", "async"])


@RUNNERS
@pytest.mark.parametrize(("text", "code"), [("fail", "tool_error"), ("crash", "internal_error")])
def test_a_non_idempotent_call_that_failed_is_not_run_again(
    package: ModuleType,  # noqa: F811
    run: Runner,
    text: str,
    code: str,
) -> None:
    desk = _desk(package)
    dispatcher = package.Dispatcher(desk)
    calls = [call("same", "comment", {"ticket": 1, "text": text})]
    first = run(dispatcher, calls)
    assert error(first[0]["output"])["code"] == code
    assert run(dispatcher, calls) == first
    assert _sync(dispatcher, calls) == _async(dispatcher, calls) == first
    assert desk.ran == [("comment", text)]


@RUNNERS
def test_a_non_idempotent_call_that_timed_out_is_not_run_again(
    package: ModuleType,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    run: Runner,
) -> None:
    """The handler goes on in its thread after the time limit: a retry must not start another."""
    _limit(package, monkeypatch, ("comment",), 0.05)
    desk = _desk(package)
    dispatcher = package.Dispatcher(desk)
    calls = [call("slow", "comment", {"ticket": 1, "text": "slow"})]
    first = run(dispatcher, calls)
    assert error(first[0]["output"])["code"] == "timeout"
    assert run(dispatcher, calls) == first
    assert desk.ran == [("comment", "slow")]


def test_a_call_refused_before_its_handler_ran_is_not_recorded(package: ModuleType) -> None:  # noqa: F811
    desk = _desk(package)
    record = package.MemoryCallRecord()
    valid = call("same", "comment", {"ticket": 1, "text": "x"})
    invalid = call("same", "comment", {"ticket": "one", "text": "x"})
    assert error(package.Dispatcher(desk, record=record).run_responses([invalid])[0]["output"])["code"] == (
        "invalid_arguments"
    )
    refusing = package.Dispatcher(desk, record=record, authorize=lambda context: False)
    assert error(refusing.run_responses([valid])[0]["output"])["code"] == "not_authorized"
    key = json.dumps(["desk", "comment", "same"])
    assert desk.ran == [] and record.claim(key, "digest") is None, "a refused call claims nothing"
    unclaimed = package.MemoryCallRecord()
    assert package.Dispatcher(desk, record=unclaimed).run_responses([valid])[0]["output"] == "null"
    assert desk.ran == [("comment", "x")] and unclaimed.output(key) == "null"


def test_a_record_that_fails_to_keep_an_output_gives_internal_error(
    package: ModuleType,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken:
        def claim(self, key: str, digest: str) -> str | None:
            return None

        def output(self, key: str) -> str | None:
            return None

        def put(self, key: str, output: str) -> None:
            raise OSError("database is down")

    dispatcher = package.Dispatcher(_desk(package), record=Broken())
    with caplog.at_level(logging.INFO):
        items = dispatcher.run_responses([call("a", "comment", {"ticket": 1, "text": "fail"})])
    assert error(items[0]["output"])["code"] == "internal_error"
    assert [(r.levelno, r.exc_info[0] if r.exc_info else None) for r in caplog.records] == [(logging.ERROR, OSError)]


@RUNNERS
def test_one_log_record_per_call_an_internal_error_at_level_error(
    package: ModuleType,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    run: Runner,
) -> None:
    dispatcher = package.Dispatcher(_desk(package))
    calls = [
        call("a", "lookup", {"ticket": 1, "verbose": None}),
        {"type": "custom_tool_call", "call_id": "b", "name": "note", "input": "fail"},
        {"type": "custom_tool_call", "call_id": "c", "name": "note", "input": "crash"},
        call("d", "nope", {}),
    ]
    with caplog.at_level(logging.INFO):
        items = run(dispatcher, calls)
    records = [r for r in caplog.records if r.name == f"{package.__name__}.calls"]
    assert len(caplog.records) == len(records) == 4
    assert sorted(getattr(r, "call_id", None) for r in records) == ["a", "b", "c", "d"]
    by_id = {r.call_id: r for r in records}  # type: ignore[attr-defined]
    assert [by_id[i].outcome for i in "abcd"] == ["ok", "tool_error", "internal_error", "unknown_tool"]  # type: ignore[attr-defined]
    crash = by_id["c"]
    error_id = error(items[2]["output"])["message"].rsplit(" ", 1)[-1]
    assert crash.levelno == logging.ERROR and crash.exc_info is not None and crash.exc_info[0] is ZeroDivisionError
    assert crash.error_id == error_id and error_id in crash.getMessage()  # type: ignore[attr-defined]
    assert (crash.toolset, crash.tool) == ("desk", "note")  # type: ignore[attr-defined]
    assert isinstance(crash.duration_ms, float)  # type: ignore[attr-defined]
    for other in "abd":
        assert by_id[other].levelno == logging.INFO and by_id[other].exc_info is None
        assert not hasattr(by_id[other], "error_id")
    caplog.clear()
    again = [{**c, "call_id": c["call_id"] * 2} for c in calls]  # note is not idempotent: new ids
    with caplog.at_level(logging.WARNING):
        run(dispatcher, again)
    assert [(r.levelno, getattr(r, "call_id", None)) for r in caplog.records] == [(logging.ERROR, "cc")]


def test_a_lone_async_call_is_awaited_in_the_callers_task(package: ModuleType) -> None:  # noqa: F811
    """No task of its own for one call (the cost of gather); several reads still run together:
    the first, which waits, goes on in the caller's task, and each later one gets a task."""
    tasks: list[asyncio.Task[Any] | None] = []

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            tasks.append(asyncio.current_task())
            await asyncio.sleep(0.2)
            return "found"

    dispatcher = package.Dispatcher(Desk())

    async def turn(calls: list[dict[str, Any]]) -> asyncio.Task[Any] | None:
        await dispatcher.arun_responses(calls)
        return asyncio.current_task()

    caller = asyncio.run(turn([call("r1", "slow-lookup", {"ticket": 1})]))
    assert tasks == [caller]
    tasks.clear()
    loop = asyncio.new_event_loop()
    try:
        started = loop.time()
        caller = loop.run_until_complete(turn([call(f"r{i}", "slow-lookup", {"ticket": i}) for i in range(1, 4)]))
        assert loop.time() - started < 0.5, "the three 0.2 s reads ran one after another"
    finally:
        loop.close()
    assert len(set(tasks)) == 3 and tasks[0] is caller


def test_cancelling_a_turn_of_one_call_cancels_it(package: ModuleType) -> None:  # noqa: F811
    """The lone call runs in the caller's task, so the caller's cancellation reaches it as such."""
    started = asyncio.Event()

    class Desk(type(_desk(package))):  # type: ignore[misc]
        async def slow_lookup(self, args: Any) -> str:
            started.set()
            await asyncio.Event().wait()  # until cancelled
            return "never"

    dispatcher = package.Dispatcher(Desk())

    async def main() -> None:
        turn = asyncio.create_task(dispatcher.arun_responses([call("r1", "slow-lookup", {"ticket": 1})]))
        await asyncio.wait_for(started.wait(), 10)
        turn.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(turn, 10)

    asyncio.run(main())


@pytest.mark.parametrize(
    ("called", "said"),
    [
        (
            {"type": "custom_tool_call", "call_id": "a", "name": "lookup", "input": '{"ticket": 1}'},
            "lookup is a function tool, called as a custom tool",
        ),
        (call("a", "note", {"text": "hello"}), "note is a custom tool, called as a function tool"),
    ],
)
def test_a_call_of_the_wrong_kind_of_tool_says_so(
    package: ModuleType,  # noqa: F811
    called: dict[str, Any],
    said: str,
) -> None:
    desk = _desk(package)
    found = error(package.Dispatcher(desk).run_responses([called])[0]["output"])
    assert found["code"] == "unknown_tool"
    assert said in found["message"] and "there is no tool" not in found["message"]
    assert desk.ran == []
    chat = {
        "role": "assistant",
        "tool_calls": [{"id": "t", "type": "custom", "custom": {"name": "lookup", "input": "x"}}],
    }
    content = package.Dispatcher(desk).run_chat_completions(chat)[0]["content"]
    assert "lookup is a function tool, called as a custom tool" in error(content)["message"]


def _gated_desk(package: ModuleType) -> tuple[Any, threading.Event, threading.Event]:  # noqa: F811
    """A desk whose comment blocks until released, saying when it started."""
    desk = _desk(package)
    started, release = threading.Event(), threading.Event()
    plain = desk.comment

    def comment(args: Any) -> None:
        started.set()
        release.wait(5)
        plain(args)

    desk.comment = comment
    return desk, started, release


def test_a_retry_racing_the_first_call_waits_for_its_output_in_threads(package: ModuleType) -> None:  # noqa: F811
    desk, started, release = _gated_desk(package)
    dispatcher = package.Dispatcher(desk)
    same = [call("same", "comment", {"ticket": 1, "text": "x"})]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        first = pool.submit(dispatcher.run_responses, same)
        assert started.wait(5)
        retry = pool.submit(dispatcher.run_responses, same)
        release.set()
        assert first.result(5) == retry.result(5)
    assert desk.ran == [("comment", "x")]


def test_a_retry_racing_the_first_call_waits_for_its_output_in_tasks(package: ModuleType) -> None:  # noqa: F811
    desk, started, release = _gated_desk(package)
    dispatcher = package.Dispatcher(desk)
    same = [call("same", "comment", {"ticket": 1, "text": "x"})]

    async def race() -> tuple[Any, Any]:
        first = asyncio.ensure_future(dispatcher.arun_responses(same))
        await asyncio.to_thread(started.wait, 5)
        retry = asyncio.ensure_future(dispatcher.arun_responses(same))
        await asyncio.sleep(0.01)
        release.set()
        return await first, await retry

    first, retry = asyncio.run(race())
    assert first == retry and desk.ran == [("comment", "x")]


def test_a_retry_waits_up_to_the_tools_timeout_then_answers_timeout(
    package: ModuleType,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = _desk(package)

    class Elsewhere(package.MemoryCallRecord):  # type: ignore[misc, name-defined]
        """Another process claimed every call, with the same arguments, and never ends."""

        def claim(self, key: str, digest: str) -> str | None:
            return digest

    record = Elsewhere()
    dispatcher = package.Dispatcher(desk, record=record, wait_for_running=0.05)
    items = dispatcher.run_responses([call("elsewhere", "comment", {"ticket": 1, "text": "x"})])
    answer = error(items[0]["output"])
    assert answer["code"] == "timeout" and "still running" in answer["message"]
    _limit(package, monkeypatch, ("comment",), 0.05)
    limited = package.Dispatcher(desk, record=record)
    items = asyncio.run(limited.arun_responses([call("elsewhere", "comment", {"ticket": 1, "text": "x"})]))
    assert error(items[0]["output"])["code"] == "timeout"
    assert desk.ran == []


def test_the_record_keys_a_call_by_toolset_tool_and_call_id(package: ModuleType) -> None:  # noqa: F811
    desk = _desk(package)
    dispatcher = package.Dispatcher(desk, confirm=lambda context: True)
    items = dispatcher.run_responses(
        [call("one", "comment", {"ticket": 1, "text": "x"}), call("one", "purge", {"ticket": 1})]
    )
    assert [item["output"] for item in items] == ["null", "purged"]
    assert desk.ran == [("comment", "x"), ("purge", 1)]


def test_a_call_id_reused_with_other_arguments_is_refused(package: ModuleType) -> None:  # noqa: F811
    """In one turn and across turns; the same arguments, however written, are a retry."""
    desk = _desk(package)
    dispatcher = package.Dispatcher(desk)
    first = call("one", "comment", {"ticket": 1, "text": "first"})
    other = call("one", "comment", {"ticket": 1, "text": "second"})
    items = dispatcher.run_responses([first, other])
    assert items[0]["output"] == "null"
    answer = error(items[1]["output"])
    assert answer["code"] == "duplicate_call_id"
    assert "'one'" in answer["message"] and "comment" in answer["message"]
    assert desk.ran == [("comment", "first")], "the second call did not run, nor got the first's output"
    rewritten = {**first, "arguments": '{ "text" : "first",\n "ticket": 1 }'}
    assert dispatcher.run_responses([rewritten])[0]["output"] == "null", "a retry, written otherwise"
    later = asyncio.run(dispatcher.arun_responses([other]))
    assert error(later[0]["output"])["code"] == "duplicate_call_id"
    assert desk.ran == [("comment", "first")]


def test_a_call_cancelled_with_its_turn_is_recorded_and_not_run_again(package: ModuleType) -> None:  # noqa: F811
    desk = _desk(package)
    started = asyncio.Event()

    class Desk(type(desk)):  # type: ignore[misc]
        async def comment(self, args: Any) -> None:
            self._ran("comment", args.text)
            started.set()
            await asyncio.sleep(10)

    cancelled = Desk()
    dispatcher = package.Dispatcher(cancelled)
    same = [call("same", "comment", {"ticket": 1, "text": "x"})]

    async def cancel_then_retry() -> Any:
        turn = asyncio.ensure_future(dispatcher.arun_responses(same))
        await started.wait()
        turn.cancel()
        with pytest.raises(asyncio.CancelledError):
            await turn
        return await dispatcher.arun_responses(same)

    retry = asyncio.run(cancel_then_retry())
    answer = error(retry[0]["output"])
    assert answer["code"] == "internal_error" and "cancelled" in answer["message"]
    assert cancelled.ran == [("comment", "x")], "the retry did not run the handler again"
