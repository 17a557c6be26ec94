"""The Dispatcher's own cost per tool call, beside the floor and two other frameworks, in one run.

Every case runs the same trivial handler (get_weather, returning a small dict) on the same
argument JSON, so what is measured is all but the handler: parsing the call, validating its
arguments, running the handler, serialising the result and building the output.

- floor: `GetWeatherArguments.model_validate_json` + a direct call + `json.dumps`; the async
  floor awaits an async handler instead. It is the least any dispatcher can do.
- toolspec: `Dispatcher.run_responses` (and `run_chat_completions`) with the calls as the API
  gives them (plain dicts), sync and async (`arun_*`), for one call and for ten read calls in
  one turn, which the dispatcher runs together (sync: the caller's thread with pool threads
  ready for a call that blocks; async: each call started in the caller's task, a task only
  for those that wait). get_weather says what it returns, so each result is checked against
  its result model; one call more with `check_results=False` gives what that check costs.
- LangChain: `StructuredTool.invoke` (`ainvoke`) with an `args_schema`, given `json.loads` of the
  arguments; ten calls are `batch` (threads) or `asyncio.gather` of `ainvoke`.
- OpenAI Agents SDK: `FunctionTool.on_invoke_tool(ToolContext, arguments)`, which is async
  only (a sync function runs in `asyncio.to_thread`); ten calls are `asyncio.gather`.
- reference rows: the floor run ten at a time in a thread pool and with `asyncio.gather`, to show
  what running calls together costs by itself.
- call records: `run_responses` of one call of shop's send_email (`idempotent: false`, a trivial
  handler), a new call id each time, so that each call claims its id in the record, runs and
  puts its output: with MemoryCallRecord (the default), SqlCallRecord on a SQLite file and on
  PostgreSQL, and RedisCallRecord. Above memory's, a record's figure is its store's cost per
  call (a claim and a put, two round trips). The servers are started as the tests start them
  (tests/servers.py); a record is skipped, with a note, where its server or package is missing.

The third-party cases end with `json.dumps` of what the tool returns, so that every case yields
the output text the model reads, as the floor and the dispatcher do. Logging is left as it is
(WARNING): the dispatcher's per-call record at INFO is then skipped, as in a default setup.

Each figure is microseconds per call: a turn (one call, or ten) runs N times, the time divided
by N × calls; that is repeated and the median and the minimum of the repeats are shown.

    python bench/dispatch.py [--json PATH] [--quick]

It prints a table (µs per call, and × the floor of the same mode) and whether the target is
met: one toolspec call within 1.5× the floor (ten calls, and the other frameworks against
toolspec, are shown as figures). --json writes the figures as a list of {"case", "calls",
"mode", "us_per_call_median", "us_per_call_min"}. The whole run
takes about 30 s, 10 s with --quick; a busy machine widens the gap between median and min.

The LangChain and Agents SDK cases run where langchain-core and openai-agents are installed,
and are skipped, with a note, where they are not. The call records have no target: each is
allowed its store's cost, which the lines after the targets show.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import gc
import itertools
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generated import (  # noqa: E402 - the repository root is on the path from here on
    Dispatcher,
    MemoryCallRecord,
    RedisCallRecord,
    SqlCallRecord,
    ToolError,
)
from generated.shop import (  # noqa: E402
    LookupOrderStatusArguments,
    SearchProductsArguments,
    SendEmailArguments,
    ShopHandlers,
)
from generated.weather import GetHoroscopeArguments, GetWeatherArguments, WeatherHandlers  # noqa: E402

Units = Literal["celsius", "fahrenheit"]
SyncTurn = Callable[[], object]
AsyncTurn = Callable[[], Awaitable[object]]

PLACES: list[tuple[str, Units]] = [
    ("Bogotá, Colombia", "celsius"),
    ("Paris, France", "celsius"),
    ("Tokyo, Japan", "celsius"),
    ("Oslo, Norway", "celsius"),
    ("New York, United States", "fahrenheit"),
    ("São Paulo, Brazil", "celsius"),
    ("Cape Town, South Africa", "celsius"),
    ("Reykjavík, Iceland", "celsius"),
    ("Phoenix, United States", "fahrenheit"),
    ("Kraków, Poland", "celsius"),
]
"""The arguments of ten calls; the one-call cases use the first."""

ARGUMENTS: list[str] = [json.dumps({"location": place, "units": units}) for place, units in PLACES]
"""Each call's arguments as the model sends them: JSON text."""


# --- The handler: the same trivial work everywhere ---------------------------------------------


