"""The generated Dispatcher and Handlers: routing, validation, controlled errors, policy from
`effect` and `idempotent`, output pairing, streaming accumulators and tool_choice helpers.

The package is generated from a spec written here, so that every effect and kind of tool is
present; the handlers record what ran, in which thread, and when."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import REPO, build_package

SPEC = """\
toolset: desk
description: A help desk.
tools:
  - name: lookup
    description: Look a ticket up.
    effect: read
    parameters:
      ticket: {type: integer, minimum: 1, description: The ticket number.}
      verbose: {type: boolean, optional: true, default: false, description: More detail.}
  - name: slow-lookup
    description: Look a ticket up, slowly.
    effect: read
    parameters:
      ticket: {type: integer, description: The ticket number.}
  - name: comment
    description: Add a comment.
    effect: write
    idempotent: false
    parameters:
      ticket: {type: integer, description: The ticket number.}
      text: {type: string, description: The comment.}
  - name: purge
    description: Delete a ticket.
    effect: destructive
    parameters:
      ticket: {type: integer, description: The ticket number.}
  - name: note
    kind: custom
    description: A free-text note.
    effect: write
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_package(tmp_path_factory.mktemp("desk"), {"desk.yaml": SPEC})


def _misbehave(package: ModuleType, kind: str, text: str) -> None:
    """What a handler given the text fail, crash or slow does: raise ToolError, raise another
    exception, or take 0.3 s."""
    if text == "fail":
        raise package.ToolError(f"{kind}s cannot say fail")
    if text == "crash":
        raise ZeroDivisionError("secret detail")
    if text == "slow":
        time.sleep(0.3)


def _desk(package: ModuleType) -> Any:
    desk = __import__(f"{package.__name__}.desk", fromlist=["DeskHandlers"])

    class Desk(desk.DeskHandlers):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            self.ran: list[tuple[str, Any]] = []
            self.threads: dict[str, str] = {}
            self.lock = threading.Lock()

        def _ran(self, name: str, value: Any) -> None:
            with self.lock:
                self.ran.append((name, value))
                self.threads[name] = threading.current_thread().name

        def lookup(self, args: Any) -> dict[str, Any]:
            time.sleep(0.2)
            self._ran("lookup", args.ticket)
            return {"ticket": args.ticket, "verbose": args.verbose}

        async def slow_lookup(self, args: Any) -> str:
            await asyncio.sleep(0.2)
            self._ran("slow-lookup", args.ticket)
            return "found"

        def comment(self, args: Any) -> None:
            self._ran("comment", args.text)
            _misbehave(package, "comment", args.text)

        def purge(self, args: Any) -> str:
            self._ran("purge", args.ticket)
            return "purged"

        def note(self, args: str) -> list[str]:
            self._ran("note", args)
            _misbehave(package, "note", args)
            return [args]

    return Desk()


def call(call_id: str, name: str, arguments: Any) -> dict[str, Any]:
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"type": "function_call", "call_id": call_id, "name": name, "arguments": text}


def error(output: str) -> dict[str, str]:
    parsed: dict[str, dict[str, str]] = json.loads(output)
    assert set(parsed) == {"error"} and set(parsed["error"]) == {"code", "message"}
    return parsed["error"]


def test_outputs_pair_with_calls_in_order_and_other_items_are_ignored(package: ModuleType) -> None:
    dispatcher = package.Dispatcher(_desk(package))
    items = dispatcher.run_responses(
        {
            "output": [
                {"type": "reasoning", "id": "r1"},
                call("c1", "lookup", {"ticket": 7, "verbose": None}),
                {"type": "message", "content": []},
                {"type": "custom_tool_call", "call_id": "c2", "name": "note", "input": "hello"},
            ]
        }
    )
    assert items == [
        {"type": "function_call_output", "call_id": "c1", "output": '{"ticket":7,"verbose":false}'},
        {"type": "custom_tool_call_output", "call_id": "c2", "output": '["hello"]'},
    ]
    assert dispatcher.run_responses([]) == []


