"""Toolset weather: a few cities' weather and the horoscopes, from tables in memory."""

from __future__ import annotations

from generated import ToolError
from generated.weather import GetHoroscopeArguments, GetWeatherArguments, GetWeatherResult, WeatherHandlers

# Degrees Celsius and conditions, by city (the part of "City, Country" before the comma).
CONDITIONS: dict[str, tuple[float, str]] = {
    "paris": (18.0, "light rain"),
    "bogotá": (14.0, "cloudy"),
    "bogota": (14.0, "cloudy"),
    "tokyo": (24.0, "sunny"),
    "oslo": (4.0, "snow showers"),
}

HOROSCOPES: dict[str, str] = {
    "aries": "A bold start pays off; finish what you begin.",
    "taurus": "Patience brings a small reward before evening.",
    "gemini": "Two plans compete; write both down.",
    "cancer": "Someone close needs a call from you.",
    "leo": "Your work is noticed; accept the praise.",
    "virgo": "A detail you checked twice saves the day.",
    "libra": "A fair compromise is within reach.",
    "scorpio": "Keep a secret one more day.",
    "sagittarius": "A short trip clears your head.",
    "capricorn": "Steady effort beats a shortcut.",
    "aquarius": "Next Tuesday you will befriend a baby otter.",
    "pisces": "Trust the quiet idea that came this morning.",
}


class Weather(WeatherHandlers):
    """Weather from the CONDITIONS table; horoscopes from HOROSCOPES."""

    def get_weather(self, args: GetWeatherArguments) -> GetWeatherResult:
        city = args.location.split(",")[0].strip().lower()
        if city not in CONDITIONS:
            raise ToolError(f"no weather station for {args.location}; try one of: Paris, Bogotá, Tokyo, Oslo")
        celsius, conditions = CONDITIONS[city]
        temperature = celsius if args.units == "celsius" else round(celsius * 9 / 5 + 32, 1)
        return GetWeatherResult(
            location=args.location, temperature=temperature, units=args.units, conditions=conditions
        )

    def get_horoscope(self, args: GetHoroscopeArguments) -> str:
        sign = args.sign.strip().lower()
        if sign not in HOROSCOPES:
            raise ToolError(f"{args.sign} is not an astrological sign")
        return f"{args.sign.strip().capitalize()}: {HOROSCOPES[sign]}"