def weather(location: str, units: Units = "celsius") -> dict[str, object]:
    """The weather at a location (always 21 degrees), in the shape weather.yaml's `returns` says."""
    return {"location": location, "temperature": 21, "units": units, "conditions": "sunny"}


async def aweather(location: str, units: Units = "celsius") -> dict[str, object]:
    """The weather at a location (always 21 degrees)."""
    return weather(location, units)


class SyncWeather(WeatherHandlers):
    def get_weather(self, args: GetWeatherArguments) -> dict[str, object]:
        return weather(args.location, args.units)

    def get_horoscope(self, args: GetHoroscopeArguments) -> str:
        return "A quiet day."


class AsyncWeather(WeatherHandlers):
    async def get_weather(self, args: GetWeatherArguments) -> dict[str, object]:
        return weather(args.location, args.units)

    async def get_horoscope(self, args: GetHoroscopeArguments) -> str:
        return "A quiet day."


class Outbox(ShopHandlers):
    """send_email, which is not idempotent, doing as little as get_weather."""

    def lookup_order_status(self, args: LookupOrderStatusArguments) -> None:
        raise ToolError("not in the benchmark")

    def search_products(self, args: SearchProductsArguments) -> None:
        raise ToolError("not in the benchmark")

    def send_email(self, args: SendEmailArguments) -> dict[str, object]:
        return {"sent": True, "message_id": "MSG-0001", "recipients": len(args.to)}


SEND_EMAIL = json.dumps({"to": ["ada@example.com"], "subject": "Your order", "body": "It has shipped."})


# --- The cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One way of running a turn of `calls` get_weather calls."""

    name: str
    mode: Literal["sync", "async"]
    calls: int
    turn: SyncTurn | AsyncTurn
    is_coroutine: bool
    """Whether turn returns an awaitable (it is then timed inside an event loop)."""


@dataclass(frozen=True)
class Figure:
    """A case's figures, as --json writes them."""

    case: str
    calls: int
    mode: str
    us_per_call_median: float
    us_per_call_min: float


def responses_items(count: int) -> list[dict[str, str]]:
    """The function_call items of a Response with `count` calls."""
    return [
        {"type": "function_call", "call_id": f"call_{index}", "name": "get_weather", "arguments": ARGUMENTS[index]}
        for index in range(count)
    ]


def chat_message(count: int) -> dict[str, object]:
    """An assistant message with `count` tool calls."""
    calls = [
        {"id": f"call_{index}", "type": "function", "function": {"name": "get_weather", "arguments": ARGUMENTS[index]}}
        for index in range(count)
    ]
    return {"role": "assistant", "content": None, "tool_calls": calls}


def floor_cases() -> list[Case]:
    sync_handlers, async_handlers = SyncWeather(), AsyncWeather()
    validate = GetWeatherArguments.model_validate_json

    def floor() -> str:
        return json.dumps(sync_handlers.get_weather(validate(ARGUMENTS[0])))

    async def afloor() -> str:
        return json.dumps(await async_handlers.get_weather(validate(ARGUMENTS[0])))

    pool = concurrent.futures.ThreadPoolExecutor(thread_name_prefix="bench-floor")

    def one(arguments: str) -> str:
        return json.dumps(sync_handlers.get_weather(validate(arguments)))

    async def aone(arguments: str) -> str:
        return json.dumps(await async_handlers.get_weather(validate(arguments)))

    def floor_pool() -> list[str]:
        return list(pool.map(one, ARGUMENTS))

    async def afloor_gather() -> list[str]:
        return await asyncio.gather(*(aone(arguments) for arguments in ARGUMENTS))

    return [
        Case("floor", "sync", 1, floor, False),
        Case("floor", "async", 1, afloor, True),
        Case("(reference) floor in a thread pool", "sync", 10, floor_pool, False),
        Case("(reference) floor with asyncio.gather", "async", 10, afloor_gather, True),
    ]


