"""tools/call round trips per second over streamable HTTP: toolspec's MCP server against FastMCP.

Both servers serve the same handler function, `get_weather` (a small dict from its arguments),
each in a process of its own on a free loopback port, logging at WARNING:
- toolspec: `Dispatcher(Weather()).run_mcp(transport="http")`, Weather's method calling it;
- FastMCP: the `mcp` SDK's `MCPServer` (FastMCP's successor in mcp 2) with the function under its
  `@tool()` decorator, the same types (`location: str`, `units: Literal[...] = "celsius"`, and the
  result a TypedDict of the four fields the spec's `returns` gives).

One client process (the SDK's ClientSession over its streamable HTTP client) opens 1 or 10
sessions and calls tools/call in a loop on each, for a fixed time after a warm-up; the figure is
the calls answered per second, all sessions together. The same client measures both servers,
one after the other, in the same run; the target is toolspec's figure at least FastMCP's.

Beside it, where /proc tells (Linux), the CPU time a call cost over the same window: the
server's (its process, all threads) and the client's (this process). They move less with the
host's load than the rate does, and say which side a difference comes from (the client
validates each result against the tool's outputSchema, the same four fields for both).

    python bench/mcp_serving.py [--json PATH] [--quick]
    python bench/mcp_serving.py --handlers [--quick]

--handlers times each server's tools/call handler alone, in-process, without the transport: the
part of a call that is each server's own.

Both servers run throughout, and the cases take turns: each case is measured for 4 s in each of
3 rounds, and its best round is shown (--quick: one round of 2 s), with the least CPU per call of
its rounds. --json writes a list of {"server", "sessions", "calls_per_second",
"server_cpu_us_per_call", "client_cpu_us_per_call"} (the CPU figures null where unknown). On 2
busy cores, the client and the server share them: compare the two servers' figures with each
other, not with another machine's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from typing_extensions import TypedDict  # pydantic reads a TypedDict of typing only from 3.12

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = (1, 10)
SERVERS = ("toolspec", "FastMCP")
ARGUMENTS = {"location": "Paris", "units": "celsius"}


class Conditions(TypedDict):
    """What get_weather returns, as the spec's `returns` says: FastMCP's outputSchema is made from
    this annotation, toolspec's from the spec, so the two lists declare the same result (and the
    client checks each result against the same schema)."""

    location: str
    temperature: float
    units: Literal["celsius", "fahrenheit"]
    conditions: str


def get_weather(location: str, units: Literal["celsius", "fahrenheit"] = "celsius") -> Conditions:
    """The handler both servers serve."""
    return {"location": location, "units": units, "temperature": 21.0, "conditions": "sunny"}


def toolspec_dispatcher() -> Any:
    """The generated package's Dispatcher of a Weather whose get_weather calls the shared handler."""
    sys.path.insert(0, str(ROOT))
    from generated import Dispatcher
    from generated.weather import GetHoroscopeArguments, GetWeatherArguments, WeatherHandlers

    class Weather(WeatherHandlers):
        def get_weather(self, args: GetWeatherArguments) -> Conditions:  # type: ignore[override]
            return get_weather(args.location, args.units)  # type: ignore[arg-type]

        def get_horoscope(self, args: GetHoroscopeArguments) -> str:
            return args.sign

    return Dispatcher(Weather())


def fastmcp_server() -> Any:
    """FastMCP's server of the shared handler."""
    from mcp.server.mcpserver import MCPServer

    server: MCPServer[Any] = MCPServer("weather", log_level="WARNING")
    server.tool()(get_weather)
    return server


def serve_toolspec(port: int) -> None:
    toolspec_dispatcher().run_mcp(transport="http", host="127.0.0.1", port=port)


def serve_fastmcp(port: int) -> None:
    fastmcp_server().run("streamable-http", host="127.0.0.1", port=port)


