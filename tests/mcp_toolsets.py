"""The example toolsets served over MCP for tests/test_mcp.py, with a weather toolset whose
handlers can be slow, report progress and be cancelled.

`python tests/mcp_toolsets.py stdio` serves them on stdin and stdout; `python
tests/mcp_toolsets.py http PORT` over streamable HTTP at http://127.0.0.1:PORT/mcp.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examples.calendar import Calendar  # noqa: E402
from examples.code import Code  # noqa: E402
from examples.shop import Shop  # noqa: E402
from examples.weather import Weather  # noqa: E402
from generated import CallContext, Dispatcher  # noqa: E402
from generated.weather import GetHoroscopeArguments, GetWeatherArguments, WeatherHandlers  # noqa: E402


class SlowWeather(WeatherHandlers):
    """The example's weather, but `get_weather` of "slow N" waits N seconds (reporting its
    progress each tenth), and `get_horoscope` of "cancelled" says which slow calls were
    cancelled, "running" how many run now, "progress" reports its progress from its thread."""

    def __init__(self) -> None:
        self.weather = Weather()
        self.cancelled: list[str] = []
        self.running = 0

    async def get_weather(self, args: GetWeatherArguments) -> dict[str, object]:
        if not args.location.startswith("slow "):
            return self.weather.get_weather(args)
        seconds = float(args.location.split()[1])
        context = CallContext.current()
        self.running += 1
        try:
            for step in range(1, 11):
                await asyncio.sleep(seconds / 10)
                context.report_progress(step, 10, f"{step} of 10")
        except asyncio.CancelledError:
            self.cancelled.append(args.location)
            raise
        finally:
            self.running -= 1
        return {"location": args.location, "temperature": seconds, "units": "celsius", "conditions": "waited"}

    def get_horoscope(self, args: GetHoroscopeArguments) -> str:
        if args.sign == "progress":  # reported from the thread a plain method runs in
            context = CallContext.current()
            for step in range(1, 4):
                context.report_progress(step, 3, f"{step} of 3")
            return "reported"
        if args.sign == "cancelled":
            return json.dumps(self.cancelled)
        if args.sign == "running":
            return str(self.running)
        return self.weather.get_horoscope(args)


def dispatcher() -> Dispatcher:
    return Dispatcher(SlowWeather(), Shop(), Calendar(), Code())


if __name__ == "__main__":
    if sys.argv[1] == "http":
        dispatcher().run_mcp(transport="http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        dispatcher().run_mcp()
