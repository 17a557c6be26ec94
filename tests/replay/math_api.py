"""The Math API of the BFCL multi-turn benchmark: arithmetic and statistics, no state.

Ported from bfcl_eval/eval_checker/multi_turn_eval/func_source_code/math_api.py of the Berkeley
Function Calling Leaderboard (ShishirPatil/gorilla, Apache-2.0). Changes: `logarithm` uses the
decimal module at the given precision instead of mpmath (so the result is a Decimal, as
`square_root`'s is), and both set the precision in a local context, not the thread's.
"""

from __future__ import annotations

import decimal
import math
from typing import Any

Result = dict[str, Any]


def _numbers(values: list[float], what: str) -> Result | None:
    return None if values else {"error": f"Cannot {what} of an empty list"}


class MathAPI:
    def __init__(self, scenario: dict[str, Any] | None = None) -> None:
        del scenario  # stateless: the benchmark gives it no configuration either

    def state(self) -> dict[str, Any]:
        return {}

    def logarithm(self, value: float, base: float, precision: int) -> Result:
        try:
            with decimal.localcontext() as context:
                context.prec = precision
                return {"result": decimal.Decimal(value).ln() / decimal.Decimal(base).ln()}
        except (ArithmeticError, ValueError) as error:
            return {"error": str(error)}

    def mean(self, numbers: list[float]) -> Result:
        return _numbers(numbers, "calculate mean") or {"result": sum(numbers) / len(numbers)}

    def standard_deviation(self, numbers: list[float]) -> Result:
        if error := _numbers(numbers, "calculate standard deviation"):
            return error
        mean = sum(numbers) / len(numbers)
        return {"result": math.sqrt(sum((x - mean) ** 2 for x in numbers) / len(numbers))}

    def si_unit_conversion(self, value: float, unit_in: str, unit_out: str) -> Result:
        to_meters = {"km": 1000, "m": 1, "cm": 0.01, "mm": 0.001, "um": 1e-6, "nm": 1e-9}
        if unit_in not in to_meters or unit_out not in to_meters:
            return {"error": f"Conversion from '{unit_in}' to '{unit_out}' is not supported"}
        return {"result": value * to_meters[unit_in] * (1 / to_meters[unit_out])}

    def imperial_si_conversion(self, value: float, unit_in: str, unit_out: str) -> Result:
        conversion = {
            "cm_to_in": 0.393701,
            "in_to_cm": 2.54,
            "m_to_ft": 3.28084,
            "ft_to_m": 0.3048,
            "m_to_yd": 1.09361,
            "yd_to_m": 0.9144,
            "km_to_miles": 0.621371,
            "miles_to_km": 1.60934,
            "kg_to_lb": 2.20462,
            "lb_to_kg": 0.453592,
            "celsius_to_fahrenheit": 1.8,
            "fahrenheit_to_celsius": 5 / 9,
        }
        if unit_in == unit_out:
            return {"result": value}
        factor = conversion.get(f"{unit_in}_to_{unit_out}")
        if factor is None:
            return {"error": f"Conversion from '{unit_in}' to '{unit_out}' is not supported"}
        if unit_in == "celsius":
            return {"result": value * factor + 32}
        if unit_in == "fahrenheit":
            return {"result": (value - 32) * factor}
        return {"result": value * factor}

    def add(self, a: float, b: float) -> Result:
        return {"result": a + b}

    def subtract(self, a: float, b: float) -> Result:
        return {"result": a - b}

    def multiply(self, a: float, b: float) -> Result:
        return {"result": a * b}

    def divide(self, a: float, b: float) -> Result:
        return {"error": "Cannot divide by zero"} if b == 0 else {"result": a / b}

    def power(self, base: float, exponent: float) -> Result:
        return {"result": base**exponent}

    def square_root(self, number: float, precision: int) -> Result:
        if number < 0:
            return {"error": "Cannot calculate square root of a negative number"}
        with decimal.localcontext() as context:
            context.prec = precision
            return {"result": decimal.Decimal(number).sqrt()}

    def absolute_value(self, number: float) -> Result:
        return {"result": abs(number)}

    def round_number(self, number: float, decimal_places: int = 0) -> Result:
        return {"result": round(number, decimal_places)}

    def percentage(self, part: float, whole: float) -> Result:
        return {"error": "Whole value cannot be zero"} if whole == 0 else {"result": part / whole * 100}

    def min_value(self, numbers: list[float]) -> Result:
        return _numbers(numbers, "find minimum") or {"result": min(numbers)}

    def max_value(self, numbers: list[float]) -> Result:
        return _numbers(numbers, "find maximum") or {"result": max(numbers)}

    def sum_values(self, numbers: list[float]) -> Result:
        return _numbers(numbers, "calculate sum") or {"result": sum(numbers)}