def handler_costs(rounds: int, calls: int) -> dict[tuple[str, int], float]:
    """The CPU time (µs) a call costs each server's tools/call handler alone, in this process,
    1 and 10 calls at a time, least of rounds: what is each server's own, without the transport
    they share. The handlers are the low-level Server's, called with a stand-in request context
    (no client: nothing asks for elicitation or progress)."""
    import asyncio
    from types import SimpleNamespace

    from mcp import types

    servers = {"toolspec": toolspec_dispatcher().mcp_server(), "FastMCP": fastmcp_server()._lowlevel_server}
    handlers = {name: server.get_request_handler("tools/call").handler for name, server in servers.items()}
    context = SimpleNamespace(session=None, request_id=1, meta=None, lifespan_context=None, request=None)
    params = types.CallToolRequestParams(name="get_weather", arguments=ARGUMENTS)

    async def cost(server: str, concurrent: int, count: int) -> float:
        async def caller() -> None:
            for _ in range(count // concurrent):
                if (await handlers[server](context, params)).is_error:
                    raise RuntimeError(f"the {server} call failed")

        started = time.process_time()
        await asyncio.gather(*(caller() for _ in range(concurrent)))
        return (time.process_time() - started) / count * 1e6

    async def measure() -> dict[tuple[str, int], float]:
        for server in SERVERS:  # warm-up
            await cost(server, 1, calls // 4)
        least_of: dict[tuple[str, int], float] = {}
        for _ in range(rounds):
            for concurrent in SESSIONS:
                for server in SERVERS:
                    spent = await cost(server, concurrent, calls)
                    least_of[server, concurrent] = min(spent, least_of.get((server, concurrent), spent))
        return least_of

    return asyncio.run(measure())


@dataclass(frozen=True)
class Served:
    url: str
    pid: int


@dataclass(frozen=True)
class Measured:
    calls_per_second: float
    server_cpu_us_per_call: float | None
    client_cpu_us_per_call: float


def process_cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process, all its threads; None where /proc does not tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def running(server: str) -> Iterator[Served]:
    """The server started in a process of its own; its endpoint's URL and process id."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, __file__, "--serve", server, str(port)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the {server} server did not start")
            time.sleep(0.1)
        yield Served(f"http://127.0.0.1:{port}/mcp", process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)


async def throughput(served: Served, sessions: int, seconds: float) -> Measured:
    """Calls answered per second over sessions sessions, each calling in a loop, and the CPU
    time a call cost the server and this client over that window."""
    import anyio
    from mcp.client.session import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    counts = [0] * sessions
    measuring = {"from": 0.0, "until": 0.0}

    async def one(index: int, ready: anyio.Event, start: anyio.Event) -> None:
        async with streamable_http_client(served.url) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            for _ in range(20):  # warm-up
                await session.call_tool("get_weather", ARGUMENTS)
            ready.set()
            await start.wait()
            while time.monotonic() < measuring["until"]:
                result = await session.call_tool("get_weather", ARGUMENTS)
                if result.is_error:
                    raise RuntimeError(f"the call failed: {result.content}")
                counts[index] += 1

    async with anyio.create_task_group() as group:
        readies = [anyio.Event() for _ in range(sessions)]
        start = anyio.Event()
        for index, ready in enumerate(readies):
            group.start_soon(one, index, ready, start)
        for ready in readies:
            await ready.wait()
        server_from, client_from = process_cpu_seconds(served.pid), time.process_time()
        measuring["from"] = time.monotonic()
        measuring["until"] = measuring["from"] + seconds
        start.set()
        await anyio.sleep_until(measuring["until"])  # the CPU read before the sessions close
        server_until, client_until, calls = process_cpu_seconds(served.pid), time.process_time(), sum(counts)
    rate = sum(counts) / (time.monotonic() - measuring["from"])
    server = None if server_from is None or server_until is None else (server_until - server_from) / calls * 1e6
    return Measured(rate, server, (client_until - client_from) / calls * 1e6)


CPU_KEYS = ("server_cpu_us_per_call", "client_cpu_us_per_call")


def least(values: Iterator[float | None]) -> float | None:
    """The least of a case's CPU figures, rounded; None when any is unknown."""
    known = list(values)
    return None if None in known else round(min(v for v in known if v is not None), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures there")
    parser.add_argument("--quick", action="store_true", help="one round of 2 s per case")
    parser.add_argument("--handlers", action="store_true", help="time each server's tools/call handler alone")
    parser.add_argument("--serve", nargs=2, metavar=("SERVER", "PORT"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.serve:
        server, port = options.serve
        (serve_toolspec if server == "toolspec" else serve_fastmcp)(int(port))
        return 0
    if options.handlers:
        rounds, calls = (1, 500) if options.quick else (5, 2000)
        costs = handler_costs(rounds, calls)
        print(f"tools/call's handler alone, in this process (CPU µs a call, least of {rounds} × {calls} calls)")
        print(f"{'server':<10} {'at a time':>9} {'CPU µs/call':>12}")
        for (server, concurrent), spent in sorted(
            costs.items(), key=lambda item: (SERVERS.index(item[0][0]), item[0][1])
        ):
            print(f"{server:<10} {concurrent:>9} {spent:>12.1f}")
        return 0
    import anyio

    seconds, rounds = (2.0, 1) if options.quick else (4.0, 3)
    rounds_of: dict[tuple[str, int], list[Measured]] = {}
    with running("toolspec") as ours, running("FastMCP") as theirs:
        served = {"toolspec": ours, "FastMCP": theirs}
        for _ in range(rounds):  # the servers in turn, so that a busy moment is not one server's
            for sessions in SESSIONS:
                for server in SERVERS:
                    measured = anyio.run(throughput, served[server], sessions, seconds)
                    rounds_of.setdefault((server, sessions), []).append(measured)
    best = {case: max(m.calls_per_second for m in measured) for case, measured in rounds_of.items()}
    figures = [
        {
            "server": server,
            "sessions": sessions,
            "calls_per_second": round(best[server, sessions], 1),
            "server_cpu_us_per_call": least(m.server_cpu_us_per_call for m in rounds_of[server, sessions]),
            "client_cpu_us_per_call": least(m.client_cpu_us_per_call for m in rounds_of[server, sessions]),
        }
        for server in SERVERS
        for sessions in SESSIONS
    ]
    print(f"tools/call round trips per second over streamable HTTP (best of {rounds} × {seconds:g} s per case)")
    print(f"{'server':<10} {'sessions':>8} {'calls/s':>9} {'server CPU µs/call':>19} {'client CPU µs/call':>19}")
    for figure in figures:
        cpu = [f"{'?' if figure[key] is None else f'{figure[key]:.0f}':>19}" for key in CPU_KEYS]
        print(f"{figure['server']:<10} {figure['sessions']:>8} {figure['calls_per_second']:>9.1f} {' '.join(cpu)}")
    for sessions in SESSIONS:
        ours_rate, theirs_rate = best["toolspec", sessions], best["FastMCP", sessions]
        verdict = "at least FastMCP's" if ours_rate >= theirs_rate else "NOT at least FastMCP's"
        print(f"{sessions} session{'s' * (sessions > 1)}: toolspec {ours_rate / theirs_rate:.2f}× FastMCP, {verdict}")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