def toolspec_cases() -> list[Case]:
    sync, asynchronous = Dispatcher(SyncWeather()), Dispatcher(AsyncWeather())
    unchecked = Dispatcher(SyncWeather(), check_results=False)
    aunchecked = Dispatcher(AsyncWeather(), check_results=False)
    one, ten = responses_items(1), responses_items(10)
    message = chat_message(1)

    async def arun_one() -> object:
        return await asynchronous.arun_responses(one)

    async def arun_ten() -> object:
        return await asynchronous.arun_responses(ten)

    async def achat_one() -> object:
        return await asynchronous.arun_chat_completions(message)

    async def arun_one_unchecked() -> object:
        return await aunchecked.arun_responses(one)

    return [
        Case("toolspec run_responses", "sync", 1, lambda: sync.run_responses(one), False),
        Case("toolspec run_responses", "sync", 10, lambda: sync.run_responses(ten), False),
        Case("toolspec run_chat_completions", "sync", 1, lambda: sync.run_chat_completions(message), False),
        Case("toolspec arun_responses", "async", 1, arun_one, True),
        Case("toolspec arun_responses", "async", 10, arun_ten, True),
        Case("toolspec arun_chat_completions", "async", 1, achat_one, True),
        Case(UNCHECKED, "sync", 1, lambda: unchecked.run_responses(one), False),
        Case(UNCHECKED.replace("run_", "arun_"), "async", 1, arun_one_unchecked, True),
    ]


UNCHECKED = "toolspec run_responses, check_results=False"
"""The same call with its result unchecked: the difference is what checking a result costs."""


def result_check_costs(figures: Sequence[Figure]) -> list[str]:
    """What checking a handler's result against its result model costs a call, by mode."""
    lines: list[str] = []
    for mode, prefix in (("sync", "toolspec run_responses"), ("async", "toolspec arun_responses")):
        checked = next(f for f in figures if (f.case, f.mode, f.calls) == (prefix, mode, 1))
        unchecked = next(f for f in figures if f.case.endswith("check_results=False") and f.mode == mode)
        extra = checked.us_per_call_median - unchecked.us_per_call_median
        extra_min = checked.us_per_call_min - unchecked.us_per_call_min
        lines.append(
            f"result check ({mode}): {extra:+.2f} µs a call (min {extra_min:+.2f} µs), "
            f"{extra / floor_of(figures, mode).us_per_call_median:+.2f}× the floor"
        )
    return lines


RECORD_CASE = "record {}: send_email, idempotent: false"


def record_cases(stack: contextlib.ExitStack[None], notes: list[str]) -> list[Case]:
    """One call of a non-idempotent tool, a new call id each time, with each record; the servers
    (tests/servers.py) live as long as stack."""
    sys.path.insert(0, str(ROOT / "tests"))
    import servers  # the tests' own: PostgreSQL and Redis from the distribution's packages

    def sqlite() -> Any:
        directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="toolspec-bench-"))
        return SqlCallRecord(f"sqlite:///{directory}/calls.db")

    def postgres() -> Any:
        return SqlCallRecord(stack.enter_context(servers.postgres()).url)

    def redis() -> Any:
        return RedisCallRecord(stack.enter_context(servers.redis()).url)

    makers: list[tuple[str, Callable[[], Any]]] = [("memory", MemoryCallRecord), ("sqlite", sqlite)]
    makers += [("postgres", postgres), ("redis", redis)]
    cases: list[Case] = []
    for name, make in makers:
        try:
            record = make()
        except (ImportError, servers.Missing) as error:
            notes.append(f"note: the call record {name} was skipped ({error})")
            continue
        stack.callback(getattr(record, "close", lambda: None))
        dispatcher, ids = Dispatcher(Outbox(), record=record), itertools.count()

        def turn(dispatcher: Dispatcher = dispatcher, ids: itertools.count[int] = ids) -> object:
            call = {"type": "function_call", "call_id": f"call_{next(ids)}", "name": "send_email"}
            return dispatcher.run_responses([{**call, "arguments": SEND_EMAIL}])

        cases.append(Case(RECORD_CASE.format(name), "sync", 1, turn, False))
    return cases


def langchain_cases() -> list[Case]:
    """StructuredTool with a pydantic args_schema, as LangChain's docs build one."""
    from langchain_core.tools import StructuredTool  # optional: imported only here
    from pydantic import BaseModel, Field

    class WeatherInput(BaseModel):
        location: str = Field(description="City and country e.g. Bogotá, Colombia")
        units: Units = Field("celsius", description="Units the temperature will be returned in.")

    description = "Retrieves current weather for the given location."
    sync_tool: Any = StructuredTool.from_function(
        func=weather, name="get_weather", description=description, args_schema=WeatherInput
    )
    async_tool: Any = StructuredTool.from_function(
        coroutine=aweather, name="get_weather", description=description, args_schema=WeatherInput
    )

    def invoke_one() -> str:
        return json.dumps(sync_tool.invoke(json.loads(ARGUMENTS[0])))

    def batch_ten() -> list[str]:
        return [json.dumps(result) for result in sync_tool.batch([json.loads(a) for a in ARGUMENTS])]

    async def ainvoke(arguments: str) -> str:
        return json.dumps(await async_tool.ainvoke(json.loads(arguments)))

    async def ainvoke_one() -> str:
        return await ainvoke(ARGUMENTS[0])

    async def ainvoke_ten() -> list[str]:
        return await asyncio.gather(*(ainvoke(arguments) for arguments in ARGUMENTS))

    return [
        Case("langchain StructuredTool.invoke", "sync", 1, invoke_one, False),
        Case("langchain StructuredTool.batch", "sync", 10, batch_ten, False),
        Case("langchain StructuredTool.ainvoke", "async", 1, ainvoke_one, True),
        Case("langchain StructuredTool.ainvoke, gather", "async", 10, ainvoke_ten, True),
    ]