def test_every_failure_is_an_output_with_its_code(package: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    dispatcher = package.Dispatcher(_desk(package))
    calls = [
        call("a", "lookup", {"ticket": 0, "verbose": None}),
        call("b", "lookup", '{"ticket": '),
        call("c", "nope", {}),
        call("d", "lookup", {"ticket": "7", "verbose": None, "extra": 1}),
        {"type": "custom_tool_call", "call_id": "e", "name": "note", "input": "fail"},
        {"type": "custom_tool_call", "call_id": "f", "name": "note", "input": "crash"},
        call("g", "purge", {"ticket": 1}),
    ]
    with caplog.at_level(logging.INFO):
        outputs = [error(item["output"]) for item in dispatcher.run_responses(calls)]
    codes = [output["code"] for output in outputs]
    assert codes == [
        "invalid_arguments",
        "invalid_json",
        "unknown_tool",
        "invalid_arguments",
        "tool_error",
        "internal_error",
        "needs_confirmation",
    ]
    assert "ticket" in outputs[0]["message"] and "greater than or equal to 1" in outputs[0]["message"]
    assert "'nope'" in outputs[2]["message"] and "lookup, slow-lookup, comment, purge, note" in outputs[2]["message"]
    assert all(word in outputs[3]["message"] for word in ("ticket", "extra"))
    assert outputs[4]["message"] == "notes cannot say fail"
    assert "secret detail" not in outputs[5]["message"] and "error id" in outputs[5]["message"]
    error_id = outputs[5]["message"].rsplit(" ", 1)[-1]
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(logged) == 1 and error_id in logged[0].getMessage() and logged[0].exc_info is not None
    outcomes = [getattr(r, "outcome", None) for r in caplog.records]
    assert sorted(outcomes) == sorted(codes)  # one record per call, the internal error's too
    assert all(r.name.endswith(".calls") for r in caplog.records)


def test_calls_run_in_the_models_order_consecutive_reads_together(package: ModuleType) -> None:
    """A write waits for every call before it and holds back every call after it; the reads
    between two writes run together."""
    desk = _desk(package)
    dispatcher = package.Dispatcher(desk, confirm=lambda context: True)
    calls = [
        call("w1", "comment", {"ticket": 1, "text": "first"}),
        call("r1", "lookup", {"ticket": 1, "verbose": None}),
        call("d1", "purge", {"ticket": 1}),
        call("r2", "lookup", {"ticket": 2, "verbose": True}),
        call("r3", "slow-lookup", {"ticket": 3}),
        call("w2", "comment", {"ticket": 1, "text": "second"}),
    ]
    items = dispatcher.run_responses(calls)
    assert [item["call_id"] for item in items] == ["w1", "r1", "d1", "r2", "r3", "w2"]
    order = [(name, value) for name, value in desk.ran]
    assert order[:3] == [("comment", "first"), ("lookup", 1), ("purge", 1)]
    assert set(order[3:5]) == {("lookup", 2), ("slow-lookup", 3)} and order[5] == ("comment", "second")
    assert desk.threads["slow-lookup"] != desk.threads["lookup"], "r2 and r3 ran together"


def test_async_run_keeps_the_models_order(package: ModuleType) -> None:
    desk = _desk(package)
    dispatcher = package.Dispatcher(desk, confirm=lambda context: True)
    calls = [
        call("r1", "lookup", {"ticket": 1, "verbose": None}),
        call("w1", "comment", {"ticket": 1, "text": "first"}),
        call("r2", "slow-lookup", {"ticket": 2}),
        call("d1", "purge", {"ticket": 2}),
    ]
    items = asyncio.run(dispatcher.arun_responses(calls))
    assert [item["call_id"] for item in items] == ["r1", "w1", "r2", "d1"]
    assert desk.ran == [("lookup", 1), ("comment", "first"), ("slow-lookup", 2), ("purge", 2)]


def test_async_twins_give_the_same_outputs(package: ModuleType) -> None:
    dispatcher = package.Dispatcher(_desk(package))
    calls = [call("r1", "lookup", {"ticket": 1, "verbose": None}), call("r2", "slow-lookup", {"ticket": 2})]
    started = time.perf_counter()
    items = asyncio.run(dispatcher.arun_responses(calls))
    assert time.perf_counter() - started < 0.38
    assert items == package.Dispatcher(_desk(package)).run_responses(calls)
    message = {
        "role": "assistant",
        "tool_calls": [
            {
                "id": "t1",
                "type": "function",
                "function": {"name": "lookup", "arguments": '{"ticket": 5, "verbose": null}'},
            },
            {"id": "t2", "type": "custom", "custom": {"name": "note", "input": "hi"}},
        ],
    }
    expected = [
        {"role": "tool", "tool_call_id": "t1", "content": '{"ticket":5,"verbose":false}'},
        {"role": "tool", "tool_call_id": "t2", "content": '["hi"]'},
    ]
    assert dispatcher.run_chat_completions(message) == expected
    assert asyncio.run(dispatcher.arun_chat_completions(message)) == expected
    assert dispatcher.run_chat_completions({"choices": [{"message": message}]}) == expected


def test_authorize_and_confirm_decide_before_the_handler_runs(package: ModuleType) -> None:
    desk = _desk(package)
    seen: list[Any] = []

    def authorize(context: Any) -> bool:
        seen.append(context)
        return context.tool != "comment"

    dispatcher = package.Dispatcher(desk, authorize=authorize, confirm=lambda context: context.arguments.ticket == 1)
    items = dispatcher.run_responses(
        [
            call("a", "comment", {"ticket": 1, "text": "x"}),
            call("b", "purge", {"ticket": 1}),
            call("c", "purge", {"ticket": 2}),
        ]
    )
    assert error(items[0]["output"])["code"] == "not_authorized"
    assert items[1]["output"] == "purged"
    assert error(items[2]["output"])["code"] == "needs_confirmation"
    assert desk.ran == [("purge", 1)]
    assert [(c.toolset, c.tool, c.call_id, c.effect, c.idempotent) for c in seen] == [
        ("desk", "comment", "a", "write", False),
        ("desk", "purge", "b", "destructive", False),  # not idempotent unless the spec says so
        ("desk", "purge", "c", "destructive", False),
    ]


def test_authorize_is_asked_of_a_read_call_too(package: ModuleType) -> None:
    # A read call with no policy goes straight to its handler; with one, it is asked first.
    desk = _desk(package)
    refused = package.Dispatcher(desk, authorize=lambda context: context.tool != "lookup")
    turn = [call("r", "lookup", {"ticket": 1, "verbose": None})]
    assert error(refused.run_responses(turn)[0]["output"])["code"] == "not_authorized"
    assert error(asyncio.run(refused.arun_responses(turn))[0]["output"])["code"] == "not_authorized"
    assert desk.ran == []
    assert package.Dispatcher(desk).run_responses(turn)[0]["output"] == '{"ticket":1,"verbose":false}'


def test_a_non_idempotent_call_id_runs_at_most_once(package: ModuleType) -> None:
    desk = _desk(package)
    record = package.MemoryCallRecord()
    first = package.Dispatcher(desk, record=record).run_responses([call("same", "comment", {"ticket": 1, "text": "x"})])
    again = package.Dispatcher(desk, record=record).run_responses([call("same", "comment", {"ticket": 1, "text": "x"})])
    assert first == again and desk.ran == [("comment", "x")]
    reads = package.Dispatcher(desk, record=record)
    reads.run_responses([call("r", "lookup", {"ticket": 1, "verbose": None})] * 2)
    assert [name for name, _ in desk.ran].count("lookup") == 2  # idempotent tools are not remembered


def _limit(package: ModuleType, monkeypatch: pytest.MonkeyPatch, names: tuple[str, ...], seconds: float) -> None:
    """Give the tools names a time limit of seconds, for this test."""
    handlers = __import__(f"{package.__name__}.desk", fromlist=["DeskHandlers"]).DeskHandlers
    limited = tuple(
        binding if binding.name not in names else type(binding)(**{**vars(binding), "timeout": seconds})
        for binding in handlers.TOOLS
    )
    monkeypatch.setattr(handlers, "TOOLS", limited)


def test_a_handler_over_its_time_limit_gives_timeout(package: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    _limit(package, monkeypatch, ("lookup", "slow-lookup"), 0.05)
    dispatcher = package.Dispatcher(_desk(package))
    calls = [call("a", "lookup", {"ticket": 1, "verbose": None}), call("b", "slow-lookup", {"ticket": 1})]
    for items in (dispatcher.run_responses(calls), asyncio.run(dispatcher.arun_responses(calls))):
        assert [error(item["output"])["code"] for item in items] == ["timeout", "timeout"]


def test_a_subclass_missing_a_method_fails_naming_the_tools(package: ModuleType) -> None:
    desk = __import__(f"{package.__name__}.desk", fromlist=["DeskHandlers"])

    class Partial(desk.DeskHandlers):  # type: ignore[misc, name-defined]
        def lookup(self, args: Any) -> str:
            return ""

    with pytest.raises(TypeError, match="Partial does not implement the tools slow-lookup, comment, purge, note"):
        Partial()


def test_dispatcher_lists_the_tools_of_exactly_its_toolsets(package: ModuleType) -> None:
    desk = __import__(f"{package.__name__}.desk", fromlist=["DeskHandlers"])
    dispatcher = package.Dispatcher(_desk(package))
    assert dispatcher.responses_tools == desk.RESPONSES_TOOLS
    assert dispatcher.chat_completions_tools == desk.CHAT_COMPLETIONS_TOOLS
    with pytest.raises(ValueError, match="two handlers offer the tool 'lookup'"):
        package.Dispatcher(_desk(package), _desk(package))


def test_tool_choice_helpers(package: ModuleType) -> None:
    dispatcher = package.Dispatcher(_desk(package))
    assert dispatcher.responses_tool_choice() == "auto"
    assert dispatcher.chat_completions_tool_choice("none") == "none"
    assert dispatcher.responses_tool_choice("lookup") == {"type": "function", "name": "lookup"}
    assert dispatcher.responses_tool_choice("note") == {"type": "custom", "name": "note"}
    assert dispatcher.chat_completions_tool_choice("lookup") == {"type": "function", "function": {"name": "lookup"}}
    assert dispatcher.responses_tool_choice("required", allowed=["lookup", "note"]) == {
        "type": "allowed_tools",
        "mode": "required",
        "tools": [{"type": "function", "name": "lookup"}, {"type": "custom", "name": "note"}],
    }
    assert dispatcher.chat_completions_tool_choice(allowed=["lookup"]) == {
        "type": "allowed_tools",
        "allowed_tools": {"mode": "auto", "tools": [{"type": "function", "function": {"name": "lookup"}}]},
    }
    with pytest.raises(ValueError, match="no tool 'missing'"):
        dispatcher.responses_tool_choice("missing")
    with pytest.raises(ValueError, match="auto or required"):
        dispatcher.chat_completions_tool_choice("none", allowed=["lookup"])


def test_responses_stream_gives_each_call_once_when_final(package: ModuleType) -> None:
    stream = package.ResponsesStream()
    events: list[dict[str, Any]] = [
        {"type": "response.output_item.added", "output_index": 0, "item": {"type": "message", "id": "m"}},
        {"type": "response.output_item.added", "output_index": 1, "item": call("c1", "lookup", "")},
        {"type": "response.function_call_arguments.delta", "output_index": 1, "delta": '{"ticket": 4, '},
        {"type": "response.function_call_arguments.delta", "output_index": 1, "delta": '"verbose": null}'},
    ]
    assert [stream.feed(event) for event in events] == [[], [], [], []]
    done = stream.feed(
        {
            "type": "response.function_call_arguments.done",
            "output_index": 1,
            "arguments": '{"ticket": 4, "verbose": null}',
        }
    )
    assert [item["arguments"] for item in done] == ['{"ticket": 4, "verbose": null}']
    assert stream.feed({"type": "response.output_item.done", "output_index": 1, "item": done[0]}) == []
    custom = {"type": "custom_tool_call", "call_id": "c2", "name": "note", "input": ""}
    stream.feed({"type": "response.output_item.added", "output_index": 2, "item": custom})
    stream.feed({"type": "response.custom_tool_call_input.delta", "output_index": 2, "delta": "hel"})
    finished = stream.feed(
        {"type": "response.output_item.done", "output_index": 2, "item": {**custom, "input": "hello"}}
    )
    outputs = package.Dispatcher(_desk(package)).run_responses(done + finished)
    assert [o["output"] for o in outputs] == ['{"ticket":4,"verbose":false}', '["hello"]']


def test_chat_completions_stream_assembles_calls_from_chunks(package: ModuleType) -> None:
    stream = package.ChatCompletionsStream()

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    first = {"index": 0, "id": "t1", "type": "function", "function": {"name": "lookup", "arguments": '{"tic'}}
    second = {"index": 1, "id": "t2", "type": "function", "function": {"name": "slow-lookup", "arguments": ""}}
    chunks = [
        chunk({"role": "assistant", "content": "Checking"}),
        chunk({"tool_calls": [first]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": 'ket": 9, "verbose": true}'}}, second]}),
        chunk({"tool_calls": [{"index": 1, "function": {"arguments": '{"ticket": 3}'}}]}),
    ]
    assert [stream.feed(c) for c in chunks] == [[], [], [], []]
    calls = stream.feed(chunk({}, "tool_calls"))
    assert [c["function"]["arguments"] for c in calls] == ['{"ticket": 9, "verbose": true}', '{"ticket": 3}']
    assert stream.feed(chunk({}, "tool_calls")) == []
    assert stream.message == {"role": "assistant", "content": "Checking", "tool_calls": calls}
    replies = package.Dispatcher(_desk(package)).run_chat_completions(stream.message)
    assert [r["tool_call_id"] for r in replies] == ["t1", "t2"]


def test_handler_results_are_serialised(package: ModuleType) -> None:
    outputs = __import__(f"{package.__name__}._outputs", fromlist=["serialize"])
    desk = __import__(f"{package.__name__}.desk", fromlist=["LookupArguments"])
    model = desk.LookupArguments.model_validate_json('{"ticket": 3, "verbose": null}')
    # The output text, with the UTF-8 JSON it was decoded from (none for a str).
    assert outputs.serialize(model) == ('{"ticket":3,"verbose":false}', b'{"ticket":3,"verbose":false}')
    nested = '{"when":"now","items":[1,{"ticket":3,"verbose":false}]}'
    assert outputs.serialize({"when": "now", "items": [1, model]}) == (nested, nested.encode())
    assert outputs.serialize("plain text") == ("plain text", None)
    assert outputs.serialize(None) == ("null", b"null")


def test_mypy_flags_a_handler_with_the_wrong_argument_type(package: ModuleType, tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(package.__file__).parent.parent
    name = package.__name__
    (root / "impl_ok.py").write_text(
        f"from {name}.desk import DeskHandlers, LookupArguments, SlowLookupArguments\n"
        f"from {name}.desk import CommentArguments, PurgeArguments\n"
        "class Desk(DeskHandlers):\n"
        "    def lookup(self, args: LookupArguments) -> dict[str, object]:\n        return {}\n"
        "    async def slow_lookup(self, args: SlowLookupArguments) -> str:\n        return ''\n"
        "    def comment(self, args: CommentArguments) -> None:\n        return None\n"
        "    def purge(self, args: PurgeArguments) -> list[int]:\n        return []\n"
        "    def note(self, args: str) -> str:\n        return args\n"
        "Desk()\n",
        "utf-8",
    )
    wrong = (
        (root / "impl_ok.py")
        .read_text("utf-8")
        .replace("def purge(self, args: PurgeArguments)", "def purge(self, args: CommentArguments)")
    )
    (root / "impl_wrong.py").write_text(wrong, "utf-8")
    # The repository's cache (make test fills it) spares re-reading pydantic's stubs.
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(REPO / ".mypy_cache")]
    # One run checks both (each start of mypy reads its cache anew): only impl_wrong.py is flagged.
    checked = subprocess.run([*mypy, "impl_ok.py", "impl_wrong.py"], cwd=root, capture_output=True, text=True)
    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert checked.returncode == 1 and errors, checked.stdout
    assert all(line.startswith("impl_wrong.py:") for line in errors), checked.stdout
    assert any('Argument 1 of "purge" is incompatible' in line for line in errors), checked.stdout
