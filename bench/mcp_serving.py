"""tools/call round trips per second over streamable HTTP: toolspec's MCP server against FastMCP.

Both servers serve the same handler function, `get_weather` (a small dict from its arguments),
each in a process of its own on a free loopback port, logging at WARNING:
- toolspec: `Dispatcher(Weather()).run_mcp(transport="http")`, Weather's method calling it;
- FastMCP: the `mcp` SDK's `MCPServer` (FastMCP's successor in mcp 2) with the function under its
  `@tool()` decorator, the same types (`location: str`, `units: Literal[...] = "celsius"`).

One client process (the SDK's ClientSession over its streamable HTTP client) opens 1 or 10
sessions and calls tools/call in a loop on each, for a fixed time after a warm-up; the figure is
the calls answered per second, all sessions together. The same client measures both servers,
one after the other, in the same run; the target is toolspec's figure at least FastMCP's.

    python bench/mcp_serving.py [--json PATH] [--quick]

Both servers run throughout, and the cases take turns: each case is measured for 4 s in each of
3 rounds, and its best round is shown (--quick: one round of 2 s). --json writes a list of {"server", "sessions",
"calls_per_second"}. On 2 busy cores, the client and the server share them: compare the two
servers' figures with each other, not with another machine's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = (1, 10)
SERVERS = ("toolspec", "FastMCP")
ARGUMENTS = {"location": "Paris", "units": "celsius"}


def get_weather(location: str, units: Literal["celsius", "fahrenheit"] = "celsius") -> dict[str, object]:
    """The handler both servers serve."""
    return {"location": location, "units": units, "temperature": 21.0, "conditions": "sunny"}  # GetWeatherResult


def serve_toolspec(port: int) -> None:
    sys.path.insert(0, str(ROOT))
    from generated import Dispatcher
    from generated.weather import GetHoroscopeArguments, GetWeatherArguments, WeatherHandlers

    class Weather(WeatherHandlers):
        def get_weather(self, args: GetWeatherArguments) -> dict[str, object]:
            return get_weather(args.location, args.units)  # type: ignore[arg-type]

        def get_horoscope(self, args: GetHoroscopeArguments) -> str:
            return args.sign

    Dispatcher(Weather()).run_mcp(transport="http", host="127.0.0.1", port=port)


def serve_fastmcp(port: int) -> None:
    from mcp.server.mcpserver import MCPServer

    server: MCPServer[Any] = MCPServer("weather", log_level="WARNING")
    server.tool()(get_weather)
    server.run("streamable-http", host="127.0.0.1", port=port)


@contextlib.contextmanager
def running(server: str) -> Iterator[str]:
    """The server started in a process of its own; its endpoint's URL."""
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
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def throughput(url: str, sessions: int, seconds: float) -> float:
    """Calls answered per second over sessions sessions, each calling in a loop."""
    import anyio
    from mcp.client.session import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    counts = [0] * sessions
    measuring = {"from": 0.0, "until": 0.0}

    async def one(index: int, ready: anyio.Event, start: anyio.Event) -> None:
        async with streamable_http_client(url) as (read, write), ClientSession(read, write) as session:
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
        measuring["from"] = time.monotonic()
        measuring["until"] = measuring["from"] + seconds
        start.set()
    return sum(counts) / (time.monotonic() - measuring["from"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures there")
    parser.add_argument("--quick", action="store_true", help="one round of 2 s per case")
    parser.add_argument("--serve", nargs=2, metavar=("SERVER", "PORT"), help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.serve:
        server, port = options.serve
        (serve_toolspec if server == "toolspec" else serve_fastmcp)(int(port))
        return 0
    import anyio

    seconds, rounds = (2.0, 1) if options.quick else (4.0, 3)
    best: dict[tuple[str, int], float] = {}
    with running("toolspec") as ours, running("FastMCP") as theirs:
        urls = {"toolspec": ours, "FastMCP": theirs}
        for _ in range(rounds):  # the servers in turn, so that a busy moment is not one server's
            for sessions in SESSIONS:
                for server in SERVERS:
                    rate = anyio.run(throughput, urls[server], sessions, seconds)
                    best[server, sessions] = max(rate, best.get((server, sessions), 0.0))
    figures = [
        {"server": server, "sessions": sessions, "calls_per_second": round(best[server, sessions], 1)}
        for server in SERVERS
        for sessions in SESSIONS
    ]
    print(f"tools/call round trips per second over streamable HTTP (best of {rounds} × {seconds:g} s per case)")
    print(f"{'server':<10} {'sessions':>8} {'calls/s':>9}")
    for figure in figures:
        print(f"{figure['server']:<10} {figure['sessions']:>8} {figure['calls_per_second']:>9.1f}")
    for sessions in SESSIONS:
        ours, theirs = (
            next(f["calls_per_second"] for f in figures if f["server"] == s and f["sessions"] == sessions)
            for s in SERVERS
        )
        verdict = "at least FastMCP's" if ours >= theirs else "NOT at least FastMCP's"
        print(f"{sessions} session{'s' * (sessions > 1)}: toolspec {ours / theirs:.2f}× FastMCP, {verdict}")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