def agents_cases() -> list[Case]:
    """function_tool's FunctionTool, invoked as the Runner does, with a fresh ToolContext."""
    from agents import function_tool  # optional: imported only here
    from agents.tool_context import ToolContext

    sync_tool: Any = function_tool(weather, name_override="get_weather")
    async_tool: Any = function_tool(aweather, name_override="get_weather")

    def invoker(tool: Any) -> Callable[[int], Awaitable[str]]:
        async def invoke(index: int) -> str:
            arguments = ARGUMENTS[index]
            context = ToolContext(None, tool_name="get_weather", tool_call_id=f"call_{index}", tool_arguments=arguments)
            return json.dumps(await tool.on_invoke_tool(context, arguments))

        return invoke

    def cases(tool: Any, mode: Literal["sync", "async"]) -> list[Case]:
        invoke = invoker(tool)

        async def one() -> str:
            return await invoke(0)

        async def ten() -> list[str]:
            return await asyncio.gather(*(invoke(index) for index in range(len(ARGUMENTS))))

        return [
            Case("agents on_invoke_tool", mode, 1, one, True),
            Case("agents on_invoke_tool, gather", mode, 10, ten, True),
        ]

    return cases(sync_tool, "sync") + cases(async_tool, "async")


# --- Timing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    repeats: int
    seconds: float
    """About how long one repeat of a case runs."""


def per_turn_seconds(run: Callable[[int], float]) -> float:
    """A first estimate of a turn's time: run more turns until they take 20 ms."""
    turns = 1
    while (elapsed := run(turns)) < 0.02:
        turns *= 4
    return elapsed / turns


def timed_sync(turn: SyncTurn) -> Callable[[int], float]:
    def run(turns: int) -> float:
        started = time.perf_counter_ns()
        for _ in range(turns):
            turn()
        return (time.perf_counter_ns() - started) / 1e9

    return run


def timed_async(turn: AsyncTurn, loop: asyncio.AbstractEventLoop) -> Callable[[int], float]:
    async def turns_of(turns: int) -> float:
        started = time.perf_counter_ns()
        for _ in range(turns):
            await turn()
        return (time.perf_counter_ns() - started) / 1e9

    return lambda turns: loop.run_until_complete(turns_of(turns))


def runner(case: Case, loop: asyncio.AbstractEventLoop) -> Callable[[int], float]:
    """What runs a number of the case's turns and gives the seconds they took."""
    if case.is_coroutine:
        return timed_async(case.turn, loop)  # type: ignore[arg-type]
    return timed_sync(case.turn)


def measure(cases: Sequence[Case], budget: Budget, loop: asyncio.AbstractEventLoop) -> list[Figure]:
    """Every case's figures. The repeats go round the cases in turn, so that a slower spell of
    the machine falls on all of them alike rather than on the few that ran in it."""
    runs = [runner(case, loop) for case in cases]
    turns = [max(1, math.ceil(budget.seconds / per_turn_seconds(run))) for run in runs]
    samples: list[list[float]] = [[] for _ in cases]
    for _ in range(budget.repeats):
        for case, run, count, kept in zip(cases, runs, turns, samples, strict=True):
            gc.collect()
            kept.append(run(count) * 1e6 / (count * case.calls))
    return [
        Figure(case.name, case.calls, case.mode, round(statistics.median(kept), 3), round(min(kept), 3))
        for case, kept in zip(cases, samples, strict=True)
    ]


# --- Output -------------------------------------------------------------------------------------


def floor_of(figures: Sequence[Figure], mode: str) -> Figure:
    return next(f for f in figures if f.case == "floor" and f.mode == mode)


