"""The example toolsets served over MCP (Dispatcher.run_mcp), called with the official SDK's own
client (`ClientSession`) over stdio and over streamable HTTP: tools/list is the spec's MCP list,
tools/call runs through the Dispatcher, with elicitation, cancellation and progress.

Each stdio test starts the server as a client does (a process of its own); the HTTP tests share
one server, started on a free loopback port (tests/mcp_toolsets.py serves both).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import types
from mcp.client.context import ClientRequestContext
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

import servers
from conftest import REPO, run_toolspec

SERVER = Path(__file__).resolve().parent / "mcp_toolsets.py"
TRANSPORTS = ["stdio", "http"]
EVENT = "9b2f6c1e-3d4a-4f5b-8c6d-7e8f9a0b1c2d"

pytestmark = pytest.mark.xdist_group("mcp")  # one HTTP server for the module's tests


@pytest.fixture(scope="module")
def http_url() -> Iterator[str]:
    port = servers.free_port()
    process = subprocess.Popen(
        [sys.executable, str(SERVER), "http", str(port)], cwd=REPO, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                _, errors = process.communicate(timeout=5) if process.poll() is not None else ("", "")
                pytest.fail(f"the MCP server did not start on port {port}: {errors}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


Elicit = Callable[[ClientRequestContext, types.ElicitRequestParams], Awaitable[types.ElicitResult]]


@contextlib.asynccontextmanager
async def connected(transport: str, url: str, elicit: Elicit | None = None) -> AsyncIterator[ClientSession]:
    """An initialized client session to the test server over transport."""
    async with contextlib.AsyncExitStack() as stack:
        if transport == "stdio":
            parameters = StdioServerParameters(command=sys.executable, args=[str(SERVER), "stdio"], cwd=REPO)
            read, write = await stack.enter_async_context(stdio_client(parameters))
        else:
            read, write = await stack.enter_async_context(streamable_http_client(url))
        session = await stack.enter_async_context(ClientSession(read, write, elicitation_callback=elicit))
        await session.initialize()
        yield session


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def url(transport: str, request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("http_url")) if transport == "http" else ""


def text(result: types.CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


def error(result: types.CallToolResult) -> dict[str, Any]:
    assert result.is_error, text(result)
    body = json.loads(text(result))
    assert body.keys() == {"error"} and body["error"].keys() == {"code", "message"}
    return dict(body["error"])


def test_tools_list_is_the_exported_mcp_shape(transport: str, url: str) -> None:
    exported = []
    for toolset in ("weather", "shop", "calendar", "code"):
        run = run_toolspec("export", toolset, "--shape", "mcp", cwd=REPO)
        assert run.returncode == 0, run.stderr
        exported.extend(json.loads(run.stdout))

    async def scenario() -> list[dict[str, Any]]:
        async with connected(transport, url) as session:
            listed = await session.list_tools()
        return [tool.model_dump(by_alias=True, exclude_none=True, mode="json") for tool in listed.tools]

    listed = anyio.run(scenario)
    assert listed == exported
    code_exec = next(tool for tool in listed if tool["name"] == "code_exec")
    assert code_exec["inputSchema"]["required"] == ["input"]
    assert code_exec["annotations"] == {"readOnlyHint": False, "destructiveHint": True, "idempotentHint": False}


def test_calls_of_each_kind(transport: str, url: str) -> None:
    async def scenario() -> dict[str, types.CallToolResult]:
        async with connected(transport, url) as session:
            return {
                "function": await session.call_tool("get_weather", {"location": "Paris", "units": "fahrenheit"}),
                "left_out": await session.call_tool("get_weather", {"location": "Oslo"}),
                "model": await session.call_tool("lookup_order_status", {"order_id": "ORD-004211"}),
                "text": await session.call_tool("get_horoscope", {"sign": "Aquarius"}),
                "custom": await session.call_tool("math_exp", {"input": "2 + 3 * 4"}),
                "tool_error": await session.call_tool("get_weather", {"location": "Atlantis"}),
            }

    results = anyio.run(scenario)
    function = results["function"]
    assert not function.is_error
    assert function.structured_content == json.loads(text(function))
    assert function.structured_content["units"] == "fahrenheit"
    left_out = results["left_out"].structured_content
    assert left_out is not None and left_out["units"] == "celsius", "a key left out takes the spec's default"
    model = results["model"].structured_content
    assert model is not None and model["order_id"] == "ORD-004211"
    assert text(results["text"]).startswith("Aquarius: ") and results["text"].structured_content is None
    assert text(results["custom"]) == "2 + 3 * 4 = 14" and not results["custom"].is_error
    assert error(results["tool_error"])["code"] == "tool_error"


def test_bad_arguments_are_results_the_model_can_correct_from(transport: str, url: str) -> None:
    async def scenario() -> list[types.CallToolResult]:
        async with connected(transport, url) as session:
            return [
                await session.call_tool("get_weather", {"location": 3}),
                await session.call_tool("get_weather", {"location": "Paris", "wind": "strong"}),
                await session.call_tool("lookup_order_status", {}),
                await session.call_tool("math_exp", {"text": "1 + 1"}),
                await session.call_tool("math_exp", {"input": 11}),
            ]

    wrong_type, unknown_key, missing, custom_name, custom_type = (error(r) for r in anyio.run(scenario))
    assert wrong_type["code"] == "invalid_arguments" and "location" in wrong_type["message"]
    assert unknown_key["code"] == "invalid_arguments" and "wind" in unknown_key["message"]
    assert missing["code"] == "invalid_arguments" and "order_id" in missing["message"]
    assert custom_name["code"] == custom_type["code"] == "invalid_arguments"
    assert "'input'" in custom_name["message"]


def test_an_unknown_tool_is_a_protocol_error(transport: str, url: str) -> None:
    async def scenario() -> None:
        async with connected(transport, url) as session:
            with pytest.raises(MCPError) as raised:
                await session.call_tool("launch_rockets", {})
            assert raised.value.code == types.INVALID_PARAMS
            assert "launch_rockets" in raised.value.message

    anyio.run(scenario)


def _answering(action: str, confirm: bool | None, asked: list[str]) -> Elicit:
    async def elicit(context: ClientRequestContext, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        content = None if confirm is None else {"confirm": confirm}
        return types.ElicitResult(action=action, content=content)  # type: ignore[arg-type]

    return elicit


@pytest.mark.parametrize(
    ("action", "confirm", "runs"),
    [("accept", True, True), ("accept", False, False), ("decline", None, False), ("cancel", None, False)],
)
def test_a_destructive_call_runs_only_on_an_accepted_yes(
    transport: str, url: str, action: str, confirm: bool | None, runs: bool
) -> None:
    asked: list[str] = []

    async def scenario() -> types.CallToolResult:
        async with connected(transport, url, _answering(action, confirm, asked)) as session:
            return await session.call_tool("code_exec", {"input": "6 * 7"})

    result = anyio.run(scenario)
    assert len(asked) == 1 and "code_exec" in asked[0] and "6 * 7" in asked[0]
    if runs:
        assert not result.is_error and result.structured_content == {"code": "6 * 7", "result": 42}
    else:
        assert error(result)["code"] == "needs_confirmation"


def test_a_client_without_elicitation_gets_needs_confirmation(transport: str, url: str) -> None:
    async def scenario() -> types.CallToolResult:
        async with connected(transport, url) as session:
            return await session.call_tool("cancel-event", {"event-id": EVENT, "json": False, "schema": None})

    assert error(anyio.run(scenario))["code"] == "needs_confirmation"


def test_cancellation_cancels_the_handler(transport: str, url: str) -> None:
    location = f"slow 30 {transport}"

    async def scenario() -> list[str]:
        async with connected(transport, url) as session:
            with anyio.move_on_after(1.0) as scope:
                await session.call_tool("get_weather", {"location": location})
            assert scope.cancelled_caught
            for _ in range(50):
                cancelled = json.loads(text(await session.call_tool("get_horoscope", {"sign": "cancelled"})))
                if location in cancelled:
                    break
                await anyio.sleep(0.1)
            return list(cancelled)

    assert location in anyio.run(scenario)


def test_a_slow_call_holds_up_no_other_call_on_its_session(transport: str, url: str) -> None:
    async def scenario() -> tuple[float, float, types.CallToolResult]:
        async with connected(transport, url) as session:
            slow: list[types.CallToolResult] = []
            started = time.monotonic()
            async with anyio.create_task_group() as group:

                async def run_slow() -> None:
                    slow.append(await session.call_tool("get_weather", {"location": "slow 2"}))

                group.start_soon(run_slow)
                await anyio.sleep(0.2)
                results = [await session.call_tool("get_weather", {"location": "Tokyo"}) for _ in range(5)]
                others_done = time.monotonic() - started
                assert all(not r.is_error for r in results)
            return others_done, time.monotonic() - started, slow[0]

    others_done, all_done, slow = anyio.run(scenario)
    assert others_done < 1.5, "the other calls waited for the slow one"
    assert all_done >= 2 and not slow.is_error and slow.structured_content is not None
    assert slow.structured_content["temperature"] == 2


def test_progress_reaches_a_client_that_asked_for_it(transport: str, url: str) -> None:
    seen: list[tuple[float, float | None, str | None]] = []

    async def progress(done: float, total: float | None, message: str | None) -> None:
        seen.append((done, total, message))

    async def scenario() -> types.CallToolResult:
        async with connected(transport, url) as session:
            return await session.call_tool("get_weather", {"location": "slow 0.5"}, progress_callback=progress)

    assert not anyio.run(scenario).is_error
    assert seen == [(step, 10, f"{step} of 10") for step in range(1, 11)]


def test_progress_reported_from_a_plain_methods_thread_comes_before_the_result(transport: str, url: str) -> None:
    seen: list[tuple[float, float | None, str | None]] = []

    async def progress(done: float, total: float | None, message: str | None) -> None:
        seen.append((done, total, message))

    async def scenario() -> types.CallToolResult:
        async with connected(transport, url) as session:
            return await session.call_tool("get_horoscope", {"sign": "progress"}, progress_callback=progress)

    result = anyio.run(scenario)
    assert not result.is_error and isinstance(result.content[0], types.TextContent)
    assert result.content[0].text == "reported"
    assert seen == [(step, 3, f"{step} of 3") for step in range(1, 4)]


def test_fifty_http_sessions_lose_and_cross_no_call(http_url: str) -> None:
    cities = ["Paris", "Tokyo", "Oslo", "Bogotá"]

    async def one(index: int, answers: dict[int, list[Any]]) -> None:
        async with connected("http", http_url) as session:
            got = []
            for turn in range(4):
                city = cities[(index + turn) % len(cities)]
                result = await session.call_tool("get_weather", {"location": f"{city}, #{index}.{turn}"})
                got.append(result.structured_content)
            answers[index] = got

    async def scenario() -> dict[int, list[Any]]:
        answers: dict[int, list[Any]] = {}
        async with anyio.create_task_group() as group:
            for index in range(50):
                group.start_soon(one, index, answers)
        return answers

    answers = anyio.run(scenario)
    assert sorted(answers) == list(range(50))
    for index, got in answers.items():
        expected = [f"{cities[(index + turn) % len(cities)]}, #{index}.{turn}" for turn in range(4)]
        assert [answer["location"] for answer in got] == expected


@pytest.mark.parametrize("serving_fails", [False, True], ids=["served", "serving failed"])
def test_run_mcp_sets_the_collector_for_serving_and_puts_it_back(
    monkeypatch: pytest.MonkeyPatch, serving_fails: bool
) -> None:
    from generated import _mcp

    from mcp_toolsets import dispatcher

    seen: dict[str, Any] = {}

    async def serve(server: object) -> None:
        seen["threshold"], seen["frozen"] = gc.get_threshold(), gc.get_freeze_count()
        if serving_fails:
            raise OSError("the client went away")

    monkeypatch.setattr(_mcp, "_stdio", serve)
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with pytest.raises(OSError) if serving_fails else contextlib.nullcontext():
        dispatcher().run_mcp()
    assert seen["threshold"] == (_mcp.SERVING_THRESHOLD, *before[1:])
    assert seen["frozen"] > 0  # what existed before serving is out of the collector's way
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_run_mcp_leaves_a_callers_own_freeze_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from generated import _mcp

    from mcp_toolsets import dispatcher

    async def serve(server: object) -> None:
        pass

    monkeypatch.setattr(_mcp, "_stdio", serve)
    served = dispatcher()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        served.run_mcp()
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_the_package_imports_without_mcp_and_says_what_to_install(tmp_path: Path) -> None:
    blocker = tmp_path / "mcp.py"
    blocker.write_text("raise ModuleNotFoundError(\"No module named 'mcp'\", name='mcp')\n", "utf-8")
    script = (
        "import generated\n"
        "from generated.weather import WeatherHandlers\n"
        "class W(WeatherHandlers):\n"
        "    def get_weather(self, args): return {}\n"
        "    def get_horoscope(self, args): return ''\n"
        "d = generated.Dispatcher(W())\n"
        "try:\n"
        "    d.mcp_server()\n"
        "except ModuleNotFoundError as error:\n"
        "    print(error)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={"PYTHONPATH": f"{tmp_path}:{REPO}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "pip install 'mcp>=2.3'" in run.stdout and "toolspec[mcp]" in run.stdout


def test_toolspec_serve_serves_the_configured_handlers() -> None:
    toolspec = str(Path(sys.executable).parent / "toolspec")

    async def scenario() -> tuple[list[str], types.CallToolResult]:
        parameters = StdioServerParameters(command=toolspec, args=["serve", "--toolset", "weather"], cwd=REPO)
        async with stdio_client(parameters) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.list_tools()
            return [tool.name for tool in listed.tools], await session.call_tool("get_weather", {"location": "Oslo"})

    names, result = anyio.run(scenario)
    assert names == ["get_weather", "get_horoscope"]
    assert result.structured_content is not None and result.structured_content["location"] == "Oslo"


def test_toolspec_serve_refuses_a_toolset_it_has_no_handlers_for() -> None:
    run = run_toolspec("serve", "--toolset", "nope", cwd=REPO)
    assert run.returncode == 2 and run.stdout == ""
    assert "--toolset nope: not in [tool.toolspec] handlers" in run.stderr and "Traceback" not in run.stderr


def test_the_demo_over_mcp_is_the_same_conversation() -> None:
    def conversation(*options: str) -> list[str]:
        run = subprocess.run(
            [sys.executable, "-m", "examples.demo", "--yes", *options],
            cwd=REPO,
            env={**os.environ, "OPENAI_API_KEY": ""},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        return [line for line in run.stdout.splitlines() if line.startswith(("user:", "assistant", "  tool"))]

    local, over_mcp = conversation(), conversation("--mcp")
    assert over_mcp == local
    # Confirmed by elicitation, cancel-event ran: its output is its handler's.
    cancel = next(index for index, line in enumerate(over_mcp) if line.startswith("assistant calls cancel-event("))
    assert over_mcp[cancel + 1].startswith("  tool [") and "needs_confirmation" not in over_mcp[cancel + 1]