def table(figures: Sequence[Figure]) -> str:
    """One row a case: µs per call, and as a multiple of the floor of its mode (median over
    median, and min over min, which a busy machine disturbs less)."""
    width = max(len(f.case) for f in figures)
    lines = [
        f"{'case':<{width}}  mode   calls  µs/call median     min   × floor  (min)",
        "-" * (width + 59),
    ]
    for figure in figures:
        floor = floor_of(figures, figure.mode)
        lines.append(
            f"{figure.case:<{width}}  {figure.mode:<5}  {figure.calls:>5}  {figure.us_per_call_median:>14.2f}"
            f"  {figure.us_per_call_min:>6.2f}  {figure.us_per_call_median / floor.us_per_call_median:>8.1f}"
            f"  {figure.us_per_call_min / floor.us_per_call_min:>5.1f}"
        )
    return "\n".join(lines)


def ratios(figure: Figure, base: Figure) -> tuple[float, str]:
    """figure over base, median over median, and that with min over min, as text."""
    ratio = figure.us_per_call_median / base.us_per_call_median
    return ratio, f"{ratio:.1f}× (min {figure.us_per_call_min / base.us_per_call_min:.1f}×)"


FLOOR_LIMIT = 1.5
"""The target: one call through the dispatcher costs at most this many times the floor."""


def verdict(figures: Sequence[Figure]) -> list[str]:
    """The target, judged on the medians: one toolspec call within FLOOR_LIMIT× the floor; ten
    calls, and each other framework against toolspec, case for case, as figures."""
    lines: list[str] = []
    toolspec = [f for f in figures if f.case.startswith("toolspec")]
    for figure in toolspec:
        ratio, text = ratios(figure, floor_of(figures, figure.mode))
        line = f"{figure.case} ({figure.mode}, {figure.calls}): {text} the floor"
        if figure.calls == 1:
            line += f", within {FLOOR_LIMIT}×" if ratio <= FLOOR_LIMIT else f", NOT within {FLOOR_LIMIT}×"
        reference = [f for f in figures if f.case.startswith("(reference)") and f.mode == figure.mode]
        if figure.calls > 1 and reference:
            line += f"; {ratios(figure, reference[0])[1]} {reference[0].case}"
        lines.append(line)
    for other in figures:
        if other.case.split()[0] not in ("langchain", "agents"):
            continue
        ours = next(f for f in toolspec if (f.mode, f.calls) == (other.mode, other.calls) and "responses" in f.case)
        _, text = ratios(other, ours)
        lines.append(f"{other.case} ({other.mode}, {other.calls}): {text} {ours.case}")
    return lines + result_check_costs(figures) + record_costs(figures)


def record_costs(figures: Sequence[Figure]) -> list[str]:
    """Each call record's cost per non-idempotent call above memory's (no target: its store's)."""
    memory = next((f for f in figures if f.case == RECORD_CASE.format("memory")), None)
    lines: list[str] = []
    for figure in figures:
        if memory is None or not figure.case.startswith("record ") or figure is memory:
            continue
        store = figure.case.split()[1].rstrip(":")
        extra = figure.us_per_call_median - memory.us_per_call_median
        extra_min = figure.us_per_call_min - memory.us_per_call_min
        lines.append(f"call record {store}: +{extra:.0f} µs a call over memory (min +{extra_min:.0f} µs)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description="The Dispatcher's own cost per call, beside the floor and others.")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (about 10 s in all)")
    args = parser.parse_args()
    budget = Budget(repeats=5, seconds=0.06) if args.quick else Budget(repeats=7, seconds=0.2)

    cases = floor_cases() + toolspec_cases()
    notes: list[str] = []
    stack = contextlib.ExitStack()
    records = record_cases(stack, notes)
    for name, package, build in (
        ("LangChain", "langchain-core", langchain_cases),
        ("OpenAI Agents SDK", "openai-agents", agents_cases),
    ):
        try:
            cases += build()
        except ImportError as error:
            notes.append(f"note: the {name} comparison was skipped ({error}); pip install {package} to run it")
    cases.sort(key=lambda case: (case.mode != "sync", case.calls))
    # What the imports made is there for good: out of the collector's way, so that the
    # collection before each repeat is short, and the same for every case.
    gc.collect()
    gc.freeze()

    loop = asyncio.new_event_loop()
    try:
        figures = measure(cases, budget, loop)
        # Apart: a store's I/O (SQLite's fsync) must not fall on the repeats of the cases with targets.
        figures += measure(records, budget, loop)
    finally:
        loop.close()
        stack.close()  # the servers, stopped

    print(f"Python {sys.version.split()[0]}; µs per call: median and min of {budget.repeats} repeats")
    for note in notes:
        print(note)
    print(table(figures))
    print()
    for line in verdict(figures):
        print(line)
    if args.json:
        rows = [asdict(figure) for figure in figures]
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
